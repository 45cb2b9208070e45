"""`technews batch` run as users run it: formats in, formats out, one record per article."""

import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard
from typer.testing import CliRunner

import technews
from technews.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
ARTICLES = FIXTURES / "articles.jsonl"
runner = CliRunner()


def batch(*args, input=None):
    return runner.invoke(app, ["batch", *(str(a) for a in args)], input=input)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def fixture_objects() -> list[dict]:
    return read_jsonl(ARTICLES)


def expected_record(value: dict, default_id: str, nlp) -> dict:
    """What technews.extract says about the article's title and text, with its id and fields."""
    text = "\n\n".join(part for part in (value.get("title"), value["text"]) if part)
    passed = {k: v for k, v in value.items() if k not in ("id", "title", "text")}
    return {"id": value.get("id", default_id), **passed, **technews.extract(text, nlp)}


def findings(records: list[dict]) -> list[tuple]:
    return [(r.get("entities"), r.get("relations"), r.get("error", {}).get("reason")) for r in records]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("baseline") / "out.jsonl"
    result = batch(ARTICLES, "-o", out)
    assert result.exit_code == 0, result.output
    return read_jsonl(out)


def test_batch_writes_one_record_per_article_equal_to_extract(baseline, nlp):
    expected = [expected_record(v, f"{ARTICLES}:{n}", nlp) for n, v in enumerate(fixture_objects(), 1)]
    assert baseline == expected


def test_summary_says_how_many_succeeded(tmp_path):
    result = batch(ARTICLES, "-o", tmp_path / "out.jsonl", "--report", tmp_path / "report.json")
    assert result.exit_code == 0
    assert "6 processed, 0 failed" in result.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["succeeded"] == 6 and report["failed"] == 0 and report["words"] > 60


def write_dump(folder: Path, kind: str) -> Path:
    objects = fixture_objects()
    if kind == "json":
        path = folder / "dump.json"
        path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    elif kind in ("csv", "tsv"):
        path = folder / f"dump.{kind}"
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, ["id", "title", "text"], delimiter="," if kind == "csv" else "\t")
            writer.writeheader()
            writer.writerows({k: o.get(k, "") for k in ("id", "title", "text")} for o in objects)
    elif kind == "folder":
        path = folder / "articles"
        path.mkdir()
        for number, value in enumerate(objects):
            (path / f"{number}.json").write_text(json.dumps(value), encoding="utf-8")
    else:  # compressed JSON Lines, named as if it were plain
        compress = {"gzip": gzip.compress, "zstd": zstandard.ZstdCompressor().compress}[kind]
        path = folder / "dump.jsonl"
        path.write_bytes(compress(ARTICLES.read_bytes()))
    return path


