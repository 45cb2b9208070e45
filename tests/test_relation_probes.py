"""The relation probes: short authored sentences, one behaviour each (every trigger family,
each status, lists, hard negatives), none of them training text. A probe passes when the
article's relations are exactly the expected ones, statuses included.

Issue 13 asks for 0.90; ``REQUIRED_ACCURACY`` is what the shipped pipeline reaches now,
so that no change lowers it (raise it with the pipeline)."""

import json
from collections import Counter
from pathlib import Path

import technews
from technews.matching import normalize_name, same_relation

PROBES = Path(__file__).parent / "fixtures" / "relation_probes.jsonl"
REQUIRED_ACCURACY = 0.70  # 282 of 397 (0.710) measured 8 December 2026; 0.506 before issue 13


def read_probes() -> list[dict]:
    return [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]


def names_of(expected: list[dict], entities: list[dict]) -> dict[str, set[str]]:
    """For each expected name, the predicted canonical names of the entities written so."""
    names: dict[str, set[str]] = {}
    for relation in expected:
        for name in (normalize_name(relation["head"]), normalize_name(relation["tail"])):
            names[name] = {name} | {
                normalize_name(e["canonical"])
                for e in entities
                if name in (normalize_name(e["text"]), normalize_name(e["canonical"]))
            }
    return names


def passes(probe: dict, record: dict) -> bool:
    expected = [dict(zip(("head", "relation", "tail", "status"), r, strict=True)) for r in probe["relations"]]
    names = names_of(expected, record["entities"])
    unmatched = list(expected)
    for relation in record["relations"]:
        match = next((e for e in unmatched if same_relation(e, relation, names)), None)
        if match is None or match["status"] != relation["status"]:
            return False
        unmatched.remove(match)
    return not unmatched


def test_the_probes_pass_at_the_required_accuracy(nlp):
    probes = read_probes()
    assert len(probes) >= 300 and len({p["id"] for p in probes}) == len(probes)
    passed, total = Counter(), Counter()
    for probe in probes:
        family = probe["behaviour"].split("/")[0]
        total[family] += 1
        passed[family] += passes(probe, technews.extract(probe["text"], nlp))
    accuracy = sum(passed.values()) / len(probes)
    report = ", ".join(f"{f} {passed[f]}/{total[f]}" for f in sorted(total))
    print(f"relation probes: {accuracy:.3f} ({report})")
    assert accuracy >= REQUIRED_ACCURACY, f"accuracy {accuracy:.3f} < {REQUIRED_ACCURACY} ({report})"
