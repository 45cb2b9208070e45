"""--resume after a crash: no duplicates, no gaps, a half-written last record cut off."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from technews.batch import writers
from technews.cli import app

runner = CliRunner()
SENTENCES = [
    "Apple übernimmt den Kopfhörerhersteller Beats.",
    "Samsung stellt das Galaxy S24 vor.",
    "Der Chip im Inneren stammt von Qualcomm.",
    "Xiaomi arbeitet beim Xiaomi 12 Ultra mit dem Kamerahersteller Leica zusammen.",
    "Huawei zeigt das Mate 40 Pro in Deutschland.",
    "Google will Wiz kaufen.",
    "Die Übernahme muss noch von den Behörden genehmigt werden.",
    "Konzernchef Tim Cook zeigte sich in Cupertino zufrieden.",
    "Die Telekom baut ihr Glasfasernetz aus.",
    "Der Markt für Kopfhörer wächst weiter.",
]


def dump_article(number: int) -> dict:
    """A short article from the sentences above; some with a title, some without id or text."""
    picked = [SENTENCES[(number * 7 + k * 3) % len(SENTENCES)] for k in range(2 + number % 4)]
    value = {"id": f"d{number}", "text": " ".join(picked), "n": number}
    if number % 3 == 0:
        value["title"] = SENTENCES[number % len(SENTENCES)].rstrip(".")
    if number % 50 == 7:
        del value["id"]
    if number % 97 == 5:
        value["text"] = ""
    return value


def write_dump(path: Path, articles: int) -> Path:
    lines = (json.dumps(dump_article(n), ensure_ascii=False) for n in range(articles))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def batch(*args):
    return runner.invoke(app, ["batch", *(str(a) for a in args)])


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    return write_dump(tmp_path_factory.mktemp("dump") / "dump.jsonl", 200)


@pytest.fixture(scope="module")
def full_run(dump, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("full") / "out.jsonl"
    assert batch(dump, "-o", out, "--batch-size", "16").exit_code == 3  # a few empty texts
    return out


def test_resume_cuts_off_a_half_written_last_line(dump, full_run, tmp_path):
    out = tmp_path / "out.jsonl"
    complete = lines(full_run)
    out.write_text("\n".join(complete[:120]) + "\n" + complete[120][:40], encoding="utf-8")
    result = batch(dump, "-o", out, "--resume")
    assert result.exit_code == 3, result.output
    assert out.read_bytes() == full_run.read_bytes()
    assert "after 120 records" in result.stderr and "80 articles" in result.stderr


def test_resume_of_a_complete_output_adds_nothing(dump, full_run, tmp_path):
    out = tmp_path / "out.jsonl"
    shutil.copy(full_run, out)
    result = batch(dump, "-o", out, "--resume")
    assert result.exit_code == 3  # the errors from before still count
    assert out.read_bytes() == full_run.read_bytes()


def test_resume_refuses_the_output_of_another_input(dump, full_run, tmp_path):
    other = write_dump(tmp_path / "other.jsonl", 300)
    shifted = tmp_path / "shifted.jsonl"
    shifted.write_text("\n".join(lines(other)[1:]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    shutil.copy(full_run, out)
    result = batch(shifted, "-o", out, "--resume")
    assert result.exit_code == 1 and "does not belong to this input" in result.stderr
    result = batch(dump, "-o", out, "--resume", "--overwrite")  # fine: same input
    assert out.read_bytes() == full_run.read_bytes()
    shorter = write_dump(tmp_path / "short.jsonl", 100)
    result = batch(shorter, "-o", out, "--resume")
    assert result.exit_code == 1 and "does not belong to this input" in result.stderr


KILLS = {  # how a run is stopped, and the exit status it then gives
    "kill -9": (signal.SIGKILL, -signal.SIGKILL),
    "SIGTERM": (signal.SIGTERM, 143),
    "Ctrl-C": (signal.SIGINT, 130),  # sent to the whole process group, as a terminal does
}
KILL_DUMP_ARTICLES = 600


@pytest.fixture(scope="module")
def kill_dump(tmp_path_factory) -> tuple[Path, list[str]]:
    """A dump for the kill tests and the records of an uninterrupted run over it."""
    folder = tmp_path_factory.mktemp("kill")
    dump = write_dump(folder / "dump.jsonl", KILL_DUMP_ARTICLES)
    assert batch(dump, "-o", folder / "uninterrupted.jsonl", "--batch-size", "8").exit_code == 3
    return dump, lines(folder / "uninterrupted.jsonl")


def start_batch(dump: Path, out: Path, n_process: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "technews.cli", "batch", str(dump), "-o", str(out)]
    command += ["--batch-size", "8", "--n-process", str(n_process), "--no-progress"]
    # A session of its own: Ctrl-C goes to its process group, as a terminal sends it.
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_until(process: subprocess.Popen, ready, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline and not ready():
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be stopped"


def family(process: subprocess.Popen) -> list[psutil.Process]:
    """The run's processes below it: workers and multiprocessing's resource tracker."""
    return psutil.Process(process.pid).children(recursive=True)


def workers_started(process: subprocess.Popen, n_process: int) -> bool:
    return n_process == 1 or len(family(process)) > n_process  # the workers and the resource tracker


@pytest.mark.slow
@pytest.mark.parametrize("n_process", [1, 2])
@pytest.mark.parametrize("kill", list(KILLS))
def test_a_stopped_run_leaves_no_process_behind_and_resumes_to_an_uninterrupted_run(
    kill_dump, tmp_path, kill, n_process
):
    dump, uninterrupted = kill_dump
    out = tmp_path / "out.jsonl"
    process = start_batch(dump, out, n_process)
    wait_until(process, lambda: out.exists() and out.read_bytes().count(b"\n") >= 100)
    below = family(process)
    stop(process, kill)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == KILLS[kill][1], stderr
    if kill != "kill -9":
        assert b"interrupted" in stderr and b"--resume goes on" in stderr and b"Traceback" not in stderr
    assert not psutil.wait_procs(below, timeout=15)[1], "processes left behind"
    assert 100 <= len(lines(out)) < KILL_DUMP_ARTICLES
    result = batch(dump, "-o", out, "--resume")
    assert result.exit_code == 3, result.output  # the dump holds empty texts
    assert lines(out) == uninterrupted


@pytest.mark.slow
@pytest.mark.parametrize("kill", list(KILLS))
def test_a_run_stopped_while_its_workers_load_leaves_no_process_behind(kill_dump, tmp_path, kill):
    dump, uninterrupted = kill_dump
    out = tmp_path / "out.jsonl"
    process = start_batch(dump, out, 2)
    wait_until(process, lambda: workers_started(process, 2))
    below = family(process)
    stop(process, kill)
    process.communicate(timeout=60)
    assert process.returncode == KILLS[kill][1]
    assert not psutil.wait_procs(below, timeout=15)[1], "processes left behind"
    assert batch(dump, "-o", out, "--resume").exit_code == 3
    assert lines(out) == uninterrupted


def stop(process: subprocess.Popen, kill: str) -> None:
    number = KILLS[kill][0]
    if kill == "Ctrl-C":
        os.killpg(process.pid, number)
    else:
        os.kill(process.pid, number)


def test_csv_resume_drops_rows_of_articles_not_yet_complete(dump, tmp_path):
    full = tmp_path / "full"
    assert batch(dump, "-o", full, "--format", "csv").exit_code == 3
    crashed = tmp_path / "crashed"
    shutil.copytree(full, crashed)
    articles = (crashed / "articles.csv").read_bytes()
    cut = articles.index(b"\n", len(articles) // 2) + 25  # in the middle of a row
    (crashed / "articles.csv").write_bytes(articles[:cut])
    with (crashed / "entities.csv").open("ab") as entities:  # rows of an article written halfway
        entities.write(b'999,"d999",0,5,ORG,App')
    result = batch(dump, "-o", crashed, "--format", "csv", "--resume")
    assert result.exit_code == 3, result.output
    for table in ("articles", "entities", "relations"):
        assert (crashed / f"{table}.csv").read_bytes() == (full / f"{table}.csv").read_bytes(), table


def test_parquet_resume_rewrites_only_the_parts_that_were_not_finished(dump, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    monkeypatch.setattr(writers, "PARQUET_PART_ROWS", 30)
    full = tmp_path / "full"
    assert batch(dump, "-o", full, "--format", "parquet").exit_code == 3
    parts = sorted(full.glob("part-*.parquet"))
    assert len(parts) == 7
    crashed = tmp_path / "crashed"
    shutil.copytree(full, crashed)
    for part in sorted(crashed.glob("part-*.parquet"))[4:]:
        part.unlink()
    (crashed / "part-00004.parquet.tmp").write_bytes(b"PAR1 half a part")
    result = batch(dump, "-o", crashed, "--format", "parquet", "--resume")
    assert result.exit_code == 3, result.output
    assert "after 120 records" in result.stderr
    assert pq.read_table(crashed).to_pylist() == pq.read_table(full).to_pylist()
    assert not list(crashed.glob("*.tmp"))
