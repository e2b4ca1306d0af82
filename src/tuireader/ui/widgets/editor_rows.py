"""Rows of text being edited, laid out like the article, with a cell for every cursor position.

Pure functions over strings (no Textual), used by the bidi text field and text area. The
layout is the article's (`tuireader.bidi.layout.layout_text`): shaping, paragraph-level
UAX #9 levels, wrapping in logical order, reordering. What an editor needs on top of it:

- **A cursor cell for each logical position.** A position sits between two characters;
  on a reordered row those can be far apart. The cursor follows the character before it
  (the one just typed), on its trailing side: the right of an LTR character, the left of
  an RTL one; at the start of a row it goes before the first character. That is the
  *edge* the next character of the same direction appears at. A terminal cursor is a
  cell, not an edge: in an LTR paragraph (left-aligned, text grows rightwards) the cell
  right of the edge, in an RTL one (right-aligned, grows leftwards) the cell left of it —
  the cell the next character will take.
- **Visual steps.** Left/right cross the glyph beside the cursor's edge, whatever its
  direction (so on an RTL run the logical position goes backwards), the way LibreOffice
  and browsers move. A visual step keeps the edge it reached (two positions can share an
  edge at a direction boundary, and one edge can hold two positions).
- **Hanging spaces.** Layout does not show spaces at the end of a wrapped row (they hang
  past its end); an editor must, since the cursor goes after them: they are laid out as
  blank glyphs at the row's end in the paragraph's direction.
- **A spare cell** for the cursor after the last character: rows are laid out one cell
  narrower than the field, and RTL rows start one cell to the right.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions, layout_text, reset_trailing_levels
from tuireader.bidi.levels import ParagraphLevels, resolve_levels
from tuireader.text.direction import paragraph_direction
from tuireader.text.document import Direction
from tuireader.text.hidden import BIDI_FORMATTING

_TAGS = ("\U000e0000", "\U000e007f")
_REVEALED_RE = re.compile(f"[{BIDI_FORMATTING}\U000e0000-\U000e007f]")
"""Bidi embeddings, overrides and isolates: text that shows in another order than it is
stored (Trojan Source). A line holding one, or TAG characters (hidden words), is shown
with every invisible character as a mark, as `H` shows the article: an editor of text
that lies about itself must show the lie."""


class EditorGlyph(NamedTuple):
    """One glyph of an editor row: what it shows, where, and which logical text."""

    text: str
    start: int
    """Logical offset of its first character, in its line."""
    end: int
    """One past its last character."""
    cell: int
    """First cell, counted from the row's left end."""
    width: int
    rtl: bool
    """Its level is odd (after rule L1): it reads right to left."""

    @property
    def right(self) -> int:
        return self.cell + self.width


