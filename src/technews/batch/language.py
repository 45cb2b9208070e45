"""Which language an article is in: technews reads German, and says so of articles that are not.

py3langid (langid.py's maintained fork: a naive Bayes model over byte n-grams, 97
languages, about half a millisecond an article) decides on the first characters of the
processed text. Too little text (a headline, a product name) or an unsure call gives no
verdict: such an article is processed as German, as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

GERMAN = "de"
MIN_WORDS = 12  # fewer words say too little: `Samsung Galaxy S24 Ultra` reads as Luxembourgish
MIN_PROBABILITY = 0.8  # normalised: a short French paragraph gets about 0.85
SAMPLE_CHARS = 3000  # the start of an article says which language it is in


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> str | None:
    """The article's language as an ISO 639-1 code, or None where the text is too short
    or the model unsure."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) < MIN_WORDS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else None
