"""A processed ``Doc`` in the file format of ANNOTATION.md.

Entities as they are; relations merged from mention level to one per article,
pair and type, with the status of the strongest evidence and its sentence.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from technews.pipeline.relations import Relation

# Which mention's status the article's relation takes: a confirmation beats
# everything, then what ended, what is planned, what is rumoured; a plain
# mention without any cue counts least.
STATUS_PRECEDENCE = ("current_confirmed", "past", "planned", "rumored", "current")


def doc_to_record(doc: Doc) -> dict[str, Any]:
    return {"entities": entities(doc), "relations": merged_relations(doc._.relations or [])}


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


def merged_relations(relations: list[Relation]) -> list[dict[str, Any]]:
    best: dict[tuple[str, str, str], Relation] = {}
    for relation in relations:
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


def _key(relation: Relation) -> tuple[str, str, str]:
    head, tail = relation.head_name, relation.tail_name
    if relation.relation == "partner_of":  # symmetric: one key for both directions
        head, tail = sorted((head, tail))
    return relation.relation, head, tail


def _strength(relation: Relation) -> tuple[int, float]:
    """Lower is stronger: status precedence first, then score."""
    return STATUS_PRECEDENCE.index(relation.status_cue), -relation.score
