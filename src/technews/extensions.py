"""Custom attributes technews sets on spaCy objects, registered once at import."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def register_extensions() -> None:
    """Idempotent: importing technews twice or loading two pipelines is fine."""
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)
    if not Doc.has_extension("references"):
        Doc.set_extension("references", default=None)


register_extensions()
