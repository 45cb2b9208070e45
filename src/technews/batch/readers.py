"""Articles from dumps: JSON Lines, JSON arrays, CSV, TSV, text and HTML files, folders, globs, stdin.

Compression (gzip, bz2, xz, zstd) is recognised by the first bytes of a file, never
by its name. Everything is streamed: a dump of any size is read one article at a
time, and no record (line, array item, row or file) over ``max_record_bytes`` is held in
memory, so a decompression bomb costs time, not memory. Whatever cannot be read becomes an
article carrying an error, so that it still yields its one (error) record; after a broken
array item or CSV row, reading goes on with the next.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

import ijson
import zstandard

from technews.batch.json_array import array_items
from technews.batch.paths import format_from_name, input_files
from technews.batch.records import (
    BROKEN_LINE,
    MISSING_FIELD,
    NOT_TEXT,
    RESERVED_FIELDS,
    TOO_LARGE,
    UNREADABLE_FILE,
    Article,
    ArticleError,
)

MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))
INPUT_FORMATS = ("jsonl", "json", "csv", "tsv", "txt", "html")
STDIN = "<stdin>"
READ_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError)
UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
HTML_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)
MAX_RECORD_BYTES = 10 * 2**20  # one line, array item, CSV row or file; 100 pieces of --max-chars
SKIP_PIECE = 2**20  # what is read at a time of a record over the limit

# Articles are long: lift the csv module's 128 KiB limit on one field.
csv.field_size_limit(2**31 - 1)
# What spreadsheets export as CSV: German ones separate by semicolons (the comma is the
# decimal mark there).
CSV_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class FieldMapping:
    """Which input fields hold the id, the text and the title (everything else passes
    through), and how text inputs are decoded."""

    id_field: str = "id"
    text_field: str = "text"
    title_field: str | None = "title"
    html: bool = False  # text and title fields hold HTML (HTML files always do)
    csv_delimiter: str | None = None  # of CSV files; None: read from the header line
    # Where the articles sit in a JSON document that wraps them (`articles`, `data.items`).
    records_path: str | None = None
    encoding: str | None = None  # of CSV, TSV and text files; None: UTF-8 (with or without BOM)


Reader = Callable[[BinaryIO, str, FieldMapping, int], Iterator[Article]]


def read_articles(
    inputs: list[str],
    mapping: FieldMapping = FieldMapping(),
    input_format: str | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    follow_symlinks: bool = False,
) -> Iterator[Article]:
    """Every article of every input (paths, folders, globs, ``-``), in order; a record over
    ``max_record_bytes`` is a ``too_large`` error, skipped without being held in memory.
    Symbolic links inside folders and globs are followed as ``technews.batch.paths`` says."""
    if max_record_bytes < 1:
        raise ValueError(f"max_record_bytes must be at least 1, not {max_record_bytes}")
    for argument in inputs:
        yield from _read_argument(argument, mapping, input_format, max_record_bytes, follow_symlinks)


def _read_argument(
    argument: str, mapping: FieldMapping, input_format: str | None, limit: int, follow_symlinks: bool
) -> Iterator[Article]:
    if argument == "-":
        yield from _read_stream(sys.stdin.buffer, STDIN, input_format, mapping, limit)
        return
    for file in input_files(argument, follow_symlinks):
        if file.error:
            yield Article(id=file.name, error=file.error)
        else:
            yield from _read_file(file.path, file.name, mapping, input_format, limit)


def _read_file(
    path: Path, name: str, mapping: FieldMapping, input_format: str | None, limit: int
) -> Iterator[Article]:
    try:
        stream = path.open("rb")
    except OSError as error:
        yield Article(id=name, error=ArticleError(UNREADABLE_FILE, f"cannot open {name}: {error.strerror}"))
        return
    with stream:
        yield from _read_stream(stream, name, input_format or format_from_name(name), mapping, limit)


def _read_stream(
    stream: BinaryIO, name: str, input_format: str | None, mapping: FieldMapping, limit: int
) -> Iterator[Article]:
    read = 0
    try:
        stream = cast(BinaryIO, open_decompressed(stream))
        if input_format is None:
            first, stream = peek_first_char(stream, limit)
            input_format = sniffed_format(first, stdin=name == STDIN)
        for article in READERS[input_format](stream, name, mapping, limit):
            read += 1
            yield article
    except READ_ERRORS as error:
        where = f" after {read} articles" if read else ""
        message = f"cannot read {name}{where}: {error}"
        yield Article(id=name, error=ArticleError(UNREADABLE_FILE, message))


def open_decompressed(stream: BinaryIO) -> io.BufferedIOBase:
    """The stream, decompressed when its first bytes are those of gzip, bz2, xz or zstd."""
    head = _read_up_to(stream, 6)
    stream = io.BufferedReader(_Rewound(head, stream))
    kind = next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
    if kind == "gzip":
        return gzip.GzipFile(fileobj=stream)
    if kind == "bz2":
        return bz2.BZ2File(stream)
    if kind == "xz":
        return lzma.LZMAFile(stream)
    if kind == "zstd":
        return io.BufferedReader(_ZstdFrames(stream))
    return stream


class _ZstdFrames(io.RawIOBase):
    """The frames of a zstd stream one after the other, and an error where the stream ends
    inside a frame: zstandard's own stream reader takes a truncated file for a short one."""

    CHUNK = 2**16

    def __init__(self, source: BinaryIO) -> None:
        self.source = source
        self.frame = zstandard.ZstdDecompressor().decompressobj()
        self.in_frame = False  # bytes of a frame read, its end not yet
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = self.source.read(self.CHUNK)
            if not chunk:
                if self.in_frame:
                    raise zstandard.ZstdError("the zstd stream ends inside a frame (a truncated file?)")
                return 0
            self.pending = self._decompressed(chunk)
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        return size

    def _decompressed(self, data: bytes) -> bytes:
        out = []
        while data:
            out.append(self.frame.decompress(data))
            self.in_frame = not self.frame.eof
            if not self.frame.eof:
                break
            data = self.frame.unused_data  # the next frame begins here
            self.frame = zstandard.ZstdDecompressor().decompressobj()
        return b"".join(out)


