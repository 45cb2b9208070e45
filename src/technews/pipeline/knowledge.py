"""What a rule component knows: the knowledge base, the lexicon and the trigger lexicon.

A component gets them at ``initialize`` (from the registered loaders, the package's data by
default) and writes them with the pipeline, as spaCy's ``span_ruler`` keeps its patterns:
a saved pipeline behaves the same whatever the installed package's data.

No ``from __future__ import annotations`` here: spaCy validates ``initialize``'s settings
against its signature with pydantic, which needs the types themselves, not their names.
"""

import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any
from weakref import WeakValueDictionary

import srsly
from spacy.tokenizer import Tokenizer
from spacy.util import ensure_path

from technews.errors import NotInitializedError
from technews.kb import KnowledgeBase, knowledge_base_from_texts, load_knowledge_base
from technews.lexicon import Lexicon, load_lexicon
from technews.pipeline.name_table import NameTable, NameTokens, name_table, split_names
from technews.triggers import TriggerLexicon, load_trigger_lexicon, trigger_lexicon_from_data

KB_FOLDER = "knowledge_base"
LEXICON_FOLDER = "lexicon"
TRIGGERS_FILE = "triggers.json"
NAME_TOKENS_FILE = "name_tokens.json"

# A name's key in ``Knowledge.names``: its table (org, product, place, person, line, brand),
# canonical name, and whether the rules match it wherever it occurs (see ``_rule_matched``).
NameKey = tuple[str, str, bool]


@dataclass(frozen=True)
class Knowledge:
    """The knowledge base, lexicon and trigger lexicon of one component, as one value that
    reads and writes itself (a folder on disk, msgpack in bytes). ``name_tokens``: how the
    pipeline's tokenizer splits the names it does not split at spaces alone (see
    ``technews.pipeline.name_table``), saved so that loading needs no tokenizer.

    The components of a loaded pipeline share one value (``from_disk`` and ``from_bytes``
    return the same object for the same files), so its name table is built once."""

    kb: KnowledgeBase
    lexicon: Lexicon
    triggers: TriggerLexicon
    name_tokens: NameTokens | None = None

    @classmethod
    def of(
        cls,
        knowledge_base: KnowledgeBase | None = None,
        lexicon: Lexicon | None = None,
        triggers: TriggerLexicon | None = None,
    ) -> "Knowledge":
        """The given parts, the package's data for those not given."""
        return cls(
            load_knowledge_base() if knowledge_base is None else knowledge_base,
            load_lexicon() if lexicon is None else lexicon,
            load_trigger_lexicon() if triggers is None else triggers,
        )

    def with_name_tokens(self, tokenizer: Tokenizer) -> "Knowledge":
        """This knowledge with the tokens of its names, split by ``tokenizer`` where not
        yet known."""
        if self.name_tokens is not None:
            return self
        return replace(self, name_tokens=split_names(tokenizer, self.name_forms()))

    def name_forms(self) -> Iterator[str]:
        """Every name the knowledge base matches: surface forms, product lines, makers."""
        kb = self.kb
        forms = chain(
            kb.org_surface_forms(),
            kb.product_surface_forms(),
            kb.place_surface_forms(),
            kb.person_surface_forms(),
        )
        return chain((form for form, _canonical in forms), kb.product_lines, kb.organizations)

    @cached_property
    def names(self) -> NameTable[NameKey]:
        """Every name of the knowledge base in one table, so that a component finds all
        of them in one pass over a doc. Call ``with_name_tokens`` first."""
        kb = self.kb
        usable_orgs = {o.name for o in kb.organizations.values() if not o.ambiguous}
        usable_products = {p.name for p in kb.products.values() if not p.ambiguous}
        tables = {
            "org": _rule_matched(kb.org_surface_forms(), usable_orgs),
            "product": _rule_matched(kb.product_surface_forms(), usable_products),
            "place": ((form, canonical, True) for form, canonical in kb.place_surface_forms()),
            "person": ((form, canonical, True) for form, canonical in kb.person_surface_forms()),
            "line": ((line, line, True) for line in kb.product_lines),
            "brand": ((name, name, name in usable_orgs) for name in kb.makers()),
        }
        forms = (
            (form, (table, canonical, matched))
            for table, entries in tables.items()
            for form, canonical, matched in entries
        )
        with _no_garbage_collection():
            return name_table(forms, self.name_tokens or {}, kb.non_entities)

    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.kb.to_disk(path / KB_FOLDER)
        self.lexicon.to_disk(path / LEXICON_FOLDER)
        self.triggers.to_disk(path / TRIGGERS_FILE)
        if self.name_tokens is not None:
            srsly.write_json(path / NAME_TOKENS_FILE, self.name_tokens)

    def to_bytes(self) -> bytes:
        files = {
            "kb": self.kb.to_texts(),
            "lexicon": self.lexicon.files,
            "triggers": self.triggers.data,
            "name_tokens": self.name_tokens,
        }
        return srsly.msgpack_dumps(files)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Knowledge":
        def read() -> Knowledge:
            files = srsly.msgpack_loads(data)
            return cls(
                knowledge_base_from_texts(files["kb"]),
                Lexicon(files["lexicon"]),
                trigger_lexicon_from_data(files["triggers"]),
                _name_tokens(files.get("name_tokens")),
            )

        return _shared(hashlib.sha256(data).hexdigest(), read)

    @classmethod
    def from_disk(cls, path: Path) -> "Knowledge":
        def read() -> Knowledge:
            tokens_file = path / NAME_TOKENS_FILE
            return cls(
                load_knowledge_base(path / KB_FOLDER),
                load_lexicon(path / LEXICON_FOLDER),
                load_trigger_lexicon(path / TRIGGERS_FILE),
                _name_tokens(srsly.read_json(tokens_file) if tokens_file.is_file() else None),
            )

        return _shared(_folder_digest(path), read)


