"""Canonical names: the same usual short name for every mention of an entity.

ANNOTATION.md rule 10: `Apples` -> `Apple`, `Leica Camera AG` -> `Leica`. The
entity recognizer already puts the knowledge base's name in ``kb_id_``; this
component writes ``span._.canonical`` for every entity, also those another
component (a statistical NER) added without one.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from technews.extensions import register_extensions
from technews.lexicon import ProductGrammarWords
from technews.pipeline.knowledge import Knowledge, RuleComponent, require

register_extensions()


@Language.factory("technews_canonical", assigns=["span._.canonical"], requires=["doc.ents"])
def make_canonicalizer(nlp: Language, name: str) -> Canonicalizer:
    return Canonicalizer(name)


class Canonicalizer(RuleComponent):
    """Sets ``span._.canonical`` on each entity of ``doc.ents``, from the known names and
    their forms of the knowledge base it gets at ``initialize``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def set_knowledge(self, knowledge: Knowledge) -> None:
        super().set_knowledge(knowledge)
        knowledge_base = knowledge.kb
        self.words = knowledge.lexicon.product_grammar_words
        self.canonical_by_form = {
            form.casefold(): canonical
            for forms in (
                knowledge_base.org_surface_forms(),
                knowledge_base.product_surface_forms(),
                knowledge_base.place_surface_forms(),
                knowledge_base.person_surface_forms(),
            )
            for form, canonical in forms
        }

    def __call__(self, doc: Doc) -> Doc:
        require(self.knowledge, self.name)
        ents = list(doc.ents)
        names = {span: self.canonical(span) for span in ents}
        for span, name in _unified(ents, names, self.words).items():
            span._.canonical = name
        return doc

    def canonical(self, span: Span) -> str:
        if span.kb_id_:
            return span.kb_id_
        text = " ".join(span.text.split())
        known = self.canonical_by_form.get(text.casefold())
        if known:
            return known
        # An unknown genitive whose base is known: "Nothings" -> "Nothing".
        if text.endswith("s") and text[:-1].casefold() in self.canonical_by_form:
            return self.canonical_by_form[text[:-1].casefold()]
        return text


def _genitive(span: Span) -> bool:
    """Ends in a word with a genitive `s` (`Nissans`), not in a model name (`iPhone 4s`)."""
    last = span[-1].text
    return last.isalpha() and len(last) > 3 and last.endswith("s")


def _unified(ents: list[Span], names: dict[Span, str], words: ProductGrammarWords) -> dict[Span, str]:
    """One name per entity within the article: a bare surname takes the full name of a
    person named in full (`Mahrer` -> `Harald Mahrer`), an unknown genitive the name it
    inflects (`Nissans` -> `Nissan`) when that name occurs in the article, and a release
    named by its version or its codename alone the full name (`Marshmallow`, `Android 6.0`
    -> `Android 6.0 Marshmallow`)."""
    full_names: dict[str, str] = {}
    for span in ents:
        if span.label_ == "PER" and len(span) > 1:
            full_names.setdefault(span[-1].text, names[span])
    known = {(span.label_, names[span]) for span in ents}
    releases = _release_names({name for label, name in known if label == "PRODUCT"}, words)
    unified = {}
    for span, name in names.items():
        if span.label_ == "PER" and len(span) == 1 and " " not in name:
            name = full_names.get(name, name)  # `Stubbs` named `Stubb` -> `Alexander Stubb`
        elif name == span.text and _genitive(span) and (span.label_, name[:-1]) in known:
            name = name[:-1]
        elif span.label_ == "PRODUCT":
            name = releases.get(name, name)
        unified[span] = name
    return unified


def _release_names(products: set[str], words: ProductGrammarWords) -> dict[str, str]:
    """`Marshmallow` and `Android 6.0` -> `Android 6.0 Marshmallow` where only one such full
    name is in the article (not `Android` or `OS X`: a line is a product of its own)."""
    found: dict[str, set[str]] = {}
    for full in products:
        parts = tuple(full.split())
        for size in range(1, len(parts)):
            if parts[-size:] not in words.codenames:
                continue
            found.setdefault(" ".join(parts[-size:]), set()).add(full)
            if words.is_model(parts[-size - 1]):
                found.setdefault(" ".join(parts[:-size]), set()).add(full)
    return {short: next(iter(fulls)) for short, fulls in found.items() if len(fulls) == 1}
