"""Lay out a paragraph at a width: shape, resolve levels, wrap in logical order, reorder lines."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import compress, repeat
from operator import itemgetter
from typing import NamedTuple

from bidi.mirror import MIRRORED
from rich.cells import cell_len

from tuireader.bidi.cache import byte_lru_cache
from tuireader.bidi.levels import REMOVED_BY_X9, resolve_levels
from tuireader.bidi.linebreak import wrap_clusters

# Re-exported: they lived here before `reorder` (callers may still import them here).
from tuireader.bidi.reorder import reset_trailing_levels as reset_trailing_levels
from tuireader.bidi.reorder import visual_order as visual_order
from tuireader.bidi.shaping import shape_text
from tuireader.text.document import Direction, Paragraph
from tuireader.text.hidden import HIDDEN_RE, HIDDEN_RUN_RE, hidden_mark, tag_run_mark

# Format characters (Cf) have no glyph; a terminal may draw them as boxes, so they are
# never sent. These few Cf characters are visible signs and must stay.
_VISIBLE_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")
_DOTTED_CIRCLE = "\u25cc"
_PDF_MARK = hidden_mark("\u202c")


class LayoutOptions(NamedTuple):
    """Everything besides the paragraph and the width that changes the picture."""

    join: bool = True
    """Join Arabic letters (presentation forms)."""
    harakat: bool = True
    """Keep Arabic diacritics."""
    direction: Direction | None = None
    """Force every paragraph's direction; None keeps each paragraph's own."""
    align: bool = True
    """Right-align RTL lines to the width."""
    marks_after_base: bool = True
    """UAX #9 L3: keep combining marks after their base, as terminals expect. Off only
    to compare the pure L2 order with Unicode's conformance data."""
    reorder: bool = True
    """Reorder rows (L1-L4). Off for terminals that reorder by themselves: rows are
    still wrapped, and sent in logical order."""
    show_hidden: bool = False
    """Show invisible characters (bidi controls, zero-width and TAG characters ...) as
    marks such as "⌜RLO⌝", laid out as characters of their own: offsets stay right."""


TERMINAL_BIDI = LayoutOptions(join=False, align=False, reorder=False)
"""For a terminal that does its own bidi and shaping: logical rows, as typed."""


DEFAULT_OPTIONS = LayoutOptions()


class Glyph(NamedTuple):
    """What one terminal cell (two for wide characters) shows, and where it comes from.

    A NamedTuple, not a frozen dataclass: layout makes one per character shown, and a
    frozen dataclass's __init__ (object.__setattr__ per field) is several times slower.
    """

    text: str
    """A base character and its combining marks (0 cells for a lone mark's base)."""
    start: int
    """Logical offset of the first character shown, in the document text."""
    end: int
    """One past the last logical character shown."""
    width: int
    """Cells: 1, or 2 for wide characters."""


class VisualLine(NamedTuple):
    """One terminal row of a paragraph, left to right, with the logical source of each cell."""

    glyphs: tuple[Glyph, ...]
    start: int
    """Logical offset where this line starts (lines of a paragraph tile it)."""
    end: int
    """Logical offset where the next line starts."""
    indent: int
    """Blank cells before the first glyph (right alignment of RTL lines)."""
    rtl: bool
    """The paragraph's direction is RTL."""
    fallback: str = ""
    """Why this paragraph is not shown as it should be, or "": the bidi engine failed
    (then its characters are in logical order) or shaping did (letters unjoined). Every
    row of the paragraph carries it; the UI should say so (a notice, a gutter mark)."""

    @property
    def width(self) -> int:
        """Cells used, the indent included."""
        return self.indent + sum(g.width for g in self.glyphs)

    @property
    def text(self) -> str:
        """The visual text of the row, indent included."""
        return " " * self.indent + "".join(g.text for g in self.glyphs)

    def cell_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """Cell ranges [a, b) of this row that show logical text in [start, end).

        A logical range is one interval, but on a reordered row it can be several:
        that is how a selection or a search hit is drawn inside RTL runs.
        """
        spans: list[tuple[int, int]] = []
        cell = self.indent
        for glyph in self.glyphs:
            if glyph.start < end and glyph.end > start and glyph.width:
                if spans and spans[-1][1] == cell:
                    spans[-1] = (spans[-1][0], cell + glyph.width)
                else:
                    spans.append((cell, cell + glyph.width))
            cell += glyph.width
        return spans


