"""Docs keep their relations and references through spaCy's serialisation and multiprocessing."""

import json
import pickle
from pathlib import Path

import pytest
from spacy.tokens import Doc, DocBin

import technews
from technews.output import doc_to_record
from technews.relation_types import Reference, Relation

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def texts(seed_text) -> list[str]:
    """The seed article and the bundled examples, as ``technews.extract`` reads them."""
    examples = [
        json.loads(line) for line in (EXAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    stories = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    return [seed_text, *stories, *(f"{e['title']}\n\n{e['text']}" for e in examples)]


@pytest.fixture(scope="module")
def expected(nlp, texts) -> list[dict]:
    records = [technews.extract(text, nlp) for text in texts]
    assert sum(len(r["relations"]) for r in records) >= 10  # a test with something to lose
    return records


def round_trips(nlp, doc: Doc) -> dict[str, Doc]:
    bin = DocBin(store_user_data=True)
    bin.add(doc)
    return {
        "to_bytes": Doc(nlp.vocab).from_bytes(doc.to_bytes()),
        "DocBin": next(DocBin().from_bytes(bin.to_bytes()).get_docs(nlp.vocab)),
        "pickle": pickle.loads(pickle.dumps(doc)),
    }


def test_records_survive_to_bytes_docbin_and_pickle(nlp, texts, expected):
    # doc.to_bytes() and pickle.dumps(doc) failed: "can not serialize 'Reference' object".
    for doc, record in zip(nlp.pipe(texts), expected, strict=True):
        for way, copy in round_trips(nlp, doc).items():
            assert doc_to_record(copy) == record, way
            assert copy._.references == doc._.references
            assert [r.as_row() for r in copy._.relations] == [r.as_row() for r in doc._.relations]


def test_two_processes_give_the_records_of_one(nlp, texts, expected):
    # nlp.pipe(texts, n_process=2) failed with E871.
    records = [doc_to_record(doc) for doc in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert records == expected


def test_relations_are_rebuilt_with_their_spans(nlp):
    doc = nlp("Apple übernimmt Beats. Beide Firmen arbeiten seit Jahren zusammen.")
    copy = pickle.loads(pickle.dumps(doc))
    relation = next(r for r in copy._.relations if r.relation == "owned_by")
    assert isinstance(relation, Relation) and relation.head.doc is copy
    assert (relation.head.text, relation.head.label_, relation.tail.text) == ("Beats", "ORG", "Apple")
    assert all(isinstance(r, Reference) for r in copy._.references)
    assert [copy[r.start : r.end].text for r in copy._.references] == ["Beide Firmen"]


def test_a_doc_the_pipeline_did_not_process_has_none():
    doc = technews.load().make_doc("Apple übernimmt Beats.")
    assert doc._.relations is None and doc._.references is None
