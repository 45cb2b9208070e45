"""Rebuild src/technews/data/lexicon/everyday_nouns.txt: German nouns in every inflected form
(german-nouns, from Wiktionary, CC BY-SA 4.0) that are frequent in running text (wordfreq).

    python scripts/build_everyday_nouns.py [--min-zipf 2.0]

The list is a feature of the NER (``technews_name_features``' EVERYDAY_NOUN bit), not a
filter: `Post`, `Signal` and `Standard` are nouns and names, and the context decides.
Proper nouns (places, first names, surnames) and multi-word entries are left out.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "technews" / "data" / "lexicon" / "everyday_nouns.txt"
HEADER = (
    "# Built by scripts/build_everyday_nouns.py from german-nouns (Wiktionary, CC BY-SA 4.0)\n"
    "# and wordfreq; this list is shared under CC BY-SA 4.0.\n"
)
# An entry is kept when its parts of speech are only these (no Toponym, Vorname, Eigenname).
NOUN_KINDS = frozenset({"Substantiv", "adjektivische Deklination"})
FIRST_FORM_COLUMN = 7  # lemma, pos and five gender columns come first
ONE_WORD = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+")


def noun_forms(nouns_csv: Path) -> Iterator[str]:
    with nouns_csv.open(encoding="utf-8", newline="") as file:
        rows = csv.reader(file)
        next(rows)
        for row in rows:
            if set(row[1].split(",")) <= NOUN_KINDS:
                yield from (form for form in row[FIRST_FORM_COLUMN:] if ONE_WORD.fullmatch(form))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-zipf", type=float, default=2.0, help="wordfreq's Zipf frequency in German")
    args = parser.parse_args()
    nouns_csv = Path(str(resources.files("german_nouns") / "nouns.csv"))
    words = sorted(form for form in set(noun_forms(nouns_csv)) if zipf_frequency(form, "de") >= args.min_zipf)
    OUT.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} everyday nouns -> {OUT}")


if __name__ == "__main__":
    main()