class EditorRow(NamedTuple):
    """One visual row of a line of an editor, left to right, and the positions it owns.

    Every position of a line belongs to one row: [start, end) of each row, and the last
    row also owns its end (the end of the line).
    """

    glyphs: tuple[EditorGlyph, ...]
    """Left to right, hanging spaces included (as " ")."""
    start: int
    end: int
    last: bool
    rtl: bool
    """The row grows leftwards (an RTL paragraph, reordered by the app)."""
    empty_edge: int
    """The cursor's edge when the row shows no glyph."""
    tab_free_text: str
    """The line's logical text as laid out (tabs as spaces)."""

    def owns(self, position: int) -> bool:
        return self.start <= position < self.end or (self.last and position == self.end)

    @property
    def width(self) -> int:
        """Cells from the left end to the right of the last glyph."""
        return max((glyph.right for glyph in self.glyphs), default=self.empty_edge)

    def cell_of_edge(self, edge: int) -> int:
        """The cell a block cursor at `edge` is drawn in: where the next character goes."""
        return max(0, edge - 1) if self.rtl else edge

    edges: tuple[int, ...] = ()
    """edges[p - start]: the cursor's edge for each position the row owns (`edge_of`)."""

    def edge_of(self, position: int) -> int:
        """The cursor's edge for a logical position (see the module's docstring)."""
        index = position - self.start
        if 0 <= index < len(self.edges):
            return self.edges[index]
        return edge_by_search(self.glyphs, self.start, position, self.empty_edge)

    def cursor_cell(self, position: int) -> int:
        return self.cell_of_edge(self.edge_of(position))

    def step(self, edge: int, rightwards: bool) -> tuple[int, int] | None:
        """Cross the glyph beside `edge` (right of it, or left): the new (position, edge),
        or None at the row's end. The position is on the far side of that glyph: its end
        when crossed in its own direction, else its start."""
        if rightwards:
            ahead = [g for g in self.glyphs if g.cell >= edge]
            if not ahead:
                return None
            glyph = min(ahead, key=lambda g: g.cell)
            return (glyph.start if glyph.rtl else glyph.end), glyph.right
        behind = [g for g in self.glyphs if g.right <= edge]
        if not behind:
            return None
        glyph = max(behind, key=lambda g: g.right)
        return (glyph.end if glyph.rtl else glyph.start), glyph.cell

    def word_step(self, edge: int, rightwards: bool) -> tuple[int, int] | None:
        """Cross the spaces beside `edge`, then the word after them, the way the arrow
        points (ctrl+arrow): the new (position, edge), or None at the row's end."""
        crossed: tuple[int, int] | None = None
        seen_word = False
        while (step := self.step(edge, rightwards)) is not None:
            glyph = self._glyph_beside(edge, rightwards)
            if glyph is not None and glyph.text.isspace() and seen_word:
                break
            seen_word = seen_word or (glyph is not None and not glyph.text.isspace())
            crossed = step
            edge = step[1]
        return crossed

    def _glyph_beside(self, edge: int, rightwards: bool) -> EditorGlyph | None:
        if rightwards:
            return min(
                (g for g in self.glyphs if g.cell >= edge), key=lambda g: g.cell, default=None
            )
        return max((g for g in self.glyphs if g.right <= edge), key=lambda g: g.right, default=None)

    def stops(self) -> list[int]:
        """The positions the cursor can rest at on this row, in logical order: grapheme
        boundaries (and glyph boundaries: a ligature is crossed whole)."""
        text = self.tab_free_text
        last = self.end if self.last else self.end - 1
        return [p for p in range(self.start, last + 1) if is_grapheme_boundary(text, p)]

    def extreme(self, rightmost: bool) -> tuple[int, int]:
        """The stop at the row's right (or left) end, as (position, edge): beside the
        outermost glyph, else (that position is the next row's) the outermost stop."""
        if self.glyphs:
            glyph = self.glyphs[-1] if rightmost else self.glyphs[0]
            position = glyph.end if glyph.rtl != rightmost else glyph.start
            if self.owns(position):
                return position, glyph.right if rightmost else glyph.cell
        stops = [(self.edge_of(p), p) for p in self.stops()] or [(self.empty_edge, self.start)]
        edge, position = max(stops) if rightmost else min(stops)
        return position, edge

    def position_at_cell(self, cell: int) -> int:
        """The stop whose cursor cell is nearest to `cell` (a click, a move up or down)."""
        stops = self.stops() or [self.start]
        return min(stops, key=lambda p: (abs(self.cursor_cell(p) - cell), p))

    def cell_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """Cell ranges [a, b) showing logical text in [start, end): a selection."""
        spans: list[tuple[int, int]] = []
        for glyph in self.glyphs:
            if glyph.start < end and glyph.end > start and glyph.width:
                if spans and spans[-1][1] == glyph.cell:
                    spans[-1] = (spans[-1][0], glyph.right)
                else:
                    spans.append((glyph.cell, glyph.right))
        return spans


