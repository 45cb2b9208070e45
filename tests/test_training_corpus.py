"""Conversion of the training sources to ANNOTATION.md's labels."""

from technews.training.corpus import read_germeval, read_smartdata
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
