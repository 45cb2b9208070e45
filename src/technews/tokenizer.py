"""German tokenizer that also splits hyphenated compounds.

ANNOTATION.md rule 4 annotates a name at either end of a compound on its own
(`Leica-Kamera` -> `Leica`), so the hyphen must be a token boundary. spaCy's
German defaults keep such compounds whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spacy.lang.char_classes import ALPHA
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import (
    compile_infix_regex,
    compile_prefix_regex,
    compile_suffix_regex,
    get_lang_class,
    registry,
)

# A hyphen between letters or digits: Leica-Kamera, US-Restriktionen, 5G-Handy.
COMPOUND_HYPHEN = rf"(?<=[{ALPHA}0-9])-(?=[{ALPHA}0-9])"
# The hyphen of a truncated compound: `Facebook- und Twitter-Einträge`.
TRUNCATION_HYPHEN = rf"(?<=[{ALPHA}0-9])-"
# spaCy strips one punctuation character per step and copies the rest of the word each time, so a
# long run (`––––…`, `„„„„…`) costs time quadratic in its length. A run of at least
# MIN_PUNCTUATION_RUN equal characters is taken off as one token, in one step. Shorter runs (`...`,
# `?!`) and ordinary text tokenize as with spaCy's rules.
MIN_PUNCTUATION_RUN = 4
PUNCTUATION_RUN = rf"(?P<run>[^\w\s])(?P=run){{{MIN_PUNCTUATION_RUN - 1},}}"
_RUN_TO_END = re.compile(r"(?P<run>[^\w\s])(?P=run)*$")


class _SuffixSearch:
    """spaCy's suffix search, first taking off a punctuation run that ends the word.

    The run is found by a scan back from the end: a ``$``-anchored regex would retry from every
    character of a run inside a word (`x––––x`) and be quadratic. ``pattern`` lets spaCy
    serialize the tokenizer."""

    def __init__(self, suffixes: list[str]) -> None:
        self.regex = compile_suffix_regex(suffixes)
        self.pattern = self.regex.pattern

    def search(self, word: str) -> re.Match[str] | None:
        run_start = len(word.rstrip(word[-1:])) if word else 0
        if len(word) - run_start >= MIN_PUNCTUATION_RUN:
            run = _RUN_TO_END.match(word, run_start)
            if run is not None:
                return run
        return self.regex.search(word)


class TechnewsTokenizer(Tokenizer):
    """spaCy's tokenizer with the rules above; they are set again after loading, because a saved
    pipeline's `tokenizer` file holds the patterns it was saved with."""

    def set_technews_rules(self, defaults: Any) -> None:  # a Language.Defaults class
        # Each setter re-tokenizes the special cases: set them with no special cases, once.
        rules: dict[str, Any] = self.rules  # type: ignore[has-type]  # spaCy gives it no type
        self.rules = {}
        self.prefix_search = _prefix_search(defaults)
        self.infix_finditer = _infix_finditer(defaults)
        self.suffix_search = _suffix_search(defaults)
        self.rules = rules

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = tuple()) -> TechnewsTokenizer:
        super().from_bytes(bytes_data, exclude=exclude)
        self.set_technews_rules(get_lang_class(self.vocab.lang).Defaults)
        return self


def _prefix_search(defaults: Any) -> Callable[[str], re.Match[str] | None]:
    return compile_prefix_regex([PUNCTUATION_RUN, *defaults.prefixes]).search


def _infix_finditer(defaults: Any) -> Callable[[str], Iterator[re.Match[str]]]:
    return compile_infix_regex([*defaults.infixes, COMPOUND_HYPHEN]).finditer


def _suffix_search(defaults: Any) -> Callable[[str], re.Match[str] | None]:
    return _SuffixSearch([*defaults.suffixes, TRUNCATION_HYPHEN]).search


@registry.tokenizers("technews.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """Config hook: ``[nlp.tokenizer] @tokenizers = "technews.tokenizer.v1"``."""

    def tokenizer_factory(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return TechnewsTokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=_prefix_search(defaults),
            suffix_search=_suffix_search(defaults),
            infix_finditer=_infix_finditer(defaults),
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return tokenizer_factory
