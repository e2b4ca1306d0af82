"""DOCX: not read yet (a one-line error)."""

from __future__ import annotations

from tuireader.text.document import Document
from tuireader.text.loading import LoadError


def read(data: bytes, *, name: str, path: str | None, charset: str | None) -> Document:
    """Refuse the format for now, in one line."""
    raise LoadError(f"{name}: DOCX files are not supported yet")
