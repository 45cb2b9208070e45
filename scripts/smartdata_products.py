"""Annotate products in SmartData v1 (CC BY 4.0), which labels companies, people and places
but no products: the NER would otherwise learn its car models and apps as no entity.

    python scripts/smartdata_products.py export OUT_DIR --chunks 6
        one file of texts per annotator: {"id", "text", "existing": [[surface, label], ...]}
    python scripts/smartdata_products.py resolve corpus/smartdata/mentions/F.jsonl
        the annotator's mention list ({"id", "mentions": [[surface, "PRODUCT", canonical]]})
        resolved to offsets, written without the text to corpus/smartdata/F.jsonl

Document ids are ``train:N`` and ``test:N``, the N-th document of SmartData's file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT.parent / "shared" / "annotation"))

from resolve import resolve  # noqa: E402  (the annotation protocol's resolver)

from technews.training.corpus import (  # noqa: E402
    SMARTDATA_FILES,
    read_smartdata,
    smartdata_texts,
)

SMARTDATA = ROOT.parent / "shared" / "data" / "smartdata_v1"
OUT = ROOT / "corpus" / "smartdata"


def export(out_dir: Path, chunks: int) -> None:
    documents = []
    for split in SMARTDATA_FILES:
        annotated = read_smartdata(SMARTDATA / f"{split}.json.gz", lambda word: False)
        for number, doc in enumerate(annotated):
            existing = [[doc.text[s:e], label] for s, e, label in sorted(doc.entities)]
            documents.append({"id": f"{split}:{number}", "text": doc.text, "existing": existing})
    out_dir.mkdir(parents=True, exist_ok=True)
    # Files of about equal length of text, in document order: documents differ 50-fold.
    share = sum(len(d["text"]) for d in documents) / chunks
    files: list[list[str]] = [[] for _ in range(chunks)]
    written = 0
    for document in documents:
        files[min(int(written / share), chunks - 1)].append(json.dumps(document, ensure_ascii=False))
        written += len(document["text"])
    for k, lines in enumerate(files, start=1):
        (out_dir / f"chunk_{k}.jsonl").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"{len(documents)} documents in {chunks} files under {out_dir}")


def resolve_mentions(path: Path) -> int:
    texts = smartdata_texts(SMARTDATA)
    lines, errors = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        gold, problems = resolve({"id": record["id"], "text": texts[record["id"]], **record})
        errors += problems
        errors += [f"{record['id']}: {m!r} is not PRODUCT" for m in record["mentions"] if m[1] != "PRODUCT"]
        entities = [
            {k: e[k] for k in ("start", "end", "text", "label", "canonical")} for e in gold["entities"]
        ]
        lines.append(json.dumps({"id": record["id"], "entities": entities}, ensure_ascii=False))
    for error in errors:
        print(error)
    if not errors:
        (OUT / path.name).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        print(f"ok: {len(lines)} documents written to {OUT / path.name}")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    export_parser = commands.add_parser("export")
    export_parser.add_argument("out_dir", type=Path)
    export_parser.add_argument("--chunks", type=int, default=6)
    resolve_parser = commands.add_parser("resolve")
    resolve_parser.add_argument("mentions", type=Path)
    args = parser.parse_args()
    if args.command == "export":
        export(args.out_dir, args.chunks)
        return 0
    return resolve_mentions(args.mentions)


if __name__ == "__main__":
    sys.exit(main())
