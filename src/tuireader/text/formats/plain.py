"""Plain text: decoding as `tuireader.text.loading` does, structure as `structure` finds it."""

from __future__ import annotations

from tuireader.text.document import Document
from tuireader.text.formats import display_name
from tuireader.text.loading import decode_text
from tuireader.text.structure import parse_plain


def read(data: bytes, *, name: str, path: str | None, charset: str | None) -> Document:
    """Read a plain-text article (see `tuireader.text.structure.parse_plain`).

    Args:
        data: Its bytes.
        name: Its file name, path or URL (for messages).
        path: The file it came from, if any.
        charset: The encoding an HTTP header declared, if any.

    Raises:
        LoadError: The bytes are binary or not text.
    """
    decoded = decode_text(data, name, encoding=charset)
    return parse_plain(decoded, display_name(name), path)
