"""The pipeline over a batch of articles: the one step every engine (local, processes, Dask) shares.

For each article: the text to process (title and text joined, HTML turned into
text), split into pieces when it is overlong, run through ``nlp.pipe`` inside a
memory zone, and turned into the same record ``technews.extract`` gives.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

import technews
from technews.batch.html import html_to_text, is_whole_page, page_text
from technews.batch.language import GERMAN, language_of
from technews.batch.records import (
    EMPTY_TEXT,
    NOT_TEXT,
    OTHER_LANGUAGE,
    PROCESSING_FAILED,
    Article,
    ArticleError,
    error_record,
    result_record,
)
from technews.errors import InvalidInputError
from technews.output import entities, merged_relations
from technews.relation_types import Relation

# Articles longer than this are processed in pieces: the NER's memory grows with
# the length of a doc, and a piece of this size still holds whole paragraphs.
MAX_CHARS = 100_000
TITLE_SEPARATOR = "\n\n"
SENTENCE_END = re.compile(r"[.!?…][\"'»«“”)]*\s")


@dataclass(frozen=True)
class ExtractOptions:
    """What every engine passes to the workers along with the articles."""

    max_chars: int = MAX_CHARS
    keep_text: bool = False  # add the processed text to every record (HTML input always has it)
    # Process only articles in these languages (ISO 639-1); None: all, those not German flagged.
    languages: frozenset[str] | None = None


DEFAULT_OPTIONS = ExtractOptions()


class Extracted(NamedTuple):
    record: dict[str, Any]
    words: int  # tokens processed, for the words-per-second figure
    language: str | None = None  # of an article found not to be German


class Findings(NamedTuple):
    """What one piece of an article holds, offsets into the whole article."""

    entities: list[dict[str, Any]]
    relations: list[Relation]  # mention level, merged per article at the end
    words: int


def processed_text(article: Article) -> str:
    """Title and text as the pipeline reads them: ``title + "\\n\\n" + text``, HTML as text;
    of a whole web page, its headline and main content (see ``technews.batch.html``)."""
    if article.html and isinstance(article.text, str) and is_whole_page(article.text):
        headline, text = page_text(article.text)
        title = _as_text(article.title, "title", article.html, required=False) or headline
    else:
        title = _as_text(article.title, "title", article.html, required=False)
        text = _as_text(article.text, "text", article.html, required=True)
    joined = TITLE_SEPARATOR.join(part for part in (title, text) if part.strip())
    try:
        return technews.prepare_text(joined)
    except InvalidInputError as error:
        raise ArticleError(EMPTY_TEXT, "the article's text is empty or only white space") from error


def _as_text(value: Any, name: str, html: bool, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        kind = "null" if value is None else type(value).__name__
        raise ArticleError(NOT_TEXT, f"the {name} is {kind}, not text")
    return html_to_text(value) if html and value.strip() else value


def split_text(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, str]]:
    """Pieces of at most ``max_chars`` characters with their offsets, cut between paragraphs,
    else lines, else sentences, else words; pieces joined give the text back."""
    pieces, start = [], 0
    while len(text) - start > max_chars:
        end = _cut(text, start, start + max_chars)
        pieces.append((start, text[start:end]))
        start = end
    pieces.append((start, text[start:]))
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    for separator in ("\n\n", "\n"):
        found = text.rfind(separator, start + 1, limit)
        if found > start:
            return found + len(separator)
    window = text[start:limit]
    for pattern in (SENTENCE_END, re.compile(r"\s")):
        ends = [match.end() for match in pattern.finditer(window)]
        if ends:
            return start + ends[-1]
    return limit


def extract_articles(
    nlp: Language, articles: list[Article], options: ExtractOptions = DEFAULT_OPTIONS
) -> list[Extracted]:
    """One record per article, in order: a result or an error record, never an exception."""
    try:
        return _extract_together(nlp, articles, options)
    except Exception:  # a pipeline bug on one article must not cost the others
        return [_extract_alone(nlp, article, options) for article in articles]


def _extract_alone(nlp: Language, article: Article, options: ExtractOptions) -> Extracted:
    try:
        return _extract_together(nlp, [article], options)[0]
    except Exception as error:
        failure = ArticleError(PROCESSING_FAILED, f"{type(error).__name__}: {error}")
        return Extracted(error_record(article, failure), 0)


def _extract_together(nlp: Language, articles: list[Article], options: ExtractOptions) -> list[Extracted]:
    outcomes: dict[int, Extracted] = {}
    texts: dict[int, str] = {}
    pieces: list[tuple[str, tuple[int, int]]] = []
    foreign: dict[int, str] = {}  # the language of articles that are not German
    for index, article in enumerate(articles):
        try:
            if article.error is not None:
                raise article.error
            texts[index] = processed_text(article)
            language = language_of(texts[index])
            if language not in (None, GERMAN):
                foreign[index] = language
            _check_language(language, options.languages)
        except ArticleError as error:
            texts.pop(index, None)
            language = foreign.get(index)
            outcomes[index] = Extracted(error_record(article, error, language), 0, language)
            continue
        pieces += [(piece, (index, offset)) for offset, piece in split_text(texts[index], options.max_chars)]
    nlp.max_length = max(nlp.max_length, options.max_chars + 1)
    parts: dict[int, list[Findings]] = defaultdict(list)
    # Strings and lexemes the docs add are freed when the zone ends: memory stays flat
    # however many articles pass. Nothing of a doc may be used after it: records are plain data.
    with nlp.memory_zone():
        for doc, (index, offset) in nlp.pipe(pieces, as_tuples=True):
            parts[index].append(_shifted(doc, offset))
            doc.user_data.clear()  # the doc's findings, already made plain data
        for index, text in texts.items():
            article = articles[index]
            kept = text if options.keep_text or article.html else None
            language = foreign.get(index)
            record = result_record(article, _merged(parts[index]), kept, language)
            outcomes[index] = Extracted(record, sum(piece.words for piece in parts[index]), language)
    return [outcomes[index] for index in range(len(articles))]


def _check_language(language: str | None, wanted: frozenset[str] | None) -> None:
    """An article whose language is not asked for is an error record; one too short to
    tell counts as German."""
    if wanted is not None and (language or GERMAN) not in wanted:
        message = f"the article is in {language}, not in {', '.join(sorted(wanted))} (--languages)"
        raise ArticleError(OTHER_LANGUAGE, message)


def _shifted(doc: Doc, offset: int) -> Findings:
    """A piece's entities and mention-level relations, offsets into the whole text."""
    found = entities(doc)
    for entity in found:
        entity["start"] += offset
        entity["end"] += offset
    relations = [
        dataclasses.replace(r, evidence=(r.evidence[0] + offset, r.evidence[1] + offset))
        for r in doc._.relations or []
    ]
    return Findings(found, relations, len(doc))


def _merged(pieces: list[Findings]) -> dict[str, Any]:
    """The pieces as one article: entities in order; relations merged per pair and type over
    all pieces, exactly as ``technews.extract`` merges them within one doc."""
    found = [entity for piece in pieces for entity in piece.entities]
    relations = [relation for piece in pieces for relation in piece.relations]
    return {"entities": found, "relations": merged_relations(relations, {e["canonical"] for e in found})}


# One pipeline per process (a worker of the local pool or of a Dask cluster), behind
# a lock: two threads' memory zones on one vocabulary would free each other's strings.
_PIPELINE_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _cached_pipeline(model: str | None) -> Language:
    return technews.load(model)


def extract_in_process(
    articles: list[Article], model: str | None = None, options: ExtractOptions = DEFAULT_OPTIONS
) -> list[Extracted]:
    """``extract_articles`` with the pipeline at ``model`` (default: the shipped one),
    loaded once per process: the task every worker process runs."""
    with _PIPELINE_LOCK:
        return extract_articles(_cached_pipeline(model), articles, options)
