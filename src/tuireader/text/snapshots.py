"""Kept web pages (snapshots): where they live and what `source.json` says of them.

Apart from `text.fetch` (which fetches and writes them) so that opening a file, which
asks "is this a snapshot's page?", and the command line, which asks "is this a URL?",
import neither the fetching code nor `datetime` before the first frame.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import NamedTuple

PAGES_FOLDER = "pages"
SOURCE_FILE = "source.json"

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class PageSource(NamedTuple):
    """Where a snapshot came from: what `source.json` holds. A NamedTuple, not a
    dataclass: a dataclass's class creation cost start-up half a millisecond."""

    url: str
    """The URL as the user gave it: the snapshot's key and the name shown."""
    final_url: str
    """Where the redirects ended."""
    content_type: str | None
    """The Content-Type header, charset included: the loader decodes by it."""
    fetched: str
    """When, as UTC ISO 8601 (`2026-11-30T01:02:03Z`)."""
    file: str
    """The body's file name in the snapshot folder (`page.html`)."""


def is_url(argument: str) -> bool:
    """Whether a command-line argument names a URL rather than a file (`scheme://`)."""
    return bool(_URL_RE.match(argument))


def snapshot_folder(data_dir: Path, url: str) -> Path:
    """The folder that keeps a URL's snapshot and, beside it, its notes."""
    import hashlib  # not at start-up: OpenSSL's import costs a reader that opens a file

    key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return data_dir / PAGES_FOLDER / key


def find_snapshot(data_dir: Path, url: str) -> Path | None:
    """The snapshot's page file for a URL, or None when it was never fetched."""
    folder = snapshot_folder(data_dir, url)
    source = read_source_file(folder / SOURCE_FILE)
    if source is None or source.url != url:
        return None
    page = folder / source.file
    return page if page.is_file() else None


def read_page_source(page: str | os.PathLike[str]) -> PageSource | None:
    """The source of a snapshot's page file, or None for any other file.

    A file is a snapshot's page when the `source.json` beside it names it.
    """
    path = Path(page)
    source = read_source_file(path.parent / SOURCE_FILE)
    if source is None or source.file != path.name:
        return None
    return source


def read_source_file(path: Path) -> PageSource | None:
    """`source.json` as a `PageSource`, or None when absent or not one of ours."""
    try:
        with path.open("rb") as handle:
            data = json.loads(handle.read(64 * 1024))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    fields = ("url", "final_url", "content_type", "fetched", "file")
    values = {name: data.get(name) for name in fields}
    if not all(isinstance(values[name], str) for name in ("url", "final_url", "fetched", "file")):
        return None
    if values["content_type"] is not None and not isinstance(values["content_type"], str):
        return None
    if "/" in str(values["file"]) or str(values["file"]).startswith("."):
        return None
    return PageSource(**values)  # type: ignore[arg-type]
