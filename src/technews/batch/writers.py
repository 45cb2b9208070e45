"""Batch output: JSON Lines, CSV tables or Parquet parts, each resumable after a crash.

Records arrive in input order, so an output always holds the records of a prefix
of the input. Resuming means: find the records that were written completely,
cut off what was written halfway, and go on with the next input article.

- JSON Lines: one record a line; a last line without its line break is cut off.
- CSV (a folder): ``articles.csv`` (one row per article, results and errors),
  ``entities.csv`` and ``relations.csv`` (one row per entity and relation, keyed by
  the article's position and id). An article's row is written after its entity
  and relation rows, so ``articles.csv`` says how far the output is complete;
  rows of the other tables beyond that are cut off.
- Parquet (a folder): ``part-00000.parquet``, ... each written whole under a
  temporary name and then renamed, so a part is there completely or not at all;
  a crash loses at most the records of the part being filled, which a resumed run
  writes again.

One writer per output: a run holds an exclusive lock on its output from before it
looks at it (resume, overwrite) until it is done, so a second run on the same output
fails at once instead of interleaving or deleting records. At the end, ``verify`` says
whether the output files are still the ones written (not deleted or replaced meanwhile).

CSV cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, as OWASP lists them) start with a single quote ``'``;
so do cells that start with ``'`` themselves, so that ``csv_value`` undoes it exactly.
JSON Lines and Parquet hold every value unchanged.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from technews.errors import TechnewsError

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
OWN_KEYS = ("id", "text", "entities", "relations", "error")
PARQUET_PART_ROWS = 10_000


class OutputError(TechnewsError):
    """The output cannot be written or resumed as asked."""


class Writer(Protocol):
    done: int  # records found complete in the output when resuming
    failed_before: int  # error records among them
    last_id: Any  # the id of the last of them
    lock: OutputLock | None  # held from open_writer to close

    def write(self, record: dict[str, Any]) -> None: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...  # also releases the output's lock
    def verify(self) -> None: ...


def open_writer(output: str, output_format: str, resume: bool = False, overwrite: bool = False) -> Writer:
    """A writer for ``output``, holding its lock; with ``resume``, positioned after its last complete
    record. Raises ``OutputError`` when another run writes ``output``."""
    if output == "-":
        if output_format != "jsonl" or resume:
            raise OutputError("standard output takes JSON Lines and cannot be resumed: give a file")
        return JsonlWriter(None)
    path = Path(output)
    if output_format != "jsonl":
        path.parent.mkdir(parents=True, exist_ok=True)  # a folder output may name new folders
    lock = OutputLock(path)
    try:
        writer = _open_locked(path, output_format, resume, overwrite)
    except BaseException:
        lock.release()
        raise
    writer.lock = lock
    return writer


def _open_locked(path: Path, output_format: str, resume: bool, overwrite: bool) -> Writer:
    output = str(path)
    folder = output_format != "jsonl"
    if path.exists() and path.is_dir() != folder:
        raise OutputError(f"{output} is a {'file' if folder else 'folder'}: {output_format} output is a "
                          f"{'folder' if folder else 'file'}")  # fmt: skip
    if path.exists() and not resume:
        if not overwrite:
            raise OutputError(f"{output} exists: --resume continues it, --overwrite replaces it")
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    if output_format == "csv":
        return CsvWriter(path)
    if output_format == "parquet":
        return ParquetWriter(path)
    return JsonlWriter(path)


LOCK_ATTEMPTS = 3  # a lock file removed by the run that held it just before we locked it: try again


class OutputLock:
    """An exclusive lock on an output: a hidden file beside it, locked with ``flock`` (on Windows
    ``msvcrt.locking``), so the operating system releases it when the process dies and a
    killed run never leaves a stale lock behind."""

    def __init__(self, output: Path) -> None:
        self.path = output.with_name(f".{output.name}.lock")
        self.file: Any = None
        for _ in range(LOCK_ATTEMPTS):
            file = self.path.open("a+", encoding="utf-8")
            if not _try_lock(file):
                file.seek(0)
                holder = file.read().strip() or "?"
                file.close()
                raise OutputError(
                    f"{output} is being written by another technews batch (process {holder}): "
                    "wait for it to end, or give another output"
                )
            if _same_file(file, self.path):
                file.truncate(0)
                file.write(f"{os.getpid()}\n")
                file.flush()
                self.file = file
                return
            file.close()
        raise OutputError(f"cannot lock {output}: its lock file {self.path} keeps being replaced")

    def release(self) -> None:
        if self.file is None:
            return
        # Removed while still locked: a run that opened it meanwhile sees it is gone and tries anew.
        self.path.unlink(missing_ok=True)
        self.file.close()
        self.file = None


def _try_lock(file: Any) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _same_file(file: Any, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(file.fileno()), os.stat(path))
    except FileNotFoundError:
        return False


class _Output:
    """What the file outputs share: their lock, and the files whose identity ``verify`` checks."""

    def __init__(self) -> None:
        self.lock: OutputLock | None = None
        self.watched: dict[Path, os.stat_result] = {}

    def watch(self, path: Path) -> None:
        """Remember ``path`` as it is now; ``verify`` fails when it is gone or another file."""
        self.watched[path] = os.stat(path)

    def verify(self) -> None:
        """Raise ``OutputError`` when a file this run wrote was deleted or replaced meanwhile."""
        for path, written in self.watched.items():
            try:
                same = os.path.samestat(written, os.stat(path))
            except FileNotFoundError:
                same = False
            if not same:
                raise OutputError(
                    f"{path} was deleted or replaced while the batch ran: the records written to it are "
                    "lost; run again (--overwrite)"
                )

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula (OWASP)
CSV_ESCAPE = "'"


def csv_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet reads as a formula; ``csv_value`` gives ``value`` back."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, CSV_ESCAPE)):
        return CSV_ESCAPE + value
    return value


def csv_value(cell: str) -> str:
    """The value written as ``cell`` by ``csv_cell``."""
    return cell[1:] if cell.startswith(CSV_ESCAPE) else cell


def passed_through(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in OWN_KEYS}


def _clean(text: str) -> str:
    """Lone surrogates (from ``\\ud800`` escapes in the input) as escapes, so UTF-8 can hold them."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class JsonlWriter(_Output):
    """One record a line; ``None`` writes to standard output."""

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self.done, self.failed_before, self.last_id = 0, 0, None
        if path is None:
            self.file = sys.stdout
            return
        if path.exists():
            self.done, self.failed_before, self.last_id = _resume_jsonl(path)
        # backslashreplace: a lone surrogate in a passed-through field becomes a valid JSON escape.
        self.file = path.open("a", encoding="utf-8", errors="backslashreplace")
        self.watch(path)

    def write(self, record: dict[str, Any]) -> None:
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self.file is not sys.stdout:
                self.file.close()
            self.release()


