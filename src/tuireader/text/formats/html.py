"""Web pages: the article extracted by trafilatura, as blocks of a Document.

trafilatura (chosen over readability-lxml: see the README's "Formats" and
benchmarks/html_extractors.py) drops navigation, ads, comments, share buttons and
"read more" links, and gives the page's title, author, date and site name. Its
result is a small XML tree (`head`, `p`, `list/item`, `quote`, `table/row/cell`,
`code`), which becomes blocks: headings open sections, list items, quotes and table
rows keep their kind.

The encoding: a byte order mark, else valid UTF-8, else the charset of the HTTP
header, else the page's `<meta charset>`, else detection as for plain text. The text
is sanitised before lxml sees it and again after (an entity such as `&#x1b;` is a
control character that no source byte showed).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import TYPE_CHECKING

from tuireader.text.document import BlockKind, Direction, Document
from tuireader.text.formats import display_name
from tuireader.text.loading import DecodedText, LoadError, decode_text, sanitize_text
from tuireader.text.markdown_blocks import TABLE_CELL_SEPARATOR, MarkdownBlock

if TYPE_CHECKING:
    from configparser import ConfigParser

    from lxml.etree import _Element
    from lxml.html import HtmlElement

__all__ = ["MAX_HTML_BYTES", "html_blocks", "read", "read_html_text"]

MAX_HTML_BYTES = 64 * 1024 * 1024
"""A web page larger than this is refused: trafilatura would take minutes on it, and
an article is never that large (saved pages with inline images reach a few MB)."""
MAX_LIST_DEPTH = 8
"""Lists nested deeper are shown at this depth (the text is kept)."""

_META_CHARSET_RE = re.compile(
    rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE
)
_XML_DECLARATION_RE = re.compile(r"\A\s*<\?xml[^>]*\?>")
_SPACE_RE = re.compile(r"\s+")
_RTL_PAGE_RE = re.compile(r"<(?:html|body)\b[^>]{0,512}?\bdir\s*=\s*[\"']?rtl\b", re.IGNORECASE)
_RTL_LETTER_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
"""Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms."""
_BOILERPLATE_NAMES = ("advert", "sponsor", "promo", "newsletter", "subscribe")
_PRUNE_XPATH = [
    f"//*[not(self::html or self::body or self::main or self::article)]"
    f"[contains(@class, '{token}') or contains(@id, '{token}')]"
    for token in _BOILERPLATE_NAMES
]
"""Containers the extractor keeps but an article never holds: trafilatura drops most
ads by their class names ("ad", "ads"), not "advert inline" or "subscribe" boxes seen on
Arabic news sites and blogs (the pages of benchmarks/html_extractors.py)."""
_HEADING_RE = re.compile(r"h([1-6])")


def read(data: bytes, *, name: str, path: str | None, charset: str | None) -> Document:
    """Read a web page: its article, title and metadata.

    Args:
        data: The page's bytes.
        name: Its file name, path or URL (for messages, and for the extractor).
        path: The file it came from, if any.
        charset: The charset an HTTP header declared, if any.

    Raises:
        LoadError: The page is too large, binary or not text.
    """
    if len(data) > MAX_HTML_BYTES:
        raise LoadError(f"{name}: web page too large (over {MAX_HTML_BYTES // 2**20} MiB)")
    decoded = decode_text(data, name, encoding=charset or meta_charset(data))
    url = name if "://" in name else None
    return read_html_text(decoded, display_name(name), path, url=url)


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in a `<meta>` tag within its first kilobytes."""
    # The HTML standard's prescan looks at the first 1024 bytes; pages put a long
    # <head> (scripts, styles) before it often enough that 4 KiB does better.
    found = _META_CHARSET_RE.search(data, 0, 4096)
    return found.group(1).decode("ascii").lower() if found else None


