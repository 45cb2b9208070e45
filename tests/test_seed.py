"""Acceptance: the seed article comes out exactly as its gold annotation."""

import json
from pathlib import Path

import technews
from technews.scoring import score

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def entity_set(entities):
    return {(e["start"], e["end"], e["label"], e["text"], e["canonical"]) for e in entities}


def relation_set(relations):
    found = set()
    for r in relations:
        head, tail = r["head"], r["tail"]
        if r["relation"] == "partner_of":
            head, tail = sorted((head, tail))
        found.add((head, r["relation"], tail, r["status"]))
    return found


def test_seed_article_scores_one_on_every_figure(nlp, seed_gold, seed_text):
    assert seed_text == seed_gold["text"]
    predicted = {"id": seed_gold["id"], **technews.extract(seed_text, nlp)}
    scores = score([seed_gold], [predicted]).as_dict()
    for label in ("ORG", "PRODUCT", "LOC"):
        assert scores["entities"][label]["f1"] == 1.0, label
    assert scores["entities_micro"]["f1"] == 1.0
    assert scores["canonical_accuracy"] == 1.0
    assert scores["relations_micro"]["f1"] == 1.0
    assert scores["status_accuracy"] == 1.0
    # Exactly the gold, and nothing more.
    assert entity_set(predicted["entities"]) == entity_set(seed_gold["entities"])
    assert relation_set(predicted["relations"]) == relation_set(seed_gold["relations"])
    assert len(predicted["entities"]) == 28 and len(predicted["relations"]) == 7


def test_bundled_examples_keep_their_entities_and_relations(nlp):
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.gold.jsonl"))]
    predicted = [{"id": g["id"], **technews.extract(g["text"], nlp)} for g in gold]
    scores = score(gold, predicted).as_dict()
    assert scores["entities_micro"]["f1"] == 1.0
    # Among them `gefertigt wird er jedoch von Samsung` (Tensor G3, through a pronoun) and
    # Broadcom's planned supply contract with Apple, which only the relation scorer links.
    assert scores["relations_micro"]["precision"] == 1.0
    assert scores["relations_micro"]["recall"] == 1.0
    assert scores["status_accuracy"] == 1.0
