"""technews: organizations, products, people, places and brand relations in German tech news.

>>> import technews
>>> nlp = technews.load()
>>> doc = nlp("Xiaomi arbeitet beim Xiaomi 12 Ultra mit Leica zusammen.")
>>> [(ent.text, ent.label_, ent._.canonical) for ent in doc.ents]
>>> technews.extract("Xiaomi arbeitet beim Xiaomi 12 Ultra mit Leica zusammen.")
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from technews import extensions  # noqa: F401  (registers Span._.canonical, Doc._.relations)
from technews.errors import (
    InvalidInputError,
    KnowledgeBaseError,
    LexiconError,
    ModelNotFoundError,
    NotInitializedError,
    TechnewsError,
)
from technews.output import doc_to_record

__all__ = [
    "InvalidInputError",
    "KnowledgeBaseError",
    "LexiconError",
    "ModelNotFoundError",
    "NotInitializedError",
    "TechnewsError",
    "extract",
    "load",
    "pipe",
    "render",
]
__version__ = "0.1.0"

MODEL_NAME = "technews-de"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def default_model_path() -> Path:
    """The shipped pipeline: inside the installed package, else in the source checkout."""
    installed = Path(str(resources.files("technews") / "models" / MODEL_NAME))
    if installed.exists():
        return installed
    return Path(__file__).resolve().parents[2] / "models" / MODEL_NAME


def load(path: str | Path | None = None) -> Language:
    """Load a technews pipeline (the shipped one by default) as a spaCy ``Language``."""
    folder = Path(path) if path is not None else default_model_path()
    if not (folder / "config.cfg").is_file():
        raise ModelNotFoundError(f"No technews pipeline at {folder}: expected a folder with config.cfg")
    return spacy.load(folder)


@lru_cache(maxsize=1)
def _default_pipeline() -> Language:
    return load()


def prepare_text(text: Any) -> str:
    """The text ready for the pipeline, or an ``InvalidInputError`` saying why it cannot be.

    Lone surrogates (from broken decoding) become U+FFFD, one character for one,
    so that every offset still points into the text as given.
    """
    if text is None:
        raise InvalidInputError("No text given (None)")
    if not isinstance(text, str):
        raise InvalidInputError(f"Expected text (str), got {type(text).__name__}")
    if not text.strip():
        raise InvalidInputError("The text is empty or only white space")
    return LONE_SURROGATE.sub("\ufffd", text)


def pipe(articles: Iterable[str | dict[str, Any]], **options: Any) -> Iterator[dict[str, Any]]:
    """Records for a stream of texts or records, lazily and in input order; ``n_process``,
    ``batch_size``, ``model``, ``mapping``, ``options``: see ``technews.batch.stream.pipe``."""
    from technews.batch.stream import pipe as stream_pipe

    return stream_pipe(articles, **options)


def render(article: Any, style: str = "ent", **options: Any) -> str:
    """HTML of a ``Doc``'s or record's entities (with canonical names) and relations, in
    displaCy's views; ``style`` "ent" or "rel", ``text``, ``jupyter``, ``page``: see
    ``technews.rendering.render``."""
    from technews.rendering import render as render_html

    return render_html(article, style, **options)


def extract(
    text: str, nlp: Language | None = None, entities: Iterable[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Entities and relations of one article in the file format of ANNOTATION.md. Given
    ``entities`` (``start``, ``end``, ``label``, optionally ``canonical``), the pipeline
    takes them instead of finding its own and extracts the relations between them."""
    text = prepare_text(text)
    nlp = nlp or _default_pipeline()
    # The rules run in linear time and memory, so no article is refused for its length.
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    if entities is not None:
        from technews.given_entities import doc_with_entities

        return doc_to_record(doc_with_entities(nlp, text, entities))
    return doc_to_record(nlp(text))
