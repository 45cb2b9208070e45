"""A processed ``Doc`` in the file format of ANNOTATION.md.

Entities as they are; relations merged from mention level to one per article,
pair and type, with the status of the strongest evidence and its sentence.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from spacy.tokens import Doc

from technews.relation_types import STATUS_PRECEDENCE, Relation

# The JSON Schema of an output record (docs/format.md), shipped in the package.
RECORD_SCHEMA = resources.files("technews") / "data" / "record.schema.json"


def doc_to_record(doc: Doc) -> dict[str, Any]:
    found = entities(doc)
    names = {entity["canonical"] for entity in found}
    return {"entities": found, "relations": merged_relations(doc._.relations or [], names)}


def entities(doc: Doc) -> list[dict[str, Any]]:
    return [
        {
            "start": ent.start_char,
            "end": ent.end_char,
            "label": ent.label_,
            "text": ent.text,
            "canonical": ent._.canonical or ent.text,
        }
        for ent in doc.ents
    ]


def merged_relations(relations: list[Relation], entity_names: set[str] | None = None) -> list[dict[str, Any]]:
    """One relation per pair and type. Only relations between two different entities of
    the record (by canonical name, where ``entity_names`` are given) are kept, or from a
    product to the brand inside its name (`Samsung Galaxy S24`)."""
    best: dict[tuple[str, str, str], Relation] = {}
    for relation in relations:
        if not _between_entities(relation, entity_names):
            continue
        key = _key(relation)
        if key not in best or _strength(relation) < _strength(best[key]):
            best[key] = relation
    return [
        {
            "head": r.head_name,
            "relation": r.relation,
            "tail": r.tail_name,
            "status": r.status,
            "evidence": {"start": r.evidence[0], "end": r.evidence[1]},
            "score": round(r.score, 3),
        }
        for r in sorted(best.values(), key=lambda r: (r.relation != "partner_of", r.evidence))
    ]


def _between_entities(relation: Relation, entity_names: set[str] | None) -> bool:
    if relation.head_name == relation.tail_name:
        return False
    if entity_names is None:
        return True
    brand_in_name = (
        relation.relation == "made_by"
        and relation.head.start <= relation.tail.start
        and relation.tail.end <= relation.head.end
    )
    return relation.head_name in entity_names and (brand_in_name or relation.tail_name in entity_names)


def _key(relation: Relation) -> tuple[str, str, str]:
    head, tail = relation.head_name, relation.tail_name
    if relation.relation == "partner_of":  # symmetric: one key for both directions
        head, tail = sorted((head, tail))
    return relation.relation, head, tail


def _strength(relation: Relation) -> tuple[int, float]:
    """Lower is stronger: status precedence first, then score."""
    return STATUS_PRECEDENCE.index(relation.status_cue), -relation.score
