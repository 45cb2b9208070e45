"""Training data in ANNOTATION.md's labels, from the sources the model may learn from.

Each reader yields ``Annotated`` texts: character spans with a label, and spans
whose label is unknown (``missing``), which the NER is not trained on.

- GermEval 2014: PER, LOC, ORG; OTH is missing (products and works mixed);
  `-deriv` (adjectives) is no entity; `-part` keeps the name before the hyphen
  (`Apple-Fans` -> `Apple`) and drops fused compounds (rule 4).
- SmartData v1: companies and organizations -> ORG, persons -> PER, locations
  and cities -> LOC; streets, stops and routes are missing; nominal mentions
  (`Gruppe`) are missing, not names.
- The authored corpus (``corpus/authored``): all four labels, in the gold format.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SMARTDATA_LABELS = {
    "organization-company": "ORG",
    "organization": "ORG",
    "person": "PER",
    "location": "LOC",
    "location-city": "LOC",
}
SMARTDATA_MISSING = {"location-street", "location-stop", "location-route", "org-position"}
GERMEVAL_LABELS = {"PER", "LOC", "ORG"}


@dataclass
class Annotated:
    text: str
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    missing: list[tuple[int, int]] = field(default_factory=list)
    source: str = ""


def read_germeval(path: Path, is_product: Callable[[str], bool] | None = None) -> Iterator[Annotated]:
    """Sentences of a GermEval 2014 file (index, token, outer tag, nested tag).

    is_product: decides which OTH spans are products (the knowledge base knows the
    whole span as one); the other OTH spans stay missing."""
    tokens: list[tuple[str, str]] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if tokens:
                yield _germeval_sentence(tokens, is_product)
            tokens = []
            continue
        columns = line.split("\t")
        tokens.append((columns[1], columns[2]))
    if tokens:
        yield _germeval_sentence(tokens, is_product)


def _germeval_sentence(
    tokens: list[tuple[str, str]], is_product: Callable[[str], bool] | None = None
) -> Annotated:
    text, offsets = _join_tokens([token for token, _ in tokens])
    result = Annotated(text, source="germeval2014")
    span: list = []  # [start, end, label] of the entity being read
    for (_, tag), (start, end) in zip(tokens, offsets, strict=True):
        kind, _, label = tag.partition("-")
        if kind == "I" and span and span[2] == label:
            span[1] = end
            continue
        _close(span, result, is_product)
        span = [start, end, label] if kind == "B" else []
    _close(span, result, is_product)
    return result


def _close(span: list, result: Annotated, is_product: Callable[[str], bool] | None = None) -> None:
    if not span:
        return
    start, end, label = span
    if label == "OTH" and is_product is not None and is_product(result.text[start:end]):
        result.entities.append((start, end, "PRODUCT"))
    elif label.startswith("OTH"):
        result.missing.append((start, end))
    elif label.endswith("part"):
        surface = result.text[start:end]
        name = surface.split("-")[0]
        if "-" in surface and name[:1].isupper():
            result.entities.append((start, start + len(name), label.removesuffix("part")))
    elif label in GERMEVAL_LABELS:  # `-deriv` adjectives (deutsch) are no entities
        result.entities.append((start, end, label))


def _join_tokens(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    offsets, position = [], 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    return " ".join(tokens), offsets


def smartdata_documents(path: Path) -> Iterator[dict]:
    """The raw documents of a SmartData v1 file (a gzip of concatenated JSON objects)."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        content = file.read()
    decoder, position = json.JSONDecoder(), 0
    while True:
        while position < len(content) and content[position].isspace():
            position += 1
        if position >= len(content):
            return
        document, position = decoder.raw_decode(content, position)
        yield document


def read_smartdata(path: Path, is_common_noun: Callable[[str], bool]) -> Iterator[Annotated]:
    """Documents of a SmartData v1 file with their entities."""
    for document in smartdata_documents(path):
        yield _smartdata_document(document, is_common_noun)


def _smartdata_document(document: dict, is_common_noun: Callable[[str], bool]) -> Annotated:
    text = document["text"]["string"]
    result = Annotated(text, source="smartdata_v1")
    for mention in (document.get("conceptMentions") or {}).get("array", []):
        start, end, kind = mention["span"]["start"], mention["span"]["end"], mention["type"]
        surface = text[start:end]
        if kind in SMARTDATA_MISSING:
            result.missing.append((start, end))
        elif kind in SMARTDATA_LABELS:
            if " " not in surface and is_common_noun(surface):
                result.missing.append((start, end))  # a nominal mention such as `Gruppe`
            else:
                result.entities.append((start, end, SMARTDATA_LABELS[kind]))
    return result


def read_gold(path: Path) -> Iterator[Annotated]:
    """Articles in the file format of ANNOTATION.md (the authored corpus, examples)."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            article = json.loads(line)
            entities = [(e["start"], e["end"], e["label"]) for e in article["entities"]]
            yield Annotated(article["text"], entities, source=Path(path).stem)


def common_noun_check() -> Callable[[str], bool]:
    """Whether a capitalised word is an everyday German noun (wordfreq, from the train extra)."""
    from wordfreq import zipf_frequency

    def is_common_noun(word: str) -> bool:
        return bool(re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+", word)) and zipf_frequency(word, "de") >= 4.0

    return is_common_noun


def swap_names(items: list[Annotated], names: dict[str, list[str]], rng: random.Random) -> list[Annotated]:
    """Copies of ``items`` with every ORG and PRODUCT name replaced by another of the same
    label (``names``), the same replacement for the same name within an item, genitive
    `s` kept: the model learns the contexts, not the list."""
    copies = []
    for item in items:
        text, entities, shift = item.text, [], 0
        replacement: dict[str, str] = {}
        for start, end, label in sorted(item.entities):
            surface = item.text[start:end]
            if label not in names:
                entities.append((start + shift, end + shift, label))
                continue
            base = surface[:-1] if surface.endswith("s") and surface[:-1] in replacement else surface
            new = replacement.setdefault(base, rng.choice(names[label]))
            if base != surface:
                new += "s"
            text = text[: start + shift] + new + text[end + shift :]
            entities.append((start + shift, start + shift + len(new), label))
            shift += len(new) - (end - start)
        copies.append(Annotated(text, entities, source=f"{item.source}+swapped"))
    return copies
