"""Candidate pairs for the relation scorer, and what it knows of each.

A candidate is a product and an organization (made_by?) or two organizations in
either order (owned_by? partner_of?), within a few sentences of each other or, for
a product, anywhere in the article. Descriptions and pronouns resolved by
``technews_references`` (`der Konzern`, `das Gerät`, `er`) stand for what they name.
Each candidate is described by sparse string features: the rules' verdicts
(``technews_relations``), the trigger lexicon and status cues, the words between and
around the pair, its distance, and what the knowledge base says of the pair.
``technews_relation_scorer`` hashes them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from technews.kb import KnowledgeBase
from technews.lexicon import Lexicon
from technews.pipeline.doc_index import DocIndex
from technews.pipeline.relations import is_comparison
from technews.relation_types import Argument, Relation
from technews.triggers import TriggerHit, TriggerLexicon

PRODUCT_ORG = "product_org"
ORG_ORG = "org_org"
NEARBY_SENTENCES = 3  # a product pairs with the organizations named this close to it
ARTICLE_ORGS = 5  # and with the article's most mentioned ones, wherever they are
# An organization pairs with at most this many of the organization mentions after it (real
# news has at most 12 within two sentences), so that a list of hundreds of names costs
# linear time, not quadratic.
MAX_LATER_ORGS = 16
MAX_BETWEEN = 10  # tokens between a pair in one sentence that are read word by word
CLAUSE_WINDOW = 4  # tokens read before and after a pair in one sentence
STEM_LENGTH = 5
STATUS_CUES = ("past", "past_in_clause", "planned", "rumored", "rumored_weak", "confirmed", "negated")


@dataclass(frozen=True)
class PairCandidate:
    """A possible relation from ``head`` to ``tail`` (product -> maker, child -> parent)."""

    kind: str  # PRODUCT_ORG or ORG_ORG
    head: Argument
    tail: Argument

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kind, self.head.name, self.tail.name


class ArticleContext:
    """What the features of all candidates of one article share, computed once."""

    def __init__(self, doc: Doc, kb: KnowledgeBase, triggers: TriggerLexicon, lexicon: Lexicon) -> None:
        self.doc = doc
        self.kb = kb
        self.coordinators = lexicon.coordinators
        self.list_endings = lexicon.list_endings
        self.german = lexicon.german
        self.index = DocIndex.of(doc)
        self.organizations = _arguments(doc, self.index, "ORG")
        self.products = _arguments(doc, self.index, "PRODUCT")
        groups: dict[int | None, set[str]] = {}
        for arg in self.organizations:
            if arg.kind == "pair":
                groups.setdefault(arg.group, set()).add(arg.name)
        self.pair_members = groups
        self.org_mentions = Counter(arg.name for arg in self.organizations if arg.kind == "name")
        self.org_names_by_sentence: dict[int, set[str]] = {}
        self.org_mentions_by_name: dict[str, list[Argument]] = {}
        for arg in self.organizations:
            self.org_names_by_sentence.setdefault(self.sentence(arg.span), set()).add(arg.name)
            self.org_mentions_by_name.setdefault(arg.name, []).append(arg)
        self._org_starts = {
            name: [arg.span.start for arg in mentions] for name, mentions in self.org_mentions_by_name.items()
        }
        self.first_sentence_orgs = self.org_names_by_sentence.get(0, set())
        # Organizations the whole article is about: paired with every product.
        self.article_orgs = self.first_sentence_orgs | {
            name for name, _ in self.org_mentions.most_common(ARTICLE_ORGS)
        }
        self.rules, self.rule_mentions = _rule_verdicts(doc._.relations or [])
        self.triggers = triggers
        # Read per sentence on first use: most sentences hold no candidate.
        self._hits: dict[int, list[TriggerHit]] = {}
        self._cues: dict[int, set[str]] = {}

    def sentence(self, span: Span) -> int:
        return self.index.sentence_of[span.start]

    def nearest_mention(self, name: str, position: int) -> Argument:
        mentions = self.org_mentions_by_name[name]
        return _nearest(mentions, self._org_starts[name], position)

    def hits(self, number: int) -> list[TriggerHit]:
        if number not in self._hits:
            self._hits[number] = self.triggers.find_triggers(self.index.sentences[number])
        return self._hits[number]

    def cues(self, number: int) -> set[str]:
        if number not in self._cues:
            sentence = self.index.sentences[number]
            self._cues[number] = {cue for cue in STATUS_CUES if self.triggers.has_cue(sentence, cue)}
        return self._cues[number]


def candidates(context: ArticleContext, max_distance: int) -> list[PairCandidate]:
    """Every product with the nearest mention of each organization named within
    ``NEARBY_SENTENCES`` of it, of the ones the article is about and of its makers by the
    knowledge base; every two organizations at most ``max_distance`` sentences and
    ``MAX_LATER_ORGS`` mentions apart, in both orders. Linear in the article's length,
    however long its sentences (see ``DocIndex``)."""
    found: dict[tuple, PairCandidate] = {}
    for head in context.products:
        for org in _organizations_for(context, head):
            key: tuple = (PRODUCT_ORG, head.span.start, head.name, org.name)
            found.setdefault(key, PairCandidate(PRODUCT_ORG, head, org))
    orgs = context.organizations
    for i, first in enumerate(orgs):
        for second in orgs[i + 1 : i + 1 + MAX_LATER_ORGS]:
            if context.sentence(second.span) - context.sentence(first.span) > max_distance:
                break
            if first.name == second.name or _same_side(context, first, second):
                continue
            for head, tail in ((first, second), (second, first)):
                key = (ORG_ORG, head.span.start, tail.span.start, head.name, tail.name)
                found.setdefault(key, PairCandidate(ORG_ORG, head, tail))
    return list(found.values())


def features(context: ArticleContext, candidate: PairCandidate) -> list[str]:
    """The candidate's features, each prefixed with its kind of pair."""
    head, tail = candidate.head.span, candidate.tail.span
    first, second = sorted((head, tail), key=lambda span: span.start)
    head_sentence, tail_sentence = context.sentence(head), context.sentence(tail)
    distance = abs(head_sentence - tail_sentence)
    found = [
        f"distance={_bucket(distance)}",
        f"order={'head_first' if head.start < tail.start else 'tail_first'}",
        *_rule_features(context, candidate),
        *_knowledge_features(context, candidate),
        *_context_features(context, candidate),
    ]
    order = "head_first" if head.start < tail.start else "tail_first"
    if distance == 0:
        between = _between_features(context, first, second)
        found += between + [f"{feature}:{order}" for feature in between if feature.startswith("between_")]
        found += _clause_features(context, first, second, order)
    sentences = sorted({head_sentence, tail_sentence})
    for number in sentences:
        for hit in context.hits(number):
            # The trigger's direction only says something together with the pair's order:
            # `A übernimmt B` (owner first) is owned_by(B, A), not owned_by(A, B).
            where = _position(hit.start, hit.end, first, second)
            found += [
                f"trigger={hit.relation}:{hit.direction}",
                f"trigger_order={hit.relation}:{hit.direction}:{order}",
                f"trigger_at={hit.relation}:{hit.direction}:{where}:{order}",
            ]
        found += [f"cue={cue}" for cue in context.cues(number)]
    # Sorted: the same input in the same order, however Python orders its sets this run.
    return sorted(f"{candidate.kind}|{feature}" for feature in found)


