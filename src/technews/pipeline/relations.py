"""Brand relations by rules: made_by, partner_of and owned_by, with status.

- made_by: a product's maker from the knowledge base (its line or brand), when
  the article names that maker or the brand is part of the product's name;
  otherwise a genitive (`Googles Pixel 6`) or `von` right next to the product.
  A product nothing else links to a maker belongs to the maker the article is
  about (`Canon zeigt neue Kameras ... die G7 X`), unless the knowledge base names
  another.
- partner_of, owned_by: a trigger of the lexicon (`Kooperation`, `Tochter`,
  `übernimmt`) with two organizations in the sentence, descriptions resolved
  by ``technews_references`` counted; a trigger whose partner is introduced in
  the next sentence (`setzt auf einen großen Namen. ... die Firma Hasselblad`);
  lists after a trigger (`die Marken Opel, Peugeot und Citroën`, `die Alteigentümer
  Bosch und Siemens`); a chain named by its shops (`Billa-Märkte`) and the one
  organization beside it.
- status from the sentence's cues; negated triggers (`keine Kooperation`,
  `einen anderen Partner`), comparisons (`das Apple der Kamera-Welt`), authorities
  and rivals (`Spotify-Konkurrent`) give no partner.

Mention-level results go to ``doc._.relations``; ``technews.extract`` merges
them into one relation per article.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import combinations, pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span

from technews.extensions import register_extensions
from technews.kb import MAKER_SECTORS, KnowledgeBase
from technews.lexicon import GermanWords
from technews.pipeline.doc_index import DocIndex
from technews.pipeline.knowledge import Knowledge, RuleComponent, require
from technews.pipeline.roles import compound_head
from technews.relation_types import Argument, Relation
from technews.triggers import TriggerHit, TriggerLexicon

register_extensions()

NEGATION_WINDOW = 3  # tokens before a trigger where a negation cancels it
CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")"})
STATUS_WINDOW = 8  # tokens around a trigger where a cue outside its clause still counts
# Cue kinds in the order they decide, and the status each gives.
STATUS_OF_CUE = {
    "past": "past",
    "past_in_clause": "past",
    "planned": "planned",
    "rumored_weak": "rumored",
    "confirmed": "current_confirmed",
}
# owned_by triggers followed by a list of children or of owners (relations.json).
LISTED_DIRECTIONS = frozenset({"children_listed", "owners_listed"})
# Makers an article may be about, and the nouns that introduce one (`Elektronikhersteller Canon`).
ARTICLE_MAKER_SECTORS = MAKER_SECTORS | {"software", "internet"}
CLAUSE_ONLY_CUES = frozenset({"past_in_clause", "rumored_weak"})
# Confidence of each rule; the config's threshold drops what falls below it.
RULE_SCORES = {
    "maker_named": 0.95,
    "brand_in_name": 0.9,
    "context": 0.7,
    "article_maker": 0.6,
    "participle": 0.8,
    "trigger": 0.8,
    "next_sentence": 0.6,
    "listed": 0.8,
    "topic": 0.6,
    "shops": 0.6,
}


@Language.factory(
    "technews_relations",
    assigns=["doc._.relations"],
    requires=["doc.ents", "doc.sents", "span._.canonical", "doc._.references"],
    default_config={"threshold": 0.5},
)
def make_relation_extractor(nlp: Language, name: str, threshold: float) -> RelationExtractor:
    return RelationExtractor(name, threshold)


class RelationExtractor(RuleComponent):
    """Rule-based brand relations, from the trigger lexicon and status cues and the makers
    and parents of the knowledge base it gets at ``initialize``.

    threshold: relations scoring below it are dropped; higher favours precision.
    """

    def __init__(self, name: str, threshold: float) -> None:
        self.name = name
        self.threshold = threshold

    def set_knowledge(self, knowledge: Knowledge) -> None:
        super().set_knowledge(knowledge)
        self.kb = knowledge.kb
        self.triggers = knowledge.triggers
        self.introducers = knowledge.lexicon.description_heads
        self.shop_heads = knowledge.lexicon.role_cues.org_name_heads
        self.coordinators = knowledge.lexicon.coordinators
        self.german = knowledge.lexicon.german

    def __call__(self, doc: Doc) -> Doc:
        require(self.knowledge, self.name)
        index = DocIndex.of(doc)
        relations = [
            *self.made_by(doc, index),
            *self.makers_by_participle(doc, index),
            *self.between_orgs(doc, index),
            *self.shop_chains(doc, index),
        ]
        doc._.relations = [r for r in relations if r.score >= self.threshold]
        return doc

    # made_by ---------------------------------------------------------------

    def made_by(self, doc: Doc, index: DocIndex) -> Iterator[Relation]:
        org_mentions: dict[str, list[Span]] = {}
        for ent in index.entities:
            if ent.label_ == "ORG":
                org_mentions.setdefault(ent._.canonical, []).append(ent)
        org_starts = {name: [m.start for m in mentions] for name, mentions in org_mentions.items()}
        leader = self._leading_maker(doc, org_mentions)
        for product in (ent for ent in index.entities if ent.label_ == "PRODUCT"):
            relation = self._listed_maker(product, org_mentions, org_starts, index) or self._context_maker(
                doc, product, index
            )
            if relation is None and leader is not None and not self.kb.makers_of(product._.canonical):
                # `Canon hat neue Kameras vorgestellt ... Die G5 X`: the article's maker.
                tail = _nearest(product, org_mentions[leader], org_starts[leader], index)
                relation = self._made_by(product, tail, leader, "article_maker", index)
            if relation:
                yield relation

    def _leading_maker(self, doc: Doc, org_mentions: dict[str, list[Span]]) -> str | None:
        """The maker an article is about: named more often than any other organization, at
        least twice, and known as a maker or introduced as one (`Elektronikhersteller Canon`)."""
        name = _most_named(org_mentions)
        if name is None:
            return None
        org = self.kb.organizations.get(name)
        if org is not None and org.sector in ARTICLE_MAKER_SECTORS:
            return name
        return name if any(self._introduced_as_maker(doc, ent) for ent in org_mentions[name]) else None

    def _introduced_as_maker(self, doc: Doc, ent: Span) -> bool:
        before = doc[max(0, ent.start - 4) : ent.start]
        return any(token.lower_.endswith(self.german.maker_nouns) for token in before)

    def makers_by_participle(self, doc: Doc, index: DocIndex) -> Iterator[Relation]:
        """`gefertigt wird er jedoch von Samsung`, `wird von Foxconn hergestellt`: the product of
        the clause (named, described or a pronoun) is made by the organization after `von`."""
        products: dict[int, list[Span]] = {}
        for ent in index.entities:
            if ent.label_ == "PRODUCT":
                products.setdefault(index.sentence_of[ent.start], []).append(ent)
        named_by: dict[tuple[int, int], str] = {}
        for ref in doc._.references or []:
            if ref.label == "PRODUCT" and len(ref.targets) == 1:
                span = doc[ref.start : ref.end]
                products.setdefault(index.sentence_of[ref.start], []).append(span)
                named_by[(span.start, span.end)] = ref.targets[0]
        for token in doc:
            if token.lower_ not in self.triggers.maker_participles:
                continue
            clause = _clause(index.sentence(token.i), token.i, token.i + 1)
            maker = _maker_after_von(clause, index, self.introducers)
            in_sentence = products.get(index.sentence_of[token.i], [])
            in_clause = [p for p in in_sentence if clause.start <= p.start < clause.end]
            if not in_clause and any(t.lower_ in self.german.object_pronouns for t in clause):
                # `Entworfen hat Google den Chip, gefertigt wird er von Samsung`: `er` is the chip.
                in_clause = [p for p in in_sentence if p.end <= clause.start]
            if maker is None or not in_clause:
                continue  # not `das iPhone ist beliebt, die Hülle wird von Spigen gefertigt`
            product = min(in_clause, key=lambda p: abs(p.start - token.i))
            name = named_by.get((product.start, product.end), product._.canonical)
            yield Relation(
                product,
                maker,
                name,
                maker._.canonical,
                "made_by",
                "current",
                sentence_offsets(index.sentence(token.i)),
                RULE_SCORES["participle"],
                "participle",
            )

    def _listed_maker(
        self,
        product: Span,
        org_mentions: dict[str, list[Span]],
        org_starts: dict[str, list[int]],
        index: DocIndex,
    ) -> Relation | None:
        chain = self.kb.makers_of(product._.canonical)
        for maker in chain:
            if maker in org_mentions:
                tail = _nearest(product, org_mentions[maker], org_starts[maker], index)
                return self._made_by(product, tail, maker, "maker_named", index)
        for maker in chain:  # "Samsung Galaxy S24": the brand is part of the name
            brand = self._brand_in_name(product, maker)
            if brand is not None:
                return self._made_by(product, brand, maker, "brand_in_name", index)
        return None

    def _context_maker(self, doc: Doc, product: Span, index: DocIndex) -> Relation | None:
        """`Googles Pixel 6` or `Pixel 6 von Google` for products the knowledge base lacks."""
        before = index.entity_covering(product.start - 1) if product.start > 0 else None
        if (
            before is not None
            and before.label_ == "ORG"
            and before.text != before._.canonical
            and before.text.endswith("s")
        ):
            return self._made_by(product, before, before._.canonical, "context", index)
        if product.end + 1 < len(doc) and doc[product.end].lower_ == "von":
            after = index.entity_starting_at.get(product.end + 1)
            if after is not None and after.label_ == "ORG":
                return self._made_by(product, after, after._.canonical, "context", index)
        return None

    def _brand_in_name(self, product: Span, maker: str) -> Span | None:
        """The maker's name as part of a longer product name (`Samsung Galaxy S24`)."""
        if len(product) < 2:
            return None
        org = self.kb.organizations.get(maker)
        names = (maker, *org.aliases) if org else (maker,)
        for token in product:
            if token.text in names:
                return product[token.i - product.start : token.i - product.start + 1]
        return None

    def _made_by(self, product: Span, tail: Span, maker: str, rule: str, index: DocIndex) -> Relation:
        return Relation(
            product,
            tail,
            product._.canonical,
            maker,
            "made_by",
            "current",
            sentence_offsets(index.sentence(product.start)),
            RULE_SCORES[rule],
            rule,
        )

    # partner_of and owned_by -------------------------------------------------

    def between_orgs(self, doc: Doc, index: DocIndex) -> Iterator[Relation]:
        references: dict[int, list] = {}
        for group, ref in enumerate(doc._.references or []):
            if ref.label == "ORG" and ref.kind != "pronoun":  # a pronoun is a guess: the scorer's to weigh
                references.setdefault(index.sentence_of[ref.start], []).append((group, ref))
        for number, sent in enumerate(index.sentences):
            args = self._arguments(doc, index.entities_by_sentence[number], references.get(number, []))
            hits = self.triggers.find_triggers(sent) if args else []  # no organization, no relation
            if not hits:
                continue
            following = index.entities_by_sentence[number + 1 : number + 2]
            for hit in hits:
                if is_negated(self.triggers, sent, hit):
                    continue
                status = self._status(sent, hit)
                if hit.relation == "partner_of":
                    yield from self._partners(sent, args, status, following)
                else:
                    yield from self._ownership(doc, sent, hit, args, status)

    def _partners(
        self, sent: Span, args: list[Argument], status: str, following: list[list[Span]]
    ) -> Iterator[Relation]:
        distinct = list({arg.name: arg for arg in args}.values())
        if len(distinct) == 1 and following:
            introduced = self._introduced_org(following[0])
            if (
                introduced
                and introduced.name != distinct[0].name
                and can_partner(introduced, self.kb, self.triggers)
            ):
                yield Relation(
                    distinct[0].span,
                    introduced.span,
                    distinct[0].name,
                    introduced.name,
                    "partner_of",
                    status,
                    sentence_offsets(sent),
                    RULE_SCORES["next_sentence"],
                    "next_sentence",
                )
            return
        parties = [arg for arg in distinct if can_partner(arg, self.kb, self.triggers)]
        groups = {arg.group for arg in parties}
        for first, second in combinations(parties, 2):
            if len(groups) > 1 and first.group is not None and first.group == second.group:
                continue  # `beide Hersteller ... mit der Telekom`: each with the Telekom
            yield Relation(
                first.span,
                second.span,
                first.name,
                second.name,
                "partner_of",
                status,
                sentence_offsets(sent),
                RULE_SCORES["trigger"],
                "trigger",
            )

    def _ownership(
        self, doc: Doc, sent: Span, hit: TriggerHit, args: list[Argument], status: str
    ) -> Iterator[Relation]:
        if hit.direction in LISTED_DIRECTIONS:
            yield from self._listed_ownership(doc, sent, hit, args, status)
            return
        # Arguments inside a split trigger count as before it: `gehört Beats zu Apple`.
        before = [a for a in args if a.span.start < hit.end]
        after = [a for a in args if a.span.start >= hit.end]
        if not before or not after or before[-1].name == after[0].name:
            return
        left, right = before[-1], after[0]
        owner_first = hit.direction == "owner_first" or (
            doc[hit.start - 1].text == "-" and left.span.end == hit.start - 1  # "Huawei-Tochter Honor"
        )
        child, parent = (right, left) if owner_first else (left, right)
        if child.name in self.kb.maker_chain(parent.name)[1:]:
            # The knowledge base knows the direction better than word order.
            child, parent = parent, child
        yield _owned_by(child, parent, status, sent, "trigger")

    def shop_chains(self, doc: Doc, index: DocIndex) -> Iterator[Relation]:
        """`Rewe bietet es in Billa-Märkten an`: a chain named by its shops belongs to the one
        other organization of the sentence, the one that runs them."""
        for number, sent in enumerate(index.sentences):
            orgs = [ent for ent in index.entities_by_sentence[number] if ent.label_ == "ORG"]
            chains = [e for e in orgs if compound_head(doc, e.end, self.coordinators) in self.shop_heads]
            owners = {ent._.canonical: ent for ent in orgs if ent not in chains}
            if not chains or len(owners) != 1:
                continue
            ((owner_name, owner),) = owners.items()
            for chain in chains:
                yield _owned_by(
                    Argument(chain, chain._.canonical), Argument(owner, owner_name), "current", sent, "shops"
                )

    def _listed_ownership(
        self, doc: Doc, sent: Span, hit: TriggerHit, args: list[Argument], status: str
    ) -> Iterator[Relation]:
        """`die Marken Opel, Peugeot und Citroën, teilte der Konzern mit`: each listed name
        belongs to the organization named elsewhere in the sentence; `Redmi-Eigentümer Xiaomi`,
        `die Alteigentümer Bosch und Siemens`: the listed names own the organization named
        before them, or else the one the article is most about."""
        listed = _listed_after(hit.end, args, self.coordinators)
        names = {arg.name for arg in listed}
        others = [arg for arg in args if arg.name not in names]
        before = [arg for arg in others if arg.span.start < hit.start]
        nearest = before[-1:] or others[:1]  # the last one before the trigger, else the first after
        other, rule = (nearest[0], "listed") if nearest else (None, "topic")
        if other is None and hit.direction == "owners_listed":
            other, rule = self._article_topic(doc, names), "topic"
        if not listed or other is None:
            return
        for arg in listed:
            child, parent = (arg, other) if hit.direction == "children_listed" else (other, arg)
            yield _owned_by(child, parent, status, sent, rule)

    def _article_topic(self, doc: Doc, excluded: set[str]) -> Argument | None:
        """The organization the article is about, if one leads (see ``_most_named``)."""
        mentions: dict[str, list[Span]] = {}
        for ent in doc.ents:
            if ent.label_ == "ORG" and ent._.canonical not in excluded:
                mentions.setdefault(ent._.canonical, []).append(ent)
        name = _most_named(mentions)
        return Argument(mentions[name][0], name) if name else None

    def _arguments(self, doc: Doc, ents: list[Span], references: list) -> list[Argument]:
        """The organizations of a sentence: its ORG entities and resolved descriptions."""
        args = [
            Argument(ent, ent._.canonical)
            for ent in ents
            if ent.label_ == "ORG" and not is_comparison(doc, ent, self.german)
        ]
        for group, ref in references:
            args += [Argument(doc[ref.start : ref.end], name, group, ref.kind) for name in ref.targets]
        return sorted(args, key=lambda a: a.span.start)

    def _introduced_org(self, ents: list[Span]) -> Argument | None:
        """An organization introduced by a description: `die schwedische Firma Hasselblad`."""
        for ent in ents:
            if ent.label_ == "ORG" and ent.start > 0 and ent.doc[ent.start - 1].text in self.introducers:
                return Argument(ent, ent._.canonical)
        return None

    def _status(self, sent: Span, hit: TriggerHit) -> str:
        """Status from cues, the first kind in the lexicon's order deciding: strong
        rumour cues anywhere in the sentence; then cues in the trigger's clause
        (`Bis 2020 arbeitete Apple mit Intel zusammen, inzwischen ...` is past);
        then cues a few tokens away (`Verträge unterzeichnet, die ab 2026 greifen`)."""
        if self.triggers.has_cue(sent, "rumored"):
            return "rumored"
        doc = sent.doc
        near = doc[max(sent.start, hit.start - STATUS_WINDOW) : min(sent.end, hit.end + STATUS_WINDOW)]
        for scope in (_clause(sent, hit.start, hit.end), near):
            for cue, status in STATUS_OF_CUE.items():
                if cue in CLAUSE_ONLY_CUES and scope is near:
                    continue  # `X, Partner von Y, hatte ... angedeutet`: not the partnership's verb
                if self.triggers.has_cue(scope, cue):
                    return status
        return "current"


