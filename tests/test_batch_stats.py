"""`technews stats`: counts by canonical name, the same from JSON Lines, CSV and Parquet output."""

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from technews.batch.stats import read_output
from technews.cli import app
from tests.test_batch_resume import write_dump

runner = CliRunner()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("stats")
    dump = write_dump(folder / "dump.jsonl", 150)
    paths = {"jsonl": folder / "out.jsonl", "csv": folder / "tables", "parquet": folder / "parts"}
    for output_format, path in paths.items():
        result = runner.invoke(app, ["batch", str(dump), "-o", str(path), "--format", output_format])
        assert result.exit_code == 3, result.output  # the dump holds a few empty texts
    return paths


def stats_json(path: Path, *options: str) -> dict:
    result = runner.invoke(app, ["stats", str(path), "--json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stats_count_mentions_articles_and_relations_by_canonical_name(outputs):
    records = [json.loads(line) for line in outputs["jsonl"].read_text(encoding="utf-8").splitlines()]
    organizations = [[e["canonical"] for e in r.get("entities", []) if e["label"] == "ORG"] for r in records]
    mentions = Counter(name for names in organizations for name in names)
    articles = Counter(name for names in organizations for name in set(names))
    found = [x for r in records for x in r.get("relations", ())]
    relations = Counter((x["head"], x["relation"], x["tail"]) for x in found)
    figures = stats_json(outputs["jsonl"], "--top", "3")
    assert figures["records"] == 150
    assert figures["failed"] == sum("error" in r for r in records) > 0
    assert figures["reasons"] == {"empty_text": figures["failed"]}
    assert [(o["canonical"], o["mentions"], o["articles"]) for o in figures["organizations"]] == [
        (name, count, articles[name]) for name, count in mentions.most_common(3)
    ]
    top = figures["relations"][0]
    assert top["articles"] == relations.most_common(1)[0][1]
    assert sum(top["statuses"].values()) == top["articles"]
    assert len(figures["products"]) == 3


def test_stats_are_the_same_from_csv_parquet_and_compressed_json_lines(outputs, tmp_path):
    expected = stats_json(outputs["jsonl"])
    compressed = tmp_path / "out.jsonl.gz"
    compressed.write_bytes(gzip.compress(outputs["jsonl"].read_bytes()))
    assert stats_json(compressed) == expected
    assert stats_json(outputs["csv"]) == expected
    assert stats_json(outputs["parquet"]) == expected


def test_stats_print_tables(outputs):
    result = runner.invoke(app, ["stats", str(outputs["jsonl"])])
    assert result.exit_code == 0
    for heading in ("Organizations", "Products", "Relations", "150 records"):
        assert heading in result.stdout
    assert "Samsung" in result.stdout and "made_by" in result.stdout


def test_stats_of_a_missing_output_is_a_message(tmp_path):
    result = runner.invoke(app, ["stats", str(tmp_path / "nothing.jsonl")])
    assert result.exit_code == 2 and "no such output" in result.stderr


def test_csv_output_is_read_with_its_formula_escaping_undone(tmp_path):
    # The CSV writer prefixes `'` to cells a spreadsheet would run (`=1`, `-Apple`); stats
    # must count the values, not the escaped cells.
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"id": "=1", "text": "Apple kauft Beats, sagt @Samsung."}) + "\n")
    result = runner.invoke(app, ["batch", str(dump), "-o", str(tmp_path / "tables"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    (record,) = read_output(tmp_path / "tables")
    assert record["id"] == "=1"