def peek_first_char(stream: BinaryIO, limit: int = MAX_RECORD_BYTES) -> tuple[bytes, BinaryIO]:
    """The first byte that is not white space (or a byte-order mark) among the first
    ``limit`` bytes, else ``b""``; and the stream unchanged."""
    chunks: list[bytes] = []
    first, size = b"", 0
    while not first and size <= limit and (chunk := stream.read(4096)):
        first = (chunk if chunks else chunk.removeprefix(b"\xef\xbb\xbf")).lstrip()[:1]
        chunks.append(chunk)
        size += len(chunk)
    return first, io.BufferedReader(_Rewound(b"".join(chunks), stream))


def sniffed_format(first: bytes, stdin: bool) -> str:
    """For stdin and files whose name says no format: JSON array, HTML, else JSON Lines
    (stdin) or one text article (a file)."""
    if first == b"[":
        return "json"
    if first == b"<":
        return "html"
    return "jsonl" if stdin or first == b"{" else "txt"


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    head = b""
    while len(head) < size and (chunk := stream.read(size - len(head))):
        head += chunk
    return head


class _Rewound(io.RawIOBase):
    """A stream with the bytes already read from it put back in front (stdin cannot seek)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def article_from_object(
    value: Any, default_id: str | int, mapping: FieldMapping, line: int | None = None
) -> Article:
    """An article from a JSON object or CSV row; a bare JSON string is the text itself."""
    if isinstance(value, str):
        return Article(id=default_id, text=value, html=mapping.html, line=line)
    if not isinstance(value, dict):
        kind = "null" if value is None else type(value).__name__
        error = ArticleError(NOT_TEXT, f"a JSON {kind}, not an article (an object with a text)", line)
        return Article(id=default_id, error=error, line=line)
    article_id = value.get(mapping.id_field)
    consumed = {mapping.id_field, mapping.text_field, mapping.title_field} | RESERVED_FIELDS
    article = Article(
        id=default_id if article_id in (None, "") else article_id,
        fields={key: field for key, field in value.items() if key not in consumed},
        text=value.get(mapping.text_field),
        title=value.get(mapping.title_field) if mapping.title_field else None,
        html=mapping.html,
        line=line,
    )
    if mapping.text_field not in value:
        article.error = ArticleError(MISSING_FIELD, f"no field {mapping.text_field!r}", line)
    return article


def _too_large(name: str, what: str, limit: int, line: int | None = None) -> Article:
    message = f"{what} is over {limit:,} bytes (--max-record-bytes); skipped"
    return Article(id=name, error=ArticleError(TOO_LARGE, message, line), line=line)


def _bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of a stream; None for a line over ``limit`` bytes, read past in pieces."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (piece := stream.readline(SKIP_PIECE)) and not piece.endswith(b"\n"):
            pass
        yield None


def _read_whole(stream: BinaryIO, limit: int) -> bytes | None:
    """The stream's bytes; None (and nothing more read) when there are over ``limit``."""
    data = stream.read(limit + 1)
    return data if len(data) <= limit else None


