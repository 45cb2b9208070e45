"""HTML to text for batch input: a whole web page's headline and main content (trafilatura),
HTML fragments as they are (html-text on lxml), and a flat reader for pages nested too deep.

A page saved from the web holds cookie banners, navigation, "Meistgelesen" lists and
footers besides its article: read as text, each adds names that the article never mentions.
trafilatura finds the main content and the headline (`<title>`, `og:title`, `<h1>`).

libxml2 stops building the tree at a fixed depth (2048 levels with its huge-tree option, 256
without) and drops everything inside, so a page nested deeper would lose its text silently.
Such a page is read instead as a stream of tags and text, which knows no depth.
"""

from __future__ import annotations

import logging
import re
from html import unescape
from html.parser import HTMLParser

import html_text
import lxml.etree
import lxml.html
import trafilatura

import technews

# Elements whose content is no text of the page.
HIDDEN_ELEMENTS = frozenset({"head", "script", "style", "template", "noscript", "title"})
# Elements that start a block of their own: a line break before and after.
BLOCK_ELEMENTS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header", "footer"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "figcaption", "hr"}
)


# A page without main content is no error here: html-text reads its body instead.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
WHOLE_PAGE = re.compile(r"<(html|body|head)[\s>]", re.IGNORECASE)
TITLE_ELEMENT = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def is_whole_page(html: str) -> bool:
    """A saved web page rather than a fragment of article HTML (a CMS body field)."""
    return WHOLE_PAGE.search(html[:100_000]) is not None


def page_text(html: str) -> tuple[str, str]:
    """The headline and the main text of a whole web page; where trafilatura finds no main
    content (a page with hardly any text, one nested too deep), the text of its body."""
    html = technews.LONE_SURROGATE.sub("\ufffd", html)
    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, with_metadata=True, deduplicate=False
    )
    title = " ".join((getattr(document, "title", None) or _title_element(html)).split())
    main = getattr(document, "text", None)
    # trafilatura puts each paragraph on a line; a blank line between them, as elsewhere.
    text = "\n\n".join(line for line in main.splitlines() if line.strip()) if main else html_to_text(html)
    if text.startswith(title):
        title = ""  # the main text opens with its headline
    return title, text


def _title_element(html: str) -> str:
    """The page's <title>, for a page trafilatura reads nothing from (a headline alone)."""
    found = TITLE_ELEMENT.search(html[:100_000])
    return unescape(found.group(1)) if found else ""


def html_to_text(html: str) -> str:
    """The text of a page's body (its <title> mostly repeats the headline).

    html-text (Zyte, on lxml): block elements become line breaks, paragraphs and headings
    blank lines, scripts and styles are dropped; fast and tolerant of broken markup.
    Lone surrogates become U+FFFD first, as in ``technews.prepare_text``: lxml takes UTF-8.
    """
    html = technews.LONE_SURROGATE.sub("\ufffd", html)
    parser = lxml.html.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    tree = lxml.etree.fromstring(html.strip().replace("\x00", "").encode("utf-8") or b"<html/>", parser)
    if tree is None or _too_deep(parser):
        return flat_text(html)
    body = tree.find("body")
    return html_text.extract_text(body if body is not None else tree)


def _too_deep(parser: lxml.etree.HTMLParser) -> bool:
    return any("Excessive depth" in error.message for error in parser.error_log)


def flat_text(html: str) -> str:
    """The page's text read tag by tag, in linear time and at any depth: hidden elements
    dropped, a line break around each block, runs of blank lines kept to one."""
    reader = _FlatTextReader()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


class _FlatTextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # how many hidden elements are open

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
