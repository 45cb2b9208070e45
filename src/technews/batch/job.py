"""A batch job: read a dump, extract with an engine, write one record per article, keep count."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from technews.batch.extraction import Extracted, ExtractOptions
from technews.batch.local import chunked, extract_locally
from technews.batch.readers import MAX_RECORD_BYTES, FieldMapping, read_articles
from technews.batch.records import Article, is_error
from technews.batch.writers import OutputError, open_writer

ENGINES = ("local", "dask")
BATCH_SIZE = 64  # articles per memory zone and per task sent to a process


@dataclass
class BatchOptions:
    inputs: list[str]
    output: str
    output_format: str = "jsonl"
    input_format: str | None = None
    mapping: FieldMapping = field(default_factory=FieldMapping)
    max_record_bytes: int = MAX_RECORD_BYTES
    follow_symlinks: bool = False
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    resume: bool = False
    overwrite: bool = False
    engine: str = "local"
    n_process: int = 1
    scheduler: str | None = None
    batch_size: int = BATCH_SIZE
    model: str | None = None


@dataclass
class Summary:
    """What a run wrote: this run's records, and what a resumed output held before."""

    succeeded: int = 0
    failed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    words: int = 0
    seconds: float = 0.0
    resumed_after: int = 0
    failed_before: int = 0
    languages: Counter[str] = field(default_factory=Counter)  # of the articles not in German

    @property
    def processed(self) -> int:
        return self.succeeded + self.failed

    def add(self, extracted: Extracted) -> None:
        if is_error(extracted.record):
            self.failed += 1
            self.reasons[extracted.record["error"]["reason"]] += 1
        else:
            self.succeeded += 1
        if extracted.language is not None:
            self.languages[extracted.language] += 1
        self.words += extracted.words

    def as_dict(self) -> dict[str, Any]:
        seconds = max(self.seconds, 1e-9)
        return {
            "articles": self.processed,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "reasons": dict(self.reasons),
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.processed / seconds, 1),
            "words_per_second": round(self.words / seconds, 1),
            "resumed_after": self.resumed_after,
            "failed_before": self.failed_before,
            "not_german": dict(self.languages),
        }


def run_batch(options: BatchOptions, progress: bool = False) -> Summary:
    """Process every input article; the summary counts results and error records.

    Raises ``OutputError`` when the output cannot be written, does not belong to the input, is
    written by another run, or was deleted or replaced while this one ran.
    On an interruption (Ctrl-C) the records written so far are complete, and ``--resume`` goes on.
    """
    writer = open_writer(options.output, options.output_format, options.resume, options.overwrite)
    summary = Summary(resumed_after=writer.done, failed_before=writer.failed_before)
    start = time.perf_counter()
    stop_counting = threading.Event()
    try:
        articles = read_articles(
            options.inputs,
            options.mapping,
            options.input_format,
            options.max_record_bytes,
            options.follow_symlinks,
        )
        chunks = chunked(skip_done(articles, writer.done, writer.last_id), options.batch_size)
        with _progress(progress) as bar, closing(_engine(chunks, options)) as results:
            task = bar.add_task("", total=None, rates="", of="") if bar else None
            if bar is not None and task is not None:
                _count_in_background(options, writer.done, bar, task, stop_counting)
            for extracted in results:
                for one in extracted:
                    writer.write(one.record)
                    summary.add(one)
                writer.flush()
                summary.seconds = time.perf_counter() - start
                if bar is not None:
                    bar.update(task, completed=summary.processed, rates=_rates(summary))
    finally:
        stop_counting.set()
        writer.close()
        summary.seconds = time.perf_counter() - start
    writer.verify()  # an output deleted or replaced meanwhile: its records are lost, say so
    return summary


def skip_done(articles: Iterable[Article], done: int, last_id: Any) -> Iterator[Article]:
    """The articles after the first ``done``, which a resumed output holds already; the last of
    those must be the output's last record, else the output is of another input."""
    position = 0
    for article in articles:
        position += 1
        if position < done:
            continue
        if position == done:
            if str(article.id) != str(last_id):
                raise OutputError(
                    f"output does not belong to this input: its record {done} is {last_id!r}, "
                    f"the input's article {done} is {article.id!r}"
                )
            continue
        yield article
    if position < done:
        raise OutputError(
            f"output does not belong to this input: it holds {done} records, the input {position} articles"
        )


def count_articles(options: BatchOptions, stop: threading.Event | None = None) -> int | None:
    """How many records the inputs give, read once without processing them (a thousand times
    faster than the pipeline); None for standard input, which cannot be read twice."""
    if "-" in options.inputs:
        return None
    count = 0
    mapping, fmt, limit = options.mapping, options.input_format, options.max_record_bytes
    for _ in read_articles(options.inputs, mapping, fmt, limit, options.follow_symlinks):
        if stop is not None and stop.is_set():
            return None
        count += 1
    return count


def _count_in_background(
    options: BatchOptions, done: int, bar: Progress, task: TaskID, stop: threading.Event
) -> None:
    """Give the progress display its total (and so the time left) once the inputs are counted."""

    def count() -> None:
        try:
            total = count_articles(options, stop)
        except Exception:  # the run itself reports what cannot be read; the display just has no total
            return
        if total is not None and not stop.is_set():
            left = max(total - done, 0)
            bar.update(task, total=left, of=f" of {left:,}")

    threading.Thread(target=count, name="technews-count", daemon=True).start()


def _engine(chunks: Iterable[list[Article]], options: BatchOptions) -> Generator[list[Extracted], None, None]:
    if options.engine == "dask":
        from technews.batch.dask_engine import extract_on_cluster

        scheduler, workers = options.scheduler, options.n_process
        return extract_on_cluster(chunks, scheduler, options.model, options.extract, workers)
    return extract_locally(chunks, options.model, options.extract, options.n_process)


def _progress(enabled: bool) -> Any:
    if not enabled:
        return nullcontext(None)
    return Progress(
        SpinnerColumn(),
        BarColumn(bar_width=24),
        TextColumn("{task.completed:,}{task.fields[of]} articles"),
        TextColumn("{task.fields[rates]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def _rates(summary: Summary) -> str:
    seconds = max(summary.seconds, 1e-9)
    return (
        f"{summary.processed / seconds:,.0f} articles/s  {summary.words / seconds:,.0f} words/s  "
        f"{summary.failed:,} errors"
    )
