"""The pipeline over a batch: the same records as technews.extract, overlong articles in pieces,
error records instead of exceptions, flat memory."""

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import technews
from technews.batch.extraction import ExtractOptions, extract_articles, processed_text, split_text
from technews.batch.html import html_to_text
from technews.batch.readers import read_articles
from technews.batch.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
PARAGRAPHS = [
    "Der Markt für Kopfhörer wächst weiter, vor allem bei kabellosen Modellen.",
    "Analysten erwarten im kommenden Jahr ein Plus von rund zehn Prozent.",
    "Die Preise dürften dabei leicht sinken, heißt es aus dem Handel.",
]


def records(nlp: Language, articles: list[Article], **options) -> list[dict]:
    return [extracted.record for extracted in extract_articles(nlp, articles, ExtractOptions(**options))]


def processed(value: dict) -> str:
    return "\n\n".join(part for part in (value.get("title"), value["text"]) if part)


def test_records_equal_technews_extract_of_title_and_text(nlp):
    lines = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    values = [json.loads(line) for line in lines]
    results = records(nlp, list(read_articles([str(FIXTURES / "articles.jsonl")])))
    for value, record in zip(values, results, strict=True):
        expected = technews.extract(processed(value), nlp)
        assert record["entities"] == expected["entities"]
        assert record["relations"] == expected["relations"]
        passed = {k: v for k, v in value.items() if k not in ("id", "title", "text")}
        assert {k: v for k, v in record.items() if k not in ("id", "entities", "relations")} == passed


def test_offsets_index_into_title_blank_line_text(nlp):
    article = Article(id="a", title="Apple kauft Beats", text="Samsung stellt das Galaxy S24 vor.")
    (record,) = records(nlp, [article], keep_text=True)
    assert record["text"] == "Apple kauft Beats\n\nSamsung stellt das Galaxy S24 vor."
    assert [record["text"][e["start"] : e["end"]] for e in record["entities"]] == [
        e["text"] for e in record["entities"]
    ]
    assert {e["text"] for e in record["entities"]} >= {"Apple", "Beats", "Samsung", "Galaxy S24"}


def test_text_is_kept_only_when_asked(nlp):
    (record,) = records(nlp, [Article(id="a", text="Apple kauft Beats.")])
    assert "text" not in record


@pytest.mark.parametrize(
    ("text", "title", "reason"),
    [("", None, "empty_text"), (" \n\t", None, "empty_text"), (42, None, "not_text"),
     (None, None, "not_text"), (["Apple"], None, "not_text"), ("Apple kauft Beats.", 7, "not_text")],
)  # fmt: skip
def test_bad_text_gives_an_error_record(nlp, text, title, reason):
    (record,) = records(nlp, [Article(id="x", text=text, title=title, fields={"source": "cms"})])
    assert record["error"]["reason"] == reason
    assert record["id"] == "x" and record["source"] == "cms"
    assert "entities" not in record and "relations" not in record


def test_a_title_alone_is_processed(nlp):
    (record,) = records(nlp, [Article(id="x", title="Apple kauft Beats", text="")])
    assert [e["text"] for e in record["entities"]] == ["Apple", "Beats"]


def test_html_records_carry_the_text_their_offsets_index(nlp):
    articles = list(read_articles([str(FIXTURES / "html")]))
    for article, record in zip(articles, records(nlp, articles), strict=True):
        text = processed_text(article)
        assert record["text"] == text and "<" not in text
        expected = technews.extract(text, nlp)
        assert (record["entities"], record["relations"]) == (expected["entities"], expected["relations"])
    assert any(e["text"] == "Mate 40 Pro" for e in records(nlp, articles[:1])[0]["entities"])


CLUTTERED_PAGE = """<!DOCTYPE html><html lang="de"><head><title>Apple kauft Beats | Techseite</title></head>
<body><div class="consent">Wir und unsere Partner wie Google und Facebook verwenden Cookies.
<button>Alle akzeptieren</button></div>
<nav><a href="/">Start</a> <a href="/web">Web</a> <a href="/t/samsung">Samsung</a>
<a href="/t/xbox">Xbox</a></nav>
<main><article><h1>Apple kauft Beats</h1>
<p>Apple hat den Kopfhörerhersteller Beats für drei Milliarden Dollar übernommen, bestätigte Tim Cook
am Mittwoch in Cupertino. Beats soll als eigene Marke bestehen bleiben.</p>
<p>Die Übernahme ist die größte in der Firmengeschichte; Analysten erwarten neue Kopfhörer noch im Herbst.</p>
</article></main>
<aside><h3>Meistgelesen</h3><ul><li><a href="/a">Microsoft zeigt Windows 12</a></li>
<li><a href="/b">Tesla ruft das Model 3 zurück</a></li></ul></aside>
<footer>© 2026 Techseite GmbH · Impressum · Datenschutz · Kontakt</footer></body></html>"""


