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
from technews.kb import KnowledgeBase

register_extensions()


@Language.factory(
    "technews_canonical",
    assigns=["span._.canonical"],
    requires=["doc.ents"],
    default_config={"knowledge_base": {"@misc": "technews.knowledge_base.v1", "path": None}},
)
def make_canonicalizer(nlp: Language, name: str, knowledge_base: KnowledgeBase) -> Canonicalizer:
    return Canonicalizer(name, knowledge_base)


class Canonicalizer:
    """Sets ``span._.canonical`` on each entity of ``doc.ents``.

    knowledge_base: known names and their forms (``technews.knowledge_base.v1``).
    """

    def __init__(self, name: str, knowledge_base: KnowledgeBase) -> None:
        self.name = name
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
        for span in doc.ents:
            span._.canonical = self.canonical(span)
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