def layout_paragraph(
    paragraph: Paragraph, width: int, options: LayoutOptions = DEFAULT_OPTIONS
) -> tuple[VisualLine, ...]:
    """Lay out one paragraph as terminal rows.

    Args:
        paragraph: The paragraph (its text is logical; offsets are the document's).
        width: Cells per row; 0 means no wrapping.
        options: Shaping, direction and alignment choices.

    Returns:
        At least one row (an empty paragraph gives one empty row).
    """
    direction = options.direction or paragraph.direction
    return layout_text(paragraph.text, paragraph.start, direction, width, options)


def _rows_size(rows: tuple[VisualLine, ...]) -> int:
    """Bytes a cached layout holds: ~200 a glyph (the Glyph, its two offsets and, for a
    non-Latin-1 character, its one-character string), ~150 a row."""
    return sum(200 * len(row.glyphs) + 150 for row in rows)


LAYOUT_CACHE_BYTES = 64 * 1024 * 1024
"""About 300,000 characters laid out: pages of ordinary paragraphs, or a dozen of the
longest (16,384 characters) that a document holds."""


@byte_lru_cache(LAYOUT_CACHE_BYTES, _rows_size)
def layout_text(
    text: str,
    offset: int,
    direction: Direction,
    width: int,
    options: LayoutOptions = DEFAULT_OPTIONS,
) -> tuple[VisualLine, ...]:
    """Lay out a logical string that starts at `offset` in its document (see layout_paragraph)."""
    paragraph = _Clusters.of(text, offset, direction, options)
    rtl = paragraph.base_level == 1
    rows: list[VisualLine] = []
    fallback = paragraph.fallback
    widths = paragraph.widths
    start = offset
    for first, last, next_start in paragraph.wrap(width):
        glyphs = paragraph.reorder(first, last, options)
        indent = 0
        if rtl and options.align and width > 0:
            used = last - first if widths is None else sum(widths[first:last])
            indent = max(0, width - used)
        rows.append(VisualLine(glyphs, start, next_start, indent, rtl, fallback))
        start = next_start
    if not rows:
        rows.append(
            VisualLine((), offset, offset + len(text), 0, direction is Direction.RTL, fallback)
        )
    return tuple(rows)


