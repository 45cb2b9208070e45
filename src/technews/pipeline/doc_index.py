"""Sentences and entities of a ``Doc``, computed once per document.

``doc.ents`` and ``span.sent`` rebuild their answer on every access; components
that look up entities by sentence would otherwise take quadratic time on long
articles. A sentence longer than ``MAX_SENTENCE_TOKENS`` (text without full stops)
counts as several, so that the work per sentence of the relation components (pairs,
triggers, cues, references) stays bounded however the text is punctuated.

The first component that reads it (``technews_references``) builds it; it is kept in
``doc.user_data`` as plain token offsets, so docs still serialise, and the later readers
rebuild the spans from those offsets instead of walking the doc again. A stored index is
used only while ``doc.ents`` is what it was built from; sentence boundaries are not
expected to change after the sentencizer.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

STORED_KEY = "technews.doc_index"

# Real news sentences are shorter: at most 96 tokens in 4,848 sentences of derStandard.
MAX_SENTENCE_TOKENS = 150


@dataclass
class DocIndex:
    sentences: list[Span]
    sentence_of: list[int]  # sentence number of each token
    entities: list[Span]
    entities_by_sentence: list[list[Span]]
    entity_starting_at: dict[int, Span]

    @classmethod
    def of(cls, doc: Doc) -> DocIndex:
        """The index stored on ``doc`` if it still matches its entities, else a new one, stored."""
        entities = list(doc.ents)
        stored = doc.user_data.get(STORED_KEY)
        if stored is not None and list(stored["entities"]) == [_offsets(e) for e in entities]:
            sentences = [doc[start:end] for start, end in stored["sentences"]]
        else:
            parsed = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
            sentences = [piece for sent in parsed for piece in _pieces(sent)]
            doc.user_data[STORED_KEY] = {
                "sentences": [(s.start, s.end) for s in sentences],
                "entities": [_offsets(e) for e in entities],
            }
        return cls._build(sentences, entities, len(doc))

    @classmethod
    def _build(cls, sentences: list[Span], entities: list[Span], n_tokens: int) -> DocIndex:
        sentence_of = [0] * n_tokens
        for number, sent in enumerate(sentences):
            sentence_of[sent.start : sent.end] = [number] * len(sent)
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


def _offsets(ent: Span) -> tuple[int, int, str]:
    return ent.start, ent.end, ent.label_


def _pieces(sent: Span) -> list[Span]:
    """The sentence, or for an overlong one pieces of at most ``MAX_SENTENCE_TOKENS``, each
    cut after its last punctuation mark in its second half (else at the limit), never
    inside an entity."""
    if len(sent) <= MAX_SENTENCE_TOKENS:
        return [sent]
    doc, pieces, start = sent.doc, [], sent.start
    while sent.end - start > MAX_SENTENCE_TOKENS:
        limit = start + MAX_SENTENCE_TOKENS
        end = next(
            (i + 1 for i in range(limit - 1, limit - MAX_SENTENCE_TOKENS // 2, -1) if doc[i].is_punct), limit
        )
        while end > start + 1 and doc[end].ent_iob_ == "I":
            end -= 1  # the cut moves to the start of the entity it would split
        pieces.append(doc[start:end])
        start = end
    pieces.append(doc[start : sent.end])
    return pieces
