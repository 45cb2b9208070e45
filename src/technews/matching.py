"""When a found relation is a gold one (ANNOTATION.md, Scoring): the same type, and head
and tail each naming the gold entity (its canonical name or any mention's text, without
case, trailing genitive `s` or extra white space); partner_of either way round. Used by
the evaluation and by the relation scorer's training."""

from __future__ import annotations


def normalize_name(name: str) -> str:
    """How relation arguments are compared: no case, no genitive `s`, folded white space."""
    folded = " ".join(name.casefold().split())
    return folded[:-1] if folded.endswith("s") else folded


def names_by_canonical(entities: list[dict]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for entity in entities:
        key = normalize_name(entity["canonical"])
        names.setdefault(key, {key}).add(normalize_name(entity["text"]))
    return names


def same_relation(gold: dict, predicted: dict, names: dict[str, set[str]]) -> bool:
    if gold["relation"] != predicted["relation"]:
        return False

    def names_entity(predicted_name: str, gold_name: str) -> bool:
        gold_key = normalize_name(gold_name)
        return normalize_name(predicted_name) in names.get(gold_key, {gold_key})

    head, tail = predicted["head"], predicted["tail"]
    if names_entity(head, gold["head"]) and names_entity(tail, gold["tail"]):
        return True
    return gold["relation"] == "partner_of" and (
        names_entity(tail, gold["head"]) and names_entity(head, gold["tail"])
    )
