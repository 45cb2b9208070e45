"""The library API: technews.load() and technews.extract()."""

import json
import subprocess
import sys

import pytest

import technews
from technews import InvalidInputError, ModelNotFoundError, TechnewsError


def test_extract_returns_the_annotation_format(nlp):
    result = technews.extract("Huawei zeigt das Mate 40 Pro in Deutschland.", nlp)
    assert result["entities"] == [
        {"start": 0, "end": 6, "label": "ORG", "text": "Huawei", "canonical": "Huawei"},
        {"start": 17, "end": 28, "label": "PRODUCT", "text": "Mate 40 Pro", "canonical": "Mate 40 Pro"},
        {"start": 32, "end": 43, "label": "LOC", "text": "Deutschland", "canonical": "Deutschland"},
    ]
    (relation,) = result["relations"]
    assert relation["head"] == "Mate 40 Pro" and relation["tail"] == "Huawei"
    assert relation["relation"] == "made_by" and relation["status"] == "current"
    assert relation["evidence"] == {"start": 0, "end": 44}


def test_load_gives_a_spacy_pipeline_with_the_extensions(nlp):
    doc = nlp("Xiaomi arbeitet mit Leica zusammen.")
    assert [ent._.canonical for ent in doc.ents] == ["Xiaomi", "Leica"]
    assert doc._.relations[0].relation == "partner_of"


@pytest.mark.parametrize("bad", [None, 42, b"Xiaomi", ["Xiaomi"], "", "   \n\t "])
def test_bad_input_is_a_technews_error(nlp, bad):
    with pytest.raises(InvalidInputError):
        technews.extract(bad, nlp)


def test_errors_share_one_base_class():
    assert issubclass(InvalidInputError, TechnewsError)
    assert issubclass(ModelNotFoundError, TechnewsError)


def test_load_of_a_missing_pipeline_says_where(tmp_path):
    with pytest.raises(ModelNotFoundError, match=str(tmp_path)):
        technews.load(tmp_path)


def test_any_unicode_keeps_offsets_right(nlp):
    text = "🚀 Xiaomi (小米) zeigt das Xiaomi 12 Ultra – ‏مرحبا‎ e\u0301 \ud83d Leica."
    result = technews.extract(text, nlp)
    assert [e["text"] for e in result["entities"]] == ["Xiaomi", "Xiaomi 12 Ultra", "Leica"]
    for entity in result["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]


@pytest.mark.slow
def test_text_longer_than_spacys_default_limit(nlp):
    text = "Huawei zeigt das Mate 40 Pro. " * 40_000  # 1.2 million characters
    result = technews.extract(text, nlp)
    assert len(result["entities"]) == 80_000
    assert result["entities"][-1]["end"] == len(text) - 2


def test_plain_spacy_loads_the_shipped_pipeline_through_entry_points():
    code = (
        "import json, spacy, sys; "
        "nlp = spacy.load(sys.argv[1]); "
        "doc = nlp('Apple-Chef Tim Cook zeigt das iPhone 15.'); "
        "print(json.dumps([(e.text, e.label_) for e in doc.ents]))"
    )
    path = str(technews.default_model_path())
    output = subprocess.run(
        [sys.executable, "-c", code, path], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(output) == [["Apple", "ORG"], ["Tim Cook", "PER"], ["iPhone 15", "PRODUCT"]]


def test_a_name_repeated_as_the_last_word_of_the_text_is_found_without_a_crash(nlp):
    # `Nadella Smith` makes a two-word name starting with `Nadella`; looking for it at the
    # last token once sliced past the end of the doc (IndexError E035).
    text = "Konzernchef Satya Nadella sprach. Nadella Smith widersprach. Foto: Nadella"
    entities = technews.extract(text, nlp)["entities"]
    assert entities[-1]["text"] == "Nadella" and entities[-1]["end"] == len(text)


@pytest.mark.parametrize("separator", ["\u2029", "\r\n", "\n\n  ", "\u2028\u2028"])
def test_no_entity_starts_or_ends_with_white_space_or_a_line_separator(nlp, separator):
    # The trained model reads a line break after a short capitalised word into its name.
    text = f"Samsung zeigt das Galaxy S24 in Berlin.{separator} ID{separator}"
    found = technews.extract(text, nlp)["entities"]
    assert {"Samsung", "Galaxy S24"} <= {entity["text"] for entity in found}
    for entity in found:
        assert entity["text"] == text[entity["start"] : entity["end"]]
        assert entity["text"].strip() == entity["text"] != ""