def _read_jsonl(stream: BinaryIO, name: str, mapping: FieldMapping, limit: int) -> Iterator[Article]:
    for number, line in enumerate(_bounded_lines(stream, limit), 1):
        if line is None:
            yield _too_large(f"{name}:{number}", f"line {number}", limit, number)
            continue
        if not line.strip():  # blank lines are no articles
            continue
        try:
            value = json.loads(line)
        except ValueError as error:  # also invalid UTF-8
            broken = ArticleError(BROKEN_LINE, f"line {number} is not JSON: {error}", number)
            yield Article(id=f"{name}:{number}", error=broken, line=number)
            continue
        yield article_from_object(value, f"{name}:{number}", mapping, number)


def _read_json(stream: BinaryIO, name: str, mapping: FieldMapping, limit: int) -> Iterator[Article]:
    """A JSON array of articles, item by item, each parsed on its own; the array at
    ``mapping.records_path`` inside a document, streamed; or one article object."""
    if mapping.records_path:
        yield from _read_json_records(stream, name, mapping)
        return
    first, stream = peek_first_char(stream, limit)
    if first == b"[":
        yield from _read_json_array(stream, name, mapping, limit)
        return
    data = _read_whole(stream, limit)
    if data is None:
        yield _too_large(name, name, limit)
        return
    try:
        value = json.loads(data)
    except ValueError as error:
        yield Article(id=name, error=ArticleError(BROKEN_LINE, f"{name} is not JSON: {error}"))
        return
    article = article_from_object(value, name, mapping)
    if article.error is not None and article.error.reason == MISSING_FIELD:
        article.error = ArticleError(MISSING_FIELD, article.error.message + _records_hint(value))
    yield article


def _records_hint(value: Any) -> str:
    """Name the fields of a JSON document that hold lists of objects: the articles of an
    export are often wrapped (`{"status": "ok", "articles": [...]}`)."""
    lists = [
        key
        for key, field in value.items()
        if isinstance(field, list) and field and isinstance(field[0], dict)
    ]
    return "".join(f"; its articles may be in {key!r} (--records-path {key})" for key in lists[:1])


