"""German tokenizer that also splits hyphenated compounds.

ANNOTATION.md rule 4 annotates a name at either end of a compound on its own
(`Leica-Kamera` -> `Leica`), so the hyphen must be a token boundary. spaCy's
German defaults keep such compounds whole.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.lang.char_classes import ALPHA
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

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


@registry.tokenizers("technews.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """Config hook: ``[nlp.tokenizer] @tokenizers = "technews.tokenizer.v1"``."""

    def tokenizer_factory(nlp: Language) -> Tokenizer:
        tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        prefixes = [PUNCTUATION_RUN, *nlp.Defaults.prefixes]
        tokenizer.prefix_search = compile_prefix_regex(prefixes).search
        infixes = [*nlp.Defaults.infixes, COMPOUND_HYPHEN]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        suffixes = [PUNCTUATION_RUN, *nlp.Defaults.suffixes, TRUNCATION_HYPHEN]
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
        return tokenizer

    return tokenizer_factory
