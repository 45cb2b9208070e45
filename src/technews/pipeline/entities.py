"""Entity recognition from the knowledge base and the product grammar.

Finds organizations, products, places and people by their known names
(inflected forms included), reads product names with the product grammar,
decides company-or-product by role (ANNOTATION.md rule 6), drops what rule 7
excludes, and writes the result to ``doc.ents``. Each span's ``kb_id_`` holds
the canonical name the match implies; ``technews_canonical`` finalises it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans, registry

from technews.lexicon import GermanWords
from technews.pipeline.knowledge import Knowledge, RuleComponent, require
from technews.pipeline.product_grammar import NameStart, find_products, joined_text
from technews.pipeline.roles import compound_head, is_currency_compound, used_as_product

# On equal length the earlier source wins: a grammar product over a listed one,
# a company over a place of the same name (Nokia). The default of entity_priority.v1.
SOURCE_PRIORITY = (
    *("grammar", "product", "org", "person", "place"),
    *("person_cue", "org_cue", "product_cue", "model", "repeat"),
)

# Sources that only say a name follows a cue word, not where it ends.
CUE_SOURCES = frozenset({"person_cue", "org_cue", "product_cue"})
NAME_TABLES = ("org", "product", "place", "person", "line", "brand")  # see Knowledge.names

# Endings of German abstract nouns, never of a name read after a cue.

SENTENCE_PUNCTUATION = frozenset({".", "!", "?", ";", ":"})


@dataclass(frozen=True)
class Candidate:
    """A possible entity: tokens start..end, label, canonical name and where it came from."""

    start: int
    end: int
    label: str
    canonical: str
    source: str
    also_org: bool = False  # a product name that also names the company (Facebook)

    def __len__(self) -> int:
        return self.end - self.start


EntityPriority = Callable[[Candidate], tuple[int, ...]]


@registry.misc("technews.entity_priority.v1")
def longest_then_by_source(sources: Sequence[str] = SOURCE_PRIORITY) -> EntityPriority:
    """Which of overlapping candidates wins (as spaCy's ``ents_filter`` decides for the
    span ruler): a sort key, least first. The longer wins; on equal length the source
    earlier in ``sources`` (one not named comes last); then the earlier start."""
    order = {source: position for position, source in enumerate(sources)}

    def rank(candidate: Candidate) -> tuple[int, int, int]:
        return (-len(candidate), order.get(candidate.source, len(order)), candidate.start)

    return rank


@Language.factory(
    "technews_entities",
    assigns=["doc.ents"],
    default_config={
        "model_labels": ["ORG", "PRODUCT", "PER", "LOC"],
        "priority": {"@misc": "technews.entity_priority.v1"},
    },
)
def make_entity_recognizer(
    nlp: Language, name: str, model_labels: list[str], priority: EntityPriority
) -> EntityRecognizer:
    return EntityRecognizer(nlp, name, model_labels, priority)


class EntityRecognizer(RuleComponent):
    """Knowledge-base and grammar entities for German tech news.

    nlp: the pipeline, whose tokenizer turns the names into match patterns.
    name: the component's name.
    model_labels: labels of entities an earlier component (the trained NER) set that
        are kept where no rule matches; the others are dropped.
    priority: which of overlapping candidates wins (``technews.entity_priority.v1``).

    The names, word lists and triggers come at ``initialize`` and are saved with the
    pipeline (see ``technews.pipeline.knowledge``).
    """

    def __init__(self, nlp: Language, name: str, model_labels: list[str], priority: EntityPriority) -> None:
        self.nlp = nlp
        self.name = name
        self.model_labels = frozenset(model_labels)
        self.priority = priority

    def set_knowledge(self, knowledge: Knowledge) -> None:
        """Take the names and word lists and build the name tables from them."""
        knowledge = knowledge.with_name_tokens(self.nlp.tokenizer)
        super().set_knowledge(knowledge)
        self.kb = knowledge.kb
        lexicon = knowledge.lexicon
        # `Bildschirmhersteller` describes as `Hersteller` does.
        self.description_endings = tuple(head.lower() for head in lexicon.description_heads)
        self.words = lexicon.product_grammar_words
        self.cues = lexicon.role_cues
        self.common_nouns = lexicon.common_nouns
        self.first_names = lexicon.first_names
        self.german = lexicon.german
        self.names = knowledge.names

    def __call__(self, doc: Doc) -> Doc:
        require(self.knowledge, self.name)
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Candidate]:
        """All candidates, overlapping and unfiltered."""
        names = self._known_names(doc)
        candidates = [
            *self._listed(doc, names["org"], "org", "ORG"),
            *self._listed(doc, names["product"], "product", "PRODUCT"),
            *self._listed(doc, names["place"], "place", "LOC"),
            *self._listed(doc, names["person"], "person", "PER"),
            *self._grammar_products(doc, names["line"], names["brand"]),
            *self._cued_people(doc),
            *self._cued_organizations(doc),
            *self._cued_products(doc),
            *self._compound_organizations(doc),
        ]
        return candidates

    def set_annotations(self, doc: Doc, candidates: list[Candidate]) -> None:
        """Filter, decide roles, resolve overlaps and write ``doc.ents``.

        Names from the knowledge base and the grammar come first, the longest winning.
        Where none overlaps, names read from a cue (`Finanzminister Stubb`) compete with
        the entities of an earlier component (the trained NER), again the longest winning:
        the rules are precise about where a name they know begins and ends, a cue only
        says that a name follows. Names so found are then looked for again across the
        article, and compete once more with the model's entities (`Star Fox Zero`
        named by a cue in one sentence beats the model's `Fox Zero` in another)."""
        guessed = self._kept(doc, [c for c in candidates if c.source in CUE_SOURCES])
        listed = self._kept(doc, [c for c in candidates if c.source not in CUE_SOURCES])
        listed = [c for c in listed if not _place_in_cued_name(c, guessed)]
        guessed += self._kept(doc, list(self._from_model(doc)))
        chosen, taken = _without_overlaps(listed, set(), self.priority)
        first_guesses, _ = _without_overlaps(guessed, taken, self.priority)
        repeated = _repeated_mentions(doc, chosen + first_guesses)
        guesses, _ = _without_overlaps(guessed + repeated, taken, self.priority)
        spans = [Span(doc, c.start, c.end, label=c.label, kb_id=c.canonical) for c in chosen + guesses]
        doc.ents = filter_spans(spans)

    def _kept(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        trimmed = (t for c in candidates if (t := _without_edge_space(doc, c)) is not None)
        return [self._with_role(doc, c) for c in trimmed if self._is_entity(doc, c)]

    def _from_model(self, doc: Doc) -> Iterator[Candidate]:
        """Entities already on the doc, of the kept labels, that start with a capital
        (a lower-case start is an adjective such as `deutschen`, not a name)."""
        for ent in doc.ents:
            if ent.label_ not in self.model_labels or ent.text[:1].islower():
                continue
            if any(token.text in SENTENCE_PUNCTUATION for token in ent):
                continue  # runs over a sentence end the model could not see (`G3.` split later)
            if len(ent) == 1 and ent.text in self.common_nouns:
                continue  # an everyday noun (`Anreiz`), however the model read it
            if ent.label_ == "PER":
                person = self._person_name(ent)
                if person is None:
                    continue
                ent = person
            if ent.text.startswith("-") or ent.text.endswith("-") or self._is_description(ent.text):
                continue  # half a compound (`Betriebssystem- und ...`) or a description (`Netzausrüster`)
            # No canonical name here: technews_canonical looks it up.
            yield Candidate(ent.start, ent.end, ent.label_, ent.kb_id_, "model")

    def _known_names(self, doc: Doc) -> dict[str, list[tuple[str, int, int]]]:
        """The knowledge base's names in the doc that the rules match, by table."""
        found: dict[str, list[tuple[str, int, int]]] = {t: [] for t in NAME_TABLES}
        for (table, canonical, rule_matched), start, end in self.names(doc):
            if rule_matched:
                found[table].append((canonical, start, end))
        return found

    def _listed(
        self, doc: Doc, names: list[tuple[str, int, int]], table: str, label: str
    ) -> Iterator[Candidate]:
        products = self.kb.products
        for canonical, start, end in names:
            also_org = table == "product" and products[canonical].also_org
            if table == "product" and end < len(doc) and doc[end].text in self.words.service_words:
                canonical, end, also_org = f"{canonical} {doc[end].text}", end + 1, False  # `iTunes Radio`
            yield Candidate(start, end, label, canonical, table, also_org)

    def _grammar_products(
        self, doc: Doc, lines_found: list[tuple[str, int, int]], brands_found: list[tuple[str, int, int]]
    ) -> Iterator[Candidate]:
        lines = self.kb.product_lines
        name_starts = [
            NameStart(start, end, lines[key].maker, lines[key].standalone, is_brand=False)
            for key, start, end in lines_found
        ] + [NameStart(start, end, key, standalone=False, is_brand=True) for key, start, end in brands_found]
        for product in find_products(doc, name_starts, self.words):
            yield Candidate(product.start, product.end, "PRODUCT", product.canonical, "grammar")

    def _is_description(self, text: str) -> bool:
        return text.lower().endswith(self.description_endings)

    def _person_name(self, ent: Span) -> Span | None:
        """The name in a person the model found, without the noun before it
        (`Bildungsökonom Wößmann` -> `Wößmann`), or None where no name is left.
        A lone capitalised word counts only after such a noun; surnames of people
        named in full come back in `_repeated_mentions`."""
        start = ent.start
        while start < ent.end and self.cues.is_person_noun(ent.doc[start].text):
            start += 1
        if start == ent.start and ent.doc[start].text in self.cues.name_non_starts:
            return None  # `Gemäß Spaltungsbilanz` at the start of a sentence
        if start == ent.end or (start == ent.start and len(ent) == 1):
            return None
        return Span(ent.doc, start, ent.end, label=ent.label)

    def _cued_people(self, doc: Doc) -> Iterator[Candidate]:
        """`Apple-Chef Tim Cook`: a cue noun, then a first and a last name;
        `Finanzminister Stubb`: a title, then a surname alone."""
        yield from self._first_named_people(doc)
        for token in doc[:-1]:
            cue, title = token.text in self.cues.person_cues, self.cues.is_person_title(token.text)
            if not (cue or title):
                continue
            first = self._name_end(doc, token.i + 1)
            if first is None:
                continue
            last = self._name_end(doc, first, hyphenated=False)
            if last is not None:
                yield Candidate(token.i + 1, last, "PER", joined_text(doc, token.i + 1, last), "person_cue")
            elif title:
                yield Candidate(token.i + 1, first, "PER", joined_text(doc, token.i + 1, first), "person_cue")

    def _first_named_people(self, doc: Doc) -> Iterator[Candidate]:
        """`Sabine Wiesinger`, `Hans-Peter Doskozil`: a frequent first name, then a name
        that is no everyday noun (`eine Art Zwischenlösung` names nobody)."""
        for token in doc[:-1]:
            if token.text not in self.first_names:
                continue
            first = self._name_end(doc, token.i)
            last = None if first is None else self._name_end(doc, first)
            if last is not None and self._is_new_name(doc[first:last]):
                yield Candidate(token.i, last, "PER", joined_text(doc, token.i, last), "person_cue")

    def _cued_organizations(self, doc: Doc) -> Iterator[Candidate]:
        """`die Zeitung Le Monde`, `das Start-up Robo`, `der Apple-Zulieferer Japan Display`:
        a name after a noun for an organization."""
        for token in doc[:-1]:
            if token.is_space or (token.is_lower and doc[token.i - 1].text != "-"):
                continue  # no noun, and no compound's tail (`Start-up`)
            compound_start = _compound_start(doc, token.i)
            if self.cues.is_organization_noun(doc[compound_start : token.i + 1].text):
                yield from self._apposition(doc, compound_start, token.i + 1, "ORG", 2)

    def _cued_products(self, doc: Doc) -> Iterator[Candidate]:
        """`der Kurznachrichtendienst Twitter`, `das Raumschiffspiel Star Fox Zero`: a name
        after a noun for a product; `Photos-App`: a name before a hyphen and a product's part."""
        for token in doc[:-1]:
            if not token.text[:1].isupper():
                continue
            if self.cues.is_product_noun(token.text):
                yield from self._apposition(doc, _compound_start(doc, token.i), token.i + 1, "PRODUCT", 3)
            if self._names_head(doc, token.i, self.cues.product_name_heads):
                yield Candidate(token.i, token.i + 1, "PRODUCT", token.text, "product_cue")

    def _compound_organizations(self, doc: Doc) -> Iterator[Candidate]:
        """`Hofer-Filialen` and `Billa- und Penny-Märkten`: a chain's name before a hyphen and
        a noun for its shops; `Huber-Gruppe`: a name and a hyphen before `Gruppe`, one name;
        `Liberale Volkspartei`: a capitalised adjective before a party noun."""
        for token in doc[:-1]:
            if not token.text[:1].isupper():
                continue
            if self._names_head(doc, token.i, self.cues.org_name_heads):
                yield Candidate(token.i, token.i + 1, "ORG", token.text, "org_cue")
            if self._names_head(doc, token.i, self.cues.org_compound_names) and _hyphen_joined(doc, token.i):
                end = token.i + 3
                yield Candidate(token.i, end, "ORG", joined_text(doc, token.i, end), "org_cue")
            if (
                token.lower_.endswith(self.cues.party_endings)
                and token.i > 0
                and _is_name_adjective(doc[token.i - 1], self.german)
            ):
                adjective = doc[token.i - 1].text  # `der Liberalen Volkspartei`: `Liberale`
                base = adjective[:-1] if adjective.endswith("en") else adjective
                yield Candidate(token.i - 1, token.i + 1, "ORG", f"{base} {token.text}", "org_cue")

    def _names_head(self, doc: Doc, i: int, heads: frozenset[str]) -> bool:
        """Whether token ``i`` is a name written before a hyphen and one of ``heads``
        (`Photos-App`), also as the truncated first part of a coordination (`Billa- und`)."""
        if not (self._name_part(doc[i]) and self._is_new_name([doc[i]])):
            return False
        return compound_head(doc, i + 1, self.cues.coordinators) in heads

    def _apposition(
        self, doc: Doc, cue_start: int, start: int, label: str, longest: int
    ) -> Iterator[Candidate]:
        """The name right after a cue noun, unless the noun phrase is indefinite (`wenn ein
        Start-up Förderungen bekommt`) or the words are everyday nouns (`das Unternehmen Umsätze`);
        for organizations, each name of a list after it."""
        if _after_indefinite(doc, cue_start, self.german):
            return
        while True:
            end = start
            while end < min(start + longest, len(doc)) and self._name_part(
                doc[end], allow_digits=True, continues=end > start
            ):
                end += 1
            if end == start or not self._is_new_name(doc[start:end]):
                return
            yield Candidate(start, end, label, joined_text(doc, start, end), f"{label.lower()}_cue")
            # `die Marken Opel, Peugeot und Citroën`: a list of names after one cue.
            if label != "ORG" or end + 1 >= len(doc) or doc[end].lower_ not in self.cues.coordinators:
                return
            start = end + 1

    def _is_new_name(self, tokens: Iterable[Token]) -> bool:
        """Not only everyday nouns, abstract nouns, generic prefixes or words of the product grammar."""
        words = [t.text for t in tokens]
        generic = self.words.suffixes | self.words.series | self.cues.generic_prefixes
        return bool(words) and not all(
            w in self.common_nouns or w.endswith(self.german.noun_endings) or w in generic for w in words
        )

    def _name_end(self, doc: Doc, i: int, hyphenated: bool = True) -> int | None:
        """Where a name part starting at token ``i`` ends (`Heinz-Christian` is one),
        or None where no name part starts there."""
        if i >= len(doc) or not self._name_part(doc[i]):
            return None
        end = i + 1
        joined = not doc[i].whitespace_ and end + 1 < len(doc) and not doc[end].whitespace_
        if hyphenated and joined and doc[end].text == "-" and self._name_part(doc[end + 1]):
            end += 2
        return end

    def _name_part(self, token: Token, allow_digits: bool = False, continues: bool = False) -> bool:
        """Whether the token can be (``continues``: go on) a name: a generic word such as
        `Display` is no name alone but ends one (`Japan Display`)."""
        if token.is_stop or (token.text in self.kb.non_entities and not continues):
            return False
        if allow_digits and token.text[:1].isupper() and token.text.isalnum():
            return True
        return _looks_like_name_part(token)

    def _is_entity(self, doc: Doc, candidate: Candidate) -> bool:
        """ANNOTATION.md rule 7: no currencies, no excluded terms, no doubtful places."""
        span = doc[candidate.start : candidate.end]
        if span.text in self.kb.non_entities:
            return False
        if candidate.label == "LOC":
            if is_currency_compound(doc, candidate.end, self.cues):
                return False
            place = self.kb.places.get(candidate.canonical)
            if place and place.ambiguous:
                before = doc[candidate.start - 1].lower_ if candidate.start else None
                in_place = before in self.german.place_prepositions
                return in_place or _model_label(doc, candidate.start, candidate.end) == "LOC"
        return True

    def _with_role(self, doc: Doc, candidate: Candidate) -> Candidate:
        """A name that is company and product: ORG when acting, PRODUCT when used."""
        if not candidate.also_org:
            return candidate
        used = used_as_product(doc, candidate.start, candidate.end, self.cues)
        label = "PRODUCT" if used else "ORG"
        return Candidate(candidate.start, candidate.end, label, candidate.canonical, candidate.source)


def _model_label(doc: Doc, start: int, end: int) -> str | None:
    """The label of the entity an earlier component (the trained NER) set on exactly
    tokens start..end, if any."""
    tokens = doc[start:end]
    if tokens[0].ent_iob_ != "B" or any(token.ent_iob_ != "I" for token in tokens[1:]):
        return None
    if end < len(doc) and doc[end].ent_iob_ == "I":
        return None
    return tokens[0].ent_type_


def _after_indefinite(doc: Doc, start: int, german: GermanWords) -> bool:
    """Whether an indefinite article opens the noun phrase whose noun starts at ``start``,
    up to one adjective before it (`ein junges Start-up`)."""
    return any(t.lower_ in german.indefinite_articles for t in doc[max(0, start - 2) : start])


def _hyphen_joined(doc: Doc, i: int) -> bool:
    """`Photos-App`: token ``i``, a hyphen and the next word written as one."""
    return doc[i + 1].text == "-" and not doc[i].whitespace_ and not doc[i + 1].whitespace_


# A German compound has at most a handful of hyphenated parts (`E-Mail-Adressen-Liste`); walking
# back further would make the search quadratic on a long hyphen chain (`Apple-Apple-...`).
MAX_COMPOUND_PARTS = 6


def _compound_start(doc: Doc, i: int) -> int:
    """Where the hyphenated compound that token ``i`` ends begins (`Start-up`, `Apple-Zulieferer`),
    looking back over at most ``MAX_COMPOUND_PARTS`` parts."""
    start = i
    lowest = max(i - 2 * (MAX_COMPOUND_PARTS - 1), 0)
    while start - 2 >= lowest and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
        if doc[start - 2].whitespace_:
            break
        start -= 2
    return start


def _is_name_adjective(token: Token, german: GermanWords) -> bool:
    """`Liberalen` in `der Liberalen Volkspartei`: an adjective capitalised inside a
    sentence, so part of a name (at a sentence's start every word is capitalised)."""
    return (
        token.is_alpha
        and token.text[:1].isupper()
        and token.i > 0
        and token.doc[token.i - 1].text not in SENTENCE_PUNCTUATION
        and not token.is_stop
        and token.lower_.endswith(german.adjective_endings)
    )


def _looks_like_name_part(token) -> bool:
    return token.is_alpha and token.text[:1].isupper() and not token.is_upper and len(token) > 1


def _without_edge_space(doc: Doc, candidate: Candidate) -> Candidate | None:
    """The candidate without white-space tokens at its edges (the model may take in a line
    break: `ID\n\n`); None where nothing else is left."""
    start, end = candidate.start, candidate.end
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start == end:
        return None
    return (
        candidate
        if (start, end) == (candidate.start, candidate.end)
        else replace(candidate, start=start, end=end)
    )


def _place_in_cued_name(candidate: Candidate, cued: list[Candidate]) -> bool:
    """`der Apple-Zulieferer Japan Display`: a place that starts or ends a longer name read
    after a cue noun is part of that name."""
    return candidate.label == "LOC" and any(
        c.label != "LOC" and c.start <= candidate.start and candidate.end <= c.end and len(c) > len(candidate)
        for c in cued
    )


def _without_overlaps(
    candidates: list[Candidate], taken: set[int], priority: EntityPriority
) -> tuple[list[Candidate], set[int]]:
    """The best candidates by ``priority`` that overlap neither each other nor ``taken``."""
    chosen: list[Candidate] = []
    taken = set(taken)
    for candidate in sorted(candidates, key=priority):
        tokens = set(range(candidate.start, candidate.end))
        if not tokens & taken:
            chosen.append(candidate)
            taken |= tokens
    return chosen, taken


def _repeated_mentions(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
    """Every mention of names found by the model or a cue, which the rules cannot know:
    the same words anywhere in the article (`Ekathimerini`), their genitive (`Straches`),
    and the bare surname of a person named in full (`Cook` after `Tim Cook`)."""
    names: dict[tuple[str, ...], tuple[str, str]] = {}
    for candidate in chosen:
        words = tuple(token.text for token in doc[candidate.start : candidate.end])
        entity = (candidate.label, candidate.canonical or " ".join(words))
        if candidate.source in ("model", *CUE_SOURCES) and (len(words) > 1 or candidate.label != "PRODUCT"):
            names.setdefault(words, entity)
            if len(words) == 1 and candidate.label in ("ORG", "PER"):
                names.setdefault((words[0] + "s",), entity)
        if candidate.label == "PER" and len(words) >= 2:
            names.setdefault(words[-1:], entity)
            names.setdefault((words[-1] + "s",), entity)
    sizes_by_first_word: dict[str, set[int]] = {}
    for words in names:
        sizes_by_first_word.setdefault(words[0], set()).add(len(words))
    return [
        Candidate(token.i, token.i + size, *names[words], "repeat")
        for token in doc
        for size in sizes_by_first_word.get(token.text, ())
        # A slice past the doc's end is shorter, and may spell a shorter name.
        if token.i + size <= len(doc)
        and (words := tuple(t.text for t in doc[token.i : token.i + size])) in names
    ]
