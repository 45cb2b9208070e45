"""Time and peak memory of technews.extract on pathological text, next to ordinary news.

    python bench/robustness.py [--sizes 10000 100000] [--timeout 120] [--memory-mb 2000]

Each case runs in a fresh process with the pipeline loaded before the clock starts, a
wall-clock limit and an address-space cap, so a case that explodes reports "over limit"
instead of taking the machine down. Peak memory is the child's maximum resident set.
The target (issue 10): every class within 3 times the time of ordinary news of the same
length, under 600 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# How each class is built from a repeated unit: cut to the wanted length.
UNITS = {
    "ordinary news": None,  # the bundled example articles, repeated
    "dash runs": "–",
    "em dash runs": "—",
    "quote runs („)": "„",
    "quote runs (»)": "»",
    "hyphen chains": "Apple-",
    "period-less text": "Samsung zeigt das Galaxy S24 in Berlin, ",
    "repeated names": "Galaxy S24 und ",
    "one huge token": "x",
    "many tiny lines": "a\n",
}


def case_text(name: str, size: int) -> str:
    unit = UNITS[name]
    if unit is None:
        unit = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt")))
    return (unit * (size // len(unit) + 1))[:size]


def child(name: str, size: int, memory_mb: int) -> None:
    """In the child process: load, then time one extract; print seconds and peak MB."""
    import time

    import technews

    nlp = technews.load()
    technews.extract("Apple kauft Beats.", nlp)  # warm up
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    text = case_text(name, size)
    start = time.perf_counter()
    technews.extract(text, nlp)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def measure(name: str, size: int, timeout: float, memory_mb: int) -> dict[str, float] | None:
    command = [sys.executable, __file__, "--child", name, str(size), str(memory_mb)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--timeout", type=float, default=120, help="seconds per case")
    parser.add_argument("--memory-mb", type=int, default=2000, help="address-space cap per case")
    parser.add_argument("--only", nargs="*", help="classes to run (default: all)")
    args = parser.parse_args()
    chosen = [name for name in UNITS if name != "ordinary news" and (not args.only or name in args.only)]
    names = ["ordinary news", *chosen]
    print(f"{'class':<18} {'chars':>8} {'seconds':>8} {'x news':>7} {'peak MB':>8}")
    for size in args.sizes:
        baseline = None
        for name in names:
            result = measure(name, size, args.timeout, args.memory_mb)
            if result is None:
                print(f"{name:<18} {size:>8} {'over limit':>25}")
                continue
            baseline = baseline or result["seconds"]
            ratio = result["seconds"] / baseline
            print(f"{name:<18} {size:>8} {result['seconds']:>8.2f} {ratio:>7.1f} {result['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()
