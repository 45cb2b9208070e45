"""The batch job's count of the input, which gives the progress display its total."""

import json
import threading

from technews.batch.job import BatchOptions, count_articles, run_batch


def test_the_count_is_the_number_of_records_the_run_writes(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        json.dumps({"id": 1, "text": "Apple baut das iPhone."})
        + "\n{broken\n"
        + json.dumps({"id": 3})
        + "\n",
        encoding="utf-8",
    )
    table = tmp_path / "table.csv"
    table.write_text("id;text\na;Samsung zeigt das Galaxy S24.\nb;\n", encoding="utf-8")
    options = BatchOptions(
        [str(dump), str(table), str(tmp_path / "missing.jsonl")], str(tmp_path / "out.jsonl")
    )
    assert count_articles(options) == 6
    run_batch(options)
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 6


def test_standard_input_and_a_stopped_count_give_no_total(tmp_path):
    assert count_articles(BatchOptions(["-"], str(tmp_path / "out.jsonl"))) is None
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps({"text": "Text."}) + "\n" for _ in range(5)), encoding="utf-8")
    stopped = threading.Event()
    stopped.set()
    assert count_articles(BatchOptions([str(dump)], str(tmp_path / "out.jsonl")), stopped) is None
