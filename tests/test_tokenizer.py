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


@pytest.mark.parametrize(
    "text",
    [
        "Der Umsatz " + "–" * 5000 + " stieg.",
        "Er sagte " + "„" * 5000 + "Apple" + "»" * 5000 + ".",
        "Vorab" + "—" * 5000 + "Nachricht",
    ],
)
def test_a_run_of_punctuation_is_one_token(nlp, text):
    """Stripping such a run one character per step is quadratic in its length."""
    doc = nlp(text)
    assert len(doc) <= 8
    assert doc.text == text


def test_short_punctuation_runs_tokenize_as_before(nlp):
    assert [t.text for t in nlp("Wie bitte?! Nun...")] == ["Wie", "bitte", "?", "!", "Nun", "..."]


def test_the_saved_pipeline_loads_with_the_run_rule():
    """A saved `tokenizer` file holds its old patterns; loading must not bring them back."""
    import technews

    assert len(technews.load().make_doc("Er sagte " + "„" * 3000 + "Apple.")) <= 5
