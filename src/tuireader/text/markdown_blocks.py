"""Markdown source to a flat list of blocks, walking markdown-it's token stream.

Decisions:

- Headings are HEADING blocks with their level; the first block, when it is a
  level-1 heading, is the TITLE. Headings inside quotes or lists take the kind of
  their container.
- Paragraphs inside list items are LIST_ITEM (level = list nesting depth), inside
  block quotes QUOTE (level = quote depth); the innermost container decides.
  Ordered items keep their number ("3. "); bullets are left to the UI to draw.
- Code (fenced or indented) is one CODE block whose lines are each a paragraph,
  never re-flowed. Tables are one TABLE block, one line per row, cells joined
  by " │ ".
- Inline marks keep their text only: link text without its URL, images their alt
  text, inline code its content. Inline HTML tags are dropped (the text between
  them stays). HTML blocks are shown verbatim as CODE so nothing is hidden, except
  comments, which are dropped.
- YAML front matter (between "---" lines at the very top) is skipped.
- markdown-it stops nesting at `maxNesting` (20 in the CommonMark preset), which
  bounds its recursion, and silently drops everything from there to the end of the
  document (issue 9: the last paragraph went with it). We take over at that depth
  (`_FlatDeepBlocks`): each run of lines there is one paragraph of the innermost
  container, its own `>` and list markers removed, so every word is shown and the
  nesting (the indent) stops at that depth; the caller is told, for a notice. Our
  walk is iterative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tuireader.text.document import BlockKind
from tuireader.text.loading import replace_controls

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

TABLE_CELL_SEPARATOR = " \u2502 "

_FRONT_MATTER_OPEN_RE = re.compile(r"---[^\S\n]*\n")
_FRONT_MATTER_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)
_YAML_KEY_RE = re.compile(r"^[A-Za-z_][\w-]*:", re.MULTILINE)
_TEXT_TOKENS = frozenset({"text", "text_special", "code_inline"})
_SPACES = str.maketrans({"\t": " ", "\u2028": " ", "\u2029": " "})
# Container markers at the start of a line nested too deep to parse: quote marks, bullets
# and ordered-list numbers (each followed by a space or the line's end).
_DEEP_MARKERS_RE = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
NESTING_NOTICE = "Markdown nested deeper than {depth} levels is shown without its deeper nesting"


@dataclass(frozen=True, slots=True)
class MarkdownBlock:
    """One block of a Markdown document, as text."""

    kind: BlockKind
    level: int
    """Heading level for TITLE and HEADING; nesting depth for LIST_ITEM and QUOTE."""
    lines: tuple[str, ...]
    """One entry per paragraph: the lines of CODE, the rows of a TABLE, else one text
    (which may hold "\\n" for a hard line break)."""


def markdown_blocks(source: str, notices: list[str] | None = None) -> list[MarkdownBlock]:
    """Parse Markdown into blocks of text (see the module doc for the rules).

    Args:
        source: Sanitised Markdown.
        notices: Where to add a line for the user when the structure could not be
            kept whole (nesting too deep); the text always is.

    Returns:
        The blocks in document order; blocks with no text are left out.
    """
    # Imported here: markdown-it costs start-up time that plain text never needs.
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    flat = _FlatDeepBlocks(parser.block.tokenize, parser.options.maxNesting)
    # An instance attribute: block rules call `state.md.block.tokenize` to nest.
    parser.block.tokenize = flat  # type: ignore[method-assign,assignment]
    # Inline content is parsed by `_walk`, a piece at a time (see `_inline_text`).
    parser.core.ruler.disable(["inline", "text_join"])
    env: dict[str, object] = {}
    tokens = parser.parse(_skip_front_matter(source), env)
    if flat.count and notices is not None:
        notices.append(NESTING_NOTICE.format(depth=flat.depth))

    def inline_text(content: str) -> str:
        return _inline_text(parser, env, content)

    blocks = list(_walk(tokens, inline_text))
    if blocks and blocks[0].kind is BlockKind.HEADING and blocks[0].level == 1:
        blocks[0] = replace(blocks[0], kind=BlockKind.TITLE)
    return blocks


def _walk(tokens: list[Token], inline_text: Callable[[str], str]) -> Iterator[MarkdownBlock]:
    """Turn the flat block-token stream into blocks, keeping a stack of containers."""
    containers: list[BlockKind] = []
    depth = {BlockKind.QUOTE: 0, BlockKind.LIST_ITEM: 0}
    heading_level = 0
    item_prefix = ""
    row: list[str] | None = None
    rows: list[str] = []
    for token in tokens:
        kind = token.type
        if kind in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
            container = BlockKind.QUOTE if kind == "blockquote_open" else BlockKind.LIST_ITEM
            containers.append(container)
            depth[container] += 1
        elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            depth[containers.pop()] -= 1
        elif kind == "list_item_open":
            # markdown-it puts an ordered item's number in `info` ("" for bullets).
            item_prefix = f"{token.info}{token.markup} " if token.info else ""
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            rows.append(TABLE_CELL_SEPARATOR.join(row))
            row = None
        elif kind == "table_close":
            if any(r.strip() for r in rows):
                yield MarkdownBlock(BlockKind.TABLE, 0, tuple(rows))
            rows = []
        elif kind == "inline":
            text = inline_text(token.content)
            if row is not None:
                row.append(" ".join(text.split()))
                continue
            text = (item_prefix + text).strip()
            item_prefix = ""
            if not text:
                continue
            if containers:
                yield MarkdownBlock(containers[-1], depth[containers[-1]], (text,))
            elif heading_level:
                yield MarkdownBlock(BlockKind.HEADING, heading_level, (text,))
            else:
                yield MarkdownBlock(BlockKind.PARAGRAPH, 0, (text,))
        elif kind in ("fence", "code_block") or (
            kind == "html_block" and not token.content.lstrip().startswith("<!--")
        ):
            lines = _clean(token.content).rstrip().split("\n")
            if any(line.strip() for line in lines):
                yield MarkdownBlock(BlockKind.CODE, 0, tuple(lines))


INLINE_PIECE = 16_384
"""Inline Markdown is parsed this many characters at a time, cut at a space: markdown-it
makes a token of ~0.5 KB per mark, and one 16 MB line of `**a** ` peaked at gigabytes
(issue 9). A mark that spans a cut shows its characters, which only a paragraph longer
than any the document keeps whole (see `structure.MAX_PARAGRAPH`) can meet."""


def _inline_text(parser: MarkdownIt, env: dict[str, object], content: str) -> str:
    """The text of inline Markdown: marks, URLs and HTML tags dropped, alt text kept."""
    parts: list[str] = []
    first = 0
    while first < len(content):
        cut = len(content)
        if cut - first > INLINE_PIECE:
            space = max(
                content.rfind(c, first + INLINE_PIECE // 2, first + INLINE_PIECE) for c in " \n"
            )
            cut = space + 1 if space >= 0 else first + INLINE_PIECE
        children: list[Token] = []
        parser.inline.parse(content[first:cut], parser, env, children)
        _add_text(children, parts)
        first = cut
    return _clean("".join(parts))


def _add_text(children: list[Token], parts: list[str]) -> None:
    """Append the text of inline tokens to `parts`."""
    # An explicit stack, not recursion: images hold their alt text as children.
    stack = [iter(children)]
    while stack:
        for child in stack[-1]:
            if child.type in _TEXT_TOKENS:
                parts.append(child.content)
            elif child.type == "softbreak":
                parts.append(" ")
            elif child.type == "hardbreak":
                parts.append("\n")
            elif child.type == "image" and child.children:
                stack.append(iter(child.children))
                break
        else:
            stack.pop()


def _clean(text: str) -> str:
    """Keep entity-made controls (&#27;, &#x2028;) out of the built text."""
    text, _ = replace_controls(text)
    if "\t" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_SPACES)
    return text


