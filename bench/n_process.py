"""spaCy's own multiprocessing against the batch command's pool, on the same articles.

    pip install ".[bench]"
    python bench/n_process.py --articles 2000 --processes 2

Both runs are processes of their own and read the synthetic dump of bench/batch.py:
- `spacy`: `technews.load()` and `nlp.pipe(texts, n_process=P, batch_size=64)`, the
  records made with `technews.output.doc_to_record` (docs come back through DocBin-style
  serialisation, relations and references included);
- `batch`: `technews batch DUMP -o OUT --n-process P --batch-size 64`.
Each prints articles/s (model loading included) and the peak resident memory of all its
processes together (psutil, sampled every 0.1 s). The batch command keeps the faster.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from batch import write_dump

SPACY_RUN = """
import json, sys
import technews
from technews.output import doc_to_record
nlp = technews.load()
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for doc in nlp.pipe(texts, n_process=int(sys.argv[3]), batch_size=64):
        out.write(json.dumps(doc_to_record(doc), ensure_ascii=False) + "\\n")
"""


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak resident set of the process and its children together."""
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            family = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in family if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    if process.returncode:
        raise SystemExit(f"{command[:3]} failed with {process.returncode}")
    return time.perf_counter() - start, peak


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        dump = write_dump(Path(work) / "dump.jsonl", args.articles)
        processes = str(args.processes)
        runs = {
            "spacy nlp.pipe(n_process)": [
                *(sys.executable, "-c", SPACY_RUN, str(dump), f"{work}/s.jsonl", processes),
            ],
            "technews batch --n-process": [
                *("technews", "batch", str(dump), "-o", f"{work}/b.jsonl", "--n-process", processes),
                *("--batch-size", "64", "--no-progress"),
            ],
        }
        print(f"{args.articles:,} articles, {args.processes} processes")
        for name, command in runs.items():
            seconds, peak = measure(command)
            print(f"{name:28} {args.articles / seconds:7.1f} articles/s  peak {peak / 2**20:6.0f} MB")


if __name__ == "__main__":
    main()