def _owned_by(child: Argument, parent: Argument, status: str, sent: Span, rule: str) -> Relation:
    return Relation(
        child.span,
        parent.span,
        child.name,
        parent.name,
        "owned_by",
        status,
        sentence_offsets(sent),
        RULE_SCORES[rule],
        rule,
    )


def _maker_after_von(clause: Span, index: DocIndex, introducers: frozenset[str]) -> Span | None:
    """The organization named right after `von` (or `vom`) in the clause, or after a noun
    that introduces it (`vom Auftragsfertiger Foxconn`)."""
    doc = clause.doc
    for token in clause[:-1]:
        if token.lower_ not in ("von", "vom"):
            continue
        start = token.i + 1
        if doc[start].lower_ in ("der", "dem"):
            start += 1
        if start < clause.end - 1 and doc[start].text in introducers:
            start += 1
        ent = index.entity_starting_at.get(start)
        if ent is not None and ent.label_ == "ORG":
            return ent
    return None


def _listed_after(position: int, args: list[Argument], coordinators: frozenset[str]) -> list[Argument]:
    """The organizations listed from token ``position`` on (`Opel, Peugeot und Citroën`);
    other names may stand in the list (`Bosch, das Land Bayern und Siemens`)."""
    starting = {arg.span.start: arg for arg in args}
    doc = args[0].span.doc if args else None
    listed: list[Argument] = []
    i = position
    while doc is not None and i < len(doc):
        if i in starting:
            listed.append(starting[i])
            i = starting[i].span.end
        elif listed and (doc[i].lower_ in coordinators or doc[i].ent_iob_ in ("B", "I")):
            i += 1
        else:
            break
    return listed


