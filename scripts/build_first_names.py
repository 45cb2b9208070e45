"""Rebuild src/technews/data/lexicon/first_names.txt from names-dataset and german-nouns.

    pip install ".[build-kb]" && python scripts/build_first_names.py

The most frequent first names of the German-speaking countries and of the countries
German news reports on most (`names-dataset`, MIT, ranks by country), without those
that German also uses as everyday nouns or places and not as first names (`Rose`,
`Paris`, `Jordan`: `german-nouns`, Wiktionary, CC BY-SA 4.0) or as function words
(`Will`, `Man`). The entity rules read a first name
followed by a name as a person (`Sabine Wiesinger`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "technews" / "data" / "lexicon" / "first_names.txt"
HEADER = (
    "# Built by scripts/build_first_names.py from names-dataset (MIT) and german-nouns"
    " (Wiktionary, CC BY-SA 4.0).\n"
)
HOME = ("DE", "AT", "CH")
ABROAD = (
    *("US", "GB", "IE", "CA", "AU", "FR", "BE", "NL", "LU", "IT", "ES", "PT", "BR"),
    *("SE", "NO", "DK", "FI", "PL", "CZ", "SK", "HU", "SI", "HR", "RS", "GR", "TR"),
    *("RU", "UA", "IL", "IN", "AR", "MX", "JP", "KR", "CN", "EG", "NG", "ZA"),
)
PER_GENDER_AT_HOME = 1000
PER_GENDER_ABROAD = 300


def top_first_names(countries: tuple[str, ...], per_gender: int) -> set[str]:
    from names_dataset import NameDataset

    dataset = NameDataset()
    names: set[str] = set()
    for country in countries:
        for ranked in dataset.get_top_names(n=per_gender, country_alpha2=country).get(country, {}).values():
            names.update(ranked)
    return names


def is_everyday_word(name: str, nouns, stop_words: set[str]) -> bool:
    """A word Wiktionary knows, but not as a first name (`Rose`, `Jordan`, `Paris`), or a
    function word."""
    if name.lower() in stop_words:
        return True
    readings = [set(entry.get("pos") or ()) for entry in nouns[name]]
    return bool(readings) and not any("Vorname" in pos for pos in readings)


def first_names() -> list[str]:
    from german_nouns.lookup import Nouns
    from spacy.lang.de.stop_words import STOP_WORDS as GERMAN_STOP_WORDS
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS

    candidates = top_first_names(HOME, PER_GENDER_AT_HOME) | top_first_names(ABROAD, PER_GENDER_ABROAD)
    nouns = Nouns()
    stop_words = set(GERMAN_STOP_WORDS) | set(ENGLISH_STOP_WORDS)
    return sorted(
        name
        for name in candidates
        if name.isalpha() and len(name) >= 3 and name[0].isupper() and not name.isupper()
        if not is_everyday_word(name, nouns, stop_words)
    )


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    names = first_names()
    OUT.write_text(HEADER + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} first names -> {OUT}")


if __name__ == "__main__":
    main()
