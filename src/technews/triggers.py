"""The trigger lexicon of relations and status cues, and finding its phrases in a sentence."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Span
from spacy.util import registry

from technews.errors import LexiconError
from technews.lexicon import lexicon_path

YEAR = "<year>"  # stands for any four-digit year in a phrase
Phrase = tuple[str, ...]  # lower-cased tokens
Trigger = tuple[Phrase, ...]  # phrases that must follow each other within a sentence


@dataclass(frozen=True)
class TriggerHit:
    """A trigger found in a sentence: its relation and the token range it covers."""

    relation: str
    direction: str  # "symmetric", or an owned_by direction of the lexicon ("owner_first", ...)
    start: int
    end: int


@dataclass(frozen=True)
class TriggerLexicon:
    triggers: tuple[tuple[str, str, Trigger], ...]  # (relation, direction, trigger)
    status_cues: dict[str, tuple[Trigger, ...]]
    not_partners: frozenset[str] = frozenset()  # `Spotify-Konkurrent`: a rival, not a partner
    maker_participles: frozenset[str] = frozenset()  # `gefertigt ... von Samsung`
    data: dict = field(default_factory=dict, compare=False, repr=False)  # as read, for to_disk

    def to_disk(self, path: Path) -> None:
        path.write_text(json.dumps(self.data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def find_triggers(self, sent: Span) -> list[TriggerHit]:
        words, present = _words(sent)
        hits = []
        for relation, direction, trigger in self.triggers:
            if not _may_occur(trigger, present):
                continue
            found = _find(words, trigger)
            if found:
                hits.append(TriggerHit(relation, direction, sent.start + found[0], sent.start + found[1]))
        return hits

    def cue_positions(self, sent: Span, cue: str) -> list[int]:
        """Document token indices where a status cue of this kind starts."""
        words, present = _words(sent)
        positions = []
        for trigger in self.status_cues[cue]:
            found = _find(words, trigger) if _may_occur(trigger, present) else None
            while found:
                positions.append(sent.start + found[0])
                found = _find(words, trigger, found[0] + 1)
        return positions

    def has_cue(self, sent: Span, cue: str) -> bool:
        return bool(self.cue_positions(sent, cue))


def _phrase(text: str) -> Trigger:
    """'setzt ... auf' -> (('setzt',), ('auf',)); 'Lizenz-Deal' -> (('lizenz', '-', 'deal'),)."""
    return tuple(tuple(part.replace("-", " - ").lower().split()) for part in text.split(" ... "))


def _words(sent: Span) -> tuple[list[str], set[str]]:
    words = [token.lower_ for token in sent]
    return words, set(words)


def _may_occur(trigger: Trigger, present: set[str]) -> bool:
    """A cheap test before the search: the first word of every phrase is in the sentence."""
    return all(phrase[0] == YEAR or phrase[0] in present for phrase in trigger)


def _find(words: list[str], trigger: Trigger, position: int = 0) -> tuple[int, int] | None:
    """First occurrence of the trigger's phrases in order from ``position``; (start, end)."""
    first = None
    for phrase in trigger:
        size = len(phrase)
        for i in range(position, len(words) - size + 1):
            if all(_word_matches(w, p) for w, p in zip(words[i : i + size], phrase, strict=True)):
                first = i if first is None else first
                position = i + size
                break
        else:
            return None
    return (first, position) if first is not None else None


def _word_matches(word: str, pattern: str) -> bool:
    return word == pattern or (pattern == YEAR and len(word) == 4 and word.isdigit())


def load_trigger_lexicon(path: Path | None = None) -> TriggerLexicon:
    """The trigger lexicon of a JSON file (the package's relations.json by default)."""
    path = path or lexicon_path("relations.json")
    if not path.is_file():
        raise LexiconError(f"No trigger lexicon at {path}: not a file")
    return trigger_lexicon_from_data(json.loads(path.read_text("utf-8")))


def trigger_lexicon_from_data(data: dict) -> TriggerLexicon:
    """The trigger lexicon of relations.json's content."""
    triggers = [("partner_of", "symmetric", _phrase(t)) for t in data["partner_of"]]
    for direction, phrases in data["owned_by"].items():
        triggers += [("owned_by", direction, _phrase(t)) for t in phrases]
    cues = {cue: tuple(_phrase(t) for t in phrases) for cue, phrases in data["status"].items()}
    not_partners, participles = frozenset(data["not_partners"]), frozenset(data["made_by"])
    return TriggerLexicon(tuple(triggers), cues, not_partners, participles, data)


@registry.misc("technews.trigger_lexicon.v1")
def trigger_lexicon_from_path(path: str | None = None) -> TriggerLexicon:
    """Config hook: ``triggers = {"@misc": "technews.trigger_lexicon.v1"}``."""
    return load_trigger_lexicon(Path(path) if path else None)