def _read_json_records(stream: BinaryIO, name: str, mapping: FieldMapping) -> Iterator[Article]:
    path = f"{mapping.records_path}.item"
    number = 0
    try:
        for value in ijson.items(stream, path, use_float=True):
            number += 1
            yield article_from_object(value, f"{name}:{number}", mapping)
    except ijson.JSONError as error:
        reason = str(error).splitlines()[0]  # yajl adds an excerpt on the lines after
        message = f"{name} is broken JSON after {number} articles: {reason}"
        yield Article(id=f"{name}:{number + 1}", error=ArticleError(BROKEN_LINE, message))
        return
    if number == 0:
        message = f"no articles at --records-path {mapping.records_path!r} in {name}"
        yield Article(id=name, error=ArticleError(MISSING_FIELD, message))


def _read_json_array(stream: BinaryIO, name: str, mapping: FieldMapping, limit: int) -> Iterator[Article]:
    for item in array_items(stream, limit):
        item_id = f"{name}:{item.number}"
        if item.too_large:
            yield _too_large(item_id, f"item {item.number}", limit)
            continue
        problem, value = item.broken, None
        if item.data is not None:
            try:
                value = json.loads(item.data)
            except ValueError as error:  # also invalid UTF-8
                problem = str(error)
        if problem is None:
            yield article_from_object(value, item_id, mapping)
        else:
            message = f"item {item.number} of {name} is broken JSON: {problem}"
            yield Article(id=item_id, error=ArticleError(BROKEN_LINE, message))


class _RowTooLarge(Exception):
    pass