def _resume_jsonl(path: Path) -> tuple[int, int, Any]:
    with path.open("r+b") as file:
        file.truncate(_end_of_last_line(file))
        file.seek(0)
        done, failed, last_id = 0, 0, None
        for number, line in enumerate(file, 1):
            try:
                record = json.loads(line)
                last_id = record["id"]
            except (ValueError, KeyError, TypeError) as error:
                raise OutputError(f"{path}:{number} is no technews record, cannot resume: {error}") from error
            done += 1
            failed += "error" in record
    return done, failed, last_id


def _end_of_last_line(file: Any) -> int:
    """The position just after the file's last line break (0 when there is none)."""
    end = file.seek(0, os.SEEK_END)
    while end > 0:
        start = max(0, end - 65536)
        file.seek(start)
        found = file.read(end - start).rfind(b"\n")
        if found >= 0:
            return start + found + 1
        end = start
    return 0


KEY_COLUMNS = ("article", "id")
ARTICLE_COLUMNS = (
    *KEY_COLUMNS,
    "fields",
    "text",
    "error",
    "error_message",
    "error_line",
    "entities",
    "relations",
)
ENTITY_COLUMNS = (*KEY_COLUMNS, "start", "end", "label", "text", "canonical")
RELATION_FIELDS = ("head", "relation", "tail", "status")
RELATION_COLUMNS = (*KEY_COLUMNS, *RELATION_FIELDS, "evidence_start", "evidence_end", "score")
CSV_TABLES = {"articles": ARTICLE_COLUMNS, "entities": ENTITY_COLUMNS, "relations": RELATION_COLUMNS}


