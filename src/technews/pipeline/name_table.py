"""The knowledge base's names as token sequences, found in a doc by dictionary look-up.

spaCy's PhraseMatcher wants every pattern as a Doc: tokenizing 100,000 names, making their
lexemes and adding them took seconds at every load. Here a name is the tuple of its tokens'
texts. Most names are their space-separated words; only the others (`Coca-Cola`,
`Samsung Galaxy S24+`) need the tokenizer, and their tokens are saved with the knowledge
(``Knowledge.name_tokens``), so loading a pipeline builds dictionaries and runs no
tokenizer. Matching is exact and case-sensitive, like PhraseMatcher on ORTH.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

NameTokens = Mapping[str, tuple[str, ...]]


class NameTable:
    """Names with their keys (a canonical name, a feature bit): every occurrence in a doc,
    overlapping ones included, as ``(key, start, end)`` in token offsets."""

    def __init__(self, names: Iterable[tuple[tuple[str, ...], str]]) -> None:
        keys: dict[tuple[str, ...], dict[str, None]] = {}  # a dict as an ordered set
        for tokens, key in names:
            keys.setdefault(tokens, {})[key] = None
        self.keys = {tokens: list(ordered) for tokens, ordered in keys.items()}
        lengths: dict[str, set[int]] = {}
        for tokens in keys:
            lengths.setdefault(tokens[0], set()).add(len(tokens))
        # By first token, so that a position costs one look-up where no name starts.
        self.lengths = {first: sorted(values) for first, values in lengths.items()}

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
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
    forms: Iterable[tuple[str, str]], name_tokens: NameTokens, excluded: frozenset[str]
) -> NameTable:
    """The table of ``(form, key)`` pairs, without empty and excluded forms."""
    return NameTable(
        (tokens_of(form, name_tokens), key) for form, key in forms if form.strip() and form not in excluded
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
