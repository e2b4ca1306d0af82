"""Text to Document: paragraphs, title, metadata, sections and boilerplate.

Plain text rules (`parse_plain`):

- Blocks are separated by blank lines. Each line of a block is its own paragraph,
  unless the block looks hard-wrapped (see `_is_hard_wrapped`): then the block is
  one paragraph whose `text` has its line breaks replaced by spaces.
- The first paragraph is the title unless it is too long (`furniture.looks_like_title`).
  Up to `MAX_METADATA` short source, byline or date lines right under it are
  metadata.
- A short one-line block that does not end like a sentence or a clause is a
  level-1 heading, and opens a section that runs to the next one.
- Known web-page phrases ("اقرأ المزيد", "Read more", ...) at the end of the text,
  or alone anywhere, are boilerplate: neither a section nor a claim.

Markdown (`parse_markdown`) takes its structure from the Markdown itself; see
`tuireader.text.markdown_blocks`.
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len

from tuireader.text import furniture
from tuireader.text.direction import first_strong_direction, paragraph_direction
from tuireader.text.document import BlockKind, Direction, Document, Paragraph, Section
from tuireader.text.hidden import find_hidden, hidden_notice
from tuireader.text.loading import (
    DecodedText,
    LoadError,
    count_bidi_controls,
    decode_text,
    read_bytes,
)
from tuireader.text.snapshots import read_page_source

if TYPE_CHECKING:
    from tuireader.text.markdown_blocks import MarkdownBlock

__all__ = [
    "load_document",
    "paragraph_direction",
    "parse_lines",
    "parse_markdown",
    "parse_plain",
]

MAX_METADATA = 4
"""At most this many metadata lines under the title."""
HARD_WRAP_MIN_CELLS = 60
HARD_WRAP_MAX_CELLS = 100
"""A block is hard-wrapped when its longest line is between these widths ..."""
HARD_WRAP_MIN_SHARE = 0.5
"""... and every line but the last is at least this share of the longest."""
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_BLANK_LINE_RX = re.compile(rb"\n[ \t\r]*\n")
MAX_PARAGRAPH = 16_384
"""Longer paragraphs are cut at spaces into several (see `_split_long`)."""

# A block: maximal run of lines that hold a non-space character. Anchored at line
# starts so that a long whitespace-only line is scanned once, not once per position.
_BLOCK_RE = re.compile(r"^[^\S\n]*\S.*(?:\n[^\S\n]*\S.*)*", re.MULTILINE)
_LINE_RE = re.compile(r"\S.*")
# Kinds that may turn out to be trailing boilerplate ("## Share" ends Markdown too).
_TRAILING_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.HEADING})


class _Piece(NamedTuple):
    """A paragraph found in the text, before the article's furniture is recognised.

    A NamedTuple rather than a frozen dataclass: a long article makes tens of
    thousands of them, and a tuple is built several times faster.
    """

    start: int
    end: int
    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    alone: bool = False
    """It is a whole block by itself: a blank line (or the text's edge) on each side."""
    joined: bool = False
    """It was joined from the lines of a hard-wrapped block."""


_Roles = dict[int, tuple[BlockKind, int]]
"""What furniture recognition found: piece index → (kind, level), for the few
pieces whose kind is not the one they were found with."""


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read a file and parse it in its format (see `tuireader.text.formats`).

    Args:
        path: The file to open.

    Returns:
        The document.

    Raises:
        LoadError: The file is missing, unreadable, binary or not text.
    """
    # Imported here: the formats package imports this module (for parse_plain).
    from tuireader.text.formats import read_document

    shown = os.fspath(path)
    source = read_page_source(path)
    if source is None:
        return read_document(read_bytes(path), name=shown, path=shown)
    document = read_document(
        read_bytes(path), name=source.url, content_type=source.content_type, path=shown
    )
    return dataclasses.replace(document, url=source.url, fetched=source.fetched)


PREVIEW_BYTES = 64 * 1024
"""How much of a long plain-text file `load_document_start` reads: several screens
(160x50 of Arabic is ~16 KB), parsed in ~2 ms where 256 KiB took ~7."""


def load_document_start(path: str | os.PathLike[str], limit: int = PREVIEW_BYTES) -> Document:
    """The beginning of a long plain-text file, to show before the whole is read.

    Reading and parsing 18 MB takes about half a second; a first screen needs the first
    few kilobytes. The start is cut at the last blank line (a block boundary), so its
    paragraphs, their offsets and the structure found in them are those of the whole
    document. Markdown, UTF-16/32 and short files are read whole.

    Returns:
        The document, `complete=False` when it is only the start.

    Raises:
        LoadError: As `load_document`, for what the start shows (a binary file, say).
    """
    shown = os.fspath(path)
    if not _is_plain_text(b"", shown) or read_page_source(path) is not None:
        return load_document(path)
    data = read_bytes(path, limit)
    # The last blank line (`load_document_end` takes its first one: CRLF too).
    blanks = list(_BLANK_LINE_RX.finditer(data, 0, limit))
    if (
        len(data) <= limit
        or not blanks
        or data.startswith(_WIDE_BOMS)
        or not _is_plain_text(data, shown)
    ):
        return load_document(path)
    decoded = decode_text(data[: blanks[-1].start() + 1], shown)
    document = parse_plain(decoded, os.path.basename(shown) or shown, shown)
    return dataclasses.replace(document, complete=False)


def _is_plain_text(data: bytes, name: str) -> bool:
    """True for a file read as plain text: only plain text has a preview of its start."""
    from tuireader.text.formats import Format, detect_format

    return detect_format(data, name) is Format.PLAIN


def load_document_end(path: str | os.PathLike[str], limit: int = PREVIEW_BYTES) -> Document:
    """The end of a long UTF-8 plain-text file, to show on `G` before the whole is read.

    The last `limit` bytes are cut after their first blank line, so the text is a suffix
    of the whole document's text (decoding, newlines, NFC and tabs all work line by
    line); the structure found in it may differ at its top (its first block may pass for
    a title).

    Raises:
        LoadError: The end is not valid UTF-8 text, or holds no blank line.
    """
    shown = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - limit))
            data = handle.read(limit)
    except OSError as err:
        raise LoadError(f"{shown}: {err.strerror or err}") from err
    blank = _BLANK_LINE_RX.search(data)
    if blank is None:
        raise LoadError(f"{shown}: no blank line near the end")
    tail = data[blank.end() :]
    try:
        tail.decode("utf-8")
    except UnicodeDecodeError as err:
        raise LoadError(f"{shown}: the end is not UTF-8") from err
    decoded = decode_text(tail, shown)
    document = parse_plain(decoded, os.path.basename(shown) or shown, shown)
    return dataclasses.replace(document, complete=False, is_end=True)


def parse_plain(decoded: DecodedText, name: str, path: str | None = None) -> Document:
    """Find the paragraphs and structure of a plain-text article (see the module doc).

    Args:
        decoded: The sanitised text; `Document.text` is this text itself.
        name: What to call the document.
        path: The file it came from, if any.

    Returns:
        The document.
    """
    pieces = _plain_pieces(decoded.text, decoded.line_breaks)
    return _finish(decoded, decoded.text, pieces, _plain_roles(pieces), name, path)


def parse_lines(decoded: DecodedText, name: str) -> Document:
    """Make every non-empty line a paragraph, with no title, sections or metadata.

    Args:
        decoded: The sanitised text.
        name: What to call the document, e.g. "<stdin>".

    Returns:
        The document.
    """
    pieces = []
    for match in _LINE_RE.finditer(decoded.text):
        start = match.start()
        line = match.group().rstrip()
        pieces.append(_Piece(start, start + len(line), line))
    return _finish(decoded, decoded.text, pieces, {}, name, None)


def parse_markdown(decoded: DecodedText, name: str, path: str | None = None) -> Document:
    """Find the paragraphs and structure of a Markdown article.

    `Document.text` is built from the blocks' text joined by blank lines (so
    offsets point into it, not into the Markdown source). The first block, when it
    is a level-1 heading, is the title; other headings are sections of their level.

    Args:
        decoded: The sanitised Markdown source.
        name: What to call the document.
        path: The file it came from, if any.

    Returns:
        The document.
    """
    # Imported here: markdown-it costs start-up time that plain text never needs.
    from tuireader.text.markdown_blocks import markdown_blocks

    found: list[str] = []
    blocks = markdown_blocks(decoded.text, found)
    if found:
        # Nothing the source holds disappears without the status bar saying so.
        decoded = decoded._replace(notices=(*decoded.notices, *found))
    return parse_blocks(blocks, decoded, name, path)


def parse_blocks(
    blocks: list[MarkdownBlock], decoded: DecodedText, name: str, path: str | None = None
) -> Document:
    """Build a Document from blocks of text that a format reader found (Markdown, HTML,
    DOCX, EPUB).

    `Document.text` is the blocks' text joined by blank lines. A first TITLE block is
    the title; the METADATA blocks after it are metadata; headings open sections of
    their level; trailing boilerplate is recognised as in plain text.

    Args:
        blocks: The blocks, their text already sanitised.
        decoded: The decoded source: its encoding and notices are kept, its bidi
            control and hidden-character counts are made again for the blocks' text.
        name: What to call the document.
        path: The file it came from, if any.

    Returns:
        The document.
    """
    text, pieces = _markdown_pieces(blocks)
    controls = count_bidi_controls(text)
    hidden = find_hidden(text)
    if controls != decoded.bidi_controls or hidden != decoded.hidden:
        # Entities such as &#x202E; or &#xE006E; add invisible characters that the
        # source did not show (and markup can take some away).
        old_notice = hidden_notice(decoded.hidden)
        notices = [notice for notice in decoded.notices if notice != old_notice]
        new_notice = hidden_notice(hidden)
        if new_notice:
            notices.append(new_notice)
        decoded = DecodedText(decoded.text, decoded.encoding, tuple(notices), controls, hidden)
    return _finish(decoded, text, pieces, _markdown_roles(pieces), name, path)


def _markdown_pieces(blocks: list[MarkdownBlock]) -> tuple[str, list[_Piece]]:
    """Build the document text from Markdown blocks (joined by blank lines) and its pieces."""
    chunks: list[str] = []
    pieces: list[_Piece] = []
    offset = 0
    for block in blocks:
        if chunks:
            chunks.append("\n\n")
            offset += 2
        code = block.kind is BlockKind.CODE
        for line in block.lines:
            # Code keeps its indentation; elsewhere edge spaces mean nothing.
            shown = line.rstrip() if code else line.strip()
            if shown:
                start = offset if code else offset + len(line) - len(line.lstrip())
                text = shown.replace("\n", " ")
                pieces.append(_Piece(start, start + len(shown), text, block.kind, block.level))
            offset += len(line) + 1
        chunks.append("\n".join(block.lines))
        offset -= 1  # no line break after a block's last line
    return "".join(chunks), pieces


def _plain_pieces(text: str, line_breaks: tuple[int, ...] = ()) -> list[_Piece]:
    """Split plain text into blocks, then into one paragraph per line or per block.

    `line_breaks` are offsets of newlines inside a line (a lone CR: see
    `DecodedText.line_breaks`): the lines they part are one line here.
    """
    pieces: list[_Piece] = []
    breaks = frozenset(line_breaks)
    for match in _BLOCK_RE.finditer(text):
        block = match.group()
        start = match.start()
        lines = block.split("\n") if "\n" in block else [block]
        if breaks and len(lines) > 1:
            lines = _join_line_breaks(lines, start, breaks)
        if len(lines) == 1:
            # The regex leaves at most leading and trailing spaces to trim.
            line = block.strip() if block[0].isspace() or block[-1].isspace() else block
            begin = start + block.find(line[0])
            shown = line.replace("\n", " ") if breaks else line
            pieces.append(_Piece(begin, begin + len(line), shown, alone=True))
            continue
        stripped = [line.strip() for line in lines]
        if not (not pieces and _opens_with_title_and_metadata(stripped)) and _is_hard_wrapped(
            stripped
        ):
            begin = start + len(lines[0]) - len(lines[0].lstrip())
            end = match.end() - (len(lines[-1]) - len(lines[-1].rstrip()))
            pieces.append(_Piece(begin, end, text[begin:end].replace("\n", " "), joined=True))
            continue
        offset = start
        for line, line_text in zip(lines, stripped, strict=True):
            begin = offset + len(line) - len(line.lstrip())
            shown = line_text.replace("\n", " ") if breaks else line_text
            pieces.append(_Piece(begin, begin + len(line_text), shown))
            offset += len(line) + 1
    return pieces


def _join_line_breaks(lines: list[str], start: int, breaks: frozenset[int]) -> list[str]:
    """The lines of a block starting at `start`, those parted by a line break inside
    a line (a lone CR) joined again, with their "\n" (offsets stay the same)."""
    joined: list[str] = []
    offset = start
    glue = False
    for line in lines:
        if glue:
            joined[-1] += "\n" + line
        else:
            joined.append(line)
        offset += len(line)
        glue = offset in breaks
        offset += 1
    return joined


def _opens_with_title_and_metadata(lines: list[str]) -> bool:
    """True when a text's first block is a headline over source, byline or date lines.

    Such a block can have the widths of a hard-wrapped paragraph (a 70-cell headline
    over a 60-cell source line); joined, the headline would be no title and the byline
    a claim.
    """
    return (
        len(lines) > 1
        and furniture.looks_like_title(lines[0])
        and furniture.final_mark(lines[0]) not in furniture.SENTENCE_END
        and furniture.looks_like_metadata(lines[1])
    )


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when a block's lines look like one paragraph wrapped at a fixed width.

    That is: its longest line is 60-100 cells wide, every line but the last is at
    least half as wide, and no line after the first starts like a list item.
    """
    longest_chars = max(map(len, lines))
    if not HARD_WRAP_MIN_CELLS // 2 <= longest_chars <= 2 * HARD_WRAP_MAX_CELLS:
        # Rejected before measuring cells: a character takes 0 to 2 cells, and
        # text with more marks than letters does not occur.
        return False
    if any(furniture.starts_like_list_item(line) for line in lines[1:]):
        return False
    widths = [cell_len(line) for line in lines]
    longest = max(widths)
    if not HARD_WRAP_MIN_CELLS <= longest <= HARD_WRAP_MAX_CELLS:
        return False
    return min(widths[:-1]) >= longest * HARD_WRAP_MIN_SHARE