def edge_by_search(
    glyphs: Sequence[EditorGlyph], start: int, position: int, empty_edge: int
) -> int:
    """The cursor's edge for `position` on a row of `glyphs` that starts at `start`:

    - inside a glyph (a ligature, a base and its marks): before that glyph;
    - after a shown character (zero-width ones skipped): on its trailing side, the
      right of an LTR glyph, the left of an RTL one;
    - else (the row's start): before the next glyph shown, on its leading side.

    A search over the glyphs for one position; `_row_edges` gives every position at once.
    """
    before: EditorGlyph | None = None
    after: EditorGlyph | None = None
    for glyph in glyphs:
        if glyph.start < position < glyph.end:
            return glyph.right if glyph.rtl else glyph.cell
        if glyph.end <= position and (before is None or glyph.end > before.end):
            before = glyph
        if glyph.start >= position and (after is None or glyph.start < after.start):
            after = glyph
    if (
        before is not None
        and position > start
        and all(not (before.end <= g.start < position) for g in glyphs)
    ):
        return before.cell if before.rtl else before.right
    if after is not None:
        return after.right if after.rtl else after.cell
    if before is not None:
        return before.cell if before.rtl else before.right
    return empty_edge


def _row_edges(
    glyphs: Sequence[EditorGlyph], start: int, end: int, empty_edge: int
) -> tuple[int, ...]:
    """`edge_by_search` for every position in [start, end], in one pass each way."""
    count = end - start
    owner = [-1] * count
    for index, glyph in enumerate(glyphs):
        for k in range(max(glyph.start, start), min(glyph.end, end)):
            owner[k - start] = index
    # The glyph of the last shown character before each position, and of the first
    # shown one at or after it.
    shown_before: list[int] = [-1] * (count + 1)
    for k in range(count):
        shown_before[k + 1] = owner[k] if owner[k] != -1 else shown_before[k]
    shown_after: list[int] = [-1] * (count + 1)
    for k in range(count - 1, -1, -1):
        shown_after[k] = owner[k] if owner[k] != -1 else shown_after[k + 1]
    edges: list[int] = []
    for k in range(count + 1):
        inside = 0 < k < count and owner[k] != -1 and owner[k] == owner[k - 1]
        if inside:
            glyph = glyphs[owner[k]]
            edges.append(glyph.right if glyph.rtl else glyph.cell)
        elif k > 0 and shown_before[k] != -1:
            glyph = glyphs[shown_before[k]]
            edges.append(glyph.cell if glyph.rtl else glyph.right)
        elif shown_after[k] != -1:
            glyph = glyphs[shown_after[k]]
            edges.append(glyph.right if glyph.rtl else glyph.cell)
        else:
            edges.append(empty_edge)
    return tuple(edges)


def is_grapheme_boundary(text: str, position: int) -> bool:
    """UAX #29 in brief: no boundary before a combining mark, a joiner, an emoji modifier
    or a TAG character, nor inside an emoji ZWJ sequence or a flag (two regional
    indicators)."""
    if position <= 0 or position >= len(text):
        return True
    char = text[position]
    previous = text[position - 1]
    if char == "\u200d" or unicodedata.category(char)[0] == "M":
        return False
    if "\U0001f3fb" <= char <= "\U0001f3ff" or _TAGS[0] <= char <= _TAGS[1]:
        return False
    if previous == "\u200d" and position >= 2 and unicodedata.category(text[position - 2]) == "So":
        return False
    if "\U0001f1e6" <= char <= "\U0001f1ff" and "\U0001f1e6" <= previous <= "\U0001f1ff":
        # A flag is a pair: the boundary is after an even number of indicators.
        run = 0
        k = position - 1
        while k >= 0 and "\U0001f1e6" <= text[k] <= "\U0001f1ff":
            run += 1
            k -= 1
        return run % 2 == 0
    return True


def previous_grapheme(text: str, position: int) -> int:
    """Where the grapheme before `position` starts (backspace removes from there)."""
    position = min(position, len(text))
    k = position - 1
    while k > 0 and not is_grapheme_boundary(text, k):
        k -= 1
    return max(0, k)


def next_grapheme(text: str, position: int) -> int:
    """Where the grapheme after `position` ends (delete removes up to there)."""
    k = position + 1
    while k < len(text) and not is_grapheme_boundary(text, k):
        k += 1
    return min(k, len(text))


def line_direction(text: str, options: LayoutOptions, default: Direction) -> Direction:
    """A line's direction: forced by the options, else its first strong character's."""
    return options.direction or paragraph_direction(text, default)


