"""Build the shipped pipeline models/technews-de from configs/technews.cfg.

python scripts/build_pipeline.py [--config CFG] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.pipeline import Sentencizer

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPH_BREAKS = ["\n", "\n\n", "\n\n\n", "\n\n\n\n"]


def build(config_path: Path, out: Path) -> None:
    config = spacy.util.load_config(config_path)
    config["components"]["sentencizer"]["punct_chars"] = [*Sentencizer.default_punct_chars, *PARAGRAPH_BREAKS]
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    nlp.initialize()
    nlp.meta.update(
        {
            "name": "technews_de",
            "version": "0.1.0",
            "description": "German tech-news entities and brand relations (rules).",
        }
    )
    nlp.to_disk(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "technews.cfg")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "technews-de")
    args = parser.parse_args()
    build(args.config, args.out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
