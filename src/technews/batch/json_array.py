"""The items of a JSON array, streamed as raw bytes, that go on after a broken item.

A JSON parser stops at the first error, and everything after it is lost. This scanner only
follows the array's structure (strings, nesting, the commas between items), so that each
item is parsed on its own: a broken item becomes one error, and reading goes on after it.
Where the structure itself is broken (a string that runs across a line break, a stray
closing bracket, text after the array's end) it resynchronises at the next object that
begins a line or follows ``},``, the way JSON dumps put their items. An item over the size
limit is skipped without being held in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

OUTSIDE_STRING = re.compile(rb'["{}\[\],]')
INSIDE_STRING = re.compile(rb'["\\\n]')  # JSON strings hold no raw line breaks
NEXT_OBJECT = re.compile(rb"(?:^|\})[ \t\r\n]*,?[ \t\r\n]*(?=\{)", re.MULTILINE)
NOT_BLANK = re.compile(rb"[^ \t\r\n]")
PIECE = 2**16  # bytes read at a time (or one line, if shorter)


@dataclass(frozen=True)
class ArrayItem:
    """Item ``number`` (from 1): its bytes, or why it cannot be parsed (``data`` is None)."""

    number: int
    data: bytes | None = None
    broken: str | None = None  # what is wrong with it
    too_large: bool = False


class ArrayScanner:
    """Feed it the bytes after the array's ``[``, piece by piece; it yields the items."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.number = 0
        self.depth = 0  # nesting inside the current item
        self.in_string = False
        self.escaped = False  # the previous piece ended with a backslash inside a string
        self.closed = False  # the array's closing bracket was seen
        self.resyncing = False
        self.item = bytearray()
        self.size = 0

    def feed(self, piece: bytes, line_start: bool) -> Iterator[ArrayItem]:
        position = 0
        while position < len(piece):
            if self.resyncing:
                position = self._resync(piece, position, line_start)
            elif self.closed:
                position, item = self._after_end(piece, position)
                if item:
                    yield item
            elif self.in_string:
                position, item = self._in_string(piece, position)
                if item:
                    yield item
            else:
                position, item = self._structure(piece, position)
                if item:
                    yield item

    def finish(self) -> Iterator[ArrayItem]:
        if self.resyncing or self.closed:
            return
        if self.in_string or self.depth:
            yield self._broken("the input ends inside it (a truncated file?)")
            return
        if item := self._item():  # complete, but the array is not: say so after it
            yield item
        yield self._broken("the input ends before the array's closing ] (a truncated file?)")

    def _resync(self, piece: bytes, position: int, line_start: bool) -> int:
        start = position if position or line_start else 1  # `^` at a piece that goes on a line
        found = NEXT_OBJECT.search(piece, start)
        if found is None:
            return len(piece)
        self.resyncing = False
        return found.end()

    def _after_end(self, piece: bytes, position: int) -> tuple[int, ArrayItem | None]:
        found = NOT_BLANK.search(piece, position)
        if found is None:
            return len(piece), None
        self.closed = False
        return found.start(), self._broken("it follows the array's closing ]")

    def _in_string(self, piece: bytes, position: int) -> tuple[int, ArrayItem | None]:
        if self.escaped:
            self.escaped = False
            self._take(piece[position : position + 1])
            return position + 1, None
        found = INSIDE_STRING.search(piece, position)
        if found is None:
            self._take(piece[position:])
            return len(piece), None
        end = found.end()
        char = piece[found.start()]
        if char == ord("\n"):
            return end, self._broken("a string runs across a line break (a quote not closed?)")
        if char == ord("\\"):
            if end == len(piece):
                self.escaped = True
            else:
                end += 1
        else:
            self.in_string = False
        self._take(piece[position:end])
        return end, None

    def _structure(self, piece: bytes, position: int) -> tuple[int, ArrayItem | None]:
        found = OUTSIDE_STRING.search(piece, position)
        if found is None:
            self._take(piece[position:])
            return len(piece), None
        self._take(piece[position : found.start()])
        end = found.end()
        char = piece[found.start() : end]
        if char == b'"':
            self.in_string = True
        elif char in b"{[":
            self.depth += 1
        elif char in b"}]" and self.depth:
            self.depth -= 1
        elif char == b"}":
            return end, self._broken("a closing } that opens nothing")
        elif char == b"]":
            self.closed = True
            return end, self._item()
        elif char == b"," and not self.depth:
            return end, self._item()
        self._take(char)
        return end, None

    def _take(self, data: bytes) -> None:
        self.size += len(data)
        if self.size <= self.limit:
            self.item += data
        elif self.item:
            self.item = bytearray()  # too large: only its size is kept

    def _item(self) -> ArrayItem | None:
        """The item that ends here; None for an empty one (``[]``, a trailing comma)."""
        data, size = bytes(self.item).strip(), self.size
        self._reset()
        if size > self.limit:
            self.number += 1
            return ArrayItem(self.number, too_large=True)
        if not data:
            return None
        self.number += 1
        return ArrayItem(self.number, data)

    def _broken(self, why: str) -> ArrayItem:
        self._reset()
        self.resyncing = True
        self.number += 1
        return ArrayItem(self.number, broken=why)

    def _reset(self) -> None:
        self.item = bytearray()
        self.size = self.depth = 0
        self.in_string = self.escaped = False


def array_items(stream: BinaryIO, limit: int) -> Iterator[ArrayItem]:
    """The items of the JSON array that ``stream`` holds (white space and a byte-order mark
    before its ``[`` are skipped), each of at most ``limit`` bytes."""
    scanner = ArrayScanner(limit)
    head = stream.readline(PIECE).lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    while not head:
        head = stream.readline(PIECE)
        if not head:
            return
        head = head.lstrip()
    if not head.startswith(b"["):
        raise ValueError("not a JSON array")
    piece, line_start = head[1:], False
    while piece:
        yield from scanner.feed(piece, line_start)
        line_start = piece.endswith(b"\n")
        piece = stream.readline(PIECE)
    yield from scanner.finish()