def is_rule_feature(feature: str) -> bool:
    """Whether a feature of ``features`` is one of the rules' verdicts."""
    return feature.partition("|")[2].startswith("rule")


def _rule_features(context: ArticleContext, candidate: PairCandidate) -> list[str]:
    """What ``technews_relations`` concluded for this pair of names (and mentions)."""
    head, tail = candidate.head, candidate.tail
    found = []
    for relation, rule, status in context.rules.get((head.name, tail.name), ()):
        found += [f"rule={relation}:{rule}", f"rule_status={status}"]
        if (relation, head.span.start, tail.span.start) in context.rule_mentions:
            found.append(f"rule_here={relation}")
    for relation, rule, _ in context.rules.get((tail.name, head.name), ()):
        found.append(f"rule_reversed={relation}:{rule}")
    return found


def _knowledge_features(context: ArticleContext, candidate: PairCandidate) -> list[str]:
    kb, head, tail = context.kb, candidate.head.name, candidate.tail.name
    found = []
    if candidate.kind == PRODUCT_ORG:
        product = kb.products.get(head)
        makers = kb.makers_of(head)
        if makers:
            found.append("kb_maker" if tail in makers else "kb_other_maker")
        if product is not None:
            found.append(f"category={product.category}")
        if tail in head.split(" ") or head.startswith(f"{tail} "):
            found.append("brand_in_name")
    else:
        if tail in kb.maker_chain(head)[1:]:
            found.append("kb_parent")
        if head in kb.maker_chain(tail)[1:]:
            found.append("kb_child")
    org = kb.organizations.get(tail)
    if org is not None:
        found.append(f"tail_sector={org.sector}")
    return found


def _context_features(context: ArticleContext, candidate: PairCandidate) -> list[str]:
    doc = context.doc
    found = []
    for role, arg in (("head", candidate.head), ("tail", candidate.tail)):
        span = arg.span
        found.append(f"{role}_before={doc[span.start - 1].lower_ if span.start else '<start>'}")
        found.append(f"{role}_after={doc[span.end].lower_ if span.end < len(doc) else '<end>'}")
        if arg.kind != "name":
            found.append(f"{role}_{arg.kind}={span[-1].lower_}")
        if span.label_ == "ORG" and is_comparison(doc, span, context.german):
            found.append(f"{role}_comparison")
    tail = candidate.tail
    mentions = context.org_mentions[tail.name]
    found.append(f"tail_mentions={min(mentions, 5)}")
    if mentions and mentions == max(context.org_mentions.values()):
        found.append("tail_most_mentioned")
    if tail.name in context.first_sentence_orgs:
        found.append("tail_in_first_sentence")
    if tail.span.end == candidate.head.span.start and tail.span.text != tail.name:
        found.append("tail_genitive_before_head")  # `Googles Pixel 6`
    return found


