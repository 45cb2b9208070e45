"""Custom attributes technews sets on spaCy objects, registered once at import.

``doc._.relations`` and ``doc._.references`` are properties over plain rows in
``doc.user_data`` (``technews.relation_types``), so docs serialise with their findings.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from technews.relation_types import get_references, get_relations, set_references, set_relations


def register_extensions() -> None:
    """Idempotent: importing technews twice or loading two pipelines is fine."""
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=get_relations, setter=set_relations)
    if not Doc.has_extension("name_features"):  # per token, see technews.pipeline.name_features
        Doc.set_extension("name_features", default=None)
    if not Doc.has_extension("references"):
        Doc.set_extension("references", getter=get_references, setter=set_references)


register_extensions()
