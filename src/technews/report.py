"""One self-contained HTML page about a batch output: the most mentioned organizations and
products, a graph of the brand relations, the relations with their evidence sentences, and
articles with their entities and relations highlighted.

It reads the output twice: the counts (as ``technews stats``), then the evidence of the
relations drawn and the articles shown, so that it holds no text beyond what it shows.
The graph is laid out by networkx and drawn as inline SVG; the page is a Jinja2 template
with its styles inline and no script, so it opens anywhere without network access. Each
edge links to its row in the relation table (``#relation-N``), and each evidence sentence
to its article (``#article-N``) where the article is shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from technews.batch.extraction import processed_text
from technews.batch.readers import FieldMapping, read_articles
from technews.batch.records import is_error
from technews.batch.stats import Stats, collect_stats, read_output, relation_key
from technews.errors import InvalidInputError, TechnewsError
from technews.rendering import render, templates

RELATION_COLORS = {"made_by": "#2b8a3e", "partner_of": "#1c7ed6", "owned_by": "#e8590c"}
LABEL_COLORS = {"ORG": "#7aecec", "PRODUCT": "#bfeeb7"}
EVIDENCE_PER_RELATION = 3
WIDTH, HEIGHT, MARGIN = 960, 640, 70


class ReportError(TechnewsError):
    """The output (or the input given for its texts) cannot be made into a report."""


@dataclass
class Evidence:
    article: str  # the record's id, as text
    anchor: str | None  # `article-N` where the article is shown in the report
    sentence: str


@dataclass
class Shown:
    """The articles shown and the evidence of the relations in the graph: bounded by
    ``max_articles`` and ``EVIDENCE_PER_RELATION``, however large the output."""

    relations: set[tuple[str, str, str]]  # the relations drawn (by relation_key)
    max_articles: int
    evidence: dict[tuple[str, str, str], list[Evidence]] = field(default_factory=dict)
    articles: list[dict[str, Any]] = field(default_factory=list)  # id, anchor, markup
    without_text: int = 0  # result records whose text was neither kept nor given

    def add(self, position: int, record: dict[str, Any], text: str | None) -> None:
        if is_error(record):
            return
        if text is None:
            self.without_text += 1
            return
        anchor = None
        if len(self.articles) < self.max_articles and record["entities"]:
            anchor = f"article-{position}"
            markup = render(record, text=text, jupyter=False)
            self.articles.append({"id": str(record["id"]), "anchor": anchor, "markup": markup})
        for relation in record["relations"]:
            key = relation_key(relation)
            if key not in self.relations:
                continue
            kept = self.evidence.setdefault(key, [])
            if len(kept) < EVIDENCE_PER_RELATION:
                sentence = text[relation["evidence"]["start"] : relation["evidence"]["end"]].strip()
                kept.append(Evidence(str(record["id"]), anchor, sentence))


def build_report(
    output: Path,
    inputs: list[str] | None = None,
    mapping: FieldMapping | None = None,
    top: int = 30,
    max_articles: int = 100,
) -> str:
    """The report's HTML, in two passes over the output: the counts, then the evidence of
    the ``top`` relations and the first ``max_articles`` articles with entities. Articles
    are shown with their text: a record's own ``text`` (``technews batch --keep-text``,
    HTML input), else the article at the same position of ``inputs``, read with
    ``mapping`` as the batch read it."""
    stats = collect_stats(output)
    figures = stats.as_dict(top)
    drawn = {(r["head"], r["relation"], r["tail"]) for r in figures["relations"]}
    shown = Shown(drawn, max_articles)
    texts = _texts_of(inputs, mapping or FieldMapping()) if inputs else None
    for position, record in enumerate(read_output(output), 1):
        text = record.get("text")
        if texts is not None:
            given_id, given_text = next(texts, (None, None))
            if given_id is not None and str(given_id) != str(record["id"]):
                raise ReportError(
                    f"record {position} of {output} is {record['id']!r} but the input's article "
                    f"{position} is {given_id!r}: the input does not belong to this output"
                )
            text = text if text is not None else given_text
        shown.add(position, record, text)
    return _page(figures, stats, shown, output)


def _texts_of(inputs: list[str], mapping: FieldMapping) -> Iterator[tuple[Any, str | None]]:
    for article in read_articles(inputs, mapping):
        try:
            text = None if article.error else processed_text(article)
        except InvalidInputError:
            text = None
        yield article.id, text


def _page(figures: dict[str, Any], stats: Stats, shown: Shown, output: Path) -> str:
    relations = figures["relations"]
    for number, relation in enumerate(relations, 1):
        relation["anchor"] = f"relation-{number}"
        relation["evidence"] = shown.evidence.get(
            (relation["head"], relation["relation"], relation["tail"]), []
        )
    return templates.get_template("report.html.j2").render(
        output=output.name,
        created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        figures=figures,
        graph=relation_graph(relations, stats),
        articles=shown.articles,
        without_text=shown.without_text,
        relation_colors=RELATION_COLORS,
        label_colors=LABEL_COLORS,
    )


def relation_graph(relations: list[dict[str, Any]], stats: Stats) -> dict[str, Any]:
    """Nodes (canonical names) and edges (one per relation, width by articles) with SVG
    coordinates, laid out by networkx's force-directed layout (fixed seed: the same
    output gives the same picture)."""
    import networkx

    graph = networkx.Graph()
    for relation in relations:
        graph.add_edge(relation["head"], relation["tail"])
    if not graph:
        return {"nodes": [], "edges": [], "width": WIDTH, "height": HEIGHT}
    positions = networkx.spring_layout(graph, seed=7, k=1.6 / math.sqrt(len(graph)))
    place = _to_canvas(positions)
    nodes = []
    for name in graph.nodes:
        label, mentions = _label_and_mentions(name, stats)
        x, y = place[name]
        size = min(6 + 3 * math.sqrt(mentions), 30)
        nodes.append({"name": name, "label": label, "mentions": mentions, "x": x, "y": y, "r": size})
    radii = {node["name"]: node["r"] for node in nodes}
    edges = [_edge(relation, place, radii) for relation in relations]
    return {"nodes": nodes, "edges": edges, "width": WIDTH, "height": HEIGHT}


def _to_canvas(positions: dict[str, Any]) -> dict[str, tuple[float, float]]:
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def scale(value: float, low: float, span: float, size: int) -> float:
        return round(MARGIN + (value - low) / span * (size - 2 * MARGIN), 1)

    return {
        name: (scale(float(p[0]), min(xs), span_x, WIDTH), scale(float(p[1]), min(ys), span_y, HEIGHT))
        for name, p in positions.items()
    }


def _label_and_mentions(name: str, stats: Stats) -> tuple[str, int]:
    counts = {label: stats.mentions[(label, name)] for label in ("ORG", "PRODUCT")}
    label = max(counts, key=lambda key: counts[key])
    return label, counts[label]


def _edge(relation: dict[str, Any], place: dict[str, tuple[float, float]], radius: dict[str, float]) -> dict:
    """A line from head to tail that stops at the tail's circle, where its arrow points."""
    (x1, y1), (x2, y2) = place[relation["head"]], place[relation["tail"]]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    shorten = radius[relation["tail"]] + 4
    statuses = relation["statuses"]
    return {
        **relation,
        "x1": x1,
        "y1": y1,
        "x2": round(x2 - (x2 - x1) * shorten / length, 1),
        "y2": round(y2 - (y2 - y1) * shorten / length, 1),
        "width": round(1.5 + 1.5 * math.log2(relation["articles"]), 1),
        "main_status": max(statuses, key=lambda status: statuses[status]),
        "directed": relation["relation"] != "partner_of",
    }


def write_report(html: str, path: Path) -> None:
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as error:
        raise ReportError(f"cannot write {path}: {error.strerror}") from error
