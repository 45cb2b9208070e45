"""Rebuild src/technews/data/lexicon/common_nouns.txt from GermEval 2014 and SmartData v1.

    python scripts/build_common_nouns.py [--shared ../shared/data]

Both corpora are CC BY 4.0 (credited in README.md). See technews.training.common_nouns.
"""

from __future__ import annotations

import argparse
from itertools import chain
from pathlib import Path

from technews.training.common_nouns import common_nouns
from technews.training.corpus import read_germeval, read_smartdata

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "technews" / "data" / "lexicon" / "common_nouns.txt"
HEADER = "# Built by scripts/build_common_nouns.py from GermEval 2014 and SmartData v1 (CC BY 4.0).\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    germeval = args.shared / "germeval2014"
    items = chain(
        *(read_germeval(path) for path in sorted(germeval.glob("NER-de-*.tsv"))),
        # Nominal mentions (`Gruppe`) count as names here: the list errs towards fewer words.
        read_smartdata(args.shared / "smartdata_v1" / "train.json.gz", lambda word: False),
    )
    words = common_nouns(items)
    OUT.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} common nouns -> {OUT}")


if __name__ == "__main__":
    main()