def _plain_roles(pieces: list[_Piece]) -> _Roles:
    """Find the title, metadata, headings and boilerplate among plain paragraphs."""
    roles: _Roles = {}
    body_start = 0
    if pieces and not pieces[0].joined and furniture.looks_like_title(pieces[0].text):
        roles[0] = (BlockKind.TITLE, 1)
        body_start = _metadata_roles(pieces, roles)
    body_end = _trailing_boilerplate_roles(pieces, body_start, roles)
    for index in range(body_start, body_end):
        piece = pieces[index]
        # Most paragraphs are long: rule them out before calling the judgements.
        if not piece.alone or len(piece.text) > furniture.MAX_BOILERPLATE_CHARS:
            continue
        if furniture.is_boilerplate(piece.text, trailing=False):
            roles[index] = (BlockKind.BOILERPLATE, 0)
        elif index + 1 < body_end and furniture.looks_like_heading(piece.text):
            # A heading heads something: the last line of the text is not one.
            roles[index] = (BlockKind.HEADING, 1)
    return roles


def _markdown_roles(pieces: list[_Piece]) -> _Roles:
    """Find the title's metadata and the trailing boilerplate among Markdown blocks."""
    roles: _Roles = {}
    body_start = 0
    if pieces and pieces[0].kind is BlockKind.TITLE:
        body_start = _metadata_roles(pieces, roles)
    _trailing_boilerplate_roles(pieces, body_start, roles)
    return roles


