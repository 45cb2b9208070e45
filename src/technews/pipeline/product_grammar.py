"""The product grammar: BRAND? LINE? [SERIES] MODEL [SUFFIX...] [CODENAME].

A product name is a known product line or maker brand followed by a model
number and suffixes (`Galaxy S24 Ultra`, `Xiaomi 12 Ultra`, `Find X5 Pro`,
`iOS 17.2`, `Android 6.0 Marshmallow`); a standalone line (`iPhone`, `Windows`) is a
product on its own.
An elided model in a coordination (`Pixel 8 und 8a`) takes the name of the
product before it (ANNOTATION.md rule 8).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from technews.lexicon import ProductGrammarWords


@dataclass(frozen=True)
class NameStart:
    """A matched brand or product line where a product name may start."""

    start: int
    end: int
    maker: str
    standalone: bool  # the line alone is a product (iPhone)
    is_brand: bool  # a maker's name used as a line (Xiaomi 12)


@dataclass(frozen=True)
class ProductMatch:
    start: int
    end: int
    canonical: str
    maker: str


def find_products(doc: Doc, name_starts: list[NameStart], words: ProductGrammarWords) -> list[ProductMatch]:
    """Every product the grammar reads from the brand and line matches of ``doc``."""
    starts_at: dict[int, list[NameStart]] = {}
    for name_start in name_starts:
        starts_at.setdefault(name_start.start, []).append(name_start)
    products: list[ProductMatch] = []
    for name_start in name_starts:
        product = _read_product(doc, name_start, starts_at, words)
        if product is None:
            continue
        products.append(product)
        products.extend(_elided_models(doc, product, words))
    return products


def _read_product(
    doc: Doc, name_start: NameStart, starts_at: dict[int, list[NameStart]], words: ProductGrammarWords
) -> ProductMatch | None:
    """Extend a brand or line over series, model and suffix tokens."""
    line_start, line = name_start.start, name_start
    # "Samsung Galaxy S24": a brand directly followed by one of its lines.
    if name_start.is_brand:
        following = [n for n in starts_at.get(name_start.end, []) if not n.is_brand]
        if following:
            line = max(following, key=lambda n: n.end)
            line_start = line.start
    i = line.end
    if i < len(doc) and doc[i].text in words.series and _model_at(doc, i + 1, words):
        i += 1
    has_model = _model_at(doc, i, words) and not (line.is_brand and _year_at(doc, i))
    if not has_model and not (line.standalone and not line.is_brand):
        return None
    i += has_model
    if has_model and _attached_letters(doc, i):
        i += 1  # `iPhone 3G`: the tokenizer splits `3G` as a number and a unit
    while i < len(doc) and (doc[i].text in words.suffixes or _suffix_version(doc, i, words)):
        i += 1
    i += _codename_length(doc, i, words)
    start = name_start.start
    # The canonical name drops a brand in front of a line (Samsung Galaxy S24 -> Galaxy S24).
    canonical_start = line_start if line_start > start else start
    canonical = joined_text(doc, canonical_start, i)
    return ProductMatch(start, i, canonical, line.maker)


def _model_at(doc: Doc, i: int, words: ProductGrammarWords) -> bool:
    return i < len(doc) and words.is_model(doc[i].text)


def _attached_letters(doc: Doc, i: int) -> bool:
    """One or two capitals written onto the model number before them (`3G`)."""
    return (
        i < len(doc)
        and not doc[i - 1].whitespace_
        and doc[i - 1].text.isdigit()
        and doc[i].is_alpha
        and doc[i].is_upper
        and len(doc[i]) <= 2
    )


def _year_at(doc: Doc, i: int) -> bool:
    """`SAP 2018`, `Bungie 2022`: a year after a company's name, not a model number."""
    text = doc[i].text
    return len(text) == 4 and text.isdigit() and 1980 <= int(text) <= 2039


def _suffix_version(doc: Doc, i: int, words: ProductGrammarWords) -> bool:
    """A number after "Gen" or "Build" (Snapdragon 8 Gen 3) continues the name."""
    return i > 0 and doc[i - 1].text in words.numbered_suffixes and doc[i].like_num


def _codename_length(doc: Doc, i: int, words: ProductGrammarWords) -> int:
    """How many tokens from ``i`` are a release name (`Marshmallow`, `El Capitan`), else 0."""
    for size in (3, 2, 1):  # a slice past the doc's end is shorter than `size`: not a match
        if i + size <= len(doc) and tuple(token.text for token in doc[i : i + size]) in words.codenames:
            return size
    return 0


def _elided_models(doc: Doc, product: ProductMatch, words: ProductGrammarWords) -> list[ProductMatch]:
    """`Pixel 8 und 8a` -> `8a`, canonical `Pixel 8a`."""
    prefix = _name_prefix(doc, product, words)
    if prefix is None:
        return []
    elided: list[ProductMatch] = []
    i = product.end
    while i + 1 < len(doc) and doc[i].text in words.coordinators and words.is_model(doc[i + 1].text):
        start = i + 1
        i = start + 1
        while i < len(doc) and doc[i].text in words.suffixes:
            i += 1
        elided.append(ProductMatch(start, i, f"{prefix} {joined_text(doc, start, i)}", product.maker))
    return elided


def _name_prefix(doc: Doc, product: ProductMatch, words: ProductGrammarWords) -> str | None:
    """The canonical name of a product up to its model number (Pixel 8a -> Pixel)."""
    parts = product.canonical.split(" ")
    for index, part in enumerate(parts):
        if words.is_model(part) and index > 0:
            return " ".join(parts[:index])
    return None


def joined_text(doc: Doc, start: int, end: int) -> str:
    """Span text with white space folded to single spaces."""
    return " ".join(doc[start:end].text.split())
