"""technews.render: entities with canonical names and relations in displaCy's views."""

import re

import pytest

import technews
from technews.errors import InvalidInputError

TEXT = (
    "Samsung stellt das Galaxy S24 mit dem Snapdragon-Chip von Qualcomm vor. "
    "Gerüchten zufolge will Sony den Spielehersteller Ubisoft kaufen. Apples Chef Tim Cook schweigt."
)
RENDER_ID = re.compile("[0-9a-f]{32}")  # displaCy's random id of each drawing


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(TEXT)


def test_entities_show_their_label_and_a_canonical_name_that_differs(doc):
    markup = technews.render(doc)
    assert markup.count('<mark class="entity"') == len(doc.ents)
    apples = next(ent for ent in doc.ents if ent.text == "Apples")
    assert apples._.canonical == "Apple"
    assert re.search(r"Apples\s*<span[^>]*>ORG\s*<a[^>]*>Apple</a>", markup)


def test_a_record_with_its_text_renders_as_its_doc(nlp, doc):
    record = technews.extract(TEXT, nlp)
    assert technews.render(record, text=TEXT) == technews.render(doc)
    arcs_of = lambda article: RENDER_ID.sub("ID", technews.render(article, style="rel"))  # noqa: E731
    assert arcs_of({**record, "text": TEXT}) == arcs_of(doc)


def test_relations_are_listed_beneath_the_text(doc):
    relations = technews.extract(TEXT)["relations"]
    assert relations
    markup = technews.render(doc)
    assert markup.count("<li>") == len(relations)
    for relation in relations:
        assert f"<b>{relation['head']}</b> <code>{relation['relation']}</code>" in markup


def test_rel_style_draws_an_arc_per_relation_within_its_sentence(doc):
    relations = technews.extract(TEXT)["relations"]
    markup = technews.render(doc, style="rel")
    assert markup.count('class="displacy-arc"') == len(relations)
    for relation in relations:
        label = relation["relation"] + ("" if relation["status"] == "current" else f" ({relation['status']})")
        assert f">{label}</textPath>" in markup


def test_names_are_escaped():
    text = "Die Firma <b>Acme</b> baut den Roboter."
    record = {
        "entities": [
            {"start": 9, "end": 20, "label": "ORG", "text": "<b>Acme</b>", "canonical": "<i>Acme</i>"}
        ],
        "relations": [],
    }
    markup = technews.render(record, text=text, page=True)
    assert "<b>" not in markup and "<i>" not in markup and "&lt;i&gt;Acme&lt;/i&gt;" in markup
    assert markup.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("article", "options", "message"),
    [
        ({"id": 1, "error": {"reason": "empty_text", "message": "x"}}, {}, "error record"),
        ({"entities": [], "relations": []}, {}, "no text"),
        ({"entities": [{"start": 0, "end": 50, "label": "ORG", "text": "x", "canonical": "x"}],
          "relations": []}, {"text": "kurz"}, "past the end"),
        ("Apple", {}, "Expected a Doc or a record"),
    ],
)  # fmt: skip
def test_what_cannot_be_rendered_says_why(article, options, message):
    with pytest.raises(InvalidInputError, match=message):
        technews.render(article, **options)


def test_an_unknown_style_is_refused(doc):
    with pytest.raises(ValueError, match="style must be one of ent, rel"):
        technews.render(doc, style="dep")
