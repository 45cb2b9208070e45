"""What a batch output is about: the most mentioned organizations and products, the relations found.

Reads JSON Lines (compressed or not), a CSV folder or a Parquet folder as
``technews batch`` writes them; everything is counted by canonical name.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from technews.batch.readers import open_decompressed
from technews.batch.records import is_error
from technews.batch.writers import OutputError, csv_value

STATS_LABELS = ("ORG", "PRODUCT")


@dataclass
class Stats:
    records: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    mentions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, canonical)
    entity_articles: Counter[tuple[str, str]] = field(default_factory=Counter)
    relation_articles: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # head, relation, tail
    statuses: defaultdict[tuple[str, str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )

    def add(self, record: dict[str, Any]) -> None:
        self.records += 1
        if is_error(record):
            self.reasons[record["error"]["reason"]] += 1
            return
        names = [(e["label"], e["canonical"]) for e in record["entities"] if e["label"] in STATS_LABELS]
        self.mentions.update(names)
        self.entity_articles.update(set(names))
        for relation in record["relations"]:
            key = relation_key(relation)
            self.relation_articles[key] += 1
            self.statuses[key][relation["status"]] += 1

    def as_dict(self, top: int = 20) -> dict[str, Any]:
        return {
            "records": self.records,
            "succeeded": self.records - sum(self.reasons.values()),
            "failed": sum(self.reasons.values()),
            "reasons": dict(self.reasons),
            "organizations": self._top_entities("ORG", top),
            "products": self._top_entities("PRODUCT", top),
            "relations": [
                {"head": head, "relation": relation, "tail": tail, "articles": articles,
                 "statuses": dict(self.statuses[(head, relation, tail)].most_common())}
                for (head, relation, tail), articles in self.relation_articles.most_common(top)
            ],
        }  # fmt: skip

    def _top_entities(self, label: str, top: int) -> list[dict[str, Any]]:
        counts = Counter({name: n for (kind, name), n in self.mentions.items() if kind == label})
        return [
            {"canonical": name, "mentions": mentions, "articles": self.entity_articles[(label, name)]}
            for name, mentions in counts.most_common(top)
        ]


def relation_key(relation: dict[str, Any]) -> tuple[str, str, str]:
    head, tail = relation["head"], relation["tail"]
    if relation["relation"] == "partner_of":  # symmetric: either direction is the same pair
        head, tail = sorted((head, tail))
    return head, relation["relation"], tail


def collect_stats(output: Path) -> Stats:
    stats = Stats()
    for record in read_output(output):
        stats.add(record)
    return stats


def read_output(output: Path) -> Iterator[dict[str, Any]]:
    """The records of a batch output, whatever its format."""
    if not output.exists():
        raise OutputError(f"no such output: {output}")
    if output.is_dir() and (output / "articles.csv").exists():
        return _read_csv_output(output)
    if output.is_dir():
        return _read_parquet_output(output)
    return _read_jsonl_output(output)


def _read_jsonl_output(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as raw, open_decompressed(raw) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as error:
                raise OutputError(f"{path}:{number} is not JSON: {error}") from error


def _read_csv_output(folder: Path) -> Iterator[dict[str, Any]]:
    with (
        (folder / "articles.csv").open(encoding="utf-8", newline="") as articles,
        (folder / "entities.csv").open(encoding="utf-8", newline="") as entities,
        (folder / "relations.csv").open(encoding="utf-8", newline="") as relations,
    ):
        entity_groups = _ArticleGroups(_unescaped_rows(entities))
        relation_groups = _ArticleGroups(_unescaped_rows(relations))
        for row in _unescaped_rows(articles):
            if row["error"]:
                yield {"id": row["id"], "error": {"reason": row["error"], "message": row["error_message"]}}
                continue
            position = int(row["article"])
            found = [
                {**e, "start": int(e["start"]), "end": int(e["end"])} for e in entity_groups.take(position)
            ]
            yield {"id": row["id"], "entities": found, "relations": relation_groups.take(position)}


def _unescaped_rows(table: Any) -> Iterator[dict[str, str]]:
    """A table's rows with the values as they were before the writer's formula escaping."""
    for row in csv.DictReader(table):
        yield {key: csv_value(value) for key, value in row.items()}


class _ArticleGroups:
    """Rows of a table sorted by article position, handed out one article at a time."""

    def __init__(self, rows: Iterator[dict[str, str]]) -> None:
        self.groups = itertools.groupby(rows, key=lambda row: int(row["article"]))
        self.current: tuple[int, list[dict[str, str]]] | None = None

    def take(self, position: int) -> list[dict[str, str]]:
        while self.current is None or self.current[0] < position:
            group = next(self.groups, None)
            if group is None:
                return []
            self.current = (group[0], list(group[1]))
        return self.current[1] if self.current[0] == position else []


def _read_parquet_output(folder: Path) -> Iterator[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise OutputError('reading Parquet needs pyarrow: pip install "technews[parquet]"') from error
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise OutputError(f"{folder} holds no batch output (articles.csv or part-*.parquet)")
    for part in parts:
        for batch in pq.ParquetFile(part).iter_batches(columns=["id", "entities", "relations", "error"]):
            for row in batch.to_pylist():
                if row["error"] is None:
                    row.pop("error")
                yield row