def _between_features(context: ArticleContext, first: Span, second: Span) -> list[str]:
    doc = context.doc
    between = doc[first.end : second.start]
    if len(between) > MAX_BETWEEN:
        return ["between=long"]
    found = ["between=adjacent"] if not len(between) else []
    if len(between) and all(token.lower_ in context.coordinators for token in between):
        found.append("between=coordination")  # `Nokia und Ericsson`: side by side, not related
    entities = context.index.entities_by_sentence[context.sentence(first)]
    inside = sum(1 for e in entities if first.end <= e.start and e.end <= second.start)
    found.append(f"entities_between={min(inside, 2)}")
    found += [f"between_word={token.lower_}" for token in between if not token.is_punct]
    found += [f"between_punct={token.text}" for token in between if token.is_punct]
    return found


def _clause_features(context: ArticleContext, first: Span, second: Span, order: str) -> list[str]:
    """The words just before and after a pair in one sentence, with the pair's order, by
    form and by stem: German puts the verb last (`A hat B übernommen`, `A will B kaufen`),
    and a passive names the owner second (`B wurde von A übernommen`)."""
    sentence = context.index.sentences[context.sentence(first)]
    doc = context.doc
    after = doc[second.end : min(second.end + CLAUSE_WINDOW, sentence.end)]
    before = doc[max(sentence.start, first.start - CLAUSE_WINDOW) : first.start]
    found = []
    for side, tokens in (("after", list(after)), ("before", list(reversed(before)))):
        for token in tokens:  # outwards from the pair, up to the clause's end
            if token.is_punct:
                break
            found += [
                f"{side}_pair={token.lower_}:{order}",
                f"{side}_pair_stem={_stem(token.lower_)}:{order}",
            ]
    between = doc[first.end : second.start]
    if len(between) <= MAX_BETWEEN:
        found += [f"between_stem={_stem(t.lower_)}:{order}" for t in between if not t.is_punct]
    return found


def _stem(word: str) -> str:
    """A crude stem (the first letters) that groups a verb's forms: übernimmt, übernahm,
    übernommen -> `übern`; kauft, kaufte, gekauft differ only by the prefix `ge`."""
    if word.startswith("ge") and len(word) > 6:
        word = word[2:]
    return word[:STEM_LENGTH]


def _position(start: int, end: int, first: Span, second: Span) -> str:
    if end <= first.start:
        return "before"
    if start >= second.end:
        return "after"
    if first.end <= start and end <= second.start:
        return "between"
    return "overlapping"


def _arguments(doc: Doc, index: DocIndex, label: str) -> list[Argument]:
    """The article's entities of ``label`` and the references standing for one, in text order."""
    args = [Argument(ent, ent._.canonical or ent.text) for ent in index.entities if ent.label_ == label]
    for group, reference in enumerate(doc._.references or []):
        if reference.label == label:
            span = doc[reference.start : reference.end]
            args += [Argument(span, name, group, reference.kind) for name in reference.targets]
    return sorted(args, key=lambda arg: arg.span.start)


def _rule_verdicts(
    relations: list[Relation],
) -> tuple[dict[tuple[str, str], set[tuple[str, str, str]]], set[tuple[str, int, int]]]:
    """The rules' verdicts by pair of names (relation, rule, status), and by mentions."""
    by_names: dict[tuple[str, str], set[tuple[str, str, str]]] = {}
    for relation in relations:
        verdict = (relation.relation, relation.rule, relation.status_cue)
        by_names.setdefault((relation.head_name, relation.tail_name), set()).add(verdict)
    mentions = {(r.relation, r.head.start, r.tail.start) for r in relations}
    return by_names, mentions


def _organizations_for(context: ArticleContext, product: Argument) -> list[Argument]:
    sentence = context.sentence(product.span)
    names = set(context.article_orgs)
    for number in range(sentence - NEARBY_SENTENCES, sentence + NEARBY_SENTENCES + 1):
        names |= context.org_names_by_sentence.get(number, set())
    names |= set(context.kb.makers_of(product.name)) & context.org_mentions.keys()
    names.discard(product.name)
    return [context.nearest_mention(name, product.span.start) for name in sorted(names)]


def _nearest(mentions: list[Argument], starts: list[int], position: int) -> Argument:
    """The mention (in text order, starting at ``starts``) closest to token ``position``."""
    index = bisect_left(starts, position)
    around = mentions[max(0, index - 1) : index + 1]
    return min(around, key=lambda arg: abs(arg.span.start - position))


def _same_side(context: ArticleContext, first: Argument, second: Argument) -> bool:
    """Two of one `beide Hersteller`, or one of them and the other named: they act
    together (`Nokia und Ericsson ... Beide Hersteller haben mit der Telekom ...`)."""
    for one, other in ((first, second), (second, first)):
        if one.kind == "pair" and other.name in context.pair_members[one.group]:
            return True
    return False


def _bucket(distance: int) -> str:
    return str(distance) if distance < 3 else "3-5" if distance <= 5 else "far"
