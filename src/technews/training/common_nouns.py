"""Everyday capitalised nouns, learnt from annotated text: the words that stand where
a name could (`das Unternehmen Umsätze`) but never are one.

A word counts when it is written capitalised inside a sentence (not after a full
stop, where every word is), at least ``min_count`` times outside any annotated
span, and at least ``ratio`` times as often outside names as inside them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from technews.training.corpus import Annotated

# A capitalised word after a lower-case word or a comma: no sentence start.
INNER_CAPITALISED = re.compile(r"(?<=[a-zäöüß,] )[A-ZÄÖÜ][a-zäöüß]+\b")
WORD = re.compile(r"\w+")


def common_nouns(items: Iterable[Annotated], min_count: int = 2, ratio: int = 4) -> list[str]:
    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for item in items:
        annotated = bytearray(len(item.text))
        for start, end in [*((s, e) for s, e, *_ in item.entities), *item.missing]:
            annotated[start:end] = b"\x01" * (end - start)
        for start, end, *_ in item.entities:
            inside.update(WORD.findall(item.text[start:end]))
        for match in INNER_CAPITALISED.finditer(item.text):
            if not annotated[match.start()]:
                outside[match.group()] += 1
    return sorted(w for w, n in outside.items() if n >= min_count and n >= ratio * inside[w])
