"""Articles that are not German are flagged, or left out when --languages asks."""

import json

import pytest
from typer.testing import CliRunner

from technews.batch.extraction import ExtractOptions, extract_articles
from technews.batch.language import language_of
from technews.batch.records import Article
from technews.cli import app

GERMAN = (
    "Apple hat den Kopfhörerhersteller Beats übernommen. Das bestätigte Tim Cook am Mittwoch in Cupertino."
)
ENGLISH = (
    "Apple has acquired the headphone maker Beats, Tim Cook confirmed on Wednesday in Cupertino, California."
)
FRENCH = (
    "Apple a racheté le fabricant de casques Beats, a confirmé Tim Cook mercredi à Cupertino en Californie."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [(GERMAN, "de"), (ENGLISH, "en"), (FRENCH, "fr"), ("Samsung Galaxy S24 Ultra", None)],
)
def test_the_language_of_an_article_or_none_for_too_little_text(text, language):
    assert language_of(text) == language


def test_an_english_article_is_processed_and_flagged(nlp):
    german, english = extract_articles(nlp, [Article(id="de", text=GERMAN), Article(id="en", text=ENGLISH)])
    assert "language" not in german.record and german.language is None
    assert english.record["language"] == "en" and english.language == "en"
    assert {"Apple", "Beats"} <= {e["text"] for e in english.record["entities"]}


def test_languages_leaves_out_the_others_as_error_records(nlp):
    options = ExtractOptions(languages=frozenset({"de"}))
    german, english, short = extract_articles(
        nlp,
        [Article(id="de", text=GERMAN), Article(id="en", text=ENGLISH), Article(id="s", text="Xiaomi 12")],
        options,
    )
    assert "entities" in german.record and "entities" in short.record  # too short to tell: German
    assert english.record["error"]["reason"] == "other_language" and english.record["language"] == "en"


def test_the_batch_summary_warns_of_articles_not_in_german(tmp_path):
    dump = tmp_path / "dump.jsonl"
    lines = [{"id": "de", "text": GERMAN}, {"id": "en", "text": ENGLISH}, {"id": "fr", "text": FRENCH}]
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(dump), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0
    assert "2 articles are not in German (en 1, fr 1)" in result.output
    assert CliRunner().invoke(app, ["batch", str(dump), "-o", "-", "--languages", "deutsch"]).exit_code == 2