def _skip_front_matter(source: str) -> str:
    """The source without YAML front matter ("---" line, "key: ..." lines, "---")."""
    opening = _FRONT_MATTER_OPEN_RE.match(source)
    if opening is None:
        return source
    closing = _FRONT_MATTER_CLOSE_RE.search(source, opening.end())
    if closing is None or not _YAML_KEY_RE.search(source, opening.end(), closing.start()):
        return source
    return source[closing.end() :]


class _FlatDeepBlocks:
    """markdown-it's block tokenizer, except where nesting reaches `maxNesting`: there,
    instead of dropping the rest of the document, each run of non-blank lines becomes
    one paragraph (its inline marks still parsed), with no nesting below."""

    def __init__(self, tokenize: Callable[[StateBlock, int, int], None], depth: int) -> None:
        self._tokenize = tokenize
        self.depth = depth
        self.count = 0
        """How many paragraphs were made flat."""

    def __call__(self, state: StateBlock, start_line: int, end_line: int) -> None:
        if state.level < self.depth:
            self._tokenize(state, start_line, end_line)
            return
        # The lines of this nested call end where markdown-it's own loop would stop:
        # at `end_line`, or at a line indented less than the container (a lazy line,
        # or the next item of a parent list, which the parent's rule then takes).
        line = start_line
        group: list[str] = []
        first = line
        while line < end_line:
            begin = state.bMarks[line] + state.tShift[line]
            if begin >= state.eMarks[line]:  # blank
                self._push(state, group, first, line)
                group, first = [], line + 1
            elif state.sCount[line] < state.blkIndent:
                break
            else:
                text = state.src[begin : state.eMarks[line]]
                markers = _DEEP_MARKERS_RE.match(text)
                cut = markers.end() if markers else 0
                if text[:cut].strip():
                    # A quote or an item of its own starts a paragraph of its own.
                    self._push(state, group, first, line)
                    group, first = [], line
                group.append(text[cut:])
            line += 1
        self._push(state, group, first, line)
        state.line = line

    def _push(self, state: StateBlock, lines: list[str], first: int, end: int) -> None:
        content = "\n".join(lines).strip()
        if not content:
            return
        self.count += 1
        token = state.push("paragraph_open", "p", 1)
        token.map = [first, end]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [first, end]
        state.push("paragraph_close", "p", -1)