class _CsvLines:
    """The lines of a CSV text for ``csv.reader``, each row's kept (up to the size limit) so
    that a broken row's later lines can be read again: an unclosed quote swallows the rows
    after it, which are then not lost."""

    def __init__(self, text: io.TextIOBase, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.read = 0  # lines read from the text
        self.again: list[tuple[int, str]] = []  # lines to read again, the next one last
        self.row: list[tuple[int, str]] = []  # lines of the row being read
        self.row_size = 0

    def __iter__(self) -> _CsvLines:
        return self

    def unread(self, line: str) -> None:
        """Put back a first line read ahead of the rows (to choose the delimiter)."""
        self.read += 1
        self.again.append((self.read, line))

    def __next__(self) -> str:
        if self.again:
            number, line = self.again.pop()
        else:
            line = self.text.readline(self.limit + 1)
            if not line:
                raise StopIteration
            self.read += 1
            number = self.read
        self.row.append((number, line))
        self.row_size += len(line)
        if self.row_size > self.limit:
            raise _RowTooLarge
        return line

    @property
    def row_start(self) -> int:
        if self.row:
            return self.row[0][0]
        return self.again[-1][0] if self.again else self.read + 1

    def next_row(self) -> None:
        self.row, self.row_size = [], 0

    def read_again(self) -> None:
        """The broken row's lines after its first are read again, as rows of their own."""
        self.again.extend(reversed(self.row[1:]))
        self.next_row()

    def skip_row(self) -> None:
        """Read past the rest of a row over the limit, following its quotes; not kept."""
        quoted = sum(line.count('"') for _, line in self.row) % 2 == 1
        last = self.row[-1][1] if self.row else "\n"
        self.next_row()
        while quoted or not last.endswith(("\n", "\r")):
            last = self.text.readline(SKIP_PIECE)
            if not last:
                return
            if last.endswith(("\n", "\r")):
                self.read += 1
            quoted ^= last.count('"') % 2 == 1


def _csv_reader(delimiter: str | None) -> Reader:
    """CSV with ``delimiter``, or (None) the one the mapping names or the header line shows."""

    def read(stream: BinaryIO, name: str, mapping: FieldMapping, limit: int) -> Iterator[Article]:
        # surrogateescape: a row with bytes that are not UTF-8 becomes an error record of its own.
        encoding = mapping.encoding or "utf-8-sig"
        text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
        lines = _CsvLines(text, limit)
        header = text.readline(limit + 1)
        lines.unread(header)
        chosen = delimiter or mapping.csv_delimiter or sniffed_delimiter(header)
        yield from _read_csv_rows(lines, chosen, name, mapping)

    return read


def sniffed_delimiter(header: str) -> str:
    """The delimiter of a CSV header line: the candidate it holds most often outside
    quotes, the comma where none is there."""
    unquoted = "".join(header.split('"')[::2])
    counts = {candidate: unquoted.count(candidate) for candidate in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda candidate: counts[candidate])  # ties: the first
    return best if counts[best] else ","


def _read_csv_rows(lines: _CsvLines, delimiter: str, name: str, mapping: FieldMapping) -> Iterator[Article]:
    """Strict parsing, so that a quote not closed shows where it swallows the next quoted field
    (or at the end of the input); its row is one error, and the rows after it are read again."""
    header: list[str] | None = None
    number = 0
    rows = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        start = lines.row_start
        try:
            row = next(rows)
        except StopIteration:
            return
        except (csv.Error, _RowTooLarge) as error:
            too_large = isinstance(error, _RowTooLarge)
            lines.skip_row() if too_large else lines.read_again()
            rows = csv.reader(lines, delimiter=delimiter, strict=True)  # no state from the broken row
            if header is None:
                message = f"the header of {name} cannot be read: {error or 'too large'}"
                yield Article(id=name, error=ArticleError(UNREADABLE_FILE, message, start))
                return
            number += 1
            if too_large:
                what = f"row {number} (from line {start}; or a quote not closed there)"
                yield _too_large(f"{name}:{number}", what, lines.limit, start)
            else:
                broken = ArticleError(BROKEN_LINE, f"row {number} (line {start}): {error}", start)
                yield Article(id=f"{name}:{number}", error=broken, line=start)
            continue
        lines.next_row()
        if not row:  # a blank line is no row
            continue
        if header is None:
            header = row
            continue
        number += 1
        yield _article_from_row(header, row, f"{name}:{number}", mapping, start)


def _article_from_row(
    header: list[str], row: list[str], default_id: str, mapping: FieldMapping, line: int
) -> Article:
    problem = None
    if len(row) != len(header):
        problem = ArticleError(BROKEN_LINE, f"line {line}: the row's fields do not match the header", line)
    elif any(UNDECODABLE.search(value) for value in row):
        problem = ArticleError(NOT_TEXT, f"line {line} is not UTF-8 text", line)
    values = dict(zip(header, row, strict=False))  # a short row may still name its id
    if problem is None:
        return article_from_object(values, default_id, mapping, line)
    row_id = values.get(mapping.id_field) if problem.reason != NOT_TEXT else None
    return Article(id=row_id or default_id, error=problem, line=line)


def _read_txt(stream: BinaryIO, name: str, mapping: FieldMapping, limit: int) -> Iterator[Article]:
    data = _read_whole(stream, limit)
    if data is None:
        yield _too_large(name, name, limit)
        return
    encoding = mapping.encoding or "utf-8-sig"
    try:
        yield Article(id=name, text=data.decode(encoding))
    except UnicodeDecodeError as error:
        label = "UTF-8" if mapping.encoding is None else mapping.encoding
        message = f"{name} is not {label} text ({error.reason} at byte {error.start})"
        yield Article(id=name, error=ArticleError(NOT_TEXT, message))


def _read_html(stream: BinaryIO, name: str, mapping: FieldMapping, limit: int) -> Iterator[Article]:
    data = _read_whole(stream, limit)
    if data is None:
        yield _too_large(name, name, limit)
        return
    declared = HTML_CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        yield Article(id=name, text=data.decode(encoding), html=True)
    except (UnicodeDecodeError, LookupError) as error:
        yield Article(id=name, error=ArticleError(NOT_TEXT, f"{name} is not {encoding} text: {error}"))


READERS: dict[str, Reader] = {
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": _csv_reader(None),
    "tsv": _csv_reader("\t"),
    "txt": _read_txt,
    "html": _read_html,
}