# Knowledge read from disk or bytes, by the digest of what was read, while a component holds it.
_SHARED: "WeakValueDictionary[str, Knowledge]" = WeakValueDictionary()


def _shared(digest: str, read: Callable[[], Knowledge]) -> Knowledge:
    """The knowledge read from files of this digest, read once while a component holds it."""
    knowledge = _SHARED.get(digest)
    if knowledge is None:
        with _no_garbage_collection():
            knowledge = _SHARED[digest] = read()
    return knowledge


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Building 100,000 entries triggers the cyclic collector over and over, though they
    form no cycles: without it, loading takes a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _folder_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode("utf-8"))
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _rule_matched(forms: Iterable[tuple[str, str]], usable: set[str]) -> Iterator[tuple[str, str, bool]]:
    """The written forms (form, canonical) of organizations or products, each with whether
    the rules match it wherever it occurs: all forms of a name in ``usable`` (no everyday
    word); of an ambiguous one, the distinctive forms (more than letters: `ver.di`,
    `Die Grünen`, `X Corp`), its own name only when it has more than letters and spaces
    (`A1`, `20 Minuten`, `VW Golf`, but not `Die Post`, `Das Magazin`, `Golf`, which stand
    in their everyday sense). The trained NER may still read the others in context."""
    for form, canonical in forms:
        own_name_is_words = form == canonical and form.replace(" ", "").isalpha()
        yield form, canonical, canonical in usable or (not form.isalpha() and not own_name_is_words)


def _name_tokens(data: dict[str, list[str]] | None) -> NameTokens | None:
    return None if data is None else {form: tuple(tokens) for form, tokens in data.items()}


def require(knowledge: Knowledge | None, component: str) -> Knowledge:
    if knowledge is None:
        raise NotInitializedError(
            f"{component} has no knowledge base yet: call nlp.initialize() or load a saved pipeline"
        )
    return knowledge


class RuleComponent:
    """Base of the rule components: knowledge set at ``initialize`` or read by ``from_disk``,
    written by ``to_disk``; ``set_knowledge`` builds what the component derives from it."""

    name: str
    knowledge: Knowledge | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Any = None,
        knowledge_base: KnowledgeBase | None = None,
        lexicon: Lexicon | None = None,
        triggers: TriggerLexicon | None = None,
    ) -> None:
        self.set_knowledge(Knowledge.of(knowledge_base, lexicon, triggers))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        require(self.knowledge, self.name).to_disk(ensure_path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RuleComponent":
        self.set_knowledge(Knowledge.from_disk(ensure_path(path)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return require(self.knowledge, self.name).to_bytes()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "RuleComponent":
        self.set_knowledge(Knowledge.from_bytes(data))
        return self

    def set_knowledge(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
