"""Articles as read from a dump, and the one output record each of them yields.

An article either becomes a result record (``entities`` and ``relations``) or an
error record (``error``, naming the reason), never nothing: that is how a batch
run proves that no article was lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Why an article yielded no result; the `reason` of an error record.
EMPTY_TEXT = "empty_text"  # text (and title) empty or only white space
NOT_TEXT = "not_text"  # the text field holds no string (number, null, list), or the file is not UTF-8
MISSING_FIELD = "missing_field"  # the record has no text field (often a wrong --text-field)
BROKEN_LINE = "broken_line"  # a line, row or array item that cannot be parsed
TOO_LARGE = "too_large"  # a line, row, array item or file over --max-record-bytes
UNREADABLE_FILE = "unreadable_file"  # a file that cannot be opened, decompressed or parsed at all
MISSING_FILE = "missing_file"  # an input path or glob that names no file
NOT_FOLLOWED = "not_followed"  # a symbolic link in a folder or glob pointing outside it
PROCESSING_FAILED = "processing_failed"  # the pipeline raised on this article (a bug: please report)
OTHER_LANGUAGE = "other_language"  # not in a language --languages asks for; not processed
REASONS = (EMPTY_TEXT, OTHER_LANGUAGE, NOT_TEXT, MISSING_FIELD, BROKEN_LINE, TOO_LARGE, UNREADABLE_FILE,
           MISSING_FILE, NOT_FOLLOWED, PROCESSING_FAILED)  # fmt: skip

# Output keys technews writes itself; input fields of these names are not passed through.
RESERVED_FIELDS = frozenset({"id", "text", "entities", "relations", "error"})


class ArticleError(Exception):
    """Why one article cannot be processed, with the line (or item) where known."""

    def __init__(self, reason: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.line = line

    def as_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"reason": self.reason, "message": self.message}
        if self.line is not None:
            error["line"] = self.line
        return error


@dataclass
class Article:
    """One input article: its id, the fields passed through, and what is to be processed.

    ``text`` and ``title`` are the raw field values (validated when processed, so
    that a bad value becomes an error record); ``html`` says they are HTML.
    ``error`` is set when the article could not even be read.
    """

    id: Any
    fields: dict[str, Any] = field(default_factory=dict)
    text: Any = None
    title: Any = None
    html: bool = False
    error: ArticleError | None = None
    line: int | None = None  # where in its file the article starts, for line-based inputs


def result_record(
    article: Article, extracted: dict[str, Any], text: str | None = None, language: str | None = None
) -> dict[str, Any]:
    """The output of a processed article; ``text`` is the processed text, when it is kept;
    ``language`` that of an article found not to be German."""
    record = _identified(article, language)
    if text is not None:
        record["text"] = text
    record["entities"] = extracted["entities"]
    record["relations"] = extracted["relations"]
    return record


def error_record(article: Article, error: ArticleError, language: str | None = None) -> dict[str, Any]:
    if error.line is None and article.line is not None:
        error = ArticleError(error.reason, error.message, article.line)
    return {**_identified(article, language), "error": error.as_dict()}


def _identified(article: Article, language: str | None) -> dict[str, Any]:
    """What every record starts with: the id, the fields passed through, the language of
    an article found not to be German."""
    record = {"id": article.id, **article.fields}
    if language is not None:
        record["language"] = language
    return record


def is_error(record: dict[str, Any]) -> bool:
    return "error" in record