def read_html_text(
    decoded: DecodedText, name: str, path: str | None = None, *, url: str | None = None
) -> Document:
    """Extract the article from decoded HTML and build its Document.

    Args:
        decoded: The page's text, decoded and sanitised.
        name: What to call the document.
        path: The file it came from, if any.
        url: The page's address, if any (the extractor uses it for metadata).

    Returns:
        The document: title and metadata first, then the article's blocks.
    """
    from tuireader.text.structure import parse_blocks

    blocks = html_blocks(decoded.text, url=url)
    if not blocks and decoded.text:
        return parse_blocks(
            [], decoded._replace(notices=(*decoded.notices, "no text found")), name, path
        )
    document = parse_blocks(blocks, decoded, name, path)
    if _RTL_PAGE_RE.search(decoded.text, 0, 65536):
        document = right_to_left(document)
    return document


def right_to_left(document: Document) -> Document:
    """A page declared `dir="rtl"`: RTL is its direction, and every paragraph holding a
    right-to-left letter is RTL, as the browser shows it, even when it starts with a
    Latin name or a number ("Apple أعلنت …"). Paragraphs all in Latin keep LTR."""
    paragraphs = tuple(
        paragraph._replace(direction=Direction.RTL)
        if paragraph.direction is Direction.LTR and _RTL_LETTER_RE.search(paragraph.text)
        else paragraph
        for paragraph in document.paragraphs
    )
    return dataclasses.replace(document, paragraphs=paragraphs, direction=Direction.RTL)


def html_blocks(html: str, *, url: str | None = None, chapter: bool = False) -> list[MarkdownBlock]:
    """The article of a page as blocks: a TITLE, METADATA lines, then the body.

    Args:
        html: The page's text.
        url: The page's address, if any.
        chapter: It is a chapter of a book: no metadata to look for, and no length
            below which it is not an article (a chapter may be one short paragraph).

    Returns:
        The blocks; empty when the page holds no text.
    """
    import trafilatura
    from trafilatura.settings import Document as Extracted

    _quiet_loggers()
    html = _XML_DECLARATION_RE.sub("", html, count=1)
    if not html.strip():
        return []
    extracted = trafilatura.bare_extraction(
        _as_article(html) if chapter else html,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=not chapter,
        config=_config(chapter),
        prune_xpath=_PRUNE_XPATH,
    )
    if not isinstance(extracted, Extracted):
        extracted = None  # as_dict=False: never a dict
    blocks: list[MarkdownBlock] = []
    title: str | None = None
    if extracted is not None and not chapter:
        title = clean_text(extracted.title or "") or None
        if title:
            blocks.append(MarkdownBlock(BlockKind.TITLE, 1, (title,)))
        for value in (extracted.author, extracted.date, extracted.sitename):
            line = clean_text(value or "")
            if line and line != title:
                blocks.append(MarkdownBlock(BlockKind.METADATA, 0, (line,)))
    head = len(blocks)
    body = extracted.body if extracted is not None else None
    if body is None or not len(body):
        # Too little text for the extractor to call it an article (a short note, a
        # fragment): its baseline keeps every paragraph of the page.
        body, _, _ = trafilatura.baseline(html)
    blocks.extend(_body_blocks(body, title))
    if len(blocks) == head:
        blocks.extend(_all_text_blocks(html, title))
    return blocks


