"""List the GermEval 2014 spans that ANNOTATION.md labels differently, for annotators.

    python scripts/list_germeval_spans.py ../shared/data/germeval2014/NER-de-dev.tsv > spans.jsonl

GermEval's OTH mixes products with works, events and laws, and its ORG holds companies
whose name is used as a product (`auf Facebook`, ANNOTATION.md rule 6). Each line is one
such span in its sentence: every OTH span, and every ORG span the knowledge base also knows
as a product. An annotator adds `"label"`: PRODUCT, ORG, PER, LOC or null (no entity);
the decisions go to `corpus/germeval2014/` and `technews train` reads them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from technews.kb import load_knowledge_base
from technews.training.corpus import germeval_spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tsv", type=Path)
    args = parser.parse_args()
    kb = load_knowledge_base()
    products = {form for product in kb.products.values() for form in (product.name, *product.aliases)}
    for span in germeval_spans(args.tsv):
        if span.tag == "OTH" or (span.tag == "ORG" and span.surface in products):
            marked = f"{span.text[: span.start]}[[{span.surface}]]{span.text[span.end :]}"
            record = {"id": span.key, "surface": span.surface, "tag": span.tag, "sentence": marked}
            print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
