"""Where documents come from: the files and folders named on a command line.

`load_source` is the one door through which the app and the reports open a document
file, so that reading other formats (`tuireader.text.formats.read_document`) is one
change here, not one per caller.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from tuireader.text import loading
from tuireader.text.document import Document
from tuireader.text.formats import SUFFIXES
from tuireader.text.loading import LoadError
from tuireader.text.structure import load_document, load_document_start

DOCUMENT_SUFFIXES = SUFFIXES
"""What a folder is scanned for: every format tuireader reads (text, Markdown, web
pages, Word, EPUB). A file named on the command line is opened whatever its name ends
with; a folder holds notes files, drafts and images besides articles."""


def load_source(path: str | os.PathLike[str], *, start_only: bool = False) -> Document:
    """Read a document file.

    Args:
        path: The file.
        start_only: A long plain-text file's beginning only (`complete=False`), to
            show before the whole is read.

    Raises:
        LoadError: Missing, unreadable, binary, not text.
    """
    if start_only:
        return load_document_start(path)
    return load_document(path)


def find_documents(arguments: Sequence[str | Path], *, recursive: bool = False) -> list[Path]:
    """The documents named by command-line arguments, in their order.

    A file is taken as it is; a folder gives the files in it whose names end in
    `DOCUMENT_SUFFIXES`, sorted by name, hidden ones left out, and those of its
    sub-folders when `recursive`. A file named twice is listed once.

    Raises:
        LoadError: An argument is neither a file nor a folder (one line, naming it).
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for argument in arguments:
        path = Path(argument)
        try:
            mode = path.stat().st_mode
        except OSError as err:
            raise LoadError(f"{argument}: {err.strerror or 'cannot be read'}") from err
        if stat.S_ISDIR(mode):
            paths: Iterator[Path] = _scan(path, recursive)
        elif stat.S_ISREG(mode):
            paths = iter([path])
        else:
            raise LoadError(f"{argument}: not a file or a folder")
        for each in paths:
            key = each.absolute()
            if key not in seen:
                seen.add(key)
                found.append(each)
    return found


def _scan(folder: Path, recursive: bool) -> Iterator[Path]:
    """A folder's documents by name; sub-folders after the files (when recursive)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as err:
        raise LoadError(f"{folder}: {err.strerror or 'cannot be read'}") from err
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        # follow_symlinks=False: a link in a scanned folder is not followed (a loop, or
        # a file elsewhere); one named on the command line is opened.
        if entry.is_file(follow_symlinks=False):
            if entry.name.lower().endswith(DOCUMENT_SUFFIXES):
                yield Path(entry.path)
        elif recursive and entry.is_dir(follow_symlinks=False):
            folders.append(Path(entry.path))
    for sub in folders:
        yield from _scan(sub, recursive)


_PIPE_CHUNK = 64 * 1024


def read_stream(
    stream: BinaryIO,
    name: str,
    *,
    progress: Callable[[int, int | None], object] | None = None,
    limit: int | None = None,
) -> bytes:
    """Read a stream to its end (a pipe: standard input), at most `limit` bytes.

    Blocking, a chunk at a time as the producer writes: `progress` hears of each, so
    that a slow producer (`curl … | tuireader`) shows its bytes as they arrive, and can
    stop the reading by raising.

    Args:
        stream: The pipe (or file) to read; it is not closed here.
        name: What errors call it ("<stdin>").
        progress: Told the bytes received so far (the total is not known: None).
        limit: The most bytes taken (default `loading.MAX_BYTES`).

    Raises:
        LoadError: The stream cannot be read, or holds more than `limit` bytes.
    """
    cap = loading.MAX_BYTES if limit is None else limit
    chunks: list[bytes] = []
    received = 0
    while received <= cap:
        try:
            chunk = stream.read(min(_PIPE_CHUNK, cap + 1 - received))
        except OSError as err:
            raise LoadError(f"{name}: cannot read ({err.strerror or err})") from None
        if not chunk:
            break
        chunks.append(chunk)
        received += len(chunk)
        if progress is not None:
            progress(received, None)
    if received > cap:
        raise LoadError(f"{name}: too large (over {cap // 2**20} MiB)")
    return b"".join(chunks)
