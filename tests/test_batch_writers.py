"""Batch outputs: one writer per output, no silent loss, spreadsheet-safe CSV cells."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from technews.batch import writers
from technews.batch.job import BatchOptions, run_batch
from technews.batch.writers import OutputError, open_writer
from technews.cli import app
from tests.test_batch_resume import write_dump

runner = CliRunner()
FORMATS = ["jsonl", "csv", "parquet"]


def batch(*args):
    return runner.invoke(app, ["batch", *(str(a) for a in args)])


def said(result) -> str:
    """Standard error with rich's line wrapping undone."""
    return " ".join(result.stderr.split())


def output_path(tmp_path: Path, output_format: str) -> Path:
    return tmp_path / ("out.jsonl" if output_format == "jsonl" else "out")


def holding_the_lock(output: Path, output_format: str) -> subprocess.Popen:
    """Another process that holds a writer of ``output`` open until its standard input closes."""
    code = (
        "import sys; from technews.batch.writers import open_writer; "
        f"w = open_writer({str(output)!r}, {output_format!r}, resume=True); print('ready', flush=True); "
        "sys.stdin.read(); w.close()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "ready"
    return holder


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_second_writer_of_a_locked_output_fails_at_once_and_touches_nothing(tmp_path, output_format):
    dump = write_dump(tmp_path / "dump.jsonl", 20)
    out = output_path(tmp_path, output_format)
    assert batch(dump, "-o", out, "--format", output_format).exit_code == 3
    before = sorted((p.name, p.read_bytes()) for p in [out, *out.glob("*")] if p.is_file())
    holder = holding_the_lock(out, output_format)
    try:
        for option in ("--resume", "--overwrite"):
            result = batch(dump, "-o", out, "--format", output_format, option)
            assert result.exit_code == 1, result.output
            assert "another technews batch" in said(result)
            assert sorted((p.name, p.read_bytes()) for p in [out, *out.glob("*")] if p.is_file()) == before
    finally:
        holder.communicate("")
    assert batch(dump, "-o", out, "--format", output_format, "--resume").exit_code == 3  # free again


def test_the_lock_is_released_when_the_writer_closes(tmp_path):
    out = tmp_path / "out.jsonl"
    first = open_writer(str(out), "jsonl")
    with pytest.raises(OutputError, match="another technews batch"):
        open_writer(str(out), "jsonl", resume=True)
    first.close()
    open_writer(str(out), "jsonl", resume=True).close()
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no lock file left behind


class DeletingWriter:
    """Wraps a writer; removes the output after the first batch, as a user's `rm` would."""

    def __init__(self, writer, output: Path) -> None:
        self.writer, self.output, self.batches = writer, output, 0

    def __getattr__(self, name):
        return getattr(self.writer, name)

    def flush(self) -> None:
        self.writer.flush()
        self.batches += 1
        if self.batches == 1:
            for path in [*self.output.glob("*"), self.output]:
                path.rmdir() if path.is_dir() else path.unlink()


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_output_deleted_while_the_batch_runs_is_an_error(tmp_path, monkeypatch, output_format):
    dump = write_dump(tmp_path / "dump.jsonl", 40)
    out = output_path(tmp_path, output_format)
    opened = writers.open_writer
    monkeypatch.setattr(
        "technews.batch.job.open_writer", lambda *a, **k: DeletingWriter(opened(*a, **k), out)
    )
    options = BatchOptions([str(dump)], str(out), output_format, batch_size=8)
    with pytest.raises((OutputError, OSError)):
        run_batch(options)


def test_cli_says_the_records_of_a_deleted_output_are_lost(tmp_path, monkeypatch):
    dump = write_dump(tmp_path / "dump.jsonl", 40)
    out = tmp_path / "out.jsonl"
    opened = writers.open_writer
    monkeypatch.setattr(
        "technews.batch.job.open_writer", lambda *a, **k: DeletingWriter(opened(*a, **k), out)
    )
    result = batch(dump, "-o", out, "--batch-size", "8")
    assert result.exit_code == 1, result.output
    assert "was deleted or replaced" in said(result) and "processed" not in result.stderr


FORMULAS = ['=HYPERLINK("http://evil.example","Apple")', "+49 30 1234", "-5", "@SUM(A1)", "\tTab", "\rCR"]


def formula_dump(path: Path) -> Path:
    values = [
        {"id": formula, "text": f"{formula} Apple übernimmt Beats.", "quelle": formula}
        for formula in FORMULAS
    ]
    values.append({"id": "'zitat", "text": "'Samsung stellt das Galaxy S24 vor.", "quelle": "ok"})
    path.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values), encoding="utf-8")
    return path


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_csv_cells_a_spreadsheet_would_read_as_formulas_start_with_a_quote(tmp_path):
    dump = formula_dump(tmp_path / "dump.jsonl")
    result = batch(dump, "-o", tmp_path / "tables", "--format", "csv", "--keep-text")
    assert result.exit_code == 0, result.output
    for table in ("articles", "entities", "relations"):
        for row in read_table(tmp_path / "tables" / f"{table}.csv"):
            for value in row.values():
                assert not value or value[0] not in "=+-@\t\r", (table, value)
    articles = read_table(tmp_path / "tables" / "articles.csv")
    assert [a["id"] for a in articles] == [f"'{f}" for f in FORMULAS] + ["''zitat"]
    assert articles[0]["text"].startswith("'=HYPERLINK")
    assert json.loads(articles[0]["fields"]) == {"quelle": FORMULAS[0]}  # JSON: starts with {


def test_jsonl_and_parquet_keep_such_values_exact(tmp_path):
    import pyarrow.parquet as pq

    dump = formula_dump(tmp_path / "dump.jsonl")
    assert batch(dump, "-o", tmp_path / "out.jsonl").exit_code == 0
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [*FORMULAS, "'zitat"]
    assert batch(dump, "-o", tmp_path / "parts", "--format", "parquet").exit_code == 0
    assert [r["id"] for r in pq.read_table(tmp_path / "parts").to_pylist()] == [*FORMULAS, "'zitat"]


def test_csv_resume_reads_an_escaped_last_id_back(tmp_path):
    dump = formula_dump(tmp_path / "dump.jsonl")
    full = tmp_path / "full"
    assert batch(dump, "-o", full, "--format", "csv").exit_code == 0
    for kept in (3, 6, 7):  # the last complete article: `-5`, `\rCR`, `'zitat`
        crashed = tmp_path / f"crashed{kept}"
        crashed.mkdir()
        for table in ("articles", "entities", "relations"):
            rows = (full / f"{table}.csv").read_bytes().split(b"\n")  # a quoted cell may hold \r
            if table == "articles":
                rows = [*rows[: kept + 1], b""]
            (crashed / f"{table}.csv").write_bytes(b"\n".join(rows))
        result = batch(dump, "-o", crashed, "--format", "csv", "--resume")
        assert result.exit_code == 0, result.output
        assert f"after {kept} records" in result.stderr
        for table in ("articles", "entities", "relations"):
            assert (crashed / f"{table}.csv").read_bytes() == (full / f"{table}.csv").read_bytes(), table


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@x", "\tx", "\rx", "'x", "''", "plain", "", "Apple"])
def test_csv_cell_escaping_is_undone_exactly(value):
    assert writers.csv_value(writers.csv_cell(value)) == value
