"""Words per second and peak memory of technews, next to what bounds and what it replaces.

    python bench/speed.py [--texts ../shared/data/news] [--repeat 3]

Each pipeline runs in a process of its own over the development texts (all
articles of the news folder), one process, nlp.pipe with default batching:
- tokenizer: spaCy's German tokenizer alone, the ceiling of any spaCy pipeline;
- de_core_news_md architecture, untrained: tok2vec, morphologizer, parser, ner
  with spaCy's default models (no vectors: they cannot be downloaded here, so
  this underestimates what that model costs);
- technews: the shipped pipeline, technews.load().
It also times technews.load() in a fresh process, and the share of the pipeline's
time that each of technews' components takes (each component's ``pipe`` over the
docs the one before it made, batched as ``nlp.pipe`` batches).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

KINDS = ("tokenizer", "md_architecture", "technews")
RELATION_COMPONENTS = ("technews_relations", "technews_relation_scorer")


def read_texts(folder: Path) -> list[str]:
    return [
        json.loads(line)["text"]
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def md_architecture():
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("de")
    for name in ("tok2vec", "morphologizer", "parser", "ner"):
        nlp.add_pipe(name)
    doc = nlp.make_doc("Xiaomi baut Smartphones in China .")
    example = Example.from_dict(
        doc,
        {
            "morphs": ["Case=Nom"] * 6,
            "pos": ["PROPN", "VERB", "NOUN", "ADP", "PROPN", "PUNCT"],
            "heads": [1, 1, 1, 1, 3, 1],
            "deps": ["sb", "ROOT", "oa", "mo", "nk", "punct"],
            "entities": ["U-ORG", "O", "O", "O", "U-LOC", "O"],
        },
    )
    nlp.initialize(lambda: [example])
    return nlp


def pipeline(kind: str):
    import spacy

    if kind == "tokenizer":
        return spacy.blank("de")
    if kind == "md_architecture":
        return md_architecture()
    import technews

    return technews.load()


def measure(kind: str, folder: Path, repeat: int) -> dict:
    """In this process: words per second (best of ``repeat``) and peak memory."""
    nlp = pipeline(kind)
    texts = read_texts(folder)
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        words = sum(len(doc) for doc in (nlp.pipe(texts) if kind != "tokenizer" else map(nlp, texts)))
        best = max(best, words / (time.perf_counter() - start))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kind": kind, "words": words, "words_per_second": round(best), "peak_mb": round(peak_mb)}


def component_seconds(folder: Path, repeat: int) -> dict[str, float]:
    """Seconds each component of the shipped pipeline takes over the texts (best of
    ``repeat``), the tokenizer included."""
    import technews

    nlp = technews.load()
    texts = read_texts(folder)
    best: dict[str, float] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        docs = [nlp.make_doc(text) for text in texts]
        seconds = {"tokenizer": time.perf_counter() - start}
        for name, component in nlp.pipeline:
            start = time.perf_counter()
            if hasattr(component, "pipe"):
                docs = list(component.pipe(docs, batch_size=nlp.batch_size))
            else:
                docs = [component(doc) for doc in docs]
            seconds[name] = time.perf_counter() - start
        best = {name: min(value, best.get(name, value)) for name, value in seconds.items()}
    return best


def load_seconds() -> float:
    code = (
        "import time; t = time.perf_counter(); import technews; technews.load(); "
        "print(time.perf_counter() - t)"
    )
    return float(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=Path("../shared/data/news"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--components", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.components:
        print(json.dumps(component_seconds(args.texts, args.repeat)))
        return
    if args.one:
        print(json.dumps(measure(args.one, args.texts, args.repeat)))
        return
    results = []
    for kind in KINDS:
        command = [
            sys.executable,
            __file__,
            "--one",
            kind,
            "--texts",
            str(args.texts),
            "--repeat",
            str(args.repeat),
        ]
        results.append(
            json.loads(
                subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()[-1]
            )
        )
    md = next(r for r in results if r["kind"] == "md_architecture")["words_per_second"]
    print(f"{'pipeline':<18}{'words/s':>10}{'x md':>8}{'peak MB':>9}")
    for result in results:
        print(
            f"{result['kind']:<18}{result['words_per_second']:>10}"
            f"{result['words_per_second'] / md:>8.1f}{result['peak_mb']:>9}"
        )
    print(
        f"technews.load(): {min(load_seconds() for _ in range(3)):.2f} s "
        f"({results[0]['words']} words of {args.texts})"
    )
    command = [sys.executable, __file__, "--components", "--texts", str(args.texts)]
    command += ["--repeat", str(args.repeat)]
    seconds = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    total = sum(seconds.values())
    print(f"{'component':<28}{'seconds':>9}{'share':>8}")
    for name, value in seconds.items():
        print(f"{name:<28}{value:>9.2f}{value / total:>8.1%}")
    relations = sum(v for name, v in seconds.items() if name in RELATION_COMPONENTS)
    print(f"{'relation components':<28}{relations:>9.2f}{relations / total:>8.1%}")


if __name__ == "__main__":
    main()
