"""technews_name_features: what the knowledge base says of each token, and its embedding."""

from __future__ import annotations

import pickle

import spacy
from spacy.tokens import Doc

from technews.pipeline.name_features import EVERYDAY_NOUN, ORG, PLACE, PRODUCT, build_name_feature_embed
from tests.conftest import tiny_pipeline


def features_by_token(doc: Doc) -> dict[str, int]:
    return {token.text: feature for token, feature in zip(doc, doc._.name_features, strict=True)}


def test_tokens_of_known_names_carry_their_tables():
    nlp = tiny_pipeline("technews_name_features")
    doc = nlp("Xiaomis Mitarbeiter posten auf WhatsApp aus Wien.")
    features = features_by_token(doc)
    assert features["Xiaomis"] & ORG
    assert features["WhatsApp"] & PRODUCT and not features["WhatsApp"] & ORG
    assert features["Wien"] & PLACE
    assert features["posten"] == 0 and features["aus"] == 0


def test_inflected_everyday_nouns_are_marked_and_names_that_are_no_nouns_are_not():
    nlp = tiny_pipeline("technews_name_features")
    features = features_by_token(nlp("Das dritte Hilfspaket und die Förderungen erwähnt Xiaomi."))
    assert features["Hilfspaket"] & EVERYDAY_NOUN and features["Förderungen"] & EVERYDAY_NOUN
    assert not features["Xiaomi"] & EVERYDAY_NOUN


def test_the_features_survive_pickling_and_bytes():
    nlp = tiny_pipeline("technews_name_features")
    doc = nlp("Leica und Xiaomi in Wien")
    assert pickle.loads(pickle.dumps(doc))._.name_features == doc._.name_features
    assert Doc(nlp.vocab).from_bytes(doc.to_bytes())._.name_features == doc._.name_features


def test_the_embedding_reads_the_features_and_tolerates_docs_without_them():
    nlp = tiny_pipeline("technews_name_features")
    with_features = nlp("Leica baut Kameras in Wetzlar")
    without = spacy.blank("de")("Leica baut Kameras in Wetzlar")
    model = build_name_feature_embed(width=8, rows=[50, 20, 20, 20], feature_width=4)
    model.initialize(X=[with_features])
    vectors = model.predict([with_features, without])
    assert [v.shape for v in vectors] == [(5, 8), (5, 8)]
    assert not (vectors[0][0] == vectors[1][0]).all()  # Leica's known-name bit changes its vector