class _Clusters:
    """A paragraph as display clusters in logical order: a base and its marks, with
    levels before L1, widths and logical spans (parallel sequences, for speed: ranges
    and one-cell widths where nothing moved, so that the common paragraph costs no
    Python per character)."""

    __slots__ = (
        "base",
        "base_level",
        "blank",
        "classes",
        "ends",
        "fallback",
        "length",
        "levels",
        "offset",
        "starts",
        "texts",
        "widths",
    )

    def __init__(self, base_level: int, offset: int, length: int, fallback: str = "") -> None:
        self.base_level = base_level
        self.offset = offset
        """Where the paragraph starts in its document."""
        self.length = length
        self.fallback = fallback
        self.texts: list[str] = []
        self.starts: Sequence[int] = range(0)
        """Each cluster's first logical offset, in the document."""
        self.ends: Sequence[int] = range(0)
        self.blank = False
        """Some cluster has no glyph (a control that keeps a level)."""
        self.widths: list[int] | None = None
        """Cells of each cluster, or None when every cluster is one cell."""
        self.base = ""
        """One character per cluster (its first), for the line-break rules."""
        self.levels = bytearray()
        self.classes: Sequence[str] | None = None
        """Each cluster's Bidi_Class, or None when L1 can change no level shown."""

    @classmethod
    def of(cls, text: str, offset: int, direction: Direction, options: LayoutOptions) -> _Clusters:
        resolved = resolve_levels(text, direction)
        shaped = shape_text(text, join=options.join, harakat=options.harakat)
        fallback = "; ".join(filter(None, (resolved.engine_error, shaped.shaping_error)))
        self = cls(resolved.base_level, offset, len(text), fallback)
        chars = shaped.text
        levels = resolved.levels
        classes = resolved.classes
        texts = list(chars)
        # The document offsets of the paragraph, one int object each, shared by the
        # glyphs' starts and ends (the end of one glyph is the start of the next).
        bounds = list(range(offset, offset + len(text) + 1))
        spans = shaped.starts
        if isinstance(spans, range):
            starts = bounds[spans.start : spans.stop]
            ends = bounds[spans.start + 1 : spans.stop + 1]
            cluster_levels = bytearray(levels)
            cluster_classes = classes
        else:
            starts = list(map(bounds.__getitem__, spans))
            ends = list(map(bounds.__getitem__, shaped.ends))
            if levels.count(levels[:1]) == len(levels):
                cluster_levels = bytearray(levels[:1]) * len(spans)  # one level: no lookups
            else:
                cluster_levels = bytearray(map(levels.__getitem__, spans))
            if classes is not None:
                cluster_classes = tuple(map(classes.__getitem__, spans))
            else:
                cluster_classes = None
        if options.reorder and _MIRRORED_RX.search(chars) is not None:
            # L4 once for the paragraph: L1 changes only spaces, separators and
            # controls, never the level of a character that mirrors.
            for match in _MIRRORED_RX.finditer(chars):
                j = match.start()
                if cluster_levels[j] % 2:
                    texts[j] = MIRRORED[texts[j][0]] + texts[j][1:]
        special = _special(chars, ends, cluster_classes, texts, options)
        self.base = chars
        if special is not None:
            widths, keep = special
            dropped = keep.count(0)
            if 0 < dropped <= 16 and cluster_classes is None:
                # A few marks joined their base: delete them (a memmove each), cheaper
                # than copying every list through compress.
                at = len(keep)
                while (at := keep.rfind(0, 0, at)) >= 0:
                    del texts[at], starts[at], ends[at], widths[at], cluster_levels[at]
                self.base = "".join(compress(chars, keep))
            elif dropped:
                texts = list(compress(texts, keep))
                starts = list(compress(starts, keep))
                ends = list(compress(ends, keep))
                widths = list(compress(widths, keep))
                cluster_levels = bytearray(compress(cluster_levels, keep))
                if cluster_classes is not None:
                    cluster_classes = tuple(compress(cluster_classes, keep))
                self.base = "".join(compress(chars, keep))
            self.blank = "" in texts
            if widths.count(1) != len(widths):
                self.widths = widths
        self.texts, self.starts, self.ends = texts, starts, ends
        self.levels, self.classes = cluster_levels, cluster_classes
        if options.show_hidden and _PDF_MARK in self.texts:
            # X9 gives a removed PDF the level of the text it closes; its mark reads
            # better outside that text, at the level of what follows.
            levels_of = self.levels
            for j, shown in enumerate(self.texts):
                if shown == _PDF_MARK:
                    levels_of[j] = levels_of[j + 1] if j + 1 < len(self.texts) else self.base_level
        return self

    def wrap(self, width: int) -> list[tuple[int, int, int]]:
        """Greedy wrap at break opportunities (see `linebreak`), in logical order.

        Returns (first, last, next_start): clusters [first, last) are shown; spaces
        after `last` hang at the end of the row and are not shown; the next row starts
        at offset `next_start` in the document.
        """
        starts, n, end = self.starts, len(self.texts), self.offset + self.length
        return [
            (first, last, starts[following] if following < n else end)
            for first, last, following in wrap_clusters(self.base, self.widths, width)
        ]

    def reorder(self, first: int, last: int, options: LayoutOptions) -> tuple[Glyph, ...]:
        """Rules L1-L3 for the clusters [first, last) of one row, as glyphs (L4 is done
        for the whole paragraph, in `of`).

        Whole slices move at once (no Python per glyph): most rows have one level."""
        texts: Sequence[str] = self.texts[first:last]
        starts: Sequence[int] = self.starts[first:last]
        ends: Sequence[int] = self.ends[first:last]
        widths: Sequence[int] = (
            repeat(1, last - first) if self.widths is None else self.widths[first:last]  # type: ignore[assignment]
        )
        if options.reorder and last > first:
            levels = self.levels[first:last]
            if self.classes is not None:
                reset_trailing_levels(levels, self.classes[first:last], self.base_level)
            if levels.count(levels[0]) != len(levels):
                # L2; two clusters at least, so itemgetter gives tuples.
                pick = itemgetter(*visual_order(levels))
                texts, starts, ends = pick(texts), pick(starts), pick(ends)
                if self.widths is not None:
                    widths = pick(widths)
            elif levels[0] % 2:
                texts, starts, ends = texts[::-1], starts[::-1], ends[::-1]
                if self.widths is not None:
                    widths = widths[::-1]
        glyphs: Iterator[Glyph] = map(_make_glyph, zip(texts, starts, ends, widths, strict=True))
        if self.blank:
            # Controls that keep a level but have no glyph.
            glyphs = compress(glyphs, texts)
        return tuple(glyphs)


