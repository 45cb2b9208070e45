"""A trained scorer for brand relations: made_by, partner_of, owned_by or none, and status.

It scores every candidate pair of ``relation_features`` (products with organizations,
organizations with each other, across sentences and descriptions) from sparse
features, the rules' verdicts among them, with a hashed linear model. The model is
configured apart from the component (``technews.RelationScorer.v1``), as in spaCy's
relation-extraction tutorial; the component turns its scores into mention-level
relations in ``doc._.relations``, replacing the rules' ones it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy
import srsly
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.strings import hash_string  # type: ignore[attr-defined]  # in strings.pyx, not its stub
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import ensure_path, registry
from thinc.api import Model, Optimizer, SparseLinear_v2
from thinc.types import Floats1d, Floats2d

from technews.extensions import register_extensions
from technews.kb import KnowledgeBase
from technews.lexicon import Lexicon
from technews.matching import names_by_canonical, same_relation
from technews.pipeline.knowledge import Knowledge, require
from technews.pipeline.relation_features import (
    ORG_ORG,
    PRODUCT_ORG,
    ArticleContext,
    PairCandidate,
    candidates,
    features,
)
from technews.pipeline.relations import STATUS_OF_CUE, can_partner, sentence_offsets
from technews.relation_types import STATUS_PRECEDENCE, Relation
from technews.triggers import TriggerLexicon

register_extensions()

RELATIONS = ("none", "made_by", "partner_of", "owned_by")
STATUSES = ("current", "past", "planned", "rumored")
# Which relations each kind of pair can have.
ALLOWED = {PRODUCT_ORG: ("none", "made_by"), ORG_ORG: ("none", "partner_of", "owned_by")}
Features = tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]  # keys, values, lengths


@registry.architectures("technews.RelationScorer.v1")
def build_relation_model(hash_length: int = 2**17) -> Model[Features, Floats2d]:
    """A linear model over hashed features: one score per relation, then one per status."""
    return SparseLinear_v2(nO=len(RELATIONS) + len(STATUSES), length=hash_length)


@Language.factory(
    "technews_relation_scorer",
    assigns=["doc._.relations"],
    requires=["doc.ents", "doc.sents", "span._.canonical", "doc._.references", "doc._.relations"],
    default_config={
        "model": {"@architectures": "technews.RelationScorer.v1", "hash_length": 2**17},
        "threshold": 0.7,
        "veto": 0.9,
        "max_sentence_distance": 1,
    },
)
def make_relation_scorer(
    nlp: Language,
    name: str,
    model: Model[Features, Floats2d],
    threshold: float,
    veto: float,
    max_sentence_distance: int,
) -> RelationScorer:
    return RelationScorer(nlp.vocab, model, name, threshold, veto, max_sentence_distance)


@dataclass
class ScoredArticle:
    context: ArticleContext
    candidates: list[PairCandidate]


class RelationScorer(TrainablePipe):
    """Scores candidate pairs; keeps the rules' relations it does not veto and adds its own.

    threshold: the least probability of a relation the model adds; higher favours precision.
    veto: the model drops a relation of the rules where its probability of "none" is above
        this (1.0: never).
    max_sentence_distance: how many sentences apart two organizations may be paired.
    """

    def __init__(
        self,
        vocab,
        model: Model[Features, Floats2d],
        name: str,
        threshold: float,
        veto: float,
        max_sentence_distance: int,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.knowledge: Knowledge | None = None
        self.cfg: dict[str, Any] = {
            "threshold": threshold,
            "veto": veto,
            "max_sentence_distance": max_sentence_distance,
        }

    def set_knowledge(self, knowledge: Knowledge) -> None:
        """The knowledge base's makers and the triggers that its features read."""
        self.knowledge = knowledge
        self.kb = knowledge.kb
        self.triggers = knowledge.triggers
        self.lexicon = knowledge.lexicon

    # Prediction -----------------------------------------------------------

    def predict(self, docs: Iterable[Doc]) -> tuple[list[ScoredArticle], Floats2d]:
        require(self.knowledge, self.name)
        articles = [self._article(doc) for doc in docs]
        return articles, self._scores(articles, is_train=False)[0]

    def set_annotations(self, docs: Iterable[Doc], predictions: tuple[list[ScoredArticle], Floats2d]) -> None:
        articles, scores = predictions
        row = 0
        for doc, article in zip(docs, articles, strict=True):
            rows = scores[row : row + len(article.candidates)]
            row += len(article.candidates)
            doc._.relations = self._relations(article, rows)

    def relations_of(self, doc: Doc) -> list[Relation]:
        """The relations this scorer finds in ``doc``, without setting them."""
        article = self._article(doc)
        return self._relations(article, self._scores([article], is_train=False)[0])

    def _relations(self, article: ScoredArticle, scores: Floats2d) -> list[Relation]:
        """The rules' relations the model does not veto, and the model's own above the
        threshold. The rules are precise where they fire (and read status well); the
        model adds what they cannot see: relations across sentences and descriptions,
        phrasings without a trigger of the lexicon."""
        none_probability: dict[tuple, float] = {}
        added: list[Relation] = []
        for candidate, row in zip(article.candidates, scores, strict=True):
            probs = _softmax(_allowed(row[: len(RELATIONS)], candidate.kind))
            for kind in ALLOWED[candidate.kind][1:]:
                none_probability[(kind, candidate.head.span, candidate.tail.span)] = float(probs[0])
            best = int(probs.argmax())
            if RELATIONS[best] == "partner_of" and not self._may_partner(article, candidate):
                continue
            if RELATIONS[best] != "none" and probs[best] >= self.cfg["threshold"]:
                added.append(self._relation(article, candidate, RELATIONS[best], float(probs[best]), row))
        found: dict[tuple, Relation] = {}
        for rule in article.context.doc._.relations or []:
            if none_probability.get((rule.relation, rule.head, rule.tail), 0.0) <= self.cfg["veto"]:
                _keep_best(found, rule)
        for relation in sorted(added, key=lambda r: -r.score):
            found.setdefault(_mention_key(relation), relation)  # the rules' verdict on a pair stands
        return sorted(found.values(), key=lambda r: (r.head.start, r.tail.start, r.relation))

    def _may_partner(self, article: ScoredArticle, candidate: PairCandidate) -> bool:
        context = article.context
        return all(can_partner(arg, context.kb, context.triggers) for arg in (candidate.head, candidate.tail))

    def _relation(
        self, article: ScoredArticle, candidate: PairCandidate, relation: str, score: float, row: Floats1d
    ) -> Relation:
        """The model's relation. Its status: the strongest the rules read for the pair;
        else current for made_by; else what the cues of its sentences say; else the
        model's status head, which learnt little (most training relations are current)."""
        names = (candidate.head.name, candidate.tail.name)
        verdicts = set(article.context.rules.get(names, ()))
        if relation == "partner_of":
            verdicts |= article.context.rules.get(names[::-1], set())
        rule_statuses = sorted(
            (status for kind, _, status in verdicts if kind == relation), key=STATUS_PRECEDENCE.index
        )
        head, tail = candidate.head.span, candidate.tail.span
        context, index = article.context, article.context.index
        cues = context.cues(context.sentence(head)) | context.cues(context.sentence(tail))
        if rule_statuses:
            status = rule_statuses[0]
        elif relation == "made_by":
            status = "current"  # ANNOTATION.md: made_by is always current
        else:
            status = _status_of_cues(cues) or STATUSES[int(row[len(RELATIONS) :].argmax())]
        first, last = sorted((index.sentence(head.start), index.sentence(tail.start)), key=lambda s: s.start)
        evidence = (sentence_offsets(first)[0], sentence_offsets(last)[1])
        return Relation(
            head, tail, candidate.head.name, candidate.tail.name, relation, status, evidence, score, "model"
        )

    # Serialization: the weights and the knowledge (on disk). `threshold` and `veto` come from
    # the config, so that a config (or `spacy.load(..., config=...)`) sets them, not the values
    # saved with it.

    def to_disk(self, path, *, exclude=tuple()):
        super().to_disk(path, exclude=[*exclude, "cfg"])
        require(self.knowledge, self.name).to_disk(ensure_path(path))

    def from_disk(self, path, *, exclude=tuple()) -> RelationScorer:
        super().from_disk(path, exclude=[*exclude, "cfg"])
        self.set_knowledge(Knowledge.from_disk(ensure_path(path)))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        weights = super().to_bytes(exclude=[*exclude, "cfg"])
        knowledge = require(self.knowledge, self.name).to_bytes()
        return srsly.msgpack_dumps({"pipe": weights, "knowledge": knowledge})

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> RelationScorer:
        parts = srsly.msgpack_loads(bytes_data)
        super().from_bytes(parts["pipe"], exclude=[*exclude, "cfg"])
        self.set_knowledge(Knowledge.from_bytes(parts["knowledge"]))
        return self

    # Training -------------------------------------------------------------

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        knowledge_base: KnowledgeBase | None = None,
        lexicon: Lexicon | None = None,
        triggers: TriggerLexicon | None = None,
    ) -> None:
        self.set_knowledge(Knowledge.of(knowledge_base, lexicon, triggers))
        self.model.initialize()

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """One step on examples whose ``predicted`` docs went through the upstream
        components and whose ``reference.user_data["gold"]`` holds the article's gold
        entities and relations (and which kinds of pair it annotates)."""
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        articles = [self._article(example.predicted) for example in examples]
        scores, backprop = self._scores(articles, is_train=True)
        if backprop is None:
            return losses
        gradient, loss = self._gradient(examples, articles, scores)
        backprop(gradient)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores) -> tuple[float, Floats2d]:
        examples = list(examples)
        articles = [self._article(example.predicted) for example in examples]
        gradient, loss = self._gradient(examples, articles, scores)
        return loss, gradient

    def _gradient(
        self, examples: list[Example], articles: list[ScoredArticle], scores: Floats2d
    ) -> tuple[Floats2d, float]:
        """Cross-entropy of the relation scores on every annotated pair, and of the status
        scores on pairs in a relation whose status is known. A product and its maker by
        the knowledge base that the gold leaves unrelated count neither way: annotators
        leave out made_by the article only implies (ANNOTATION.md asks for it), so such
        a gap is no evidence against the relation."""
        gradient = numpy.zeros_like(scores)
        loss, row = 0.0, 0
        n_relations = len(RELATIONS)
        for example, article in zip(examples, articles, strict=True):
            gold = example.reference.user_data["gold"]
            names = names_by_canonical(gold["entities"])
            for candidate in article.candidates:
                label = _gold_relation(candidate, gold["relations"], names)
                if candidate.kind in gold["annotated"] and (label or not self._implied(candidate)):
                    target = RELATIONS.index(label["relation"] if label else "none")
                    probs = _softmax(_allowed(scores[row, :n_relations], candidate.kind))
                    loss -= float(numpy.log(probs[target] + 1e-9))
                    gradient[row, :n_relations] = probs
                    gradient[row, target] -= 1.0
                    if label and label.get("status") in STATUSES:
                        status_probs = _softmax(scores[row, n_relations:])
                        gradient[row, n_relations:] = status_probs
                        gradient[row, n_relations + STATUSES.index(label["status"])] -= 1.0
                row += 1
        return cast(Floats2d, gradient / max(1, row)), loss

    def _implied(self, candidate: PairCandidate) -> bool:
        if candidate.kind != PRODUCT_ORG:
            return False
        return candidate.tail.name in self.kb.makers_of(candidate.head.name)

    # Shared ---------------------------------------------------------------

    def _article(self, doc: Doc) -> ScoredArticle:
        context = ArticleContext(doc, self.kb, self.triggers, self.lexicon)
        return ScoredArticle(context, candidates(context, self.cfg["max_sentence_distance"]))

    def _scores(self, articles: list[ScoredArticle], is_train: bool):
        keys, lengths = [], []
        for article in articles:
            for candidate in article.candidates:
                hashed = [hash_string(feature) for feature in features(article.context, candidate)]
                keys.extend(hashed)
                lengths.append(len(hashed))
        if not lengths:  # no candidate: nothing to score or learn from
            return numpy.zeros((0, len(RELATIONS) + len(STATUSES)), dtype="f"), None
        inputs = (
            numpy.asarray(keys, dtype="uint64"),
            numpy.ones(len(keys), dtype="f"),
            numpy.asarray(lengths, dtype="int32"),
        )
        if is_train:
            return self.model.begin_update(inputs)
        return self.model.predict(inputs), None


