"""A trained scorer for brand relations: made_by, partner_of, owned_by or none, and status.

It scores every candidate pair of ``relation_features`` (products with organizations,
organizations with each other, across sentences and descriptions) from sparse
features, the rules' verdicts among them, with a hashed linear model. The model is
configured apart from the component (``technews.RelationScorer.v1``), as in spaCy's
relation-extraction tutorial; the component turns its scores into mention-level
relations in ``doc._.relations``, replacing the rules' ones it was given.

It is trained with the rules' verdicts hidden from half of the candidates and on authored
paragraphs joined into articles (``technews.training.relations``), so that it decides from
the words around a pair and not only from the rules, and its ``threshold`` is low enough
for it to add what it reads.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any, cast

import numpy
import srsly
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.strings import hash_string  # type: ignore[attr-defined]  # in strings.pyx, not its stub
from spacy.tokens import Doc, Span
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
    is_rule_feature,
)
from technews.pipeline.relations import (
    STATUS_OF_CUE,
    can_partner,
    conjuncts,
    is_comparison,
    is_negated,
    sentence_offsets,
)
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
        "learnt_status": True,
    },
)
def make_relation_scorer(
    nlp: Language,
    name: str,
    model: Model[Features, Floats2d],
    threshold: float,
    veto: float,
    max_sentence_distance: int,
    learnt_status: bool,
) -> RelationScorer:
    return RelationScorer(nlp.vocab, model, name, threshold, veto, max_sentence_distance, learnt_status)


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
    learnt_status: the status of partner_of and owned_by is the model's (its status scores
        read the rules' cues as features) wherever the rules read no cue of their own and the
        model is at least ``threshold`` sure; else the rules' cue, as before issue 13.
    """

    def __init__(
        self,
        vocab,
        model: Model[Features, Floats2d],
        name: str,
        threshold: float,
        veto: float,
        max_sentence_distance: int,
        learnt_status: bool = True,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.knowledge: Knowledge | None = None
        self.cfg: dict[str, Any] = {
            "threshold": threshold,
            "veto": veto,
            "max_sentence_distance": max_sentence_distance,
            "learnt_status": learnt_status,
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
        threshold where the rules' exclusions allow them. The rules are precise where they
        fire; the model adds what they cannot see: relations across sentences and
        descriptions, phrasings without a trigger of the lexicon, statuses without a cue."""
        none_probability: dict[tuple, float] = {}
        learnt_status: dict[tuple, str] = {}
        added: list[Relation] = []
        lists = conjuncts(article.context.index, article.context.list_endings)
        threshold = self.cfg["threshold"]
        all_probs = _probabilities(article.candidates, scores)
        for candidate, row, probs in zip(article.candidates, scores, all_probs, strict=True):
            # made_by is always current (ANNOTATION.md): only pairs of organizations learn one.
            learns = self.cfg["learnt_status"] and candidate.kind == ORG_ORG
            learnt = _learnt_status(row, threshold) if learns else None
            for kind in ALLOWED[candidate.kind][1:]:
                key = _pair_key(kind, candidate.head.span, candidate.tail.span)
                none_probability[key] = float(probs[0])
                if learnt:
                    learnt_status[key] = learnt
            best = int(probs.argmax())
            label = RELATIONS[best]
            if label == "none" or probs[best] < threshold:
                continue
            if label == "made_by" or _may_relate(article.context, candidate, label):
                added.append(self._relation(article, candidate, label, float(probs[best]), row))
        found: dict[tuple, Relation] = {}
        for rule in article.context.doc._.relations or []:
            key = _pair_key(rule.relation, rule.head, rule.tail)
            if none_probability.get(key, 0.0) <= self.cfg["veto"]:
                if rule.status_cue == "current" and key in learnt_status:
                    rule = dataclasses.replace(rule, status_cue=learnt_status[key])
                _keep_best(found, rule)
        for relation in sorted(added, key=lambda r: -r.score):
            if not _owner_of_maker(article.context, relation, found.values()):
                found.setdefault(_mention_key(relation), relation)  # the rules' verdict on a pair stands
        kept = [r for r in found.values() if not _siblings_as_partners(r, found.values(), lists)]
        found = {_mention_key(r): r for r in kept}
        for relation in _of_conjuncts(kept, lists):
            found.setdefault(_mention_key(relation), relation)
        return sorted(found.values(), key=lambda r: (r.head.start, r.tail.start, r.relation))

    def _relation(
        self, article: ScoredArticle, candidate: PairCandidate, relation: str, score: float, row: Floats1d
    ) -> Relation:
        """The model's relation. Its status: current for made_by; else a cue the rules read
        for the pair (`bis 2020`, `soll ab 2027`); else the model's status head where it is
        at least ``threshold`` sure; else the rules' status and the cues of the pair's
        sentences."""
        names = (candidate.head.name, candidate.tail.name)
        verdicts = set(article.context.rules.get(names, ()))
        if relation == "partner_of":
            verdicts |= article.context.rules.get(names[::-1], set())
        rule_statuses = sorted(
            (status for kind, _, status in verdicts if kind == relation), key=STATUS_PRECEDENCE.index
        )
        head, tail = candidate.head.span, candidate.tail.span
        context, index = article.context, article.context.index
        if relation == "made_by":
            status = "current"  # ANNOTATION.md: made_by is always current
        elif rule_statuses and not rule_statuses[0].startswith("current"):
            status = rule_statuses[0]  # a cue the rules read in the trigger's clause stands
        elif self.cfg["learnt_status"] and (learnt := _learnt_status(row, self.cfg["threshold"])):
            status = learnt
        elif rule_statuses:
            status = rule_statuses[0]
        else:
            cues = context.cues(context.sentence(head)) | context.cues(context.sentence(tail))
            status = _status_of_cues(cues) or "current"
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
        scores, backprop = self._scores(articles, is_train=True, drop=drop)
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
        scores on pairs in a partner_of or owned_by relation whose status is known. A
        product and its maker by the knowledge base that the gold leaves unrelated count
        neither way: annotators leave out made_by the article only implies (ANNOTATION.md
        asks for it), so such a gap is no evidence against the relation (``_implied``)."""
        gradient = numpy.zeros_like(scores)
        loss, row = 0.0, 0
        n_relations = len(RELATIONS)
        for example, article in zip(examples, articles, strict=True):
            gold = example.reference.user_data["gold"]
            names = names_by_canonical(gold["entities"])
            for candidate in article.candidates:
                label = _gold_relation(candidate, gold["relations"], names)
                if candidate.kind in gold["annotated"] and (label or not self._implied(article, candidate)):
                    target = RELATIONS.index(label["relation"] if label else "none")
                    probs = _softmax(_allowed(scores[row, :n_relations], candidate.kind))
                    loss -= float(numpy.log(probs[target] + 1e-9))
                    gradient[row, :n_relations] = probs
                    gradient[row, target] -= 1.0
                    # made_by is current by definition: its status says nothing of the words.
                    if label and label["relation"] != "made_by" and label.get("status") in STATUSES:
                        status_probs = _softmax(scores[row, n_relations:])
                        gradient[row, n_relations:] = status_probs
                        gradient[row, n_relations + STATUSES.index(label["status"])] -= 1.0
                row += 1
        return cast(Floats2d, gradient / max(1, row)), loss

    def _implied(self, article: ScoredArticle, candidate: PairCandidate) -> bool:
        """Whether the knowledge base makes the pair's organization the product's maker: the
        nearest of its makers that the article names (Beats, not its owner Apple)."""
        if candidate.kind != PRODUCT_ORG:
            return False
        named = article.context.org_mentions
        makers = [maker for maker in self.kb.makers_of(candidate.head.name) if maker in named]
        return bool(makers) and candidate.tail.name == makers[0]

    # Shared ---------------------------------------------------------------

    def _article(self, doc: Doc) -> ScoredArticle:
        context = ArticleContext(doc, self.kb, self.triggers, self.lexicon)
        return ScoredArticle(context, candidates(context, self.cfg["max_sentence_distance"]))

    def _scores(self, articles: list[ScoredArticle], is_train: bool, drop: float = 0.0):
        """The scores of every candidate. In training, ``drop`` is the share of candidates
        whose rule verdicts are hidden, so that the model also learns from the words: the
        rules are near perfect on the text they were written beside, not on news."""
        keys, lengths = [], []
        for article in articles:
            for candidate in article.candidates:
                found = features(article.context, candidate)
                if drop and random.random() < drop:
                    found = [feature for feature in found if not is_rule_feature(feature)]
                hashed = [hash_string(feature) for feature in found]
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


def _of_conjuncts(relations: list[Relation], lists: dict[int, list[Span]]) -> Iterator[Relation]:
    """What relates one member of a list of organizations relates each (`Zu Rewe gehören
    Billa, Penny und Bipa`; `Silver Lake und Carlyle haben Donauwerk übernommen`), and
    partners listed together are partners each of each (`Siemens, Bosch und Infineon
    forschen gemeinsam`)."""
    for relation in relations:
        if relation.relation == "made_by":
            continue
        head_list = lists.get(relation.head.start, [relation.head])
        tail_list = lists.get(relation.tail.start, [relation.tail])
        if head_list is tail_list:  # both in one list: only partners are each of each
            pairs = list(combinations(head_list, 2)) if relation.relation == "partner_of" else []
        else:
            pairs = [(head, tail) for head in head_list for tail in tail_list]
        for head, tail in pairs:
            if (head.start, tail.start) != (relation.head.start, relation.tail.start):
                yield dataclasses.replace(
                    relation,
                    head=head,
                    tail=tail,
                    head_name=_name(head),
                    tail_name=_name(tail),
                    rule="coordination",
                )


def _siblings_as_partners(relation: Relation, kept: Iterable[Relation], lists: dict[int, list[Span]]) -> bool:
    """Whether a partner_of of the model joins two members of one list that belongs to an
    owner (`Porsche, Bentley und Lamborghini gehören zu Volkswagen`): brands listed as one
    owner's are siblings, not partners."""
    listed = lists.get(relation.head.start)
    if relation.relation != "partner_of" or relation.rule != "model" or listed is None:
        return False
    if listed is not lists.get(relation.tail.start):
        return False
    starts = {member.start for member in listed}
    return any(other.relation == "owned_by" and other.head.start in starts for other in kept)


def _name(span: Span) -> str:
    return span._.canonical or span.text


def _owner_of_maker(context: ArticleContext, relation: Relation, kept: Iterable[Relation]) -> bool:
    """Whether a made_by names the owner of the product's maker (`Apples Kopfhörer-Tochter`
    Beats): the maker the article names makes it, its parent owns the maker."""
    if relation.relation != "made_by":
        return False
    owner = relation.tail_name
    for rule in kept:
        if rule.relation == "made_by" and rule.head_name == relation.head_name and rule.tail_name != owner:
            maker = rule.tail_name
            if owner in context.kb.maker_chain(maker) or any(
                r.relation == "owned_by" and (r.head_name, r.tail_name) == (maker, owner) for r in kept
            ):
                return True
    return False


def _probabilities(candidates: list[PairCandidate], scores: Floats2d) -> list[Floats1d]:
    """Each candidate's probabilities of the relations its kind allows. partner_of is
    symmetric: both orders of a pair get the mean of their partner_of probabilities, so
    that the model has one say on it, not two tries."""
    rows = zip(candidates, scores, strict=True)
    probs = [_softmax(_allowed(row[: len(RELATIONS)], candidate.kind)) for candidate, row in rows]
    partner = RELATIONS.index("partner_of")
    by_pair: dict[tuple[int, int], list[float]] = {}
    for candidate, row in zip(candidates, probs, strict=True):
        if candidate.kind == ORG_ORG:
            by_pair.setdefault(_unordered(candidate), []).append(float(row[partner]))
    result = []
    for candidate, row in zip(candidates, probs, strict=True):
        if candidate.kind == ORG_ORG:
            row = row.copy()
            row[partner] = sum(by_pair[_unordered(candidate)]) / len(by_pair[_unordered(candidate)])
        result.append(row)
    return result


def _unordered(candidate: PairCandidate) -> tuple[int, int]:
    starts = (candidate.head.span.start, candidate.tail.span.start)
    return min(starts), max(starts)


def _learnt_status(row: Floats1d, threshold: float) -> str | None:
    """The status head's verdict where it is at least ``threshold`` sure, as for relations."""
    probs = _softmax(row[len(RELATIONS) :])
    best = int(probs.argmax())
    return STATUSES[best] if probs[best] >= threshold else None


def _may_relate(context: ArticleContext, candidate: PairCandidate, relation: str) -> bool:
    """What the rules exclude binds the model too, being German and not the corpus: no
    company used as a measure (`das Apple der Kamera-Welt`) relates; a trigger of the
    relation denied in the pair's sentence (`dementiert eine Partnerschaft`) gives none;
    an authority or a rival is no partner."""
    doc, pair = context.doc, (candidate.head, candidate.tail)
    if any(is_comparison(doc, arg.span, context.german) for arg in pair):
        return False
    number = context.sentence(candidate.head.span)
    if number == context.sentence(candidate.tail.span):
        sentence = context.index.sentences[number]
        hits = [hit for hit in context.hits(number) if hit.relation == relation]
        if any(is_negated(context.triggers, sentence, hit) for hit in hits):
            return False
    return relation != "partner_of" or all(can_partner(arg, context.kb, context.triggers) for arg in pair)


def _status_of_cues(cues: set[str]) -> str | None:
    """The status the cues of the relation's sentences give, as the rules read them."""
    if "rumored" in cues:
        return "rumored"
    return next((STATUS_OF_CUE[cue] for cue in STATUS_OF_CUE if cue in cues), None)


def _pair_key(relation: str, head: Span, tail: Span) -> tuple[str, int, int, int, int]:
    """A relation between two mentions by their token offsets: the rules' spans and the
    candidates' are equal in place but not as objects (their labels differ)."""
    return relation, head.start, head.end, tail.start, tail.end


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