def _metadata_roles(pieces: list[_Piece], roles: _Roles) -> int:
    """Mark the metadata lines right under the title (piece 0); return where the body starts."""
    index = 1
    while (
        index < len(pieces)
        and index <= MAX_METADATA
        and pieces[index].kind is BlockKind.PARAGRAPH
        and not pieces[index].joined
        and furniture.looks_like_metadata(pieces[index].text)
    ):
        roles[index] = (BlockKind.METADATA, 0)
        index += 1
    return index


def _trailing_boilerplate_roles(pieces: list[_Piece], body_start: int, roles: _Roles) -> int:
    """Mark the boilerplate paragraphs at the end; return where the body ends."""
    end = len(pieces)
    while (
        end > body_start
        and pieces[end - 1].kind in _TRAILING_KINDS
        and furniture.is_boilerplate(pieces[end - 1].text, trailing=True)
    ):
        end -= 1
        roles[end] = (BlockKind.BOILERPLATE, pieces[end].level)
    return end


def _finish(
    decoded: DecodedText,
    text: str,
    pieces: list[_Piece],
    roles: _Roles,
    name: str,
    path: str | None,
) -> Document:
    """Give each piece its role and direction, collect the outline, build the Document."""
    placed = [
        piece._replace(kind=roles[index][0], level=roles[index][1]) if index in roles else piece
        for index, piece in enumerate(pieces)
    ]
    if any(len(piece.text) > MAX_PARAGRAPH for piece in placed):
        placed = [part for piece in placed for part in _split_long(piece)]
    own = [first_strong_direction(piece.text) for piece in placed]
    document_direction = next((found for found in own if found is not None), Direction.LTR)
    paragraphs = tuple(
        Paragraph(
            index=index,
            kind=piece.kind,
            start=piece.start,
            end=piece.end,
            text=piece.text,
            direction=found if found is not None else document_direction,
            level=piece.level,
        )
        for index, (piece, found) in enumerate(zip(placed, own, strict=True))
    )
    title = next((p.text for p in paragraphs if p.kind is BlockKind.TITLE), None)
    metadata = tuple(p.text for p in paragraphs if p.kind is BlockKind.METADATA)
    return Document(
        name=name,
        text=text,
        paragraphs=paragraphs,
        sections=_sections(paragraphs, len(text)),
        title=title,
        metadata=metadata,
        direction=document_direction,
        encoding=decoded.encoding,
        notices=decoded.notices,
        bidi_controls=decoded.bidi_controls,
        hidden=decoded.hidden,
        path=path,
    )


