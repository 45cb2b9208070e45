"""displaCy views of what technews found: entities with their canonical names, and the
brand relations, as a list beneath the text (``style="ent"``) or as arcs between the
entities of each evidence sentence (``style="rel"``, displaCy's dependency view in
manual mode). Works on a processed ``Doc`` or on an output record with its text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from spacy import displacy
from spacy.tokens import Doc
from spacy.util import is_in_jupyter

from technews.errors import InvalidInputError
from technews.output import doc_to_record

STYLES = ("ent", "rel")
COLORS = {"ORG": "#7aecec", "PRODUCT": "#bfeeb7", "PER": "#aa9cfc", "LOC": "#ff9561"}
CONTEXT_WORDS = 3  # words kept on either side of a sentence's related entities in "rel"

# The templates of this view and of the report (technews.report), autoescaped.
templates = Environment(loader=PackageLoader("technews", "templates"), autoescape=select_autoescape())


def render(
    article: Doc | dict[str, Any],
    style: str = "ent",
    text: str | None = None,
    jupyter: bool | None = None,
    page: bool = False,
) -> str:
    """HTML of an article's entities and relations; shown in Jupyter (when run there, or
    ``jupyter=True``) and returned. ``article``: a ``Doc`` from a technews pipeline, or a
    record of ``technews.extract``, ``technews.pipe`` or ``technews batch`` whose offsets
    index ``text`` (or its own ``text`` field). ``page``: a whole HTML page."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    record, text = _record_and_text(article, text)
    relations = templates.get_template("relations.html.j2").render(relations=record["relations"])
    if style == "ent":
        view = displacy.render(
            entity_view(record, text), style="ent", manual=True, options={"colors": COLORS}
        )
    else:
        parses = relation_parses(record, text)
        view = displacy.render(parses, style="dep", manual=True, options={"compact": True}) if parses else ""
    markup = templates.get_template("render.html.j2").render(view=view, relations=relations, page=page)
    if jupyter or (jupyter is None and is_in_jupyter()):
        from IPython.display import HTML, display

        display(HTML(markup))
    return markup


def _record_and_text(article: Doc | dict[str, Any], text: str | None) -> tuple[dict[str, Any], str]:
    if isinstance(article, Doc):
        return doc_to_record(article), article.text
    if not isinstance(article, dict):
        raise InvalidInputError(f"Expected a Doc or a record (dict), got {type(article).__name__}")
    if "error" in article:
        raise InvalidInputError(f"An error record has nothing to show: {article['error'].get('reason')}")
    text = text if text is not None else article.get("text")
    if not isinstance(text, str):
        raise InvalidInputError("The record holds no text: pass text=..., or batch with --keep-text")
    if any(entity["end"] > len(text) for entity in article.get("entities", [])):
        raise InvalidInputError("The record's offsets point past the end of the text: not its text?")
    return article, text


def entity_view(record: dict[str, Any], text: str) -> dict[str, Any]:
    """displaCy's manual "ent" input: each entity with its canonical name where it differs
    from the text (as the knowledge-base id, which displaCy shows beside the label)."""
    ents = []
    for entity in record["entities"]:
        span = {"start": entity["start"], "end": entity["end"], "label": entity["label"]}
        if entity["canonical"] != entity["text"]:
            span["kb_id"] = escape(entity["canonical"])  # displaCy inserts it unescaped
        ents.append(span)
    return {"text": text, "ents": ents, "title": None}


def relation_parses(record: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """displaCy's manual "dep" input: one parse per evidence sentence, its entities as
    single words tagged with their label, an arc from head to tail for each relation."""
    by_sentence: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for relation in record["relations"]:
        evidence = relation["evidence"]
        by_sentence.setdefault((evidence["start"], evidence["end"]), []).append(relation)
    parses = []
    for (start, end), relations in sorted(by_sentence.items()):
        entities = [e for e in record["entities"] if start <= e["start"] and e["end"] <= end]
        parse = _sentence_parse(text, start, end, entities, relations)
        if parse["arcs"]:
            parses.append({**parse, "settings": {"lang": "de"}})
    return parses


def _sentence_parse(
    text: str, start: int, end: int, entities: list[dict[str, Any]], relations: list[dict[str, Any]]
) -> dict[str, Any]:
    words: list[dict[str, str]] = []
    entity_word: dict[str, int] = {}  # canonical name -> its first word in the sentence
    position = start
    for entity in entities:
        words += [{"text": w, "tag": ""} for w in text[position : entity["start"]].split()]
        entity_word.setdefault(entity["canonical"], len(words))
        words.append({"text": entity["text"], "tag": entity["label"]})
        position = entity["end"]
    words += [{"text": w, "tag": ""} for w in text[position:end].split()]
    arcs = []
    for relation in relations:
        head, tail = entity_word.get(relation["head"]), entity_word.get(relation["tail"])
        if head is None or tail is None or head == tail:
            continue  # the brand inside a product's name, or a mention outside the sentence
        status = "" if relation["status"] == "current" else f" ({relation['status']})"
        arcs.append(
            {"start": min(head, tail), "end": max(head, tail), "label": relation["relation"] + status,
             "dir": "right" if tail > head else "left"}
        )  # fmt: skip
    return _trimmed({"words": words, "arcs": arcs})


def _trimmed(parse: dict[str, Any]) -> dict[str, Any]:
    """The words around the arcs, with `…` for what is cut, so a long sentence stays readable."""
    if not parse["arcs"]:
        return parse
    first = max(0, min(arc["start"] for arc in parse["arcs"]) - CONTEXT_WORDS)
    last = min(len(parse["words"]), max(arc["end"] for arc in parse["arcs"]) + CONTEXT_WORDS + 1)
    words = parse["words"][first:last]
    shift = first
    if first > 0:
        words = [{"text": "…", "tag": ""}, *words]
        shift -= 1
    if last < len(parse["words"]):
        words.append({"text": "…", "tag": ""})
    arcs = [{**arc, "start": arc["start"] - shift, "end": arc["end"] - shift} for arc in parse["arcs"]]
    return {"words": words, "arcs": arcs}
