"""The local engine: the pipeline in this process, or in a pool of worker processes.

spaCy's own ``nlp.pipe(n_process=...)`` cannot serve here: it sends docs back
with ``Doc.to_bytes``, which cannot hold ``doc._.relations`` (they refer to
spans), and its workers never leave a memory zone. So each worker process loads
the pipeline once, runs ``nlp.pipe`` over a batch of articles inside a memory
zone and sends back plain records.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from technews.batch.extraction import (
    DEFAULT_OPTIONS,
    Extracted,
    ExtractOptions,
    extract_in_process,
)
from technews.batch.records import Article
from technews.errors import TechnewsError


def chunked(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def in_order(
    submit: Callable[[list[Article]], Future[Any]], chunks: Iterable[list[Article]], window: int
) -> Iterator[list[Extracted]]:
    """The chunks' results in input order, with at most ``window`` chunks in flight, so the
    input is read only as fast as it is processed (memory stays flat)."""
    pending: deque[Future[Any]] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def extract_locally(
    chunks: Iterable[list[Article]],
    model: str | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
    n_process: int = 1,
) -> Iterator[list[Extracted]]:
    """Records for each chunk of articles, in order, with ``n_process`` processes."""
    if n_process <= 1:  # the pipeline is loaded once per process, here as in the workers
        for chunk in chunks:
            yield extract_in_process(chunk, model, options)
        return
    # spawn: a fresh interpreter per worker, safe beside the threads of a progress bar.
    pool = ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn"))
    try:
        submit = lambda chunk: pool.submit(extract_in_process, chunk, model, options)  # noqa: E731
        yield from in_order(submit, chunks, window=2 * n_process)
    except BrokenProcessPool as error:
        raise TechnewsError("a worker process died (out of memory?); --resume goes on") from error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