@lru_cache(maxsize=512)
def layout_editor_line(
    text: str,
    width: int,
    options: LayoutOptions = DEFAULT_OPTIONS,
    default: Direction = Direction.LTR,
) -> tuple[EditorRow, ...]:
    """Lay out one line of an editor (a paragraph) as rows of `width` cells.

    Args:
        text: The line's logical text.
        width: Cells of the field; rows use one less (the cursor's spare cell); 0 or
            less means no wrapping (a one-line field that scrolls).
        options: The app's layout options (`--bidi terminal` gives logical rows).
        default: The direction of a line with no strong character.

    Returns:
        At least one row.
    """
    shown = text.replace("\t", " ")  # one cell each: the layout does not know columns
    if _REVEALED_RE.search(shown) is not None:
        options = options._replace(show_hidden=True)
    direction = line_direction(shown, options, default)
    row_width = max(1, width - 1) if width > 0 else 0
    lines = layout_text(shown, 0, direction, row_width, options)
    reordered = options.reorder
    resolved = resolve_levels(shown, direction) if reordered else None
    rows: list[EditorRow] = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        rtl = line.rtl and reordered
        odd = _row_parities(line.start, line.end, resolved)
        shown_end = max((g.end for g in line.glyphs), default=line.start)
        hanging = [k for k in range(shown_end, line.end) if shown[k].isspace()]
        # The spare cell of an RTL row is on its left; a row that is not wrapped (a
        # one-line field) also makes room there for the spaces typed at its end.
        shift = (1 + (len(hanging) if not row_width else 0)) if rtl else 0
        glyphs: list[EditorGlyph] = []
        cell = line.indent + shift
        for glyph in line.glyphs:
            glyphs.append(
                EditorGlyph(
                    glyph.text,
                    glyph.start,
                    glyph.end,
                    cell,
                    glyph.width,
                    odd[glyph.start - line.start],
                )
            )
            cell += glyph.width
        if hanging:
            if rtl:
                left = min((g.cell for g in glyphs), default=line.indent + shift + row_width)
                for n, k in enumerate(hanging):
                    if left - 1 - n >= 0:
                        glyphs.insert(0, EditorGlyph(" ", k, k + 1, left - 1 - n, 1, True))
            else:
                right = max((g.right for g in glyphs), default=0)
                for n, k in enumerate(hanging):
                    glyphs.append(EditorGlyph(" ", k, k + 1, right + n, 1, False))
        if rtl:
            empty_edge = (row_width + shift) if row_width else shift
        else:
            empty_edge = 0
        ordered = tuple(sorted(glyphs, key=lambda g: g.cell))
        end = len(shown) if last else line.end
        rows.append(
            EditorRow(
                ordered,
                line.start,
                end,
                last,
                rtl,
                empty_edge,
                shown,
                _row_edges(ordered, line.start, end, empty_edge),
            )
        )
    return tuple(rows)


def _row_parities(start: int, end: int, resolved: ParagraphLevels | None) -> list[bool]:
    """Whether each character of a row reads right to left (odd level after L1)."""
    if resolved is None:
        return [False] * (end - start)
    levels = list(resolved.levels[start:end])
    if resolved.classes is not None:
        reset_trailing_levels(levels, resolved.classes[start:end], resolved.base_level)
    return [level % 2 == 1 for level in levels]


def rows_of_lines(
    lines: Sequence[str],
    width: int,
    options: LayoutOptions = DEFAULT_OPTIONS,
    default: Direction = Direction.LTR,
) -> list[tuple[int, EditorRow]]:
    """Every row of a document's lines, top to bottom, each with its line's index."""
    return [
        (index, row)
        for index, line in enumerate(lines)
        for row in layout_editor_line(line, width, options, default)
    ]


def row_of_position(rows: Sequence[EditorRow], position: int) -> int:
    """The index (in `rows`, one line's rows) of the row that owns `position`."""
    for index, row in enumerate(rows):
        if row.owns(position):
            return index
    return len(rows) - 1
