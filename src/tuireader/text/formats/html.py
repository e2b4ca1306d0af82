"""HTML: until the article extractor lands, read as plain text (today's behaviour)."""

from __future__ import annotations

from tuireader.text.document import Document
from tuireader.text.formats.plain import read as read_plain


def read(data: bytes, *, name: str, path: str | None, charset: str | None) -> Document:
    """Read an HTML page (for now as plain text)."""
    return read_plain(data, name=name, path=path, charset=charset)
