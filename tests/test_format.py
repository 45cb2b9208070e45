"""The output format: real records of every kind validate against the shipped JSON Schema."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import technews
from technews.batch.records import REASONS
from technews.cli import app
from technews.output import RECORD_SCHEMA
from technews.pipeline.relation_scorer import STATUSES
from technews.scoring import LABELS, RELATIONS

jsonschema = pytest.importorskip("jsonschema")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(RECORD_SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def batch_records(tmp_path: Path, *inputs: Path, options: tuple[str, ...] = ()) -> list[dict]:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", *map(str, inputs), "-o", str(out), *options])
    assert result.exit_code in (0, 3), result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_the_schema_names_what_the_code_writes(schema):
    defs = schema["$defs"]
    assert defs["entity"]["properties"]["label"]["enum"] == list(LABELS)
    assert defs["relation"]["properties"]["relation"]["enum"] == list(RELATIONS)
    assert defs["relation"]["properties"]["status"]["enum"] == list(STATUSES)
    assert set(defs["error"]["properties"]["reason"]["enum"]) == set(REASONS)


def test_batch_records_of_the_examples_validate(validator, tmp_path):
    records = batch_records(tmp_path, EXAMPLES / "articles.jsonl", options=("--keep-text",))
    assert len(records) == 4 and sum(len(r["relations"]) for r in records) >= 4
    for record in records:
        validator.validate(record)


def test_error_records_validate(validator, tmp_path):
    dump = tmp_path / "dump.jsonl"
    english = "The company said on Monday that it will open a new factory in Texas next year to build chips."
    lines = [
        json.dumps({"id": "ok", "text": "Samsung stellt das Galaxy S24 in Seoul vor."}),
        json.dumps({"id": "empty", "text": "  "}),
        json.dumps({"id": "number", "text": 42}),
        json.dumps({"id": "no-text", "body": "Apple"}),
        "{not json",
        json.dumps({"id": "english", "text": english}),
    ]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = batch_records(tmp_path, dump, tmp_path / "missing.jsonl", options=("--languages", "de"))
    reasons = [r["error"]["reason"] for r in records if "error" in r]
    assert reasons == [
        "empty_text",
        "not_text",
        "missing_field",
        "broken_line",
        "other_language",
        "missing_file",
    ]
    assert records[5]["language"] == "en"
    for record in records:
        validator.validate(record)


def test_html_extract_output_validates(validator, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Xiaomi und Leica</title></head><body><article><p>Xiaomi arbeitet beim "
        "Xiaomi 12 Ultra mit Leica zusammen, wie der Hersteller in Peking mitteilte.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["text"].startswith("Xiaomi und Leica")
    validator.validate(record)


def test_extract_gives_the_result_part(schema, seed_text):
    extraction = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/extraction"})
    extraction.validate(technews.extract(seed_text))


@pytest.mark.parametrize(
    "broken",
    [
        {"id": 1, "entities": [], "relations": [], "error": {"reason": "empty_text", "message": "x"}},
        {"id": 1, "entities": []},
        {"id": 1, "relations": [],
         "entities": [{"start": 0, "end": 5, "label": "COMPANY", "text": "Apple", "canonical": "Apple"}]},
        {"id": 1, "entities": [], "relations": [{"head": "A", "relation": "owned_by", "tail": "B",
         "status": "confirmed", "evidence": {"start": 0, "end": 1}, "score": 1.0}]},
        {"entities": [], "relations": []},
    ],
)  # fmt: skip
def test_the_schema_rejects_malformed_records(validator, broken):
    assert not validator.is_valid(broken)
