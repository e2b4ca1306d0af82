"""A document laid out lazily at one width: rows are counted exactly only where they are seen."""

from __future__ import annotations

import math
from collections.abc import Sequence

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions, VisualLine, layout_paragraph
from tuireader.text.document import Document, Paragraph

# Greedy wrapping leaves part of each row empty; this makes an unseen paragraph's
# estimated height closer to the truth, so the scrollbar moves less once it is seen.
_WRAP_SLACK = 1.08


class _RowTree:
    """A Fenwick tree of block heights: prefix sums and row lookup in O(log n)."""

    __slots__ = ("_size", "_tree")

    def __init__(self, heights: Sequence[int]) -> None:
        self._size = len(heights)
        tree = [0, *heights]
        for i in range(1, self._size + 1):
            parent = i + (i & -i)
            if parent <= self._size:
                tree[parent] += tree[i]
        self._tree = tree

    def add(self, index: int, delta: int) -> None:
        i = index + 1
        while i <= self._size:
            self._tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """Sum of the heights of blocks [0, index)."""
        total = 0
        i = index
        while i > 0:
            total += self._tree[i]
            i -= i & -i
        return total

    def find(self, row: int) -> int:
        """The block that holds `row` (clamped to the last block)."""
        position = 0
        step = 1 << self._size.bit_length()
        remaining = row
        while step:
            nxt = position + step
            if nxt <= self._size and self._tree[nxt] <= remaining:
                position = nxt
                remaining -= self._tree[nxt]
            step >>= 1
        return min(position, self._size - 1)


class DocumentLayout:
    """The rows of a document at one width, with a blank row between paragraphs.

    Nothing is laid out up front: a paragraph has an estimated height until `lines`
    lays it out, so the cost of a screen depends on the screen, not on the document.
    """

    def __init__(
        self,
        document: Document,
        width: int,
        options: LayoutOptions = DEFAULT_OPTIONS,
        gap: int = 1,
    ) -> None:
        self.document = document
        paragraphs = self.paragraphs = document.paragraphs
        self.width = width
        self.options = options
        self._gap = gap
        self._heights = [self._estimate(paragraph) + gap for paragraph in paragraphs]
        if self._heights:
            self._heights[-1] -= gap
        self._exact = bytearray(len(paragraphs))
        self._rows = _RowTree(self._heights)
        self.fallbacks: dict[int, str] = {}
        """Paragraphs laid out so far whose bidi levels or shaping fell back (index →
        why; see `VisualLine.fallback`): for the UI to mark and count."""

    def _estimate(self, paragraph: Paragraph) -> int:
        if self.width <= 0:
            return 1
        return max(1, math.ceil(len(paragraph.text) * _WRAP_SLACK / self.width))

    @property
    def total_rows(self) -> int:
        return self._rows.prefix(len(self._heights))

    def is_exact(self, index: int) -> bool:
        return bool(self._exact[index])

    def first_row(self, index: int) -> int:
        """The row where paragraph `index` starts."""
        return self._rows.prefix(index)

    def locate(self, row: int) -> tuple[int, int]:
        """(paragraph index, row within its block) for a document row; the block's last
        row is the blank gap, except for the last paragraph."""
        if not self._heights:
            return (0, 0)
        index = self._rows.find(max(0, row))
        return index, row - self._rows.prefix(index)

    def lines(self, index: int) -> tuple[VisualLine, ...]:
        """The exact rows of paragraph `index`, laying it out if needed."""
        lines = layout_paragraph(self.paragraphs[index], self.width, self.options)
        if not self._exact[index]:
            self._exact[index] = 1
            if lines[0].fallback:
                self.fallbacks[index] = lines[0].fallback
            gap = self._gap if index < len(self._heights) - 1 else 0
            delta = len(lines) + gap - self._heights[index]
            if delta:
                self._heights[index] += delta
                self._rows.add(index, delta)
        return lines

    def settle(self, index: int) -> int:
        """Lay out paragraph `index` and return how much its height changed."""
        before = self._heights[index]
        self.lines(index)
        return self._heights[index] - before

    def paragraph_at(self, offset: int) -> int:
        """The paragraph that holds (or, between paragraphs, precedes) a logical offset."""
        return self.document.paragraph_at(offset)

    def row_of(self, offset: int) -> int:
        """The document row that shows a logical offset (its paragraph is laid out)."""
        if not self.paragraphs:
            return 0
        index = self.paragraph_at(offset)
        lines = self.lines(index)
        within = 0
        for k, line in enumerate(lines):
            if line.start <= offset:
                within = k
        return self.first_row(index) + within

    def offset_at(self, row: int) -> int:
        """The logical offset shown first on a document row (for keeping a place)."""
        if not self.paragraphs:
            return 0
        index, within = self.locate(row)
        if not self._exact[index]:
            return self.paragraphs[index].start
        lines = self.lines(index)
        return lines[min(within, len(lines) - 1)].start


class DocumentLayouts:
    """The layouts of one document, kept by width and options for as long as its
    session lives: a reader opened again (from the library), or a terminal resized
    back, finds the rows it counted still counted, and its place where it was.

    At most `KEPT` layouts, the least recently used dropped first; a layout of
    another version of the document (the whole of a long file, once read) is made
    anew.
    """

    KEPT = 4

    def __init__(self) -> None:
        self._kept: dict[tuple[int, LayoutOptions], DocumentLayout] = {}

    def get(self, document: Document, width: int, options: LayoutOptions) -> DocumentLayout:
        """The layout of `document` at `width` with `options`: kept, or made now."""
        key = (width, options)
        layout = self._kept.pop(key, None)
        if layout is None or layout.document is not document:
            layout = DocumentLayout(document, width, options)
        self._kept[key] = layout  # now the most recently used (dicts keep order)
        while len(self._kept) > self.KEPT:
            del self._kept[next(iter(self._kept))]
        return layout
