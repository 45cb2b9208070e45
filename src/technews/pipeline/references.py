"""Descriptions and pronouns that stand for a named organization or product.

`Huawei hatte eine Kooperation mit dem deutschen Hersteller`: after the
article introduced Leica (a German maker), `dem deutschen Hersteller` stands
for Leica; `beide Firmen` stands for the two organizations named last; `das
Gerät` for the product named last. A pronoun (`er`, `sein`) stands for the
nearest name before it: a guess, which the relation scorer weighs as such.
Such descriptions are no entities (ANNOTATION.md rule 7), but relations count
them. The result goes to ``doc._.references``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from technews.extensions import register_extensions
from technews.pipeline.doc_index import DocIndex
from technews.pipeline.knowledge import Knowledge, RuleComponent, require
from technews.relation_types import Reference

register_extensions()

MAX_ADJECTIVES = 3


@Language.factory(
    "technews_references",
    assigns=["doc._.references"],
    requires=["doc.ents", "doc.sents", "span._.canonical"],
)
def make_reference_resolver(nlp: Language, name: str) -> ReferenceResolver:
    return ReferenceResolver(name)


class ReferenceResolver(RuleComponent):
    """Resolves `der deutsche Hersteller` and `beide Firmen` to named organizations, by the
    countries and sectors of organizations in the knowledge base it gets at ``initialize``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def set_knowledge(self, knowledge: Knowledge) -> None:
        super().set_knowledge(knowledge)
        self.kb = knowledge.kb
        words = knowledge.lexicon.descriptions
        self.pair_words = knowledge.lexicon.german.pair_words
        self.determiners = frozenset(words["determiners"])
        self.heads: dict[str, str | None] = words["heads"]
        self.pair_heads = frozenset(words["pair_heads"])
        self.product_heads = frozenset(words["product_heads"])
        self.pronouns = frozenset(words["pronouns"])
        self.possessives = frozenset(words["possessives"])
        self.nationalities: dict[str, str] = words["nationalities"]
        self.lookback = int(words["lookback_sentences"])

    def __call__(self, doc: Doc) -> Doc:
        require(self.knowledge, self.name)
        doc._.references = self.resolve(doc)
        return doc

    def resolve(self, doc: Doc) -> list[Reference]:
        index = DocIndex.of(doc)
        entity_tokens = {i for ent in index.entities for i in range(ent.start, ent.end)}
        references = []
        for token in doc:
            if token.i in entity_tokens or token.is_space or token.is_punct:
                continue  # a reference is a word
            reference = (
                self._pair(doc, token, index)
                or self._description(doc, token, entity_tokens, index)
                or self._product_description(doc, token, entity_tokens, index)
                or self._pronoun(token, index)
            )
            if reference:
                references.append(reference)
        return references

    def _pair(self, doc: Doc, token: Token, index: DocIndex) -> Reference | None:
        """`beide Firmen` -> the last two organizations named before this sentence."""
        if token.lower_ not in self.pair_words or token.i + 1 >= len(doc):
            return None
        if doc[token.i + 1].text not in self.pair_heads:
            return None
        # `nach Angaben beider Seiten` may mean two named earlier in the same sentence.
        names = self._earlier_orgs(token.i, index, same_sentence=True)
        pair = tuple(dict.fromkeys(names))[:2]
        return Reference(token.i, token.i + 2, pair, kind="pair") if len(pair) == 2 else None

    def _description(
        self, doc: Doc, head: Token, entity_tokens: set[int], index: DocIndex
    ) -> Reference | None:
        """`dem deutschen (Kamera)hersteller` -> the nearest earlier organization that fits."""
        head_word, head_start = _compound_word(doc, head.i)
        if head_word not in self.heads:
            return None
        if head.i + 1 in entity_tokens:  # an apposition: `Kamerahersteller Leica` names itself
            return None
        determined = self._determined_start(doc, head_start)
        if determined is None:
            return None
        start, country = determined
        sector = self.heads[head_word]
        if country is None and sector is None:
            return self._subject_reference(start, head.i + 1, index)
        for name in self._earlier_orgs(start, index, same_sentence=country is not None):
            org = self.kb.organizations.get(name)
            if country and (org is None or org.country != country):
                continue
            if sector and (org is None or org.sector != sector):
                continue
            return Reference(start, head.i + 1, (name,))
        return None

    def _determined_start(self, doc: Doc, head_start: int) -> tuple[int, str | None] | None:
        """Where the noun phrase of a description starts (its determiner, up to
        ``MAX_ADJECTIVES`` adjectives before the noun) and the country its adjectives
        name; None where no determiner opens it."""
        start, country = head_start, None
        for _ in range(MAX_ADJECTIVES + 1):
            if start == 0:
                return None
            previous = doc[start - 1]
            start -= 1
            if previous.lower_ in self.determiners:
                return start, country
            if not previous.is_lower:
                return None
            country = country or self._nationality(previous.lower_)
        return None

    def _product_description(
        self, doc: Doc, head: Token, entity_tokens: set[int], index: DocIndex
    ) -> Reference | None:
        """`das Gerät`, `der neue Chip` -> the nearest earlier product."""
        if head.text not in self.product_heads or head.i + 1 in entity_tokens:
            return None
        determined = self._determined_start(doc, head.i)
        if determined is None:
            return None
        product = self._nearest_earlier(determined[0], index, ("PRODUCT",))
        return Reference(determined[0], head.i + 1, (product,), "PRODUCT") if product else None

    def _pronoun(self, token: Token, index: DocIndex) -> Reference | None:
        """`er`, `ihn` -> the nearest earlier organization or product; `sein`, `ihr` -> the
        nearest earlier organization."""
        if token.lower_ in self.pronouns:
            labels: tuple[str, ...] = ("ORG", "PRODUCT")
        elif token.lower_ in self.possessives:
            labels = ("ORG",)
        else:
            return None
        found = self._nearest_earlier_entity(token.i, index, labels)
        if found is None:
            return None
        return Reference(token.i, token.i + 1, (found._.canonical or found.text,), found.label_, "pronoun")

    def _nearest_earlier(self, position: int, index: DocIndex, labels: tuple[str, ...]) -> str | None:
        found = self._nearest_earlier_entity(position, index, labels, self.lookback)
        return (found._.canonical or found.text) if found is not None else None

    def _nearest_earlier_entity(
        self, position: int, index: DocIndex, labels: tuple[str, ...], lookback: int = 1
    ) -> Span | None:
        """The last entity of ``labels`` before token ``position``, in its sentence or the
        ``lookback`` sentences before."""
        sentence = index.sentence_of[position]
        for earlier in range(sentence, max(-1, sentence - 1 - lookback), -1):
            for ent in reversed(index.entities_by_sentence[earlier]):
                if ent.label_ in labels and ent.end <= position:
                    return ent
        return None

    def _subject_reference(self, start: int, end: int, index: DocIndex) -> Reference | None:
        """`das Unternehmen` without attributes: the first organization of the nearest
        earlier sentence that names one, German main clauses putting the subject first."""
        sentence = index.sentence_of[start]
        for earlier in range(sentence - 1, max(-1, sentence - 1 - self.lookback), -1):
            orgs = [ent for ent in index.entities_by_sentence[earlier] if ent.label_ == "ORG"]
            if orgs:
                return Reference(start, end, (orgs[0]._.canonical or orgs[0].text,))
        return None

    def _nationality(self, adjective: str) -> str | None:
        for stem, country in self.nationalities.items():
            if adjective.startswith(stem):
                return country
        return None

    def _earlier_orgs(self, position: int, index: DocIndex, same_sentence: bool = False) -> list[str]:
        """Canonical names of organizations before token ``position``, nearest first."""
        sentence = index.sentence_of[position]
        last = sentence if same_sentence else sentence - 1
        names = []
        for earlier in range(last, max(-1, sentence - 1 - self.lookback), -1):
            for ent in reversed(index.entities_by_sentence[earlier]):
                if ent.label_ == "ORG" and ent.end <= position:
                    names.append(ent._.canonical or ent.text)
        return names


def _compound_word(doc: Doc, i: int) -> tuple[str, int]:
    """`Smartphone - Hersteller` (split by the tokenizer) -> ('Smartphone-Hersteller', start)."""
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_:
        return f"{doc[i - 2].text}-{doc[i].text}", i - 2
    return doc[i].text, i
