"""The local engine: the pipeline in this process, or in a pool of worker processes.

spaCy's own ``nlp.pipe(n_process=...)`` works on the pipeline but cannot serve here:
its workers never leave a memory zone (their memory grows with the dump) and outlive a
killed parent, and it sends back whole docs where records suffice. So each worker process loads
the pipeline once, runs ``nlp.pipe`` over a batch of articles inside a memory
zone and sends back plain records.

Workers never outlive the batch: each watches its parent and exits when it is gone
(``kill -9``), and an interrupted run (Ctrl-C, SIGTERM, an error) stops its workers
at once instead of waiting for their batches. Workers ignore Ctrl-C themselves, which
a terminal sends to them too: the batch process decides, and stops them.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
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

PARENT_CHECK_SECONDS = 0.5  # how soon a worker notices that the batch process is gone
WORKER_STOP_SECONDS = 5.0  # how long a stopped worker may take to exit before it is killed
PR_SET_PDEATHSIG = 1  # Linux prctl(2): a signal for this process when its parent dies


def chunked(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def in_order(
    submit: Callable[[list[Article]], Future[Any]], chunks: Iterable[list[Article]], window: int
) -> Generator[list[Extracted], None, None]:
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
    batches_per_worker: int = 2,
) -> Generator[list[Extracted], None, None]:
    """Records for each chunk of articles, in order, with ``n_process`` processes and at
    most ``batches_per_worker`` chunks per process in flight (two: none waits for the next)."""
    if n_process <= 1:  # the pipeline is loaded once per process, here as in the workers
        for chunk in chunks:
            yield extract_in_process(chunk, model, options)
        return
    # spawn: a fresh interpreter per worker, safe beside the threads of a progress bar.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(n_process, context, initializer=start_worker, initargs=(os.getpid(),))
    finished = False
    try:
        submit = lambda chunk: pool.submit(extract_in_process, chunk, model, options)  # noqa: E731
        yield from in_order(submit, chunks, window=batches_per_worker * n_process)
        finished = True
    except BrokenProcessPool as error:
        raise TechnewsError("a worker process died (out of memory?); --resume goes on") from error
    finally:
        pool.shutdown(wait=True, cancel_futures=True) if finished else stop_workers(pool)


def start_worker(parent: int) -> None:
    """In each worker, first: exit with the batch process, and leave Ctrl-C to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ask_linux_for_a_signal_at_parent_death()
    watchdog = threading.Thread(target=_exit_when_orphaned, args=(parent,), name="parent-watch", daemon=True)
    watchdog.start()


def _exit_when_orphaned(parent: int) -> None:
    """Poll the parent's id: an orphan is adopted by another process, so its parent id changes."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)  # at once: the batch is gone, nobody waits for this worker's results


def _ask_linux_for_a_signal_at_parent_death() -> None:
    """On Linux the kernel also kills the worker when its parent dies, without waiting for a poll."""
    if not sys.platform.startswith("linux"):
        return
    # It signals when the thread that started the worker ends: the one that runs the batch.
    with contextlib.suppress(OSError, AttributeError):  # no prctl: the watchdog thread remains
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now, their batches unfinished: the run was interrupted or failed, and the
    records written so far are complete without them."""
    # Python 3.14 has pool.terminate_workers(); before, the processes are only reachable here.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(WORKER_STOP_SECONDS)
        if process.is_alive():
            process.kill()
