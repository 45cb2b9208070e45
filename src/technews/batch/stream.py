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
) -> Iterator[dict[str, Any]]:
    """One record per article (a text, or a record whose fields ``mapping`` names), in
    input order: the article's entities and relations, or an error record saying why it
    could not be processed. Articles without an id get their position, from 1."""
    if n_process < 1 or batch_size < 1:
        raise ValueError(f"n_process and batch_size must be at least 1, not {n_process} and {batch_size}")
    numbered = (article_from_object(value, number, mapping) for number, value in enumerate(articles, start=1))
    results = extract_locally(
        chunked(numbered, batch_size), str(model) if model else None, options, n_process
    )
    try:
        for extracted in results:
            for one in extracted:
                yield one.record
    finally:
        results.close()  # the caller stopped early: stop the workers too
