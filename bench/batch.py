"""Speed and peak memory of `technews batch` on a synthetic dump, as a user runs it.

    pip install ".[bench]"
    python bench/batch.py                                  # 10,000 and 100,000 articles, 1 and 2 processes
    python bench/batch.py --sizes 2000 --processes 1 2     # a quick check

The dump (JSON Lines) is made of sentences of the authored corpus
(`corpus/authored/*.jsonl`, written for technews): each article a title and 3 to
8 sentences drawn with a fixed seed, and a reference number of its own, so that
every article brings words never seen before (what a memory zone must free).

Each run is `technews batch DUMP -o OUT --n-process P` in a process of its own:
- articles/s and words/s (spaCy tokens) from its `--report`, model loading included;
- peak memory: the largest resident set of any of its processes (`wait4`), and,
  with psutil, the peak of all its processes together, sampled every 0.1 s.
Memory runs use one process at every size; speed runs use the largest size with
each process count. The last lines compare them with the issue's targets:
peak memory at the largest size within 10% of the smallest, 2 processes at least
1.6 times as fast as 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "authored"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])")


def corpus_sentences(corpus: Path = CORPUS) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for path in sorted(corpus.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [s.strip() for text in texts for s in SENTENCE.split(text) if len(s.split()) >= 4]


def write_dump(path: Path, articles: int, seed: int = 0) -> Path:
    """A dump of ``articles`` synthetic articles; made once per size and seed."""
    if path.exists():
        return path
    sentences = corpus_sentences()
    rng = random.Random(seed)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as file:
        for number in range(articles):
            body = rng.sample(sentences, rng.randint(3, 8))
            body.append(f"Die Meldung trägt das Aktenzeichen TN{number:07d}{rng.randrange(10**6):06d}.")
            article = {
                "id": f"bench-{number}",
                "title": rng.choice(sentences).rstrip("."),
                "text": " ".join(body),
                "published": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
            }
            file.write(json.dumps(article, ensure_ascii=False) + "\n")
    partial.rename(path)
    return path


def run_batch(dump: Path, processes: int, workdir: Path) -> dict:
    out = workdir / f"out-{dump.stem}-{processes}.jsonl"
    report = workdir / f"report-{dump.stem}-{processes}.json"
    command = [
        sys.executable, "-m", "technews.cli", "batch", str(dump), "-o", str(out), "--overwrite",
        "--n-process", str(processes), "--report", str(report), "--no-progress",
    ]  # fmt: skip
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = TreePeak(process.pid)
    tree_peak.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    tree_peak.stop()
    if process.returncode not in (0, 3):
        raise SystemExit(f"technews batch failed ({process.returncode}): {stderr.decode()[-2000:]}")
    figures = json.loads(report.read_text())
    out.unlink()
    return {
        "articles": figures["articles"],
        "processes": processes,
        "words": figures["words"],
        "seconds": round(time.perf_counter() - start, 1),
        "articles_per_second": figures["articles_per_second"],
        "words_per_second": figures["words_per_second"],
        "peak_process_mb": round(usage.ru_maxrss / 1024),
        "peak_all_processes_mb": tree_peak.peak_mb,
    }


class TreePeak(threading.Thread):
    """The peak resident memory of a process and its children together (needs psutil)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    @property
    def peak_mb(self) -> int | None:
        return round(self.peak / 2**20) if self.peak else None

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
            while not self.done.wait(0.1):
                processes = [root, *root.children(recursive=True)]
                self.peak = max(self.peak, sum(_rss(p) for p in processes))
        except psutil.Error:  # the run has ended
            return

    def stop(self) -> None:
        self.done.set()
        self.join()


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:  # ended between listing and reading
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="articles (memory)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="process counts (speed)")
    parser.add_argument("--only", choices=("memory", "speed"), help="one kind of measurement")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "technews-bench")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    largest = max(args.sizes)
    plan = []
    if args.only != "speed":
        plan += [(size, 1) for size in sorted(args.sizes)]
    if args.only != "memory":
        plan += [(largest, p) for p in args.processes if (largest, p) not in plan]
    runs = []
    for size, processes in plan:
        dump = write_dump(args.workdir / f"dump-{size}.jsonl", size)
        print(f"running {size:,} articles, {processes} process(es) ...", file=sys.stderr, flush=True)
        runs.append(run_batch(dump, processes, args.workdir))
    results = {"machine": {"cpus": os.cpu_count()}, "runs": runs, **comparisons(runs, args.sizes)}
    print_table(results)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def comparisons(runs: list[dict], sizes: list[int]) -> dict:
    one = {r["articles"]: r for r in runs if r["processes"] == 1}
    found = {}
    small, large = min(sizes), max(sizes)
    if small != large and small in one and large in one:
        found["memory_growth"] = round(one[large]["peak_process_mb"] / one[small]["peak_process_mb"] - 1, 3)
    speeds = {r["processes"]: r["articles_per_second"] for r in runs if r["articles"] == large}
    if 1 in speeds and 2 in speeds:
        found["speedup_2_processes"] = round(speeds[2] / speeds[1], 2)
    return found


def print_table(results: dict) -> None:
    columns = (("articles", 9), ("procs", 6), ("seconds", 9), ("articles/s", 12), ("words/s", 10))
    print("".join(f"{name:>{width}}" for name, width in columns) + f"{'peak MB':>9}{'all MB':>8}")
    for r in results["runs"]:
        print(
            f"{r['articles']:>9,}{r['processes']:>6}{r['seconds']:>9}{r['articles_per_second']:>12,.0f}"
            f"{r['words_per_second']:>10,.0f}{r['peak_process_mb']:>9}{r['peak_all_processes_mb'] or '-':>8}"
        )
    if "memory_growth" in results:
        print(f"peak memory, largest vs smallest dump: {results['memory_growth']:+.1%} (target: within 10%)")
    if "speedup_2_processes" in results:
        print(f"2 processes vs 1: {results['speedup_2_processes']:.2f} times as fast (target: 1.6)")


if __name__ == "__main__":
    main()
