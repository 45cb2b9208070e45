"""Property fuzzing of technews: generated pathological and random text, each record checked.

    python bench/fuzz.py [--n 100000] [--seed 0] [--n-process 1] [--failures fuzz_failures.jsonl]

Input ``i`` of seed ``s`` is a function of ``(s, i)`` alone, so a run is reproducible and
workers generate their own share. Every class of issue 10 is generated (dash runs, quote
runs, hyphen chains, period-less text, repeated names, one huge token, many tiny lines),
plus odd white space and line separators, lone surrogates and random Unicode, each mixed
with German news sentences built from names of the shipped knowledge base.

Records are made as ``technews.extract`` makes them (``prepare_text``, then
``doc_to_record`` of the doc), through ``nlp.pipe`` in batches. Properties checked on each:
- no exception other than ``technews.InvalidInputError``;
- every entity: ``text == prepared[start:end]`` (``prepared``: lone surrogates replaced, as
  documented), not empty, neither starting nor ending with white space (``str.isspace``:
  spaces, tabs, line breaks, NBSP, U+0085, U+2028, U+2029) nor with an invisible
  zero-width character (U+200B, U+200C, U+200D, U+2060, U+FEFF);
- every relation: head and tail each the canonical name of an entity of the record, or, for
  made_by, a tail whose name (or alias) is part of the head product's text (the brand inside
  the name, ANNOTATION.md); head never equal to tail.
Failing inputs go to ``--failures`` (JSON Lines: seed, index, class, property, detail, text);
the exit code is 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

KB = Path(__file__).resolve().parents[1] / "src" / "technews" / "data" / "kb"
NAMES_PER_KIND = 400  # enough variety; reading the whole KB per worker costs nothing either way
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
LINE_BREAKS = ("\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")
ODD_SPACES = ("\t", "\u00a0", "\u202f", "\u2009", "\u3000", "\u200b", "\ufeff", "  ", " \n ")

TEMPLATES = (
    "{org} stellt das {product} in {place} vor.",
    "Wie {person} am Montag in {place} sagte, arbeitet {org} künftig mit {org2} zusammen.",
    "{org2} übernimmt {org} für 2,1 Milliarden Euro.",
    "Das {product} kommt im Herbst für 999 Euro in den Handel.",
    "{person}, Chef von {org}, kündigte das {product} an.",
    "Der Konzern {org} ist eine Tochter von {org2}.",
    "Laut {person} verkauft {org} das {product} auch in {place}.",
    "{org} und {org2} entwickeln gemeinsam Kameras für das {product}.",
    "Foto: {org}",
    "„Wir sind sehr zufrieden“, sagte {person} – und verwies auf {org2}.",
)


@lru_cache(maxsize=1)
def kb_names() -> dict[str, tuple[str, ...]]:
    """Names of the shipped knowledge base by kind: org, product, person, place."""
    files = {"org": "organizations", "product": "products", "person": "people", "place": "places"}
    names = {}
    for kind, stem in files.items():
        lines = (KB / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()
        names[kind] = tuple(json.loads(line)["name"] for line in lines[:NAMES_PER_KIND] if line.strip())
    return names


@lru_cache(maxsize=1)
def org_names() -> dict[str, frozenset[str]]:
    """Each organization's canonical name with its aliases and forms (for the brand-in-name case)."""
    names = {}
    for line in (KB / "organizations.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            org = json.loads(line)
            names[org["name"]] = frozenset((org["name"], *org.get("aliases", ()), *org.get("forms", ())))
    return names


# Generators: (random, size) -> text of about ``size`` characters --------------------------


def sentence(rng: random.Random) -> str:
    names = kb_names()
    return rng.choice(TEMPLATES).format(
        org=rng.choice(names["org"]),
        org2=rng.choice(names["org"]),
        product=rng.choice(names["product"]),
        person=rng.choice(names["person"]),
        place=rng.choice(names["place"]),
    )


def news(rng: random.Random, size: int, joiner: str = " ") -> str:
    parts, length = [], 0
    while length < size:
        parts.append(sentence(rng))
        length += len(parts[-1]) + len(joiner)
    return joiner.join(parts)


def embedded(rng: random.Random, size: int, run: str) -> str:
    """A run in the middle of news, or alone."""
    if rng.random() < 0.3:
        return run
    return f"{news(rng, size // 4)} {run} {news(rng, size // 4)}"


def repeat_to(unit: str, size: int) -> str:
    return (unit * (size // max(len(unit), 1) + 1))[:size]


def dash_runs(rng: random.Random, size: int) -> str:
    return embedded(rng, size, "".join(rng.choice("–—-") if rng.random() < 0.1 else "–" for _ in range(size)))


def quote_runs(rng: random.Random, size: int) -> str:
    quotes = rng.choice(("„", "»", "«", "“", "„“", "»«", "\"'", "„»«“\u201a\u2018"))
    return embedded(rng, size, repeat_to(quotes, size))


def hyphen_chains(rng: random.Random, size: int) -> str:
    names = kb_names()
    pool = names["org"] + names["product"]
    chain = "-".join(rng.choice(pool) for _ in range(size // 6 + 1))[:size]
    return embedded(rng, size, chain.rstrip("-") + rng.choice(("-Deal", "-Kooperation", "", "-")))


def period_less(rng: random.Random, size: int) -> str:
    return news(rng, size, ", ").replace(".", "")


def repeated_names(rng: random.Random, size: int) -> str:
    names = kb_names()
    name = rng.choice(("Galaxy S24", rng.choice(names["product"]), rng.choice(names["org"])))
    return embedded(rng, size, repeat_to(f"{name}{rng.choice((' und ', ', ', ' ', '/'))}", size))


def huge_token(rng: random.Random, size: int) -> str:
    alphabet = rng.choice(("x", "ab1", "Samsung", "0123456789", "ÄÖÜß", "é\u0301"))
    return embedded(rng, size, repeat_to(alphabet, size))


def tiny_lines(rng: random.Random, size: int) -> str:
    pieces = ("a", "", " ", "ID", "Foto", rng.choice(kb_names()["org"]), "–", "„", ".")
    lines = [rng.choice(pieces) for _ in range(size // 2 + 1)]
    return rng.choice(LINE_BREAKS).join(lines)[:size]


def odd_space(rng: random.Random, size: int) -> str:
    """News whose separators, and some spaces inside names, are odd white space or breaks."""
    separators = LINE_BREAKS + ODD_SPACES
    parts = news(rng, size).split(" ")
    text = parts[0]
    for part in parts[1:]:
        text += (rng.choice(separators) if rng.random() < 0.3 else " ") + part
    return rng.choice(("", " ", "\x85 ", "\n\n  ")) + text + rng.choice(("", " ID\n\n  ", "\x85", "\u2029"))


def surrogates(rng: random.Random, size: int) -> str:
    text = list(news(rng, size))
    for _ in range(max(1, len(text) // 40)):
        text.insert(rng.randrange(len(text) + 1), chr(rng.randrange(0xD800, 0xE000)))
    return "".join(text)


def random_unicode(rng: random.Random, size: int) -> str:
    """Code points of all planes, surrogates and controls included, some near the ASCII range."""
    size = min(size, 2000)

    def char() -> str:
        if rng.random() < 0.5:
            return chr(rng.randrange(0x20, 0x250))
        return chr(rng.randrange(0x110000))

    return "".join(char() for _ in range(size))


def mixed(rng: random.Random, size: int) -> str:
    chosen = rng.sample([g for name, g in GENERATORS.items() if name != "mixed"], 3)
    return rng.choice((*LINE_BREAKS, " ")).join(generate(rng, size // 3) for generate in chosen)


GENERATORS: dict[str, Callable[[random.Random, int], str]] = {
    "news": news,
    "dash runs": dash_runs,
    "quote runs": quote_runs,
    "hyphen chains": hyphen_chains,
    "period-less text": period_less,
    "repeated names": repeated_names,
    "one huge token": huge_token,
    "many tiny lines": tiny_lines,
    "odd white space": odd_space,
    "lone surrogates": surrogates,
    "random unicode": random_unicode,
    "mixed": mixed,
}


def size_of(rng: random.Random) -> int:
    """Mostly tens to hundreds of characters, some thousands, few up to 20,000."""
    if rng.random() < 0.01:
        return rng.randrange(5_000, 20_000)
    return int(10 ** rng.uniform(1, 3.5))


def generated(seed: int, index: int) -> tuple[str, str]:
    """Input ``index`` of ``seed``: (class name, text)."""
    rng = random.Random(seed * 1_000_003 + index)
    name = rng.choice(tuple(GENERATORS))
    return name, GENERATORS[name](rng, size_of(rng))


# Properties -------------------------------------------------------------------------------


def is_blank_edge(char: str) -> bool:
    return char.isspace() or char in INVISIBLE


def entity_violations(prepared: str, entity: dict[str, Any]) -> Iterator[tuple[str, str]]:
    start, end, text = entity["start"], entity["end"], entity["text"]
    if not 0 <= start <= end <= len(prepared) or prepared[start:end] != text:
        yield "entity text != input[start:end]", f"{start}:{end} {text!r} vs {prepared[start:end]!r}"
    if not text:
        yield "entity empty", f"{start}:{end} {entity['label']}"
    elif text[0].isspace() or text[-1].isspace():
        yield "entity starts/ends with white space", f"{text!r} {entity['label']}"
    elif text[0] in INVISIBLE or text[-1] in INVISIBLE:
        yield "entity starts/ends with zero-width char", f"{text!r} {entity['label']}"


def brand_in_product(record: dict[str, Any], head: str, tail: str) -> bool:
    """``tail`` (or one of its aliases) is part of the text of a product named ``head``."""
    names = org_names().get(tail, frozenset((tail,)))
    return any(
        entity["canonical"] == head
        and entity["label"] == "PRODUCT"
        and any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", entity["text"]) for name in names)
        for entity in record["entities"]
    )


def relation_violations(record: dict[str, Any], relation: dict[str, Any]) -> Iterator[tuple[str, str]]:
    head, tail, kind = relation["head"], relation["tail"], relation["relation"]
    canonicals = {entity["canonical"] for entity in record["entities"]}
    if head == tail:
        yield "relation head == tail", f"{head!r} {kind}"
    tail_named = tail in canonicals or (kind == "made_by" and brand_in_product(record, head, tail))
    if head not in canonicals or not tail_named:
        yield "relation names no entity", f"{head!r} {kind} {tail!r}"


def violations(prepared: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    """(property, detail) for each property of the module docstring that ``record`` breaks."""
    found = [v for entity in record["entities"] for v in entity_violations(prepared, entity)]
    found += [v for relation in record["relations"] for v in relation_violations(record, relation)]
    return found


# Running ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one share of the inputs gave: counts, failures, seconds of extraction."""

    inputs: int = 0
    invalid: int = 0
    entities: int = 0
    relations: int = 0
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)


def records(nlp: Any, texts: list[str], batch_size: int) -> list[dict[str, Any] | BaseException]:
    """The record of each (prepared) text as ``technews.extract`` gives it, or its exception."""
    from technews.output import doc_to_record

    nlp.max_length = max(nlp.max_length, max(map(len, texts), default=0) + 1)
    try:
        return [doc_to_record(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]
    except Exception:  # one text broke the batch: find which, one by one
        return [one_record(nlp, text) for text in texts]


def one_record(nlp: Any, text: str) -> dict[str, Any] | BaseException:
    from technews.output import doc_to_record

    try:
        return doc_to_record(nlp(text))
    except Exception as error:  # the fuzzer reports it: no exception may escape but InvalidInputError
        return error


def fuzz_share(seed: int, indices: range, batch_size: int, nlp: Any = None) -> Outcome:
    """Generate, extract and check inputs ``indices`` of ``seed``."""
    import technews

    nlp = nlp or technews.load()
    outcome = Outcome()
    for offset in range(indices.start, indices.stop, batch_size):
        batch = [(i, *generated(seed, i)) for i in range(offset, min(offset + batch_size, indices.stop))]
        prepared = {}
        for i, _, text in batch:
            try:
                prepared[i] = technews.prepare_text(text)
            except technews.InvalidInputError:
                outcome.invalid += 1
        start = time.perf_counter()
        found = records(nlp, list(prepared.values()), batch_size)
        outcome.seconds += time.perf_counter() - start
        results = dict(zip(prepared, found, strict=True))
        for i, name, text in batch:
            outcome.inputs += 1
            if i in results:
                check(outcome, seed, i, name, text, prepared[i], results[i])
    return outcome


def check(outcome: Outcome, seed: int, index: int, name: str, text: str, prepared: str, result: Any) -> None:
    if isinstance(result, BaseException):
        problems = [("exception", f"{type(result).__name__}: {result}"[:300])]
    else:
        outcome.entities += len(result["entities"])
        outcome.relations += len(result["relations"])
        problems = violations(prepared, result)
    for prop, detail in problems:
        outcome.failures.append(
            {"seed": seed, "index": index, "class": name, "property": prop, "detail": detail, "text": text}
        )


def fuzz(seed: int, n: int, batch_size: int, n_process: int) -> Outcome:
    """All ``n`` inputs, in shares over ``n_process`` processes (each loads the pipeline once)."""
    if n_process <= 1:
        return fuzz_share(seed, range(n), batch_size)
    share = -(-n // (n_process * 8))  # several shares per process, so none idles at the end
    shares = [range(s, min(s + share, n)) for s in range(0, n, share)]
    total = Outcome()
    with ProcessPoolExecutor(n_process, initializer=load_worker) as pool:
        for part in pool.map(worker_share, [seed] * len(shares), shares, [batch_size] * len(shares)):
            total.inputs += part.inputs
            total.invalid += part.invalid
            total.entities += part.entities
            total.relations += part.relations
            total.seconds += part.seconds
            total.failures += part.failures
    return total


WORKER_NLP: list[Any] = []


def load_worker() -> None:
    import technews

    WORKER_NLP.append(technews.load())


def worker_share(seed: int, indices: range, batch_size: int) -> Outcome:
    return fuzz_share(seed, indices, batch_size, WORKER_NLP[0])


def summary(outcome: Outcome, wall: float) -> str:
    failing = {(f["seed"], f["index"]) for f in outcome.failures}
    lines = [
        f"inputs {outcome.inputs:,} (invalid {outcome.invalid:,}), entities {outcome.entities:,}, "
        f"relations {outcome.relations:,}",
        f"failing inputs {len(failing):,}, {outcome.inputs / wall:,.0f} inputs/s ({wall:.1f} s wall)",
    ]
    by_property = Counter(f["property"] for f in outcome.failures)
    by_class = Counter((f["property"], f["class"]) for f in outcome.failures)
    for prop, count in by_property.most_common():
        classes = ", ".join(f"{c} {k}" for (p, c), k in by_class.most_common() if p == prop)
        lines.append(f"  {prop}: {count} ({classes})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="inputs to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--failures", type=Path, default=Path("fuzz_failures.jsonl"))
    args = parser.parse_args()
    start = time.perf_counter()
    outcome = fuzz(args.seed, args.n, args.batch_size, args.n_process)
    wall = time.perf_counter() - start
    print(summary(outcome, wall))
    if outcome.failures:
        with args.failures.open("w", encoding="utf-8") as out:
            for failure in outcome.failures:
                out.write(json.dumps(failure, ensure_ascii=True) + "\n")
        print(f"failures written to {args.failures}")
    sys.exit(1 if outcome.failures else 0)


if __name__ == "__main__":
    main()
