"""Sentences and entities by sentence, on text with and without full stops."""

import pytest

from technews.pipeline.doc_index import MAX_SENTENCE_TOKENS, DocIndex
from tests.conftest import tiny_pipeline

# News sentences joined by commas: one sentence of thousands of tokens.
PERIOD_LESS = "Xiaomi stellt das Mi 11 mit Leica vor, Huawei antwortet in Berlin, " * 300


@pytest.fixture(scope="module")
def nlp():
    return tiny_pipeline("technews_entities", "technews_canonical")


def test_an_overlong_sentence_counts_as_pieces_of_bounded_length_that_cover_it(nlp):
    doc = nlp(PERIOD_LESS)
    assert len(list(doc.sents)) == 1
    index = DocIndex.of(doc)
    assert max(len(sentence) for sentence in index.sentences) <= MAX_SENTENCE_TOKENS
    assert [s.start for s in index.sentences[1:]] == [s.end for s in index.sentences[:-1]]
    assert (index.sentences[0].start, index.sentences[-1].end) == (0, len(doc))
    # Cut after a comma, and never inside an entity.
    assert all(doc[s.end - 1].text == "," for s in index.sentences[:-1])
    assert all(index.sentence_of[e.start] == index.sentence_of[e.end - 1] for e in doc.ents)


def test_ordinary_sentences_are_kept_as_they_are(nlp):
    doc = nlp("Xiaomi stellt das Mi 11 vor. Leica liefert die Kamera, sagt Huawei.")
    index = DocIndex.of(doc)
    assert [s.text for s in index.sentences] == [s.text for s in doc.sents]
    assert [[e.text for e in ents] for ents in index.entities_by_sentence] == [
        ["Xiaomi"],
        ["Leica", "Huawei"],
    ]


def test_the_index_is_built_once_per_doc_and_shared_by_the_relation_components(monkeypatch):
    import technews.pipeline.doc_index as doc_index

    nlp = tiny_pipeline(
        "technews_entities", "technews_canonical", "technews_references", "technews_relations"
    )
    walks = []
    original = doc_index._pieces
    monkeypatch.setattr(doc_index, "_pieces", lambda sent: walks.append(sent) or original(sent))
    doc = nlp("Xiaomi stellt das Mi 11 vor. Leica liefert die Kamera, sagt Huawei.")
    assert len(walks) == 2  # each sentence walked once, by technews_references
    assert doc.user_data[doc_index.STORED_KEY]["sentences"] == [(s.start, s.end) for s in doc.sents]
    DocIndex.of(doc)
    assert len(walks) == 2


def test_a_stored_index_is_rebuilt_when_the_entities_change(nlp):
    doc = nlp("Xiaomi stellt das Mi 11 vor. Leica liefert die Kamera, sagt Huawei.")
    assert [e.text for e in DocIndex.of(doc).entities] == ["Xiaomi", "Leica", "Huawei"]
    doc.ents = [e for e in doc.ents if e.text != "Leica"]
    index = DocIndex.of(doc)
    assert [[e.text for e in ents] for ents in index.entities_by_sentence] == [["Xiaomi"], ["Huawei"]]