def test_a_saved_web_page_yields_its_article_and_none_of_the_clutter_around_it(nlp):
    (record,) = records(nlp, [Article(id="page", text=CLUTTERED_PAGE, html=True)])
    names = {e["text"] for e in record["entities"]}
    assert {"Apple", "Beats", "Tim Cook", "Cupertino"} <= names
    assert not names & {
        "Google",
        "Facebook",
        "Samsung",
        "Xbox",
        "Microsoft",
        "Windows 12",
        "Tesla",
        "Model 3",
    }
    assert {(r["head"], r["relation"], r["tail"]) for r in record["relations"]} == {
        ("Beats", "owned_by", "Apple")
    }
    assert record["text"].startswith("Apple kauft Beats\n\n")


def test_a_page_with_only_a_headline_keeps_it():
    page = "<html><head><title>Huawei zeigt das Mate 40 Pro</title></head><body></body></html>"
    assert processed_text(Article(id="p", text=page, html=True)) == "Huawei zeigt das Mate 40 Pro"


def test_html_drops_scripts_and_separates_blocks():
    text = html_to_text("<body><h1>Apple</h1><script>var x;</script><p>kauft <b>Beats</b>.</p></body>")
    assert text == "Apple\n\nkauft Beats."


def test_split_text_cuts_between_paragraphs_and_gives_the_text_back():
    text = "\n\n".join(PARAGRAPHS * 40)
    pieces = split_text(text, 1000)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])


def test_split_text_falls_back_to_sentences_words_and_hard_cuts():
    sentences = " ".join(PARAGRAPHS * 30)
    assert all(p.endswith(". ") for _, p in split_text(sentences, 500)[:-1])
    words = "Wort " * 500
    assert all(p.endswith(" ") for _, p in split_text(words, 99)[:-1])
    assert [len(p) for _, p in split_text("x" * 250, 100)] == [100, 100, 50]


def test_overlong_article_is_processed_in_pieces_with_offsets_into_the_whole(nlp):
    filler = "\n\n".join(PARAGRAPHS * 60)  # about 12,000 characters
    text = f"Apple kauft Beats.\n\n{filler}\n\nSamsung stellt das Galaxy S24 vor. Apple kauft Beats."
    assert len(split_text(text, 2000)) > 5
    (record,) = records(nlp, [Article(id="long", text=text)], max_chars=2000)
    # Paragraphs are analysed one by one, so the pieces give what the whole text gives.
    assert record["entities"] == technews.extract(text, nlp)["entities"]
    last = [e for e in record["entities"] if e["text"] == "Galaxy S24"]
    assert last and last[0]["start"] > 12_000 and text[last[0]["start"] : last[0]["end"]] == "Galaxy S24"
    relations = {(r["head"], r["relation"], r["tail"]): r for r in record["relations"]}
    made_by = relations[("Galaxy S24", "made_by", "Samsung")]
    assert "Galaxy S24" in text[made_by["evidence"]["start"] : made_by["evidence"]["end"]]
    # Beats owned_by Apple, found in the first and the last piece, is one relation.
    assert sum(1 for key in relations if key[1] == "owned_by") == 1
    assert record["relations"] == technews.extract(text, nlp)["relations"]


@Language.component("batch_test_explodes")
def explodes(doc):
    if "BOOM" in doc.text:
        raise RuntimeError("the component failed")
    return doc


def test_a_pipeline_error_costs_only_its_article():
    nlp = spacy.blank("de")
    nlp.add_pipe("batch_test_explodes")
    articles = [Article(id=i, text=t) for i, t in enumerate(["Apple kauft Beats.", "BOOM", "Samsung."])]
    results = records(nlp, articles)
    assert [r.get("error", {}).get("reason") for r in results] == [None, "processing_failed", None]
    assert "the component failed" in results[1]["error"]["message"]


def test_memory_zone_keeps_the_vocabulary_from_growing(nlp):
    def batch(start: int) -> list[Article]:
        return [Article(id=n, text=f"Apple kauft Xq{n}z für {n} Euro.") for n in range(start, start + 50)]

    records(nlp, batch(0))
    strings = len(nlp.vocab.strings)
    records(nlp, batch(1000))  # 100 words never seen before
    assert len(nlp.vocab.strings) == strings