def _special(
    chars: str,
    ends: list[int],
    classes: Sequence[str] | None,
    texts: list[str],
    options: LayoutOptions,
) -> tuple[list[int], bytearray] | None:
    """The clusters of a paragraph with marks, format characters or wide characters:
    (widths, keep), with `texts` and `ends` changed in place (a mark joins its base);
    None when every character is a plain one-cell cluster (then nothing is built).

    `ends` and `classes` have one item per character of `chars`."""
    if options.show_hidden and HIDDEN_RE.search(chars) is not None:
        found: list[tuple[int, str]] | None = None
    else:
        found = [
            (match.start(), kind)
            for match in _MAYBE_SPECIAL_RX.finditer(chars)
            if (kind := _KINDS[ord(match.group())]) != "."
        ]
        if not found:
            return None
    count = len(chars)
    widths = [1] * count
    keep = bytearray(b"\x01") * count
    if found is None:
        kinds = _show_hidden(chars, chars.translate(_KINDS), texts, ends, widths, keep)
        found = [(match.start(), match.group()) for match in _SPECIAL_RX.finditer(kinds)]
    for j, kind in found:
        if kind == "w":
            widths[j] = 2
        elif kind == "h":
            if classes is not None and classes[j] in REMOVED_BY_X9:
                keep[j] = 0  # X9: gone before levels are used
            else:
                # Isolates and marks (LRI, RLM ...) keep their level, which shapes
                # the runs of L2, but have no glyph: a terminal might draw a box.
                texts[j], widths[j] = "", 0
        elif not options.marks_after_base:
            widths[j] = 0
        else:
            base = j - 1
            while base >= 0 and not keep[base]:
                base -= 1
            if base >= 0 and not _is_blank(texts[base]):
                # L3: the mark travels with its base, after it.
                texts[base] += texts[j]
                ends[base] = max(ends[base], ends[j])
                keep[j] = 0
            else:
                texts[j] = _DOTTED_CIRCLE + texts[j]
    return widths, keep


def _show_hidden(
    chars: str, kinds: str, texts: list[str], ends: list[int], widths: list[int], keep: bytearray
) -> str:
    """Give each invisible character its visible mark, as a plain cluster; a run of TAG
    characters becomes one mark that spells its text ("⌜TAG:not⌝").

    Returns:
        The kinds, with the marks' characters now plain (".").
    """
    shown = list(kinds)
    for match in HIDDEN_RUN_RE.finditer(chars):
        j, end = match.span()
        while j < end:
            k = j + 1
            if "\U000e0000" <= chars[j] <= "\U000e007f":
                while k < end and "\U000e0000" <= chars[k] <= "\U000e007f":
                    keep[k] = 0
                    shown[k] = "."
                    k += 1
                texts[j] = tag_run_mark(chars[j:k])
                ends[j] = ends[k - 1]
            else:
                texts[j] = hidden_mark(chars[j])
            widths[j] = cell_len(texts[j])
            shown[j] = "."
            j = k
    return "".join(shown)


def _is_blank(text: str) -> bool:
    """No visible base for a mark: a hidden control or a space."""
    return not text or text.isspace()


class _Kinds(dict[int, str]):
    """A str.translate table: "." plain, "m" combining mark, "h" format character with
    no glyph, "w" wide; each character's kind is worked out once, then remembered."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if category[0] == "M":
            kind = "m"
        elif category == "Cf" and char not in _VISIBLE_FORMAT:
            kind = "h"
        else:
            kind = "w" if cell_len(char) == 2 else "."
        if len(self) < _KINDS_KEPT:
            self[code] = kind
        return kind


_KINDS_KEPT = 65_536
"""The table remembers this many characters (~6 MB at most): a text holding every code
point must not grow it to a hundred megabytes."""
_KINDS = _Kinds()
_SPECIAL_RX = re.compile("[^.]")


_PLAIN = (
    "\u0020-~\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u0590\u05be\u05c0"
    "\u05c3\u05c6\u05c8-\u060f\u061b\u061d-\u064a\u0660-\u066f\u0671-\u06d5\u06dd-\u06de"
    "\u06e5-\u06e6\u06e9\u06ee-\u06ff\u0750-\u077f\u2000-\u200a\u2010-\u2029\u202f-\u205f"
    "\u2065\u20a0-\u20c0\ufb1d\ufb1f-\ufdff\ufe70-\ufefe"
)
"""The characters of the blocks prose is written in (Latin, Greek, Cyrillic, Hebrew,
Arabic and its presentation forms, general punctuation) that are plain one-cell
clusters (kind "."), as a regex class; a test checks it against `_KINDS`."""
_MAYBE_SPECIAL_RX = re.compile(f"[^{_PLAIN}]")
"""Characters that may not be plain: a paragraph of plain text is one regex scan."""
_make_glyph = functools.partial(tuple.__new__, Glyph)
"""Glyph._make without its Python frame and length check (zip(strict=True) gives four
items): a quarter of the time of a glyph, made once per character laid out."""


_MIRRORED_RX = re.compile("[" + re.escape("".join(sorted(MIRRORED))) + "]")
