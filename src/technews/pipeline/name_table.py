"""The knowledge base's names as token sequences, found in a doc by dictionary look-up.

spaCy's PhraseMatcher wants every pattern as a Doc: tokenizing 100,000 names, making their
lexemes and adding them took seconds at every load. Here a name is the tuple of its tokens'
texts. Most names are their space-separated words; only the others (`Coca-Cola`,
`Samsung Galaxy S24+`) need the tokenizer, and their tokens are saved with the knowledge
(``Knowledge.name_tokens``), so loading a pipeline builds dictionaries and runs no
tokenizer. Matching is exact and case-sensitive, like PhraseMatcher on ORTH.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Generic, TypeVar

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

NameTokens = Mapping[str, tuple[str, ...]]
Key = TypeVar("Key", bound=Hashable)


class NameTable(Generic[Key]):
    """Names with their keys (say, a table and a canonical name): every occurrence in a
    doc, overlapping ones included, as ``(key, start, end)`` in token offsets."""

    def __init__(self, names: Iterable[tuple[tuple[str, ...], Key]]) -> None:
        # Plain loops over lists: this runs over 100,000 names at every load.
        keys: dict[tuple[str, ...], list[Key]] = {}
        for tokens, key in names:
            bucket = keys.get(tokens)
            if bucket is None:
                keys[tokens] = [key]
            elif key not in bucket:
                bucket.append(key)
        self.keys = keys
        # Name lengths by first token, ascending, so that a position costs one look-up
        # where no name starts.
        lengths: dict[str, list[int]] = {}
        for tokens in keys:
            seen = lengths.get(tokens[0])
            if seen is None:
                lengths[tokens[0]] = [len(tokens)]
            elif len(tokens) not in seen:
                seen.append(len(tokens))
        for seen in lengths.values():
            if len(seen) > 1:
                seen.sort()
        self.lengths = lengths

    def __call__(self, doc: Doc) -> list[tuple[Key, int, int]]:
        words = [token.text for token in doc]
        found = []
        for start, word in enumerate(words):
            for length in self.lengths.get(word, ()):
                end = start + length
                if end > len(words):
                    break  # lengths ascend; a shorter slice would pass for a shorter name
                for key in self.keys.get(tuple(words[start:end]), ()):
                    found.append((key, start, end))
        return found


def name_table(
    forms: Iterable[tuple[str, Key]], name_tokens: NameTokens, excluded: frozenset[str]
) -> NameTable[Key]:
    """The table of ``(form, key)`` pairs, without empty and excluded forms."""
    return NameTable(
        (name_tokens.get(form) or tuple(form.split(" ")), key)
        for form, key in forms
        if form.strip() and form not in excluded
    )


def tokens_of(form: str, name_tokens: NameTokens) -> tuple[str, ...]:
    return name_tokens.get(form) or tuple(form.split(" "))


def split_names(tokenizer: Tokenizer, forms: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The tokens of the forms that the tokenizer splits otherwise than at single spaces."""
    unique = sorted({form for form in forms if form.strip()})
    return dict(_differently_split(unique, tokenizer.pipe(unique, batch_size=1000)))


def _differently_split(forms: list[str], docs: Iterable[Doc]) -> Iterator[tuple[str, tuple[str, ...]]]:
    for form, doc in zip(forms, docs, strict=True):
        tokens = tuple(token.text for token in doc)
        if tokens != tuple(form.split(" ")):
            yield form, tokens
