"""Word documents (.docx) through python-docx: styles give the structure, w:bidi the direction.

- The first paragraph styled Title is the title, else the first Heading 1 when it comes
  before any other heading (it moves to the top when body text precedes it, a cover
  line, say). The author and creation date of the document's properties are metadata.
- "Heading N" paragraphs are headings of level N (re-levelled so the highest is 1);
  list paragraphs (a "List…" style or numbering) list items at their numbering level;
  "Quote" and "Intense Quote" quotes; tables one row per line.
- A paragraph marked right-to-left (`w:bidi`, on itself or its style) keeps that
  direction even when it starts with a Latin word or a number, as Word shows it.
"""

from __future__ import annotations

import dataclasses
import io
from typing import TYPE_CHECKING, NamedTuple

from tuireader.text.document import BlockKind, Direction, Document
from tuireader.text.formats import display_name
from tuireader.text.formats.archive import corrupt, open_zip
from tuireader.text.loading import DecodedText, count_bidi_controls, sanitize_text
from tuireader.text.markdown_blocks import TABLE_CELL_SEPARATOR, MarkdownBlock

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.text.parfmt import CT_PPr
    from docx.styles.style import BaseStyle
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

KIND = "Word document (.docx)"
_QUOTE_STYLES = frozenset({"quote", "intense quote"})
_OFF = frozenset({"0", "false", "off"})
_DEFAULT_AUTHOR = "python-docx"
"""The author python-docx's own template declares: not a person."""


class _Block(NamedTuple):
    block: MarkdownBlock
    rtl: bool


def read(data: bytes, *, name: str, path: str | None, charset: str | None) -> Document:
    """Read a Word document.

    Args:
        data: The file's bytes.
        name: Its file name, path or URL (for messages).
        path: The file it came from, if any.
        charset: Unused (a .docx says its own encoding).

    Raises:
        LoadError: It is password-protected, an old .doc, corrupt or a zip bomb.
    """
    open_zip(data, name, KIND).close()
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(io.BytesIO(data))
        blocks = _body_blocks(word)
        title, metadata = _properties(word)
    except PackageNotFoundError as err:
        raise corrupt(name, KIND, err) from None
    except Exception as err:  # noqa: BLE001
        # Whatever a malformed part makes python-docx raise (lxml's XMLSyntaxError, a
        # KeyError for a missing part, zipfile's bad CRC for a member that inflates
        # past its declared size) is a corrupt file to the user, said in one line.
        raise corrupt(name, KIND, err) from None
    blocks = _with_title_first(blocks, title, metadata)
    text = "\n\n".join("\n".join(b.block.lines) for b in blocks)
    decoded = DecodedText(text, "utf-8", (), count_bidi_controls(text))
    from tuireader.text.structure import parse_blocks

    document = parse_blocks([b.block for b in blocks], decoded, display_name(name), path)
    return _keep_rtl(document, blocks)


def _body_blocks(word: WordDocument) -> list[_Block]:
    from docx.table import Table

    blocks: list[_Block] = []
    for item in word.iter_inner_content():
        if isinstance(item, Table):
            rows = _table_rows(item)
            if rows:
                blocks.append(_Block(MarkdownBlock(BlockKind.TABLE, 0, tuple(rows)), False))
            continue
        text = _clean(item.text)
        if text:
            kind, level = _kind(item)
            blocks.append(_Block(MarkdownBlock(kind, level, (text,)), _is_rtl(item)))
    return blocks


def _properties(word: WordDocument) -> tuple[str | None, list[str]]:
    """The title, and the author and creation date, of the document's properties."""
    properties = word.core_properties
    metadata = []
    author = _clean(properties.author or "")
    if author and author != _DEFAULT_AUTHOR:
        metadata.append(author)
        if properties.created is not None:
            metadata.append(properties.created.date().isoformat())
    return _clean(properties.title or "") or None, metadata


