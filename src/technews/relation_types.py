"""What the pipeline finds beyond entities: relations, the arguments they join, references.

On a ``Doc`` they are kept as plain rows (token offsets, labels, names, numbers) in
``doc.user_data``, so that a doc with its findings goes through ``Doc.to_bytes``,
``DocBin(store_user_data=True)``, pickling and ``nlp.pipe(n_process=...)``;
``doc._.relations`` and ``doc._.references`` rebuild the objects (and their spans) on access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

RELATIONS_KEY = "technews.relations"
REFERENCES_KEY = "technews.references"
# Which mention's status the article's relation takes: a confirmation beats everything,
# then what ended, what is planned, what is rumoured; a mention without a cue counts least.
STATUS_PRECEDENCE = ("current_confirmed", "past", "planned", "rumored", "current")


@dataclass(frozen=True)
class Relation:
    """One mention-level relation; ``status_cue`` keeps `current_confirmed` apart."""

    head: Span
    tail: Span
    head_name: str
    tail_name: str
    relation: str
    status_cue: str
    evidence: tuple[int, int]  # character offsets of the supporting sentence
    score: float
    rule: str = ""  # which rule (or "model") found it

    @property
    def status(self) -> str:
        return "current" if self.status_cue.startswith("current") else self.status_cue

    def as_row(self) -> list[Any]:
        head, tail = self.head, self.tail
        names = [self.head_name, self.tail_name, self.relation, self.status_cue]
        return [
            head.start,
            head.end,
            head.label_,
            tail.start,
            tail.end,
            tail.label_,
            *names,
            *self.evidence,
            self.score,
            self.rule,
        ]

    @classmethod
    def from_row(cls, doc: Doc, row: list[Any]) -> Relation:
        head_start, head_end, head_label, tail_start, tail_end, tail_label, *names = row
        head_name, tail_name, relation, status_cue, evidence_start, evidence_end, score, rule = names
        return cls(
            Span(doc, head_start, head_end, label=head_label),
            Span(doc, tail_start, tail_end, label=tail_label),
            head_name,
            tail_name,
            relation,
            status_cue,
            (evidence_start, evidence_end),
            score,
            rule,
        )


@dataclass(frozen=True)
class Argument:
    """An organization in a sentence: a named entity or a description standing for one."""

    span: Span
    name: str
    group: int | None = None  # arguments of one `beide Firmen` are never paired with each other
    kind: str = "name"  # or the kind of reference standing for the name: description, pair, pronoun


@dataclass(frozen=True)
class Reference:
    """Tokens start..end stand for the entities ``targets`` (canonical names) of ``label``."""

    start: int
    end: int
    targets: tuple[str, ...]
    label: str = "ORG"
    kind: str = "description"  # "description", "pair" (`beide Firmen`) or "pronoun"

    def as_row(self) -> list[Any]:
        return [self.start, self.end, list(self.targets), self.label, self.kind]

    @classmethod
    def from_row(cls, row: list[Any]) -> Reference:
        start, end, targets, label, kind = row
        return cls(start, end, tuple(targets), label, kind)


def get_relations(doc: Doc) -> tuple[Relation, ...] | None:
    rows = doc.user_data.get(RELATIONS_KEY)
    return None if rows is None else tuple(Relation.from_row(doc, row) for row in rows)


def set_relations(doc: Doc, relations: list[Relation] | tuple[Relation, ...] | None) -> None:
    doc.user_data[RELATIONS_KEY] = None if relations is None else [r.as_row() for r in relations]


def get_references(doc: Doc) -> tuple[Reference, ...] | None:
    rows = doc.user_data.get(REFERENCES_KEY)
    return None if rows is None else tuple(Reference.from_row(row) for row in rows)


def set_references(doc: Doc, references: list[Reference] | tuple[Reference, ...] | None) -> None:
    doc.user_data[REFERENCES_KEY] = None if references is None else [r.as_row() for r in references]
