"""Batch processing: technews over dumps of news articles, built to survive real dumps.

>>> from technews.batch import BatchOptions, run_batch
>>> summary = run_batch(BatchOptions(["dump.jsonl.gz"], "dump.out.jsonl"))

Modules: ``readers`` (formats, compression, field mapping), ``records`` (articles,
result and error records), ``extraction`` (the pipeline over a batch, overlong
articles in pieces), ``writers`` (JSON Lines, CSV, Parquet; resume), ``local``
and ``dask_engine`` (where the pipeline runs), ``job`` (a whole run), ``stats``.
``extract_partition``, ``extract_bag`` and ``extract_dataframe`` (in ``dask_engine``) serve
Dask users.
"""

from technews.batch.dask_engine import extract_bag, extract_dataframe, extract_partition
from technews.batch.extraction import MAX_CHARS, ExtractOptions, extract_articles
from technews.batch.job import BatchOptions, Summary, run_batch
from technews.batch.readers import FieldMapping, read_articles
from technews.batch.records import Article, ArticleError

__all__ = [
    "MAX_CHARS",
    "Article",
    "ArticleError",
    "BatchOptions",
    "ExtractOptions",
    "FieldMapping",
    "Summary",
    "extract_articles",
    "extract_bag",
    "extract_dataframe",
    "extract_partition",
    "read_articles",
    "run_batch",
]
