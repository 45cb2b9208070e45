"""The Dask engine: the same extraction on the workers of a Dask cluster.

Needs the ``dask`` extra (``pip install "technews[dask]"``) here and on the workers.
Each worker process loads the pipeline once and keeps it; a lock makes a worker
with several threads safe (its threads then take turns).

- ``technews batch --engine dask --scheduler ADDRESS`` reads the input here, sends
  batches of articles to the cluster and writes the records in input order.
- ``extract_bag(bag)``, ``extract_dataframe(ddf)`` and ``extract_partition(records)``
  serve ``dask.bag`` and ``dask.dataframe`` users.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from contextlib import ExitStack
from typing import Any

from technews.batch.extraction import (
    DEFAULT_OPTIONS,
    MAX_CHARS,
    Extracted,
    ExtractOptions,
    extract_in_process,
)
from technews.batch.local import in_order
from technews.batch.readers import FieldMapping, article_from_object
from technews.batch.records import Article

# The columns of ``extract_dataframe``, the same in every partition: Dask takes a frame's
# columns from its meta, so a column that only some records have (`error`) must be fixed here.
DATAFRAME_COLUMNS = ("id", "language", "text", "entities", "relations", "error")


def extract_on_cluster(
    chunks: Iterable[list[Article]],
    scheduler: str | None = None,
    model: str | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
    n_workers: int = 1,
) -> Generator[list[Extracted], None, None]:
    """Records for each chunk, in order, computed on the cluster at ``scheduler`` (without
    one: a local cluster of ``n_workers`` processes)."""
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        if scheduler is None:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, dashboard_address=None)
            scheduler = stack.enter_context(cluster)
        client = stack.enter_context(Client(scheduler))
        window = 2 * max(1, sum(client.nthreads().values()))
        submit = lambda chunk: client.submit(extract_in_process, chunk, model, options, pure=False)  # noqa: E731
        yield from in_order(submit, chunks, window)


def extract_partition(
    records: Iterable[Any],
    id_field: str = "id",
    text_field: str = "text",
    title_field: str | None = "title",
    html: bool = False,
    model: str | None = None,
    max_chars: int = MAX_CHARS,
    keep_text: bool = False,
    partition: int = 0,
) -> list[dict[str, Any]]:
    """One output record per input record (a dict, or a bare text), as ``technews batch``
    writes them. Records without an id get ``partition-P:N`` (N counted from 1)."""
    mapping = FieldMapping(id_field, text_field, title_field, html)
    articles = [
        article_from_object(value, f"partition-{partition}:{number}", mapping)
        for number, value in enumerate(records, 1)
    ]
    options = ExtractOptions(max_chars, keep_text)
    return [extracted.record for extracted in extract_in_process(articles, model, options)]


def extract_bag(bag: Any, **options: Any) -> Any:
    """A ``dask.bag.Bag`` of output records, partition for partition; ``options`` are those
    of ``extract_partition`` (field names, model, max_chars, keep_text)."""
    import dask.bag
    from dask import delayed

    partitions = bag.to_delayed()
    extracted = [
        delayed(extract_partition)(partition, partition=number, **options)
        for number, partition in enumerate(partitions)
    ]
    return dask.bag.from_delayed(extracted)


def extract_dataframe(ddf: Any, **options: Any) -> Any:
    """A ``dask.dataframe.DataFrame`` of one row per input row, with the input's index and
    the columns ``DATAFRAME_COLUMNS`` (None where a record has no such key: ``error`` of a
    result, ``entities`` and ``relations`` of an error). ``options`` are those of
    ``extract_partition``; the input's other columns are left out (join on the index)."""
    import pandas

    meta = pandas.DataFrame({column: pandas.Series(dtype=object) for column in DATAFRAME_COLUMNS})
    return ddf.map_partitions(_extract_frame, options, meta=meta)


def _extract_frame(frame: Any, options: dict[str, Any], partition_info: dict | None = None) -> Any:
    import pandas

    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    number = partition_info["number"] if partition_info else 0
    records = extract_partition(rows, partition=number, **options)
    columns = {column: [record.get(column) for record in records] for column in DATAFRAME_COLUMNS}
    return pandas.DataFrame(columns, index=frame.index, dtype=object)
