"""Word lists that steer the rules, loaded from ``technews/data/lexicon``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


def lexicon_path(name: str) -> Path:
    return Path(str(resources.files("technews") / "data" / "lexicon" / name))


@lru_cache
def load_json(name: str) -> dict:
    return json.loads(lexicon_path(name).read_text(encoding="utf-8"))


@lru_cache
def description_heads() -> frozenset[str]:
    """Nouns that describe an organization (`Hersteller`, `Netzausrüster`), see descriptions.json."""
    return frozenset(load_json("descriptions.json")["heads"])


@lru_cache
def common_nouns() -> frozenset[str]:
    """Everyday capitalised nouns (`Umsätze`, `Anfang`), see scripts/build_common_nouns.py."""
    lines = lexicon_path("common_nouns.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@dataclass(frozen=True)
class ProductGrammarWords:
    """Words of the grammar LINE [SERIES] MODEL [SUFFIX...] [CODENAME] (see product_grammar.json)."""

    series: frozenset[str]
    suffixes: frozenset[str]
    numbered_suffixes: frozenset[str]
    codenames: frozenset[tuple[str, ...]]
    service_words: frozenset[str]
    coordinators: frozenset[str]
    model: re.Pattern
    not_model: re.Pattern

    def is_model(self, text: str) -> bool:
        return bool(self.model.match(text)) and not self.not_model.match(text)


@lru_cache
def product_grammar_words() -> ProductGrammarWords:
    data = load_json("product_grammar.json")
    return ProductGrammarWords(
        series=frozenset(data["series"]),
        suffixes=frozenset(data["suffixes"]),
        numbered_suffixes=frozenset(data["numbered_suffixes"]),
        codenames=frozenset(tuple(name.split()) for name in data["codenames"]),
        service_words=frozenset(data["service_words"]),
        coordinators=frozenset(data["coordinators"]),
        model=re.compile("|".join(f"(?:{p})" for p in data["model_patterns"])),
        not_model=re.compile("|".join(f"(?:{p})" for p in data["not_models"])),
    )


@dataclass(frozen=True)
class RoleCues:
    """Cues of ANNOTATION.md rule 6, and of a person's name (see roles.json)."""

    product_prepositions: frozenset[str]
    product_verb_stems: tuple[str, ...]
    product_compound_heads: frozenset[str]
    currency_heads: frozenset[str]
    person_cues: frozenset[str]
    person_cue_endings: tuple[str, ...]
    person_titles: tuple[str, ...]
    organization_cues: tuple[str, ...]
    product_cues: tuple[str, ...]
    product_name_heads: frozenset[str]
    org_name_heads: frozenset[str]
    org_compound_names: frozenset[str]
    party_endings: tuple[str, ...]
    generic_prefixes: frozenset[str]
    name_non_starts: frozenset[str]

    def is_person_title(self, word: str) -> bool:
        """`Finanzminister`, `Apple-Chef`: a noun that may stand before a bare surname."""
        return word[:1].isupper() and word.lower().endswith(self.person_titles)

    def is_person_noun(self, word: str) -> bool:
        """A title or any other noun that introduces a person (`Chefentwickler`)."""
        return self.is_person_title(word) or (
            word[:1].isupper() and word.lower().endswith(self.person_cue_endings)
        )

    def is_organization_noun(self, word: str) -> bool:
        """`Zeitung`, `Apple-Zulieferer`, `Start-up`: a noun before an organization's name."""
        return word[:1].isupper() and word.lower().endswith(self.organization_cues)

    def is_product_noun(self, word: str) -> bool:
        """`Kurznachrichtendienst`, `Raumschiffspiel`: a noun before a product's name."""
        return word[:1].isupper() and word.lower().endswith(self.product_cues)


@lru_cache
def role_cues() -> RoleCues:
    data = load_json("roles.json")
    return RoleCues(
        product_prepositions=frozenset(data["product_prepositions"]),
        product_verb_stems=tuple(data["product_verb_stems"]),
        product_compound_heads=frozenset(data["product_compound_heads"]),
        currency_heads=frozenset(data["currency_heads"]),
        person_cues=frozenset(data["person_cues"]),
        person_cue_endings=tuple(cue.lower() for cue in data["person_cues"]),
        person_titles=tuple(data["person_titles"]),
        organization_cues=tuple(data["media_cues"] + data["org_cues"]),
        product_cues=tuple(data["product_cues"]),
        product_name_heads=frozenset(data["product_name_heads"]),
        org_name_heads=frozenset(data["org_name_heads"]),
        org_compound_names=frozenset(data["org_compound_names"]),
        party_endings=tuple(data["party_endings"]),
        generic_prefixes=frozenset(data["generic_prefixes"]),
        name_non_starts=frozenset(data["name_non_starts"]),
    )