def _clause(sent: Span, start: int, end: int) -> Span:
    """The part of the sentence between the punctuation marks around tokens start..end."""
    while start > sent.start and sent.doc[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    while end < sent.end and sent.doc[end].text not in CLAUSE_BREAKS:
        end += 1
    return sent.doc[start:end]


def _most_named(mentions: dict[str, list[Span]]) -> str | None:
    """The name mentioned most often, at least twice and more often than any other."""
    counts = sorted((len(spans), name) for name, spans in mentions.items())
    if not counts or counts[-1][0] < 2 or (len(counts) > 1 and counts[-2][0] == counts[-1][0]):
        return None
    return counts[-1][1]


def can_partner(arg: Argument, kb: KnowledgeBase, triggers: TriggerLexicon) -> bool:
    """Neither an authority (`eine Vereinbarung mit der NHTSA` settles a case) nor a
    rival (`Apples Spotify-Konkurrent`) is a partner."""
    org = kb.organizations.get(arg.name)
    if org is not None and org.kind == "authority":
        return False
    doc, end = arg.span.doc, arg.span.end
    return not (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end].whitespace_
        and doc[end + 1].text in triggers.not_partners
    )


def conjuncts(index: DocIndex, list_endings: frozenset[str]) -> dict[int, list[Span]]:
    """The organizations coordinated in one list (`Billa, Penny und Bipa`, `Silver Lake und
    Carlyle`), by the start of each member: commas between the first members, one of
    ``list_endings`` (`und`, `sowie`) before the last. Conjuncts share their role in the clause, so what
    relates one member relates each (`Zu Rewe gehören Billa, Penny und Bipa`)."""
    found: dict[int, list[Span]] = {}
    for entities in index.entities_by_sentence:
        orgs = [ent for ent in entities if ent.label_ == "ORG"]
        run: list[Span] = []
        for previous, ent in pairwise(orgs):
            gap = ent.doc[previous.end : ent.start]
            if len(gap) != 1 or not (gap[0].text == "," or gap[0].lower_ in list_endings):
                run = []
                continue
            run = [*(run or [previous]), ent]
            if gap[0].text != ",":  # the list ends with its last member
                found |= {member.start: run for member in run}
                run = []
    return found


