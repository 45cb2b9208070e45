"""`technews package`: the pipeline as the installable spaCy model package ``de_technews``.

On top of ``spacy package``: the meta names technews as a requirement (its factories and
tokenizer live there), the version of technews, the licence, the training sources and the
accuracy figures given, so that ``spacy.load("de_technews")`` works wherever the wheel and
its requirements are installed, and ``spacy info`` lists it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import srsly
from spacy.cli.package import package as spacy_package

import technews
from technews.errors import ModelNotFoundError

PACKAGE_NAME = "technews"  # spaCy puts the language first: de_technews
LICENSE = "MIT"
SOURCES = [
    {
        "name": "GermEval 2014 NER",
        "url": "https://sites.google.com/site/germeval2014ner/",
        "license": "CC BY 4.0",
        "author": "Benikova, Biemann, Kisselew, Padó",
    },
    {
        "name": "SmartData corpus v1",
        "url": "https://github.com/DFKI-NLP/smartdata-corpus",
        "license": "CC BY 4.0",
        "author": "Schiersch, Mironova, Schmitt, Thomas, Gabryszak, Hennig (DFKI)",
    },
    {"name": "Google Play supported devices (2025-01-19), brands and marketing names as facts"},
    {"name": "technews authored corpus, knowledge base and lexicons", "license": LICENSE},
]


def package_model(model: Path, out: Path, scores: dict[str, Any] | None = None) -> Path:
    """Build the wheel of ``de_technews`` from the pipeline folder ``model`` into ``out``,
    with ``scores`` (name -> ``technews evaluate --json`` output) as its accuracy; the
    wheel's path."""
    if not (model / "config.cfg").is_file() or not (model / "meta.json").is_file():
        raise ModelNotFoundError(f"No technews pipeline at {model}: expected config.cfg and meta.json")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        staged, build = Path(work) / "model", Path(work) / "build"
        shutil.copytree(model, staged)
        build.mkdir()
        meta = srsly.read_json(staged / "meta.json")
        meta.update(
            name=PACKAGE_NAME,
            version=technews.__version__,
            license=LICENSE,
            sources=SOURCES,
            requirements=[f"technews>={technews.__version__}"],
            performance=scores or {},
        )
        srsly.write_json(staged / "meta.json", meta)
        spacy_package(
            staged,
            build,
            name=PACKAGE_NAME,
            version=technews.__version__,
            create_sdist=False,
            create_wheel=True,
            force=True,
        )
        wheel = next(build.glob("*/dist/*.whl"))
        return Path(shutil.copy2(wheel, out / wheel.name))
