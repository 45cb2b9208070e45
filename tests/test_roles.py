"""The company-or-product role (ANNOTATION.md rule 6) reads cues within the sentence."""

import pytest


def labels(nlp, text):
    return [(ent.text, ent.label_) for ent in nlp(text).ents]


def test_sentences_are_set_before_the_entity_rules_read_them(nlp):
    position = nlp.pipe_names.index
    assert position("technews_model_numbers") < position("sentencizer") < position("technews_entities")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Signal installieren viele.", [("Signal", "PRODUCT")]),
        # The verb opens the next sentence: no cue for the name before it.
        ("Kritik an Signal. Installiert wurde nichts.", [("Signal", "ORG")]),
        ("Mitarbeiter von WhatsApp protestieren. Nutzen will das niemand.", [("WhatsApp", "ORG")]),
    ],
)
def test_a_product_verb_counts_only_in_the_names_sentence(nlp, text, expected):
    assert labels(nlp, text) == expected