@pytest.mark.parametrize("kind", ["json", "csv", "tsv", "folder", "gzip", "zstd"])
def test_every_input_format_gives_the_same_findings(tmp_path, baseline, kind):
    dump = write_dump(tmp_path, kind)
    result = batch(dump, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    records = read_jsonl(tmp_path / "out.jsonl")
    assert findings(records) == findings(baseline)
    assert [r["id"] for r in records][:3] == ["n1", "n2", "n3"]


def test_standard_input_may_be_compressed(tmp_path, baseline):
    result = batch("-", "-o", tmp_path / "out.jsonl", input=gzip.compress(ARTICLES.read_bytes()))
    assert result.exit_code == 0, result.output
    records = read_jsonl(tmp_path / "out.jsonl")
    assert findings(records) == findings(baseline)
    assert records[3]["id"] == "<stdin>:4"


def test_output_to_standard_output(baseline):
    result = batch(ARTICLES, "-o", "-")
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == baseline


def test_field_mapping_options(tmp_path, nlp):
    dump = tmp_path / "cms.jsonl"
    value = {"guid": "g-7", "headline": "Apple kauft Beats", "body": "Samsung zeigt das Galaxy S24.", "n": 1}
    dump.write_text(json.dumps(value) + "\n", encoding="utf-8")
    options = ["--id-field", "guid", "--text-field", "body", "--title-field", "headline", "--keep-text"]
    result = batch(dump, "-o", tmp_path / "out.jsonl", *options)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    text = "Apple kauft Beats\n\nSamsung zeigt das Galaxy S24."
    assert record == {"id": "g-7", "n": 1, "text": text, **technews.extract(text, nlp)}


def test_ids_are_stable_over_runs(tmp_path, baseline):
    result = batch(ARTICLES, "-o", tmp_path / "again.jsonl")
    assert result.exit_code == 0
    assert [r["id"] for r in read_jsonl(tmp_path / "again.jsonl")] == [r["id"] for r in baseline]


def test_every_bad_input_yields_an_error_record_and_exit_status_3(tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    truncated = gzip.compress(ARTICLES.read_bytes() * 50)
    (tmp_path / "cut.jsonl.gz").write_bytes(truncated[: len(truncated) // 2])
    names = ("missing.jsonl", "photo.txt", "cut.jsonl.gz")
    inputs = [FIXTURES / "bad.jsonl", *(tmp_path / name for name in names)]
    result = batch(*inputs, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 3, result.output
    records = read_jsonl(tmp_path / "out.jsonl")
    reasons = [r["error"]["reason"] for r in records if "error" in r]
    assert set(reasons) == {
        "empty_text", "not_text", "broken_line", "missing_field", "missing_file", "unreadable_file"
    }  # fmt: skip
    assert records[0]["id"] == "ok" and "entities" in records[0]
    assert [r["id"] for r in records[:7]] == ["ok", "empty", "number", "null", f"{FIXTURES}/bad.jsonl:5",
                                              "no-text", f"{FIXTURES}/bad.jsonl:7"]  # fmt: skip
    broken = records[4]["error"]
    assert broken["line"] == 5 and "line 5" in broken["message"]
    failed = len(reasons)
    assert f"{len(records) - failed} processed, {failed} failed" in result.stderr


def test_a_record_over_max_record_bytes_is_too_large_and_the_batch_goes_on(tmp_path):
    # A 10 MB gzip of NUL bytes as one JSON Lines record used to be read whole (6 GB).
    bomb = b'{"id": "bomb", "text": "' + b"\x00" * 3_000_000 + b'"}\n'
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(gzip.compress(ARTICLES.read_bytes() + bomb + ARTICLES.read_bytes()))
    result = batch(dump, "-o", tmp_path / "out.jsonl", "--max-record-bytes", 100_000)
    assert result.exit_code == 3, result.output
    records = read_jsonl(tmp_path / "out.jsonl")
    articles = len(ARTICLES.read_text(encoding="utf-8").splitlines())
    assert len(records) == 2 * articles + 1
    too_large = records[articles]
    assert too_large["id"] == f"{dump}:{articles + 1}" and too_large["error"]["reason"] == "too_large"
    assert all("entities" in record for record in records if record is not too_large)


def test_links_outside_the_input_folder_are_followed_only_when_asked(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Apple kauft Beats.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Samsung zeigt das Galaxy S24.", encoding="utf-8")
    (tmp_path / "in" / "b.txt").symlink_to(tmp_path / "b.txt")
    refused = batch(tmp_path / "in", "-o", tmp_path / "refused.jsonl")
    assert refused.exit_code == 3
    assert [r.get("error", {}).get("reason") for r in read_jsonl(tmp_path / "refused.jsonl")] == [
        None,
        "not_followed",
    ]
    followed = batch(tmp_path / "in", "-o", tmp_path / "followed.jsonl", "--follow-symlinks")
    assert followed.exit_code == 0, followed.output
    assert all("entities" in r for r in read_jsonl(tmp_path / "followed.jsonl"))


def test_html_folder_records_carry_their_text(tmp_path):
    result = batch(FIXTURES / "html", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    for record in read_jsonl(tmp_path / "out.jsonl"):
        assert all(record["text"][e["start"] : e["end"]] == e["text"] for e in record["entities"])
        assert record["entities"]


def test_an_existing_output_is_not_overwritten_unasked(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    result = batch(ARTICLES, "-o", out)
    assert result.exit_code == 1 and "--resume" in result.stderr
    assert out.read_text() == "precious\n"
    assert batch(ARTICLES, "-o", out, "--overwrite").exit_code == 0


def test_csv_output_is_an_articles_an_entities_and_a_relations_table(tmp_path, baseline):
    result = batch(ARTICLES, FIXTURES / "bad.jsonl", "-o", tmp_path / "tables", "--format", "csv")
    assert result.exit_code == 3
    tables = {
        name: list(csv.DictReader((tmp_path / "tables" / f"{name}.csv").open(encoding="utf-8", newline="")))
        for name in ("articles", "entities", "relations")
    }
    articles = tables["articles"]
    assert len(articles) == len(baseline) + 7
    assert [a["id"] for a in articles[: len(baseline)]] == [str(r["id"]) for r in baseline]
    assert json.loads(articles[0]["fields"]) == {"section": "Wirtschaft", "tags": ["Apple", "Audio"]}
    assert articles[len(baseline) + 1]["error"] == "empty_text"
    entities = [
        {"start": int(e["start"]), "end": int(e["end"]), **{k: e[k] for k in ("label", "text", "canonical")}}
        for e in tables["entities"]
        if e["article"] == "1"
    ]
    assert entities == baseline[0]["entities"]
    assert len(tables["relations"]) == sum(len(r["relations"]) for r in baseline) + 1  # `ok`: Apple, Beats


def test_parquet_output_holds_the_same_records(tmp_path, baseline):
    import pyarrow.parquet as pq

    result = batch(ARTICLES, "-o", tmp_path / "parts", "--format", "parquet")
    assert result.exit_code == 0, result.output
    rows = pq.read_table(tmp_path / "parts").to_pylist()
    assert [r["id"] for r in rows] == [str(r["id"]) for r in baseline]
    assert [r["entities"] for r in rows] == [r["entities"] for r in baseline]
    assert [r["relations"] for r in rows] == [r["relations"] for r in baseline]
    assert json.loads(rows[0]["fields"]) == {"section": "Wirtschaft", "tags": ["Apple", "Audio"]}


def test_progress_display_can_be_forced(tmp_path):
    result = batch(ARTICLES, "-o", tmp_path / "out.jsonl", "--progress")
    assert result.exit_code == 0 and "Traceback" not in result.output


@pytest.mark.slow
def test_a_reader_closing_standard_output_early_ends_the_batch_quietly(tmp_path):
    # `technews batch dump -o - | head -1`: enough records that they outgrow the pipe.
    articles = tmp_path / "many.jsonl"
    text = "Samsung zeigt das Galaxy S24 in Berlin. Apple hat Beats übernommen. " * 20
    lines = (json.dumps({"id": f"a{i}", "text": text}) for i in range(300))
    articles.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    batch = subprocess.Popen(
        [sys.executable, "-m", "technews.cli", "batch", str(articles), "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert batch.stdout is not None and batch.stderr is not None
    first = batch.stdout.readline()
    batch.stdout.close()
    stderr = batch.stderr.read().decode()
    assert batch.wait(timeout=120) == 0
    assert json.loads(first)["id"] == "a0"
    assert "Broken pipe" not in stderr and "cannot write" not in stderr


def test_version_is_the_package_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"technews {technews.__version__}"


def test_delimiter_and_encoding_options_are_checked_and_used(tmp_path):
    dump = tmp_path / "export.txt"
    dump.write_bytes("id|text\na1|Apple hat Beats übernommen, heißt es.\n".encode("cp1252"))
    out = tmp_path / "out.jsonl"
    options = ["--input-format", "csv", "--delimiter", "|", "--encoding", "cp1252"]
    result = CliRunner().invoke(app, ["batch", str(dump), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "a1" and {"Apple", "Beats"} <= {e["text"] for e in record["entities"]}
    for bad in (["--delimiter", "||"], ["--encoding", "utf-99"]):
        result = CliRunner().invoke(app, ["batch", str(dump), "-o", str(tmp_path / "x.jsonl"), *bad])
        assert result.exit_code == 2 and bad[0] in result.output