def _all_text_blocks(html: str, title: str | None) -> list[MarkdownBlock]:
    """The last resort for a page neither the extractor nor its baseline read (a lone
    `<p>`, nesting deeper than the parser keeps): every line of its text."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return []
    blocks = []
    if title is None:
        found = root.find(".//title")
        title = clean_text(found.text_content()) if found is not None else None
        if title:
            blocks.append(MarkdownBlock(BlockKind.TITLE, 1, (title,)))
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    for line in root.text_content().split("\n"):
        _add(blocks, BlockKind.PARAGRAPH, 0, clean_text(line))
    return blocks


def _as_article(html: str) -> str | HtmlElement:
    """A chapter's body inside `<article>`, unless it has one (or a `<main>`).

    trafilatura keeps headings only when it finds the article's container; on a bare
    `<body>` its fallback keeps the paragraphs and drops every heading.
    """
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    if root.find(".//article") is not None or root.find(".//main") is not None:
        return root
    body = root.find("body")
    if body is None:
        return root
    article = lxml.html.Element("article")
    article.text, body.text = body.text, None
    for child in list(body):
        article.append(child)
    body.append(article)
    return root


@functools.cache
def _config(chapter: bool) -> ConfigParser:
    """trafilatura's settings: our size cap, and for a chapter no minimum length."""
    from trafilatura.settings import use_config

    config = use_config()
    # trafilatura refuses input over its own cap (20 MB) silently: ours says so first.
    config.set("DEFAULT", "MAX_FILE_SIZE", str(MAX_HTML_BYTES))
    if chapter:
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def _quiet_loggers() -> None:
    """Keep the extractor's warnings off the terminal: with no handler configured,
    Python's logging prints WARNING records to stderr, over the full-screen app."""
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def _body_blocks(body: _Element, title: str | None) -> list[MarkdownBlock]:
    """The extractor's XML body as blocks, headings re-levelled to start at 1."""
    blocks: list[MarkdownBlock] = []
    for element in body:
        _element_blocks(element, blocks, depth=0)
    if blocks and title and blocks[0].kind is BlockKind.HEADING and blocks[0].lines[0] == title:
        del blocks[0]  # the page's <h1> repeats its title
    levels = [block.level for block in blocks if block.kind is BlockKind.HEADING]
    if levels and min(levels) > 1:
        shift = min(levels) - 1
        blocks = [
            MarkdownBlock(block.kind, block.level - shift, block.lines)
            if block.kind is BlockKind.HEADING
            else block
            for block in blocks
        ]
    return blocks


def _element_blocks(element: _Element, blocks: list[MarkdownBlock], depth: int) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "head":
        found = _HEADING_RE.fullmatch(str(element.get("rend", "")))
        level = int(found.group(1)) if found else 2
        _add(blocks, BlockKind.HEADING, level, _text(element))
    elif tag == "list":
        ordered = element.get("rend") == "ol"
        number = 0
        for item in element:
            if item.tag != "item":
                continue
            number += 1
            nested = [child for child in item if child.tag == "list"]
            for child in nested:
                item.remove(child)  # its items follow, one level deeper
            text = _text(item)
            if text:
                prefix = f"{number}. " if ordered else ""
                _add(blocks, BlockKind.LIST_ITEM, min(depth + 1, MAX_LIST_DEPTH), prefix + text)
            for child in nested:
                _element_blocks(child, blocks, depth + 1)
    elif tag == "quote":
        parts = [child for child in element if child.tag in ("p", "list", "quote")]
        if not parts:
            _add(blocks, BlockKind.QUOTE, 1, _text(element))
        for child in parts:
            _add(blocks, BlockKind.QUOTE, 1, _text(child))
    elif tag == "table":
        rows = []
        for row in element.iter("row"):
            cells = [_text(cell) for cell in row if cell.tag == "cell"]
            if any(cells):
                rows.append(TABLE_CELL_SEPARATOR.join(cells))
        if rows:
            blocks.append(MarkdownBlock(BlockKind.TABLE, 0, tuple(rows)))
    elif tag == "code":
        source = sanitize_text("".join(element.itertext()))[0]
        lines = tuple(line.rstrip() for line in source.strip("\n").split("\n"))
        if any(lines):
            blocks.append(MarkdownBlock(BlockKind.CODE, 0, lines))
    elif tag in ("div", "section", "body"):
        for child in element:
            _element_blocks(child, blocks, depth)
    elif tag != "graphic":
        _add(blocks, BlockKind.PARAGRAPH, 0, _text(element))


def _add(blocks: list[MarkdownBlock], kind: BlockKind, level: int, text: str) -> None:
    if text:
        blocks.append(MarkdownBlock(kind, level, (text,)))


def _text(element: _Element) -> str:
    """An element's text: spaces collapsed as HTML does, `<lb/>` a line break."""
    for lb in element.iter("lb"):
        lb.text = "\n"
    lines = "".join(element.itertext()).split("\n")
    return "\n".join(line for line in map(clean_text, lines) if line)


def clean_text(text: str) -> str:
    """One line of text sanitised (controls made visible, NFC) with spaces collapsed."""
    return _SPACE_RE.sub(" ", sanitize_text(text)[0]).strip()
