"""Sentences and entities of a ``Doc``, computed once per document.

``doc.ents`` and ``span.sent`` rebuild their answer on every access; components
that look up entities by sentence would otherwise take quadratic time on long
articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span


@dataclass
class DocIndex:
    sentences: list[Span]
    sentence_of: list[int]  # sentence number of each token
    entities: list[Span]
    entities_by_sentence: list[list[Span]]
    entity_starting_at: dict[int, Span]

    @classmethod
    def of(cls, doc: Doc) -> DocIndex:
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        sentence_of = [0] * len(doc)
        for number, sent in enumerate(sentences):
            sentence_of[sent.start : sent.end] = [number] * len(sent)
        entities = list(doc.ents)
        by_sentence: list[list[Span]] = [[] for _ in sentences]
        for ent in entities:
            by_sentence[sentence_of[ent.start]].append(ent)
        return cls(sentences, sentence_of, entities, by_sentence, {e.start: e for e in entities})

    def sentence(self, token_index: int) -> Span:
        return self.sentences[self.sentence_of[token_index]]

    def entity_covering(self, token_index: int) -> Span | None:
        for ent in self.entities_by_sentence[self.sentence_of[token_index]]:
            if ent.start <= token_index < ent.end:
                return ent
        return None