def _split_long(piece: _Piece) -> list[_Piece]:
    """Cut a paragraph longer than MAX_PARAGRAPH at spaces into paragraphs of its kind.

    A paragraph is the unit of layout: one of several megabytes (a whole file on one
    line) would cost seconds to show a single screen of it. The cost is that bidi
    levels no longer flow across a cut, which only a pathological paragraph meets.
    """
    if len(piece.text) <= MAX_PARAGRAPH:
        return [piece]
    parts = []
    text = piece.text
    first = 0
    while len(text) - first > MAX_PARAGRAPH:
        cut = text.rfind(" ", first + MAX_PARAGRAPH // 2, first + MAX_PARAGRAPH)
        cut = first + MAX_PARAGRAPH if cut < 0 else cut + 1
        shown = text[first:cut].rstrip()
        start = piece.start + first
        parts.append(piece._replace(start=start, end=start + len(shown), text=shown))
        first = cut
        while first < len(text) and text[first].isspace():
            first += 1
    parts.append(piece._replace(start=piece.start + first, text=text[first:]))
    return parts


def _sections(paragraphs: tuple[Paragraph, ...], text_length: int) -> tuple[Section, ...]:
    """One section per heading, ending where a heading of the same or a higher level starts."""
    headings = [p for p in paragraphs if p.kind is BlockKind.HEADING]
    ends = [text_length] * len(headings)
    open_sections: list[int] = []  # indexes into headings, levels increasing
    for index, heading in enumerate(headings):
        while open_sections and headings[open_sections[-1]].level >= heading.level:
            ends[open_sections.pop()] = heading.start
        open_sections.append(index)
    return tuple(
        Section(title=h.text, level=h.level, paragraph=h.index, start=h.start, end=end)
        for h, end in zip(headings, ends, strict=True)
    )