class CsvWriter(_Output):
    """Three tables in a folder; ``article`` is the article's position in the input (from 1).
    Text cells go through ``csv_cell``."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.done, self.failed_before, self.last_id = 0, 0, None
        if folder.exists():
            self.done, self.failed_before, self.last_id = _resume_csv(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.files = {}
        for table, columns in CSV_TABLES.items():
            path = folder / f"{table}.csv"
            fresh = not path.exists() or path.stat().st_size == 0
            self.files[table] = path.open("a", encoding="utf-8", errors="backslashreplace", newline="")
            if fresh:
                csv.writer(self.files[table]).writerow(columns)
                self.files[table].flush()
            self.watch(path)
        self.tables = {table: csv.writer(file) for table, file in self.files.items() if table != "articles"}
        self.position = self.done
        self.pending_articles: list[list[Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        self.position += 1
        key = (self.position, record["id"])
        for entity in record.get("entities", ()):
            row = [*key, *(entity[c] for c in ENTITY_COLUMNS[2:])]
            self.tables["entities"].writerow(map(csv_cell, row))
        for relation in record.get("relations", ()):
            evidence = relation["evidence"]
            values = [relation[c] for c in RELATION_FIELDS]
            row = [*key, *values, evidence["start"], evidence["end"], relation["score"]]
            self.tables["relations"].writerow(map(csv_cell, row))
        self.pending_articles.append([csv_cell(cell) for cell in _article_row(key, record)])

    def flush(self) -> None:
        """Entities and relations first, then the articles they belong to."""
        self.files["entities"].flush()
        self.files["relations"].flush()
        csv.writer(self.files["articles"]).writerows(self.pending_articles)
        self.files["articles"].flush()
        self.pending_articles = []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            for file in self.files.values():
                file.close()
            self.release()


def _article_row(key: tuple[int, Any], record: dict[str, Any]) -> list[Any]:
    error = record.get("error") or {}
    fields = passed_through(record)
    return [
        *key,
        json.dumps(fields, ensure_ascii=False) if fields else "",
        record.get("text", ""),
        error.get("reason", ""),
        error.get("message", ""),
        error.get("line", ""),
        len(record.get("entities", ())),
        len(record.get("relations", ())),
    ]


def _resume_csv(folder: Path) -> tuple[int, int, Any]:
    done, failed, last_id, end = 0, 0, None, 0
    for number, (row, row_end) in enumerate(_complete_rows(folder / "articles.csv")):
        end = row_end
        if number:  # the header is no article
            done, last_id = done + 1, csv_value(row[1])
            failed += bool(row[4])
    _truncate(folder / "articles.csv", end)
    for table in ("entities", "relations"):
        keep = 0
        for number, (row, row_end) in enumerate(_complete_rows(folder / f"{table}.csv")):
            if number and int(row[0]) > done:
                break
            keep = row_end
        _truncate(folder / f"{table}.csv", keep)
    return done, failed, last_id


def _complete_rows(path: Path) -> Iterator[tuple[list[str], int]]:
    """The rows of a CSV file that were written completely, each with the position of its end."""
    if not path.exists():
        return
    end = 0

    def complete_lines() -> Iterator[str]:
        nonlocal end
        with path.open("rb") as file:
            for line in file:
                if not line.endswith(b"\n"):
                    return  # written halfway
                end += len(line)
                yield line.decode("utf-8", "surrogateescape")

    # strict: a row cut off inside a quoted field is an error, not a shorter row.
    try:
        for row in csv.reader(complete_lines(), strict=True):
            yield row, end
    except csv.Error:
        return


def _truncate(path: Path, size: int) -> None:
    if path.exists():
        with path.open("r+b") as file:
            file.truncate(size)


class ParquetWriter(_Output):
    """Parts of ``PARQUET_PART_ROWS`` records with one schema; pass-through fields as JSON text."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        try:
            import pyarrow.parquet as pq
        except ImportError as error:
            raise OutputError('--format parquet needs pyarrow: pip install "technews[parquet]"') from error
        self.pq = pq
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob("*.tmp"):  # a part that was being written when the run died
            leftover.unlink()
        self.parts = sorted(folder.glob("part-*.parquet"))
        for watched in (folder, *self.parts):
            self.watch(watched)
        self.done, self.failed_before, self.last_id = _resume_parquet(self.parts)
        self.position = self.done
        self.rows: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        self.position += 1
        fields = passed_through(record)
        self.rows.append(
            {
                "article": self.position,
                "id": _clean(str(record["id"])),
                "fields": _clean(json.dumps(fields, ensure_ascii=False)) if fields else None,
                "text": record.get("text"),
                "entities": record.get("entities"),
                "relations": record.get("relations"),
                "error": record.get("error"),
            }
        )
        if len(self.rows) >= PARQUET_PART_ROWS:
            self._write_part()

    def flush(self) -> None:
        """Parts are written whole; records wait until one is full."""

    def close(self) -> None:
        try:
            self._write_part()
        finally:
            self.release()

    def _write_part(self) -> None:
        if not self.rows:
            return
        import pyarrow as pa

        table = pa.Table.from_pylist(self.rows, schema=parquet_schema())
        path = self.folder / f"part-{len(self.parts):05d}.parquet"
        temporary = path.with_suffix(".parquet.tmp")
        self.pq.write_table(table, temporary)
        os.replace(temporary, path)
        self.parts.append(path)
        self.watch(path)
        self.rows = []


def _resume_parquet(parts: list[Path]) -> tuple[int, int, Any]:
    import pyarrow.parquet as pq

    done = failed = 0
    last_id = None
    for part in parts:
        table = pq.read_table(part, columns=["id", "error"])
        done += table.num_rows
        failed += table.num_rows - table.column("error").null_count
        if table.num_rows:
            last_id = table.column("id")[-1].as_py()
    return done, failed, last_id


def parquet_schema() -> Any:
    import pyarrow as pa

    offsets = pa.struct([("start", pa.int64()), ("end", pa.int64())])
    entity = pa.struct(
        [("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("text", pa.string()),
         ("canonical", pa.string())]
    )  # fmt: skip
    relation = pa.struct(
        [("head", pa.string()), ("relation", pa.string()), ("tail", pa.string()), ("status", pa.string()),
         ("evidence", offsets), ("score", pa.float64())]
    )  # fmt: skip
    error = pa.struct([("reason", pa.string()), ("message", pa.string()), ("line", pa.int64())])
    return pa.schema(
        [("article", pa.int64()), ("id", pa.string()), ("fields", pa.string()), ("text", pa.string()),
         ("entities", pa.list_(entity)), ("relations", pa.list_(relation)), ("error", error)]
    )  # fmt: skip
