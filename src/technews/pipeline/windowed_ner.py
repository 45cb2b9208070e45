"""spaCy's entity recognizer, run over windows of a bounded number of tokens.

The recognizer's memory grows with the tokens it predicts at once (about 7 KB a
token: 940 MB for the 100,000 tokens of `'a\\n' * 50_000`). A doc longer than
``max_tokens`` is read window by window, each cut after a line break or a sentence
end where one is near, and its entities are set on the doc; docs are predicted in
groups of at most ``max_tokens`` tokens. Real articles are shorter than a window
(a 100,000-character article has about 17,000 tokens) and are read whole, as before.
Training is spaCy's own: only prediction is windowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.pipeline.ner import DEFAULT_NER_MODEL
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab
from thinc.api import Model

MAX_TOKENS = 20_000
WINDOW_ENDS = frozenset({".", "!", "?"})


@dataclass
class Window:
    doc: Doc  # what the model reads: the doc itself, or a copy of a window of it
    source: Doc
    offset: int  # where the window starts in the source


@Language.factory(
    "technews_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": DEFAULT_NER_MODEL,
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
        "max_tokens": MAX_TOKENS,
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_windowed_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves: Any,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    scorer: Callable | None,
    max_tokens: int,
) -> WindowedEntityRecognizer:
    recognizer = WindowedEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )
    recognizer.max_tokens = max_tokens
    return recognizer


class WindowedEntityRecognizer(EntityRecognizer):
    """``EntityRecognizer`` whose prediction reads at most ``max_tokens`` tokens at once."""

    max_tokens: int = MAX_TOKENS

    def predict(self, docs: Any) -> list[tuple[list[Window], Any]]:
        docs = [docs] if isinstance(docs, Doc) else list(docs)
        windows = [window for doc in docs for window in self._windows(doc)]
        predict = super().predict  # zero-argument super() is not available inside a comprehension
        return [(group, predict([w.doc for w in group])) for group in self._groups(windows)]

    def set_annotations(self, docs: Any, predicted: list[tuple[list[Window], Any]]) -> None:
        by_source: dict[int, list[Span]] = {}
        for group, states in predicted:
            super().set_annotations([w.doc for w in group], states)
            for window in group:
                if window.doc is not window.source:
                    entities = by_source.setdefault(id(window.source), [])
                    entities += [_shifted(window, ent) for ent in window.doc.ents]
        for doc in [docs] if isinstance(docs, Doc) else docs:
            if id(doc) in by_source:
                doc.set_ents(by_source[id(doc)], default="outside")

    def _windows(self, doc: Doc) -> Iterator[Window]:
        if len(doc) <= self.max_tokens:
            yield Window(doc, doc, 0)
            return
        words = doc.to_array([ORTH, SPACY])
        features = doc._.name_features
        start = 0
        while start < len(doc):
            end = _window_end(doc, start, self.max_tokens)
            window = _window_doc(doc.vocab, words[start:end])
            if features is not None:  # what the model reads besides the words
                window._.name_features = features[start:end]
            yield Window(window, doc, start)
            start = end

    def _groups(self, windows: list[Window]) -> Iterator[list[Window]]:
        group: list[Window] = []
        size = 0
        for window in windows:
            if group and size + len(window.doc) > self.max_tokens:
                yield group
                group, size = [], 0
            group.append(window)
            size += len(window.doc)
        if group:
            yield group


def _window_end(doc: Doc, start: int, max_tokens: int) -> int:
    """After the last line break or sentence end in the second half of the window, else at
    its limit."""
    limit = min(start + max_tokens, len(doc))
    if limit == len(doc):
        return limit
    for i in range(limit - 1, start + max_tokens // 2, -1):
        if doc[i].is_space or doc[i].text in WINDOW_ENDS:
            return i + 1
    return limit


def _window_doc(vocab: Vocab, words: numpy.ndarray) -> Doc:
    """A doc of the window's words and spaces only: the recognizer reads nothing else but
    ``doc._.name_features``, which the caller copies; ``Span.as_doc`` would also copy every
    token's vector (a third of the time on 100,000 tokens)."""
    texts = [vocab.strings[orth] for orth in words[:, 0]]
    return Doc(vocab, words=texts, spaces=words[:, 1].astype(bool).tolist())


def _shifted(window: Window, ent: Span) -> Span:
    return Span(window.source, ent.start + window.offset, ent.end + window.offset, label=ent.label_)
