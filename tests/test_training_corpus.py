"""Conversion of the training sources to ANNOTATION.md's labels."""

import json

import pytest

from technews.training.corpus import (
    germeval_spans,
    read_germeval,
    read_smartdata,
    read_smartdata_products,
    read_span_decisions,
)
from technews.training.train import blank_pipeline, to_doc
from tests.conftest import FIXTURES

DATA = FIXTURES / "training"


def spans(item):
    return [(item.text[s:e], label) for s, e, label in item.entities]


def test_germeval_labels_parts_and_missing_products():
    first, second = read_germeval(DATA / "germeval.tsv")
    assert spans(first) == [("Apple", "ORG"), ("Deutschland", "LOC"), ("Tim Cook", "PER")]
    assert [first.text[s:e] for s, e in first.missing] == ["Nokia 3500"]  # OTH: label unknown
    assert spans(second) == []  # fused `Applefans` is no entity (rule 4)


def test_germeval_spans_are_keyed_by_file_sentence_and_first_token():
    spans = [(span.key, span.tag, span.surface) for span in germeval_spans(DATA / "germeval.tsv")]
    assert spans == [
        ("germeval:1:1", "ORGpart", "Apple-Fans"),
        ("germeval:1:3", "LOC", "Deutschland"),
        ("germeval:1:6", "OTH", "Nokia 3500"),
        ("germeval:1:9", "PER", "Tim Cook"),
        ("germeval:1:12", "LOCderiv", "deutschen"),
        ("germeval:2:1", "ORGpart", "Applefans"),
    ]


@pytest.mark.parametrize(("label", "entities"), [("PRODUCT", [("Nokia 3500", "PRODUCT")]), (None, [])])
def test_germeval_takes_the_annotators_decision_on_a_span(tmp_path, label, entities):
    (tmp_path / "decisions.jsonl").write_text(json.dumps({"id": "germeval:1:6", "label": label}) + "\n")
    first, _ = read_germeval(DATA / "germeval.tsv", read_span_decisions(tmp_path))
    assert [s for s in spans(first) if s[0] == "Nokia 3500"] == entities
    assert first.missing == []  # decided: taught as an entity or as none


def test_a_decision_outside_the_guidelines_labels_is_an_error(tmp_path):
    (tmp_path / "decisions.jsonl").write_text(json.dumps({"id": "germeval:1:6", "label": "OTH"}) + "\n")
    with pytest.raises(ValueError, match=r"decisions\.jsonl:1: label 'OTH'"):
        read_span_decisions(tmp_path)


def test_smartdata_maps_types_and_leaves_nominal_mentions_missing():
    first, second = read_smartdata(DATA / "smartdata.json.gz", lambda word: word == "Gruppe")
    assert spans(first) == [("Lufthansa", "ORG"), ("Brussels Airlines", "ORG"), ("Brüssel", "LOC")]
    assert [first.text[s:e] for s, e in first.missing] == ["Gruppe", "Hauptstraße 5"]
    assert spans(second) == [("Carsten Spohr", "PER")]


def test_docs_keep_missing_tokens_unlabelled():
    (item, _) = read_germeval(DATA / "germeval.tsv")
    doc = to_doc(blank_pipeline(), item)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Apple", "ORG"),
        ("Deutschland", "LOC"),
        ("Tim Cook", "PER"),
    ]
    nokia = next(t for t in doc if t.text == "Nokia")
    assert nokia.ent_iob_ == ""  # missing, not outside
    assert doc[1].ent_iob_ == "O"  # the hyphen after Apple is outside


def test_swapped_names_keep_offsets_genitives_and_consistency():
    import random

    from technews.training.corpus import Annotated, swap_names

    text = "Apple zeigt das iPhone. Apples Chef Tim Cook lobt Apple."
    item = Annotated(
        text, [(0, 5, "ORG"), (16, 22, "PRODUCT"), (24, 30, "ORG"), (36, 44, "PER"), (50, 55, "ORG")]
    )
    (copy,) = swap_names([item], {"ORG": ["Zorblatt"], "PRODUCT": ["Q-Phone 7"]}, random.Random(0))
    assert copy.text == "Zorblatt zeigt das Q-Phone 7. Zorblatts Chef Tim Cook lobt Zorblatt."
    assert spans(copy) == [
        ("Zorblatt", "ORG"),
        ("Q-Phone 7", "PRODUCT"),
        ("Zorblatts", "ORG"),
        ("Tim Cook", "PER"),
        ("Zorblatt", "ORG"),
    ]


def test_smartdata_products_replace_the_spans_they_overlap():
    first, _ = read_smartdata(DATA / "smartdata.json.gz", lambda word: word == "Gruppe")
    start = first.text.index("Brussels Airlines")
    # As if annotators had read the airline as a product here: SmartData's ORG gives way.
    products = {"smartdata:0": [(start, start + len("Brussels"))]}
    first, second = read_smartdata(DATA / "smartdata.json.gz", lambda word: word == "Gruppe", products)
    assert spans(first) == [("Lufthansa", "ORG"), ("Brussels", "PRODUCT"), ("Brüssel", "LOC")]
    assert spans(second) == [("Carsten Spohr", "PER")]


def test_smartdata_products_are_checked_against_the_text(tmp_path):
    texts = {"train:3": "Maserati zeigt den Levante in Genf."}
    entity = {"start": 19, "end": 26, "text": "Levante", "label": "PRODUCT", "canonical": "Maserati Levante"}
    (tmp_path / "products_chunk_1.jsonl").write_text(
        json.dumps({"id": "train:3", "entities": [entity]}) + "\n"
    )
    assert read_smartdata_products(tmp_path, texts) == {"train:3": [(19, 26)]}
    with pytest.raises(ValueError, match="no 'Levante' at 19"):
        read_smartdata_products(tmp_path, {"train:3": "Maserati zeigt den Ghibli in Genf."})
