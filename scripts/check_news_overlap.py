"""Find passages that a corpus file shares with the derStandard news (measurement only,
never training text): every run of ``--words`` words (8) that an item has in common with
a news article is printed with both ids. Run it on every new corpus file before it enters.

    python scripts/check_news_overlap.py corpus/pending/*.jsonl [--news ../shared/data/news]

Exit status 1 when a passage is shared, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"\w+")


def shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = WORD.findall(text.casefold())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def read_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def news_index(folder: Path, size: int) -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for article in read_items(path):
            for shingle in shingles(article["text"], size):
                index.setdefault(shingle, article["id"])
    return index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "data" / "news")
    parser.add_argument("--words", type=int, default=8)
    args = parser.parse_args()
    index = news_index(args.news, args.words)
    shared = 0
    for path in args.files:
        for item in read_items(path):
            common = [s for s in shingles(item.get("text", ""), args.words) if s in index]
            for shingle in common[:3]:
                print(f"{path}: {item['id']} shares “{' '.join(shingle)}” with news {index[shingle]}")
            shared += bool(common)
    print(f"{shared} items share a passage of {args.words} words with the news", file=sys.stderr)
    return 1 if shared else 0


if __name__ == "__main__":
    sys.exit(main())
