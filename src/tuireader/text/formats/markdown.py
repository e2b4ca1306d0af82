"""Markdown: decoded as plain text is, structured by `tuireader.text.markdown_blocks`."""

from __future__ import annotations

from tuireader.text.document import Document
from tuireader.text.formats import display_name
from tuireader.text.loading import decode_text
from tuireader.text.structure import parse_markdown


def read(data: bytes, *, name: str, path: str | None, charset: str | None) -> Document:
    """Read a Markdown article (see `tuireader.text.structure.parse_markdown`).

    Args:
        data: Its bytes.
        name: Its file name, path or URL (for messages).
        path: The file it came from, if any.
        charset: The encoding an HTTP header declared, if any.

    Raises:
        LoadError: The bytes are binary or not text.
    """
    decoded = decode_text(data, name, encoding=charset)
    return parse_markdown(decoded, display_name(name), path)
