import pytest
import spacy

import technews.tokenizer  # noqa: F401  (registers technews.tokenizer.v1)


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("de", config={"nlp": {"tokenizer": {"@tokenizers": "technews.tokenizer.v1"}}})


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Leica-Kamera", ["Leica", "-", "Kamera"]),
        ("iPhone-Verkaufszahlen", ["iPhone", "-", "Verkaufszahlen"]),
        ("US-Restriktionen", ["US", "-", "Restriktionen"]),
        ("5G-Handy", ["5G", "-", "Handy"]),
    ],
)
def test_hyphenated_compounds_are_split(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens


def test_german_defaults_are_kept(nlp):
    assert [t.text for t in nlp("z.B. Xiaomis Gerät")] == ["z.B.", "Xiaomis", "Gerät"]


def test_no_character_is_lost(nlp):
    text = "Die Leica-Kamera\n\nim  Xiaomi 12 Ultra – für 1.299 Euro!"
    assert "".join(t.text_with_ws for t in nlp(text)) == text


def test_truncated_compound_hyphen_is_split(nlp):
    assert [t.text for t in nlp("Apple- und Google-Dienste")] == [
        "Apple",
        "-",
        "und",
        "Google",
        "-",
        "Dienste",
    ]
