"""The pipeline on entities given from outside (gold or another NER): relations between them."""

import pytest

import technews
from technews.errors import InvalidInputError

TEXT = (
    "Der Hersteller Brennwald stellt das Norda X3 Pro vor. "
    "Die Brennwald-Tochter Kargo Logistik liefert es aus."
)


def span(text, label, canonical=None, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    entity = {"start": start, "end": start + len(text), "label": label}
    return {**entity, "canonical": canonical} if canonical else entity


def test_the_given_entities_are_the_records_with_their_canonical_names(nlp):
    given = [
        span("Brennwald", "ORG", "Brennwald AG"),
        span("Norda X3 Pro", "PRODUCT"),
        span("Brennwald", "ORG", "Brennwald AG", occurrence=1),
        span("Kargo Logistik", "ORG"),
    ]
    record = technews.extract(TEXT, nlp, entities=given)
    assert [(e["start"], e["end"], e["label"]) for e in record["entities"]] == [
        (e["start"], e["end"], e["label"]) for e in given
    ]
    assert [e["canonical"] for e in record["entities"]] == [
        "Brennwald AG",
        "Norda X3 Pro",
        "Brennwald AG",
        "Kargo Logistik",
    ]
    relations = {(r["head"], r["relation"], r["tail"]) for r in record["relations"]}
    assert ("Kargo Logistik", "owned_by", "Brennwald AG") in relations


def test_an_entity_left_out_takes_no_part_in_a_relation(nlp):
    # Without Brennwald as an entity, neither the product nor the subsidiary has a maker or parent.
    given = [span("Norda X3 Pro", "PRODUCT"), span("Kargo Logistik", "ORG")]
    record = technews.extract(TEXT, nlp, entities=given)
    assert len(record["entities"]) == 2
    assert not record["relations"]


@pytest.mark.parametrize(
    ("entities", "message"),
    [
        ([{"start": 0, "end": 999, "label": "ORG"}], "outside the text"),
        ([span("Norda X3 Pro", "PRODUCT"), span("X3", "PRODUCT")], "overlap"),
        ([{"start": 0, "label": "ORG"}], "needs start, end and label"),
    ],
)
def test_bad_entities_are_refused_with_a_clear_error(nlp, entities, message):
    with pytest.raises(InvalidInputError, match=message):
        technews.extract(TEXT, nlp, entities=entities)
