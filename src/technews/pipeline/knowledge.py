"""What a rule component knows: the knowledge base, the lexicon and the trigger lexicon.

A component gets them at ``initialize`` (from the registered loaders, the package's data by
default) and writes them with the pipeline, as spaCy's ``span_ruler`` keeps its patterns:
a saved pipeline behaves the same whatever the installed package's data.

No ``from __future__ import annotations`` here: spaCy validates ``initialize``'s settings
against its signature with pydantic, which needs the types themselves, not their names.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srsly
from spacy.util import ensure_path

from technews.errors import NotInitializedError
from technews.kb import KnowledgeBase, knowledge_base_from_texts, load_knowledge_base
from technews.lexicon import Lexicon, load_lexicon
from technews.triggers import TriggerLexicon, load_trigger_lexicon, trigger_lexicon_from_data

KB_FOLDER = "knowledge_base"
LEXICON_FOLDER = "lexicon"
TRIGGERS_FILE = "triggers.json"


@dataclass(frozen=True)
class Knowledge:
    """The knowledge base, lexicon and trigger lexicon of one component, as one value that
    reads and writes itself (a folder on disk, msgpack in bytes)."""

    kb: KnowledgeBase
    lexicon: Lexicon
    triggers: TriggerLexicon

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

    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.kb.to_disk(path / KB_FOLDER)
        self.lexicon.to_disk(path / LEXICON_FOLDER)
        self.triggers.to_disk(path / TRIGGERS_FILE)

    def to_bytes(self) -> bytes:
        files = {"kb": self.kb.to_texts(), "lexicon": self.lexicon.files, "triggers": self.triggers.data}
        return srsly.msgpack_dumps(files)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Knowledge":
        files = srsly.msgpack_loads(data)
        return cls(
            knowledge_base_from_texts(files["kb"]),
            Lexicon(files["lexicon"]),
            trigger_lexicon_from_data(files["triggers"]),
        )

    @classmethod
    def from_disk(cls, path: Path) -> "Knowledge":
        return cls(
            load_knowledge_base(path / KB_FOLDER),
            load_lexicon(path / LEXICON_FOLDER),
            load_trigger_lexicon(path / TRIGGERS_FILE),
        )


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
