"""Training data in ANNOTATION.md's labels, from the sources the model may learn from.

Each reader yields ``Annotated`` texts: character spans with a label, and spans
whose label is unknown (``missing``), which the NER is not trained on.

- GermEval 2014: PER, LOC, ORG; OTH (products and works mixed) as annotators decided
  span by span, else missing; `-deriv` (adjectives) is no entity; `-part` keeps the
  name before the hyphen (`Apple-Fans` -> `Apple`) and drops fused compounds (rule 4).
- SmartData v1: companies and organizations -> ORG, persons -> PER, locations
  and cities -> LOC; streets, stops and routes are missing; nominal mentions
  (`Gruppe`) are missing, not names. SmartData labels no products: annotators' PRODUCT
  spans (``corpus/smartdata``, by document id ``train:N``) are added, replacing the spans
  they overlap (`VW` in `VW Golf`, `Facebook` used as a platform).
- The authored corpus (``corpus/authored``): all four labels, in the gold format.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

SMARTDATA_LABELS = {
    "organization-company": "ORG",
    "organization": "ORG",
    "person": "PER",
    "location": "LOC",
    "location-city": "LOC",
}
SMARTDATA_MISSING = {"location-street", "location-stop", "location-route", "org-position"}
SMARTDATA_FILES = ("train", "test")  # {name}.json.gz; document ids are `{name}:{number}`
GERMEVAL_LABELS = {"PER", "LOC", "ORG"}
DECIDED_LABELS = ("PRODUCT", "ORG", "PER", "LOC", None)  # None: no entity


@dataclass
class Annotated:
    text: str
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    missing: list[tuple[int, int]] = field(default_factory=list)
    source: str = ""


@dataclass(frozen=True)
class GermevalSpan:
    """One outer-level span of a GermEval sentence."""

    key: str  # file, sentence and first token, `NER-de-dev:12:8`: where annotators' decisions point
    tag: str  # the label without B-/I- (`OTH`, `ORGpart`)
    start: int
    end: int
    text: str  # the whole sentence

    @property
    def surface(self) -> str:
        return self.text[self.start : self.end]


def germeval_spans(path: Path) -> Iterator[GermevalSpan]:
    """Every outer span of a GermEval 2014 file (index, token, outer tag, nested tag)."""
    for _, spans in _germeval_sentences(Path(path)):
        yield from spans


def read_germeval(path: Path, decisions: Mapping[str, str | None] | None = None) -> Iterator[Annotated]:
    """Sentences of a GermEval 2014 file in ANNOTATION.md's labels.

    decisions: annotators' labels for spans by key (PRODUCT, ORG, PER, LOC, or None for no
    entity; see scripts/list_germeval_spans.py); an OTH span nobody decided stays missing."""
    for text, spans in _germeval_sentences(Path(path)):
        result = Annotated(text, source="germeval2014")
        for span in spans:
            _add_span(span, result, decisions or {})
        yield result


def _germeval_sentences(path: Path) -> Iterator[tuple[str, list[GermevalSpan]]]:
    """Each sentence's text and spans; sentences are numbered from 1 in the file."""
    number, tokens = 0, []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if line.strip():
            columns = line.split("\t")
            tokens.append((columns[1], columns[2]))
        elif tokens:
            number += 1
            yield _sentence_spans(f"{path.stem}:{number}", tokens)
            tokens = []


def _sentence_spans(sentence_key: str, tokens: list[tuple[str, str]]) -> tuple[str, list[GermevalSpan]]:
    text, offsets = _join_tokens([token for token, _ in tokens])
    spans: list[GermevalSpan] = []
    inside = False  # whether the last token belongs to spans[-1]
    for index, ((_, tag), (start, end)) in enumerate(zip(tokens, offsets, strict=True), start=1):
        kind, _, label = tag.partition("-")
        if kind == "I" and inside and spans[-1].tag == label:
            spans[-1] = replace(spans[-1], end=end)
        elif kind == "B":
            spans.append(GermevalSpan(f"{sentence_key}:{index}", label, start, end, text))
        inside = kind in ("B", "I") and bool(spans) and spans[-1].end == end
    return text, spans


def read_span_decisions(folder: Path) -> dict[str, str | None]:
    """Annotators' labels of GermEval spans, `{"id": key, "label": ...}` per line, from
    every JSON Lines file of ``folder``; a label outside ANNOTATION.md's is an error."""
    decisions: dict[str, str | None] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if record["label"] not in DECIDED_LABELS:
                raise ValueError(f"{path}:{number}: label {record['label']!r} is none of {DECIDED_LABELS}")
            decisions[record["id"]] = record["label"]
    return decisions


def _add_span(span: GermevalSpan, result: Annotated, decisions: Mapping[str, str | None]) -> None:
    start, end, label = span.start, span.end, span.tag
    if span.key in decisions:
        decided = decisions[span.key]
        if decided is not None:
            result.entities.append((start, end, decided))
    elif label.startswith("OTH"):
        result.missing.append((start, end))
    elif label.endswith("part"):
        name = span.surface.split("-")[0]
        if "-" in span.surface and name[:1].isupper():
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


def read_smartdata(
    path: Path,
    is_common_noun: Callable[[str], bool],
    products: Mapping[str, list[tuple[int, int]]] | None = None,
) -> Iterator[Annotated]:
    """Documents of a SmartData v1 file with their entities, and the products annotated for
    them (``read_smartdata_products``) where given."""
    for number, document in enumerate(smartdata_documents(path)):
        annotated = _smartdata_document(document, is_common_noun)
        spans = (products or {}).get(f"{path.name.split('.')[0]}:{number}")
        yield with_products(annotated, spans) if spans else annotated


def smartdata_texts(folder: Path) -> dict[str, str]:
    """Every SmartData document's text by id."""
    return {
        f"{name}:{number}": document["text"]["string"]
        for name in SMARTDATA_FILES
        for number, document in enumerate(smartdata_documents(folder / f"{name}.json.gz"))
    }


def read_smartdata_products(folder: Path, texts: Mapping[str, str]) -> dict[str, list[tuple[int, int]]]:
    """The PRODUCT spans of ``corpus/smartdata/*.jsonl`` by document id, each checked
    against the document's text."""
    products: dict[str, list[tuple[int, int]]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            text = texts[record["id"]]
            for entity in record["entities"]:
                start, end = entity["start"], entity["end"]
                if text[start:end] != entity["text"]:
                    raise ValueError(f"{path.name}: {record['id']} has no {entity['text']!r} at {start}")
                products.setdefault(record["id"], []).append((start, end))
    return products


def with_products(annotated: Annotated, products: list[tuple[int, int]]) -> Annotated:
    """The text with the given PRODUCT spans, which replace the spans they overlap."""

    def overlaps(start: int, end: int) -> bool:
        return any(start < p_end and p_start < end for p_start, p_end in products)

    entities = [e for e in annotated.entities if not overlaps(e[0], e[1])]
    missing = [m for m in annotated.missing if not overlaps(*m)]
    entities += [(start, end, "PRODUCT") for start, end in products]
    return replace(annotated, entities=sorted(entities), missing=missing)


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