def _status_of_cues(cues: set[str]) -> str | None:
    """The status the cues of the relation's sentences give, as the rules read them."""
    if "rumored" in cues:
        return "rumored"
    return next((STATUS_OF_CUE[cue] for cue in STATUS_OF_CUE if cue in cues), None)


def _mention_key(relation: Relation) -> tuple:
    """A relation's type and pair of mentions, in either order for partner_of (with the names:
    one `beide Hersteller` stands for two)."""
    mentions = ((relation.head.start, relation.head_name), (relation.tail.start, relation.tail_name))
    return (relation.relation, *(sorted(mentions) if relation.relation == "partner_of" else mentions))


def _keep_best(found: dict[tuple, Relation], relation: Relation) -> None:
    key = _mention_key(relation)
    if key not in found or found[key].score < relation.score:
        found[key] = relation


def _gold_relation(candidate: PairCandidate, gold: list[dict], names: dict[str, set[str]]) -> dict | None:
    """The gold relation this candidate stands for, if any (names matched as the scorer does)."""
    for relation in ALLOWED[candidate.kind][1:]:
        predicted = {"relation": relation, "head": candidate.head.name, "tail": candidate.tail.name}
        match = next((g for g in gold if same_relation(g, predicted, names)), None)
        if match is not None:
            return match
    return None


def _allowed(scores: Floats1d, kind: str) -> Floats1d:
    masked = numpy.full(len(RELATIONS), -1e9, dtype="f")
    for relation in ALLOWED[kind]:
        masked[RELATIONS.index(relation)] = scores[RELATIONS.index(relation)]
    return cast(Floats1d, masked)


def _softmax(scores: Floats1d) -> Floats1d:
    values = numpy.asarray(scores)
    exp = numpy.exp(values - values.max())
    return exp / exp.sum()
