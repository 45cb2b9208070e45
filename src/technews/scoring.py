"""Scoring as ANNOTATION.md defines it.

Entities: exact span and label; precision, recall and F1 per label, micro over
all labels and over ORG+PRODUCT; canonical accuracy over matched entities.
Relations: type equal and head and tail each naming the gold entity (its
canonical name or any mention's text, without case, trailing genitive `s` or
extra white space); partner_of in either direction; status accuracy over
matched relations.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from technews.errors import InvalidInputError
from technews.matching import names_by_canonical, same_relation

LABELS = ("ORG", "PRODUCT", "PER", "LOC")
RELATIONS = ("made_by", "partner_of", "owned_by")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0 if not self.fn else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0 if not self.fp else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Scores:
    entities: dict[str, Counts] = field(default_factory=lambda: {label: Counts() for label in LABELS})
    relations: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in RELATIONS})
    canonical_correct: int = 0
    canonical_total: int = 0
    status_correct: int = 0
    status_total: int = 0

    def micro(self, counts: Iterable[Counts]) -> Counts:
        total = Counts()
        for count in counts:
            total.add(count)
        return total

    def as_dict(self) -> dict[str, Any]:
        ents = self.entities
        return {
            "entities": {label: c.as_dict() for label, c in ents.items()},
            "entities_micro": self.micro(ents.values()).as_dict(),
            "org_product": self.micro([ents["ORG"], ents["PRODUCT"]]).as_dict(),
            "canonical_accuracy": _ratio(self.canonical_correct, self.canonical_total),
            "relations": {r: c.as_dict() for r, c in self.relations.items()},
            "relations_micro": self.micro(self.relations.values()).as_dict(),
            "status_accuracy": _ratio(self.status_correct, self.status_total),
        }


def _ratio(correct: int, total: int) -> float:
    return correct / total if total else 1.0


def score_article(gold: dict, predicted: dict, scores: Scores) -> None:
    """Add one article's counts to ``scores``."""
    _score_entities(gold["entities"], predicted.get("entities", []), scores)
    _score_relations(gold, predicted.get("relations", []), scores)


def _score_entities(gold: list[dict], predicted: list[dict], scores: Scores) -> None:
    gold_by_key = {(e["start"], e["end"], e["label"]): e for e in gold}
    pred_by_key = {(e["start"], e["end"], e["label"]): e for e in predicted}
    for key, entity in pred_by_key.items():
        counts = scores.entities.setdefault(key[2], Counts())
        if key in gold_by_key:
            counts.tp += 1
            scores.canonical_total += 1
            scores.canonical_correct += entity.get("canonical") == gold_by_key[key]["canonical"]
        else:
            counts.fp += 1
    for key in gold_by_key.keys() - pred_by_key.keys():
        scores.entities.setdefault(key[2], Counts()).fn += 1


def _score_relations(gold: dict, predicted: list[dict], scores: Scores) -> None:
    names = names_by_canonical(gold["entities"])
    unmatched = list(gold["relations"])
    for relation in predicted:
        counts = scores.relations.setdefault(relation["relation"], Counts())
        match = next((g for g in unmatched if same_relation(g, relation, names)), None)
        if match is None:
            counts.fp += 1
            continue
        unmatched.remove(match)
        counts.tp += 1
        scores.status_total += 1
        scores.status_correct += relation.get("status") == match["status"]
    for relation in unmatched:
        scores.relations.setdefault(relation["relation"], Counts()).fn += 1


def read_jsonl(path: Path) -> Iterator[dict]:
    """Articles of a JSON Lines file; a broken line is an error naming its number."""
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise InvalidInputError(f"{path}:{number}: not a JSON line ({error.msg})") from error


def attach_texts(articles: list[dict], folder: Path) -> list[dict]:
    """Give gold articles stored without their text (licence) the text of ``folder``'s
    JSON Lines files, joined by id; an article whose text is missing is an error."""
    if all("text" in article for article in articles):
        return articles
    texts: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        texts.update((item["id"], item["text"]) for item in read_jsonl(path))
    missing = [a["id"] for a in articles if "text" not in a and a.get("id") not in texts]
    if missing:
        raise InvalidInputError(f"No text for {len(missing)} articles in {folder}: {missing[:5]}")
    return [
        article if "text" in article else {**article, "text": texts[article["id"]]} for article in articles
    ]


def score(gold: Iterable[dict], predicted: Iterable[dict]) -> Scores:
    """Score predicted articles against gold ones, paired by ``id`` (or by order without ids)."""
    gold_list, predicted_list = list(gold), list(predicted)
    if all("id" in article for article in predicted_list):
        by_id = {article["id"]: article for article in predicted_list}
        missing = [str(a.get("id")) for a in gold_list if a.get("id") not in by_id]
        if missing:
            raise InvalidInputError(f"No prediction for {len(missing)} gold articles: {missing[:5]}")
        predicted_list = [by_id[article["id"]] for article in gold_list]
    elif len(predicted_list) != len(gold_list):
        raise InvalidInputError(
            f"{len(gold_list)} gold articles but {len(predicted_list)} predictions, and no ids to pair them"
        )
    scores = Scores()
    for gold_article, predicted_article in zip(gold_list, predicted_list, strict=True):
        score_article(gold_article, predicted_article, scores)
    return scores
