"""Running the pipeline on entities given from outside: gold annotations, or another NER.

The components that find entities are skipped; the given spans become ``doc.ents`` where
the rule recognizer would have set them, and their canonical names replace the ones the
knowledge base gives. Everything after (references, relations, the relation scorer) runs
as usual, so that the relation step can be measured apart from the entity step
(``technews evaluate --gold-entities``) or used with entities of one's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from technews.errors import InvalidInputError

# Components that find entities; with given entities they do not run.
ENTITY_COMPONENTS = frozenset({"technews_name_features", "ner", "technews_entities"})
CANONICAL = "technews_canonical"


def doc_with_entities(nlp: Language, text: str, entities: Iterable[Mapping[str, Any]]) -> Doc:
    """``text`` through ``nlp`` with ``entities`` (``start``, ``end``, ``label`` and
    optionally ``canonical``, as in ANNOTATION.md) in place of the pipeline's own."""
    given = list(entities)
    doc = nlp.make_doc(text)
    canonical: dict[tuple[int, int], str] = {}
    for name, component in nlp.pipeline:
        if name in ("technews_entities", CANONICAL) and not doc.has_annotation("ENT_IOB"):
            canonical = _place(doc, given)
        if name in ENTITY_COMPONENTS:
            continue
        doc = component(doc)
        if name == CANONICAL:
            for ent in doc.ents:
                ent._.canonical = canonical.get((ent.start, ent.end)) or ent._.canonical
    if not doc.has_annotation("ENT_IOB"):
        _place(doc, given)
    return doc


def _place(doc: Doc, entities: list[Mapping[str, Any]]) -> dict[tuple[int, int], str]:
    """Sets the entities as ``doc.ents``; their canonical names by token offsets."""
    spans = _spans(doc, entities)
    doc.ents = [span for span, _ in spans]
    return {(span.start, span.end): name for span, name in spans if name}


def _spans(doc: Doc, entities: list[Mapping[str, Any]]) -> list[tuple[Span, str | None]]:
    spans = []
    for entity in entities:
        try:
            start, end, label = int(entity["start"]), int(entity["end"]), str(entity["label"])
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInputError(f"An entity needs start, end and label: {dict(entity)}") from error
        if not 0 <= start < end <= len(doc.text):
            raise InvalidInputError(f"Entity offsets {start}-{end} are outside the text ({len(doc.text)})")
        # A name inside a hyphenated compound (`Apple-Fans`) is its own token already; any
        # other misalignment widens the span to whole tokens.
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None:
            raise InvalidInputError(f"Entity {start}-{end} does not cover a token")
        spans.append((span, entity.get("canonical")))
    spans.sort(key=lambda pair: pair[0].start)
    for (first, _), (second, _) in pairwise(spans):
        if second.start < first.end:
            raise InvalidInputError(f"Entities overlap: {first.text!r} and {second.text!r}")
    return spans
