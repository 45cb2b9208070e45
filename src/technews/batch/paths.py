"""The files an input argument names: a file, a folder (read recursively) or a glob.

Symbolic links are followed only where that cannot read what the user did not give nor
loop: a link named on the command line (or by a glob's literal parts) is read; inside a
folder or under a wildcard, a link to a file or folder inside the input is left out (what
it points to is read by its own path, and a link to a parent would loop forever), and one
that points outside the input (``/etc/os-release``) becomes a ``not_followed`` record. With
``follow_symlinks`` links are followed too, each real folder walked once.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from technews.batch.records import MISSING_FILE, NOT_FOLLOWED, UNREADABLE_FILE, ArticleError

COMPRESSION_SUFFIXES = {".gz", ".gzip", ".bz2", ".xz", ".lzma", ".zst", ".zstd"}
FORMAT_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
}  # fmt: skip


@dataclass(frozen=True)
class InputFile:
    """A file to read as ``name``, or why it is not read."""

    name: str
    error: ArticleError | None = None

    @property
    def path(self) -> Path:
        return Path(self.name)


@dataclass(frozen=True)
class _Walk:
    root: Path  # the input: links to anything outside it are not followed unasked
    follow_symlinks: bool


def input_files(argument: str, follow_symlinks: bool = False) -> list[InputFile]:
    """The files of one argument in a stable order (a folder's in sorted order)."""
    path = Path(argument)
    if path.is_dir():
        return folder_files(path, follow_symlinks)
    if path.exists() or path.is_symlink():  # a dangling link: its open fails with a message
        return [InputFile(argument)]
    if glob.has_magic(argument):
        matches = glob_files(argument, follow_symlinks)
        return matches or [InputFile(argument, ArticleError(MISSING_FILE, f"no file matches: {argument}"))]
    return [InputFile(argument, ArticleError(MISSING_FILE, f"no such file: {argument}"))]


def folder_files(folder: Path, follow_symlinks: bool = False) -> list[InputFile]:
    """The article files in a folder and its subfolders: hidden files and files of no known
    format (images, notes) are not articles."""
    walk = _Walk(folder.resolve(), follow_symlinks)
    files = [f for f in _files(_beneath(folder, walk)) if f.error or format_from_name(f.name)]
    return sorted(files, key=lambda f: f.name)


def glob_files(pattern: str, follow_symlinks: bool = False) -> list[InputFile]:
    """What a glob matches, ``**`` for any number of folders, as files (a folder that a
    wildcard matches is read as a folder); hidden names only where the pattern says so."""
    parts = Path(pattern).parts
    literal = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
    root = Path(*parts[:literal])
    walk = _Walk(root.resolve(), follow_symlinks)
    folders, found = [root] if root.is_dir() else [], []
    for index, part in enumerate(parts[literal:], literal):
        last = index == len(parts) - 1
        if part == "**":
            entries = [entry for folder in folders for entry in _beneath(folder, walk)]
        else:
            listed = (e for folder in folders for e in _entries(folder, walk, hidden=part.startswith(".")))
            entries = [entry for entry in listed if _matches(entry.path, part)]
        folders = [entry.path for entry in entries if isinstance(entry, _Folder)]
        found += [entry.file for entry in entries if isinstance(entry, _File) and entry.folder_link]
        if last:
            found += _files(entries)
            if part != "**":
                found += [f for folder in folders for f in folder_files(folder, follow_symlinks)]
    unique = {f.name: f for f in found}  # `a/**/b/**` reaches a file along two ways
    return sorted(unique.values(), key=lambda f: f.name)


def format_from_name(name: str) -> str | None:
    """The input format the file name says, compression suffixes left aside."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    while suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes.pop()
    return FORMAT_SUFFIXES.get(suffixes[-1]) if suffixes else None


@dataclass(frozen=True)
class _Folder:
    path: Path


@dataclass(frozen=True)
class _File:
    path: Path
    file: InputFile
    folder_link: bool = False  # a link to a folder outside the input, not followed


def _matches(path: Path, part: str) -> bool:
    return fnmatch.fnmatchcase(path.name, part) if glob.has_magic(part) else path.name == part


def _files(entries: Iterable[_Folder | _File]) -> Iterator[InputFile]:
    return (entry.file for entry in entries if isinstance(entry, _File))


def _entries(folder: Path, walk: _Walk, hidden: bool = False) -> Iterator[_Folder | _File]:
    """The folders and files in one folder, links judged as the module says."""
    try:
        entries = list(os.scandir(folder))
    except OSError as error:
        problem = ArticleError(UNREADABLE_FILE, f"cannot list {folder.as_posix()}: {error.strerror}")
        yield _File(folder, InputFile(folder.as_posix(), problem))
        return
    for entry in entries:
        if entry.name.startswith(".") and not hidden:
            continue
        path = folder / entry.name
        if entry.is_symlink() and not walk.follow_symlinks:
            if outside := _outside(path, walk.root):
                yield _File(path, InputFile(path.as_posix(), outside), folder_link=path.is_dir())
            continue
        yield _Folder(path) if entry.is_dir() else _File(path, InputFile(path.as_posix()))


def _outside(link: Path, root: Path) -> ArticleError | None:
    """Why a link is not followed, when it points outside the input; None when inside."""
    target = link.resolve()
    if target.is_relative_to(root):
        return None
    message = f"a symbolic link to {target}, outside the input: not followed (--follow-symlinks)"
    return ArticleError(NOT_FOLLOWED, message)


def _beneath(top: Path, walk: _Walk) -> Iterator[_Folder | _File]:
    """``top``, and the folders and files beneath it, each real folder once (links loop)."""
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            status = folder.stat()
        except OSError:
            continue
        if (status.st_dev, status.st_ino) in seen:
            continue
        seen.add((status.st_dev, status.st_ino))
        yield _Folder(folder)
        for entry in _entries(folder, walk):
            if isinstance(entry, _Folder):
                stack.append(entry.path)
            else:
                yield entry