def is_negated(triggers: TriggerLexicon, sent: Span, hit: TriggerHit) -> bool:
    """`keine Kooperation`, `dementiert eine Partnerschaft`: the trigger is denied; `Die
    Übernahme von X durch Y ist geplatzt`: called off later in its clause."""
    if any(hit.start - NEGATION_WINDOW <= i < hit.start for i in triggers.cue_positions(sent, "negated")):
        return True
    clause = _clause(sent, hit.start, hit.end)
    return any(hit.end <= i < clause.end for i in triggers.cue_positions(sent, "called_off"))


def is_comparison(doc: Doc, ent: Span, german: GermanWords) -> bool:
    """`das Apple der Kamera-Welt`: a company used as a measure, not as a party."""
    return (
        ent.start > 0
        and ent.end < len(doc)
        and doc[ent.start - 1].lower_ in german.comparison_before
        and doc[ent.end].lower_ in german.comparison_after
    )


def _nearest(span: Span, candidates: list[Span], starts: list[int], index: DocIndex) -> Span:
    """The mention closest to ``span`` (candidates in text order), one in its sentence first."""
    position = bisect_left(starts, span.start)
    neighbours = candidates[max(0, position - 1) : position + 1]
    sentence = index.sentence_of[span.start]
    same_sentence = [c for c in neighbours if index.sentence_of[c.start] == sentence]
    return min(same_sentence or neighbours, key=lambda c: abs(c.start - span.start))


def sentence_offsets(sent: Span) -> tuple[int, int]:
    """Character offsets of a sentence without its surrounding white space."""
    text = sent.text
    start = sent.start_char + len(text) - len(text.lstrip())
    return start, sent.start_char + len(text.rstrip())
