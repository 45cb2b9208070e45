"""``technews.pipe``: records for a stream of articles, lazily and in input order.

The batch machinery without files: texts or records in, records out, with the batch's
pieces for overlong articles and its error records for bad input. With ``n_process`` above 1
the articles go to worker processes (``technews.batch.local``), at most a few batches ahead
of what the caller has taken, so memory stays flat however long the stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from technews.batch.extraction import DEFAULT_OPTIONS, ExtractOptions
from technews.batch.job import BATCH_SIZE
from technews.batch.local import chunked, extract_locally
from technews.batch.readers import FieldMapping, article_from_object

DEFAULT_MAPPING = FieldMapping()


def pipe(
    articles: Iterable[str | dict[str, Any]],
    *,
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    model: str | Path | None = None,
    mapping: FieldMapping = DEFAULT_MAPPING,
    options: ExtractOptions = DEFAULT_OPTIONS,
    batches_per_worker: int = 1,
) -> Iterator[dict[str, Any]]:
    """One record per article (a text, or a record whose fields ``mapping`` names), in
    input order: the article's entities and relations, or an error record saying why it
    could not be processed. Articles without an id get their position, from 1. At most
    ``batches_per_worker`` batches per worker process are in flight (bench/pipe.py: one
    is as fast as two, since a worker's next batch follows as soon as it returns one)."""
    if min(n_process, batch_size, batches_per_worker) < 1:
        raise ValueError(
            "n_process, batch_size and batches_per_worker must be at least 1, "
            f"not {n_process}, {batch_size} and {batches_per_worker}"
        )
    numbered = (article_from_object(value, number, mapping) for number, value in enumerate(articles, start=1))
    chunks = chunked(numbered, batch_size)
    results = extract_locally(chunks, str(model) if model else None, options, n_process, batches_per_worker)
    try:
        for extracted in results:
            for one in extracted:
                yield one.record
    finally:
        results.close()  # the caller stopped early: stop the workers too
