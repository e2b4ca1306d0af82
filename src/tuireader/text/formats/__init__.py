"""One entry from bytes to a `Document`, whatever the format: `read_document`.

The format is chosen by the HTTP Content-Type when there is one, then by the name's
extension, then by sniffing the bytes (HTML and zip containers announce themselves).
Each format lives in its own module here and imports its library only when a document
of that format is read: a plain-text start pays for no HTML parser.
"""

from __future__ import annotations

import importlib
import os
import re
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from tuireader.text.document import Document

__all__ = [
    "MEDIA_TYPES",
    "Format",
    "MediaType",
    "detect_format",
    "parse_content_type",
    "read_document",
]


class Format(StrEnum):
    """The document formats tuireader reads; the value names the module here."""

    PLAIN = "plain"
    MARKDOWN = "markdown"
    HTML = "html"
    DOCX = "docx"
    EPUB = "epub"


class MediaType(NamedTuple):
    """A Content-Type header value, split."""

    essence: str
    """The type and subtype, lower case: "text/html"."""
    charset: str | None
    """The charset parameter, lower case, when there is one."""


class _Reader(Protocol):
    def __call__(
        self, data: bytes, *, name: str, path: str | None, charset: str | None
    ) -> Document: ...


MEDIA_TYPES = {
    "text/plain": Format.PLAIN,
    "text/markdown": Format.MARKDOWN,
    "text/x-markdown": Format.MARKDOWN,
    "text/html": Format.HTML,
    "application/xhtml+xml": Format.HTML,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Format.DOCX,
    "application/epub+zip": Format.EPUB,
}
_EXTENSIONS = {
    ".txt": Format.PLAIN,
    ".text": Format.PLAIN,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".docx": Format.DOCX,
    ".epub": Format.EPUB,
}
SUFFIXES = tuple(_EXTENSIONS)
"""The file name endings tuireader knows (a library scans folders for them)."""

_SNIFF_BYTES = 1024
# The WHATWG sniffing patterns that matter for an article: a tag that only HTML opens
# with, after optional whitespace and a byte order mark.
# Compiled by re's cache on the first file that needs sniffing, not at import: a .txt or
# .md file is read by its name.
_HTML_START = (
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|"
    rb"title|meta|script|style|p|div|article|h1|table|a|br|iframe|font|b)[\s>/]"
)
# Markdown has no magic; what shows it beyond doubt is a first line that is a heading:
# ATX ("# Title", "## Section") or setext (a line underlined with = or -). A plain
# article starts with its title line and a blank line, never with those.
_MARKDOWN_START = (
    rb"\A(?:\xef\xbb\xbf)?\s*(?:#{1,6}[ \t]+\S|[^\r\n]*\S[^\r\n]*\r?\n(?:=+|-+)[ \t]*\r?\n)"
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def parse_content_type(value: str | None) -> MediaType | None:
    """Split a Content-Type header value ("text/html; charset=windows-1256").

    Returns:
        Its type and charset, or None for no value or one without a "/".
    """
    if not value:
        return None
    essence, _, params = value.partition(";")
    essence = essence.strip().lower()
    if "/" not in essence:
        return None
    charset = None
    for param in params.split(";"):
        key, _, raw = param.partition("=")
        if key.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").strip().lower() or None
    return MediaType(essence, charset)


def detect_format(data: bytes, name: str, content_type: str | None = None) -> Format:
    """Which format a document is in: Content-Type, then extension, then the bytes.

    Args:
        data: The document's bytes (only the first kilobytes are looked at).
        name: Its file name, path or URL.
        content_type: The HTTP Content-Type, if it came over HTTP.

    Returns:
        The format; plain text when nothing says otherwise.
    """
    media = parse_content_type(content_type)
    if media is not None and media.essence in MEDIA_TYPES:
        declared = MEDIA_TYPES[media.essence]
        # Servers send text/plain for Markdown files; the name is more precise there.
        if declared is not Format.PLAIN or _extension_format(name) is not Format.MARKDOWN:
            return declared
    by_name = _extension_format(name)
    if by_name is not None:
        return by_name
    return _sniff(data)


def read_document(
    data: bytes,
    *,
    name: str,
    content_type: str | None = None,
    path: str | None = None,
) -> Document:
    """Turn a document's bytes into a `Document`, whatever its format.

    Args:
        data: The bytes, e.g. a file's, standard input's, or an HTTP body.
        name: A file name, path or URL: its extension helps to tell the format, and
            errors name it. "<stdin>" for standard input.
        content_type: The HTTP Content-Type header value, charset included, if any:
            it decides the format and the encoding before anything else.
        path: The file the bytes were read from, if any (where the notes go beside).

    Returns:
        The document. Its `name` is the base name of a path, or the URL.

    Raises:
        LoadError: The bytes are not a readable document of the format (one line).
    """
    media = parse_content_type(content_type)
    found = detect_format(data, name, content_type)
    module = importlib.import_module(f"tuireader.text.formats.{found.value}")
    reader: _Reader = module.read
    return reader(
        data,
        name=name,
        path=path,
        charset=media.charset if media is not None else None,
    )


def display_name(name: str) -> str:
    """What to call a document: a URL whole, a path by its base name."""
    if "://" in name or name.startswith("<"):
        return name
    return os.path.basename(name) or name


def _extension_format(name: str) -> Format | None:
    target = urlsplit(name).path if "://" in name else name
    _, extension = os.path.splitext(target.lower())
    return _EXTENSIONS.get(extension)


def _sniff(data: bytes) -> Format:
    head = data[:_SNIFF_BYTES]
    if head.startswith(_ZIP_MAGIC):
        # EPUB puts an uncompressed "mimetype" file first (OCF 3.0 §4.3).
        if b"mimetypeapplication/epub+zip" in head:
            return Format.EPUB
        if b"word/" in data[:65536] or b"[Content_Types].xml" in head:
            return Format.DOCX
    if head.startswith(_OLE_MAGIC):
        # An encrypted .docx is an OLE file: the DOCX reader says so in one line.
        return Format.DOCX
    if re.match(_HTML_START, head, re.IGNORECASE | re.DOTALL):
        return Format.HTML
    if re.match(_MARKDOWN_START, head):
        return Format.MARKDOWN
    return Format.PLAIN
