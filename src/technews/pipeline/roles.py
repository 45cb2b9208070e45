"""Role cues: is a name the thing used (PRODUCT) or the one acting (ORG)?"""

from __future__ import annotations

from spacy.tokens import Doc

from technews.lexicon import RoleCues

VERB_WINDOW = 5


def used_as_product(doc: Doc, start: int, end: int, cues: RoleCues) -> bool:
    """`auf Facebook posten`, `WhatsApp-Nutzer`, `Signal installieren`,
    `der Kurznachrichtendienst Twitter` -> True."""
    if start > 0 and doc[start - 1].lower_ in cues.product_prepositions:
        return True
    if start > 0 and cues.is_product_noun(doc[start - 1].text):
        return True
    if compound_head(doc, end, cues.coordinators) in cues.product_compound_heads:
        return True
    # The next words up to the sentence's end (not `token.sent`: it walks the whole sentence).
    for token in doc[end : min(end + VERB_WINDOW, len(doc))]:
        if token.is_sent_start:
            return False
        if token.lower_.startswith(cues.product_verb_stems):
            return True
    return False


def is_currency_compound(doc: Doc, end: int, cues: RoleCues) -> bool:
    """`US-Dollar`: the place is part of a currency's name, not a place."""
    return compound_head(doc, end, cues.coordinators) in cues.currency_heads


def compound_head(doc: Doc, end: int, coordinators: frozenset[str]) -> str | None:
    """The word after a hyphen that directly follows the name (Facebook-Nutzer -> Nutzer),
    also across a truncated compound (`Facebook- und Twitter-Einträge` -> Einträge)."""
    if end + 1 >= len(doc) or doc[end].text != "-" or doc[end - 1].whitespace_:
        return None
    if not doc[end].whitespace_:
        return doc[end + 1].text
    if doc[end + 1].lower_ in coordinators:
        for i in range(end + 2, min(end + 6, len(doc) - 1)):
            if doc[i].text == "-" and not doc[i].whitespace_:
                return doc[i + 1].text
    return None
