"""EPUB books through ebooklib: each chapter of the spine a section, its HTML read as a web page is.

- The book's title (Dublin Core) is the title; its creators, date and publisher metadata.
- Chapters come in spine order (the reading order), the navigation document left out.
  Each opens a level-1 section titled by its table-of-contents entry, else its own first
  heading, else "Chapter N"; a heading that repeats that title is not shown twice, and
  the chapter's other headings are sections below it.
- A chapter's XHTML goes through the same extractor as a web page (`formats.html`).
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
from typing import TYPE_CHECKING

from tuireader.text.document import BlockKind, Document
from tuireader.text.formats import display_name
from tuireader.text.formats.archive import corrupt, open_zip
from tuireader.text.formats.html import html_blocks
from tuireader.text.loading import DecodedText, LoadError, count_bidi_controls, decode_text
from tuireader.text.markdown_blocks import MarkdownBlock

if TYPE_CHECKING:
    from ebooklib.epub import EpubBook

KIND = "EPUB book"
MAX_HEADING_LEVEL = 6


def read(data: bytes, *, name: str, path: str | None, charset: str | None) -> Document:
    """Read an EPUB book.

    Args:
        data: The file's bytes.
        name: Its file name, path or URL (for messages).
        path: The file it came from, if any.
        charset: Unused (each chapter says its own encoding).

    Raises:
        LoadError: It is encrypted, corrupt, a zip bomb, or holds no chapter.
    """
    archive = open_zip(data, name, KIND)
    names = set(archive.namelist())
    archive.close()
    from ebooklib import epub

    try:
        book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
        blocks = [*_front_matter(book), *_chapter_blocks(book, name)]
    except LoadError:
        raise
    except Exception as err:  # noqa: BLE001
        # ebooklib raises what its parsing meets (EpubException, KeyError for a missing
        # file, lxml's XMLSyntaxError, zipfile's bad CRC): a corrupt book, in one line.
        raise corrupt(name, KIND, err) from None
    if not any(block.kind is not BlockKind.TITLE for block in blocks):
        # Font obfuscation lives in encryption.xml too: it explains only an empty book.
        if "META-INF/encryption.xml" in names:
            raise LoadError(f"{name}: the chapters are encrypted (DRM); tuireader cannot read them")
        raise LoadError(f"{name}: no readable chapter in this {KIND}")
    text = "\n\n".join("\n".join(block.lines) for block in blocks)
    decoded = DecodedText(text, "utf-8", (), count_bidi_controls(text))
    from tuireader.text.structure import parse_blocks

    return parse_blocks(blocks, decoded, display_name(name), path)


def _front_matter(book: EpubBook) -> list[MarkdownBlock]:
    from tuireader.text.formats.html import clean_text

    def values(field: str) -> list[str]:
        found = [clean_text(str(value)) for value, _ in book.get_metadata("DC", field)]
        return [value for value in found if value]

    blocks = [MarkdownBlock(BlockKind.TITLE, 1, (title,)) for title in values("title")[:1]]
    dates = [value[:10] for value in values("date")[:1]]
    for line in [*values("creator"), *dates, *values("publisher")[:1]]:
        blocks.append(MarkdownBlock(BlockKind.METADATA, 0, (line,)))
    return blocks


def _chapter_blocks(book: EpubBook, name: str) -> list[MarkdownBlock]:
    from ebooklib import ITEM_DOCUMENT
    from ebooklib.epub import EpubNav

    titles = _toc_titles(book)
    blocks: list[MarkdownBlock] = []
    number = 0
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or isinstance(item, EpubNav) or item.get_type() != ITEM_DOCUMENT:
            continue
        try:
            decoded = decode_text(item.get_content(), f"{name}:{item.get_name()}")
        except LoadError:
            continue  # a chapter that is not text: the others still read
        chapter = [
            block
            for block in html_blocks(decoded.text, chapter=True)
            if block.kind is not BlockKind.TITLE
        ]
        if not chapter:
            continue
        number += 1
        blocks += _as_section(chapter, titles.get(posixpath.normpath(item.get_name())), number)
    return blocks


def _as_section(
    chapter: list[MarkdownBlock], title: str | None, number: int
) -> list[MarkdownBlock]:
    """A chapter under one level-1 heading, its own headings from level 2 down."""
    first = chapter[0]
    if first.kind is BlockKind.HEADING and (title is None or first.lines[0] == title):
        title = first.lines[0]
        chapter = chapter[1:]
    heading = MarkdownBlock(BlockKind.HEADING, 1, (title or f"Chapter {number}",))
    levels = [block.level for block in chapter if block.kind is BlockKind.HEADING]
    shift = 2 - min(levels) if levels else 0
    return [
        heading,
        *(
            dataclasses.replace(block, level=min(block.level + shift, MAX_HEADING_LEVEL))
            if block.kind is BlockKind.HEADING
            else block
            for block in chapter
        ),
    ]


def _toc_titles(book: EpubBook) -> dict[str, str]:
    """Table-of-contents titles by chapter file (the first entry pointing into each)."""
    from ebooklib.epub import EpubHtml, Link, Section

    from tuireader.text.formats.html import clean_text

    titles: dict[str, str] = {}
    pending: list[object] = list(book.toc)
    seen = 0
    while pending and seen < 100_000:
        seen += 1
        entry = pending.pop(0)
        if isinstance(entry, tuple | list):
            pending = list(entry) + pending
            continue
        if isinstance(entry, Link | Section):
            href, title = entry.href or "", entry.title or ""
        elif isinstance(entry, EpubHtml):
            href, title = entry.get_name(), entry.title or ""
        else:
            continue
        target = posixpath.normpath(href.split("#", 1)[0]) if href else ""
        clean = clean_text(title)
        if target and clean and target not in titles:
            titles[target] = clean
    return titles