def _with_title_first(
    blocks: list[_Block], properties_title: str | None, metadata: list[str]
) -> list[_Block]:
    """The title block first (from the body, else the properties), metadata after it."""
    title_index = next((i for i, b in enumerate(blocks) if b.block.kind is BlockKind.TITLE), None)
    if title_index is None:
        first_heading = next(
            (i for i, b in enumerate(blocks) if b.block.kind is BlockKind.HEADING), None
        )
        if first_heading is not None and blocks[first_heading].block.level == 1:
            title_index = first_heading
    head: list[_Block] = []
    if title_index is not None:
        found = blocks.pop(title_index)
        head.append(_Block(MarkdownBlock(BlockKind.TITLE, 1, found.block.lines), found.rtl))
    elif properties_title:
        head.append(_Block(MarkdownBlock(BlockKind.TITLE, 1, (properties_title,)), False))
    head += [_Block(MarkdownBlock(BlockKind.METADATA, 0, (line,)), False) for line in metadata]
    # A second Title paragraph is a heading like any other.
    body = [
        b._replace(block=MarkdownBlock(BlockKind.HEADING, 1, b.block.lines))
        if b.block.kind is BlockKind.TITLE
        else b
        for b in blocks
    ]
    return head + _relevel(body)


def _relevel(blocks: list[_Block]) -> list[_Block]:
    levels = [b.block.level for b in blocks if b.block.kind is BlockKind.HEADING]
    shift = min(levels) - 1 if levels else 0
    if shift <= 0:
        return blocks
    return [
        b._replace(block=dataclasses.replace(b.block, level=b.block.level - shift))
        if b.block.kind is BlockKind.HEADING
        else b
        for b in blocks
    ]


def _kind(paragraph: DocxParagraph) -> tuple[BlockKind, int]:
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    lowered = style.lower()
    if lowered == "title":
        return BlockKind.TITLE, 1
    if lowered.startswith("heading "):
        suffix = lowered.removeprefix("heading ")
        if suffix.isdigit():
            return BlockKind.HEADING, max(1, min(int(suffix), 6))
    if lowered in _QUOTE_STYLES:
        return BlockKind.QUOTE, 1
    from docx.oxml.ns import qn

    p_pr = paragraph._p.pPr
    numbering = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if lowered.startswith("list") or numbering is not None:
        ilvl = numbering.find(qn("w:ilvl")) if numbering is not None else None
        raw = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
        level = int(raw) if raw.isdigit() else 0
        return BlockKind.LIST_ITEM, min(level + 1, 8)
    return BlockKind.PARAGRAPH, 0


def _is_rtl(paragraph: DocxParagraph) -> bool:
    """True when the paragraph, or the first style up its chain that says, is w:bidi."""
    found = _bidi_value(paragraph._p.pPr)
    style: BaseStyle | None = paragraph.style
    seen = 0
    while found is None and style is not None and seen < 20:
        found = _bidi_value(style.element.pPr)
        style = getattr(style, "base_style", None)
        seen += 1
    return bool(found)


def _bidi_value(p_pr: CT_PPr | None) -> bool | None:
    """python-docx has no API for w:bidi: read the element (pinned by the DOCX tests)."""
    if p_pr is None:
        return None
    from docx.oxml.ns import qn

    bidi = p_pr.find(qn("w:bidi"))
    if bidi is None:
        return None
    value = bidi.get(qn("w:val"))
    return value is None or value.lower() not in _OFF


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells = [" ".join(_clean(cell.text).split("\n")) for cell in row.cells]
        # A merged cell repeats in each grid column it spans: show it once.
        unique = [cell for i, cell in enumerate(cells) if i == 0 or cell != cells[i - 1]]
        if any(unique):
            rows.append(TABLE_CELL_SEPARATOR.join(unique))
    return rows


def _clean(text: str) -> str:
    """Sanitised text, each line's edge spaces trimmed, empty lines dropped."""
    clean = sanitize_text(text)[0]
    return "\n".join(line.strip() for line in clean.split("\n") if line.strip())


def _keep_rtl(document: Document, blocks: list[_Block]) -> Document:
    """Give the paragraphs of w:bidi blocks the RTL direction Word shows them in."""
    spans = []
    offset = 0
    for block in blocks:
        length = len("\n".join(block.block.lines))
        if block.rtl:
            spans.append((offset, offset + length))
        offset += length + 2
    if not spans:
        return document
    paragraphs = list(document.paragraphs)
    span = 0
    for index, paragraph in enumerate(paragraphs):
        while span < len(spans) and spans[span][1] < paragraph.start:
            span += 1
        if span == len(spans):
            break
        start, end = spans[span]
        if start <= paragraph.start <= end and paragraph.direction is not Direction.RTL:
            paragraphs[index] = paragraph._replace(direction=Direction.RTL)
    direction = document.direction
    if paragraphs and blocks and blocks[0].rtl:
        direction = Direction.RTL
    return dataclasses.replace(document, paragraphs=tuple(paragraphs), direction=direction)
