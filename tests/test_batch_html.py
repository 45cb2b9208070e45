"""HTML to text for batch input: pages of any depth, any Unicode."""

import pytest

from technews.batch.extraction import extract_articles
from technews.batch.html import html_to_text
from technews.batch.records import Article


def nested(depth: int, inner: str) -> str:
    head = "<html><head><title>Titel</title></head><body>"
    return f"{head}{'<div>' * depth}{inner}{'</div>' * depth}</body></html>"


@pytest.mark.parametrize("depth", [10, 300, 3000, 50_000])
def test_a_page_nested_at_any_depth_keeps_its_text(depth):
    # lxml stops at 256 levels (2048 with huge_tree) and once dropped everything inside.
    page = nested(depth, "<p>Apple zeigt das iPhone.</p><script>var x;</script><p>Samsung folgt.</p>")
    text = html_to_text(page)
    assert text.split() == ["Apple", "zeigt", "das", "iPhone.", "Samsung", "folgt."]


def test_a_lone_surrogate_in_html_is_replaced_not_a_failure(nlp):
    # lxml takes UTF-8, which a lone surrogate cannot be written in (UnicodeEncodeError).
    (record,) = [
        e.record
        for e in extract_articles(nlp, [Article(id="x", text="<p>Apple \ud800 kauft Beats.</p>", html=True)])
    ]
    assert "error" not in record and record["text"] == "Apple \ufffd kauft Beats."
    assert [e["text"] for e in record["entities"]] == ["Apple", "Beats"]
