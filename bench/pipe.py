"""How far `technews.pipe` reads ahead of its caller, and whether it gives `technews batch`'s records.

    pip install ".[bench]"
    python bench/pipe.py                          # 1,000 articles; 1 process, 2 with 1 and 2 batches each
    python bench/pipe.py --articles 200 --processes 2 --batches-per-worker 1

The articles are those of bench/batch.py's synthetic dump, handed to `technews.pipe`
by a generator that counts what it has given. The caller takes the records one by one
and notes, at each, how many articles the generator had given beyond those whose records
it holds: the read-ahead, in articles and in batches per worker (`--batch-size`, 64;
`--batches-per-worker` in flight, 1 and 2).
Memory for articles is that read-ahead, whatever the stream's length. The peak resident
memory of the process and its workers (psutil, every 0.1 s) is printed beside it. Then
`technews batch` runs on the same dump, and the records are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from batch import TreePeak, write_dump

import technews


class CountedArticles:
    """The dump's articles, one by one, counting how many have been handed out."""

    def __init__(self, dump: Path) -> None:
        self.dump = dump
        self.given = 0

    def __iter__(self) -> Iterator[dict]:
        with self.dump.open(encoding="utf-8") as lines:
            for line in lines:
                self.given += 1
                yield json.loads(line)


def run_pipe(dump: Path, processes: int, batch_size: int, batches_per_worker: int) -> dict:
    articles = CountedArticles(dump)
    peak = TreePeak(os.getpid())
    peak.start()
    start = time.perf_counter()
    records, read_ahead = [], 0
    records_of = technews.pipe(
        articles, n_process=processes, batch_size=batch_size, batches_per_worker=batches_per_worker
    )
    for taken, record in enumerate(records_of, 1):
        read_ahead = max(read_ahead, articles.given - taken)
        records.append(record)
    seconds = time.perf_counter() - start
    peak.stop()
    return {
        "processes": processes,
        "batches_per_worker": batches_per_worker,
        "articles": len(records),
        "articles_per_second": round(len(records) / seconds, 1),
        "max_read_ahead_articles": read_ahead,
        "max_read_ahead_batches_per_worker": round(read_ahead / batch_size / processes, 2),
        "peak_all_processes_mb": peak.peak_mb,
        "records": records,
    }


def batch_records(dump: Path, batch_size: int, workdir: Path) -> list[dict]:
    out = workdir / "batch.out.jsonl"
    command = ["technews", "batch", str(dump), "-o", str(out), "--batch-size", str(batch_size), "--overwrite"]
    subprocess.run(command, check=True, capture_output=True)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--batches-per-worker", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        dump = write_dump(workdir / f"dump-{args.articles}.jsonl", args.articles)
        expected = batch_records(dump, args.batch_size, workdir)
        for processes in args.processes:
            for in_flight in args.batches_per_worker if processes > 1 else [1]:
                run = run_pipe(dump, processes, args.batch_size, in_flight)
                run["same_records_as_batch"] = run.pop("records") == expected
                print(json.dumps(run), flush=True)


if __name__ == "__main__":
    main()
