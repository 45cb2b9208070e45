"""Word lists that steer the rules: the files of ``technews/data/lexicon``, or of a saved
pipeline's component, read into one ``Lexicon``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from spacy.util import registry

from technews.errors import LexiconError

LEXICON_FILES = (
    "coordination.json",
    "descriptions.json",
    "german.json",
    "product_grammar.json",
    "roles.json",
    "common_nouns.txt",
)
# Read where present: a pipeline saved before a list existed behaves as it did.
OPTIONAL_LEXICON_FILES = ("first_names.txt", "everyday_nouns.txt")


def lexicon_path(name: str) -> Path:
    return Path(str(resources.files("technews") / "data" / "lexicon" / name))


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The rules' word lists, kept as their files' text so that ``to_disk`` writes them back
    unchanged; each list is parsed once, on first use."""

    files: dict[str, str]

    def to_disk(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding="utf-8")

    def json(self, name: str) -> dict:
        return json.loads(self.files[name])

    @cached_property
    def coordinators(self) -> frozenset[str]:
        """Words that join names in a list or a truncated compound (`und`, `,`, `/`)."""
        return frozenset(self.json("coordination.json")["coordinators"])

    @cached_property
    def list_endings(self) -> frozenset[str]:
        """The coordinators before a list's last member (`und`, `sowie`; not `oder`)."""
        return frozenset(self.json("coordination.json")["list_endings"])

    @cached_property
    def german(self) -> GermanWords:
        data = self.json("german.json")
        return GermanWords(
            indefinite_articles=frozenset(data["indefinite_articles"]),
            place_prepositions=frozenset(data["place_prepositions"]),
            object_pronouns=frozenset(data["object_pronouns"]),
            pair_words=frozenset(data["pair_words"]),
            comparison_before=frozenset(data["comparison_before"]),
            comparison_after=frozenset(data["comparison_after"]),
            noun_endings=tuple(data["noun_endings"]),
            adjective_endings=tuple(data["adjective_endings"]),
            maker_nouns=tuple(data["maker_nouns"]),
        )

    @cached_property
    def descriptions(self) -> dict:
        """Words of descriptions and references (`der Hersteller`, `beide Firmen`)."""
        return self.json("descriptions.json")

    @cached_property
    def description_heads(self) -> frozenset[str]:
        """Nouns that describe an organization (`Hersteller`, `Netzausrüster`)."""
        return frozenset(self.descriptions["heads"])

    @cached_property
    def common_nouns(self) -> frozenset[str]:
        """Everyday capitalised nouns (`Umsätze`, `Anfang`), see scripts/build_common_nouns.py."""
        return _listed_words(self.files["common_nouns.txt"])

    @cached_property
    def first_names(self) -> frozenset[str]:
        """Frequent first names that are no everyday words, see scripts/build_first_names.py."""
        return _listed_words(self.files.get("first_names.txt", ""))

    @cached_property
    def everyday_nouns(self) -> frozenset[str]:
        """German nouns frequent in text, every inflected form (`Hilfspakets`), see
        scripts/build_everyday_nouns.py; a feature of the NER, not a filter."""
        return _listed_words(self.files.get("everyday_nouns.txt", ""))

    @cached_property
    def product_grammar_words(self) -> ProductGrammarWords:
        return _product_grammar_words(self.json("product_grammar.json"), self.coordinators)

    @cached_property
    def role_cues(self) -> RoleCues:
        return _role_cues(self.json("roles.json"), self.coordinators)


def _listed_words(text: str) -> frozenset[str]:
    """The words of a list file: one per line, `#` starting a comment line."""
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon of a folder holding LEXICON_FILES (the package's by default)."""
    folder = Path(path) if path else lexicon_path("")
    missing = [name for name in LEXICON_FILES if not (folder / name).is_file()]
    if missing:
        raise LexiconError(f"No lexicon at {folder}: missing {', '.join(missing)}")
    present = [*LEXICON_FILES, *(name for name in OPTIONAL_LEXICON_FILES if (folder / name).is_file())]
    return Lexicon({name: (folder / name).read_text(encoding="utf-8") for name in present})


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The package's lexicon, for training and scripts; pipelines keep their own."""
    return load_lexicon()


@registry.misc("technews.lexicon.v1")
def lexicon_from_path(path: str | None = None) -> Lexicon:
    """Config hook: ``lexicon = {"@misc": "technews.lexicon.v1"}``."""
    return load_lexicon(Path(path) if path else None)


@dataclass(frozen=True)
class GermanWords:
    """Function words and endings of German that the rules read (see german.json)."""

    indefinite_articles: frozenset[str]
    place_prepositions: frozenset[str]  # `in Nokia` is the place
    object_pronouns: frozenset[str]  # a product named earlier in the sentence
    pair_words: frozenset[str]  # `beide Firmen`
    comparison_before: frozenset[str]  # `das Apple der Kamera-Welt`
    comparison_after: frozenset[str]
    noun_endings: tuple[str, ...]  # abstract nouns (`Zulassung`), never a name alone
    adjective_endings: tuple[str, ...]
    maker_nouns: tuple[str, ...]  # `der Hersteller Fairphone`, `Kamerahersteller`


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


def _product_grammar_words(data: dict, coordinators: frozenset[str]) -> ProductGrammarWords:
    return ProductGrammarWords(
        series=frozenset(data["series"]),
        suffixes=frozenset(data["suffixes"]),
        numbered_suffixes=frozenset(data["numbered_suffixes"]),
        codenames=frozenset(tuple(name.split()) for name in data["codenames"]),
        service_words=frozenset(data["service_words"]),
        coordinators=coordinators,
        model=re.compile("|".join(f"(?:{p})" for p in data["model_patterns"])),
        not_model=re.compile("|".join(f"(?:{p})" for p in data["not_models"])),
    )


@dataclass(frozen=True)
class RoleCues:
    """Cues of ANNOTATION.md rule 6, and of a person's name (see roles.json)."""

    coordinators: frozenset[str]  # joining the parts of a truncated compound
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


def _role_cues(data: dict, coordinators: frozenset[str]) -> RoleCues:
    return RoleCues(
        coordinators=coordinators,
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
