"""Several processes and a Dask cluster give the records one process gives, in the same order."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from technews.cli import app
from tests.test_batch_resume import dump_article, write_dump

runner = CliRunner()


def batch(*args):
    return runner.invoke(app, ["batch", *(str(a) for a in args)])


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    return write_dump(tmp_path_factory.mktemp("dump") / "dump.jsonl", 120)


@pytest.fixture(scope="module")
def one_process(dump) -> list[dict]:
    out = dump.with_name("one.jsonl")
    assert batch(dump, "-o", out, "--batch-size", "8").exit_code == 3  # the dump holds empty texts
    return read_jsonl(out)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local_cluster:
        yield local_cluster


def test_two_processes_give_the_records_of_one(dump, one_process, tmp_path):
    out = tmp_path / "two.jsonl"
    result = batch(dump, "-o", out, "--n-process", "2", "--batch-size", "8")
    assert result.exit_code == 3, result.output
    assert read_jsonl(out) == one_process


def test_dask_engine_gives_the_records_of_the_local_run(dump, one_process, cluster, tmp_path):
    out = tmp_path / "dask.jsonl"
    address = cluster.scheduler_address
    result = batch(dump, "-o", out, "--engine", "dask", "--scheduler", address, "--batch-size", "8")
    assert result.exit_code == 3, result.output
    assert read_jsonl(out) == one_process


def test_extract_bag_gives_the_records_of_the_local_run(one_process, cluster):
    import dask.bag
    from distributed import Client

    from technews.batch import extract_bag

    values = [dump_article(n) for n in range(120)]
    with Client(cluster.scheduler_address) as client:
        bag = dask.bag.from_sequence(values, npartitions=3)
        records = extract_bag(bag).compute(scheduler=client.get)
    # Articles 7, 57 and 107 have no id: they are named by partition (of 40) and place in it.
    assert [r["id"] for r in records if not str(r["id"]).startswith("d")] == [
        "partition-0:8", "partition-1:18", "partition-2:28"
    ]  # fmt: skip
    assert [without_place(r) for r in records] == [without_place(r) for r in one_process]


def without_place(record: dict) -> dict:
    """A record less its id and the line of an error: a bag has no lines."""
    record = {k: v for k, v in record.items() if k != "id"}
    if "error" in record:
        record["error"] = {k: v for k, v in record["error"].items() if k != "line"}
    return record


def test_extract_dataframe_has_the_same_columns_in_every_partition(one_process):
    pandas = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")

    from technews.batch import extract_dataframe
    from technews.batch.dask_engine import DATAFRAME_COLUMNS

    frame = pandas.DataFrame([dump_article(n) for n in range(120)], index=range(1000, 1120))
    extracted = extract_dataframe(dd.from_pandas(frame, npartitions=3))
    assert tuple(extracted.columns) == DATAFRAME_COLUMNS
    # The middle partition holds no error record, yet has the error column (all None).
    middle = extracted.partitions[1].compute(scheduler="synchronous")
    assert tuple(middle.columns) == DATAFRAME_COLUMNS and middle["error"].isna().all()
    rows = extracted.compute(scheduler="synchronous")
    assert list(rows.index) == list(frame.index)
    assert rows.loc[1005, "error"]["reason"] == "empty_text" and rows.loc[1005, "entities"] is None
    for (_, row), record in zip(rows.iterrows(), one_process, strict=True):
        assert row["entities"] == record.get("entities") and row["relations"] == record.get("relations")
        assert (row["error"] or {}).get("reason") == record.get("error", {}).get("reason")
