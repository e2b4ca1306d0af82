"""The article pane: visual rows from the bidi layout, drawn with Textual's Line API."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from tuireader.bidi.document_layout import DocumentLayout, DocumentLayouts
from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions, VisualLine
from tuireader.text.document import BlockKind, Direction, Document
from tuireader.text.hidden import HIDDEN_RUN_RE, hidden_notice
from tuireader.text.sanitize import terminal_safe

MAX_MEASURE = 100
"""Widest text column, in cells: long rows are hard to read."""
GUTTER = 2
"""Cells left of the text: a note mark and a space."""


class Highlight(NamedTuple):
    """A logical range to draw in a component style (a search hit, a claim, a note)."""

    start: int
    end: int
    component: str
    """A component class of ArticleView, e.g. "article-view--hit"."""
    gutter: str = ""
    """A mark for the gutter of each row it touches (one cell), or nothing."""


class _Layer:
    """Highlights of one kind, sorted by start, with the widest range for lookups."""

    __slots__ = ("highlights", "longest", "starts")

    def __init__(self, highlights: Iterable[Highlight]) -> None:
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self.starts = [h.start for h in self.highlights]
        self.longest = max((h.end - h.start for h in self.highlights), default=0)

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        return [h for h in self.highlights[first:last] if h.end > start]


class ArticleView(ScrollView, can_focus=True):
    """Shows a document's rows: the cost of a frame depends on the screen only."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--heading",
        "article-view--metadata",
        "article-view--boilerplate",
        "article-view--quote",
        "article-view--code",
        "article-view--hit",
        "article-view--hit-current",
        "article-view--cursor",
        "article-view--note-supported",
        "article-view--note-disputed",
        "article-view--note-unverified",
        "article-view--note-needs-source",
        "article-view--note-opinion",
        "article-view--note-none",
        "article-view--hidden",
    }

    DEFAULT_CSS = """
    ArticleView { overflow-x: hidden; overflow-y: auto; scrollbar-gutter: stable; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j,down",
            "scroll_lines(1)",
            "Down",
            id="scroll-down",
            tooltip="Scroll a line down",
            show=False,
        ),
        Binding(
            "k,up", "scroll_lines(-1)", "Up", id="scroll-up", tooltip="Scroll a line up", show=False
        ),
        Binding(
            "space,pagedown",
            "scroll_pages(1)",
            "Page down",
            id="page-down",
            tooltip="Scroll a page down",
            show=False,
        ),
        Binding(
            "b,pageup",
            "scroll_pages(-1)",
            "Page up",
            id="page-up",
            tooltip="Scroll a page up",
            show=False,
        ),
        Binding("g,home", "scroll_top", "Top", id="top", tooltip="Go to the start", show=False),
        Binding(
            "G,end", "scroll_bottom", "Bottom", id="bottom", tooltip="Go to the end", show=False
        ),
        Binding(
            "H",
            "toggle_hidden",
            "Hidden characters",
            id="toggle-hidden",
            tooltip="Show or hide invisible characters (bidi controls, zero-width, TAG) as marks",
            show=False,
        ),
    ]

    class Scrolled(Message):
        """The rows on screen changed; `offset` is the logical offset of the top row."""

        def __init__(self, article_view: ArticleView, offset: int, fraction: float) -> None:
            super().__init__()
            self.article_view = article_view
            self.offset = offset
            self.fraction = fraction
            """How far through the document the view is, 0.0 to 1.0."""

        @property
        def control(self) -> ArticleView:
            return self.article_view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.Scrolled)

    class EndWanted(Message):
        """`G` in the start of a long file: the screen may show the file's end at once."""

        def __init__(self, article_view: ArticleView) -> None:
            super().__init__()
            self.article_view = article_view

        @property
        def control(self) -> ArticleView:
            return self.article_view

    class Clicked(Message):
        """The reader clicked on text at a logical offset."""

        def __init__(self, article_view: ArticleView, offset: int) -> None:
            super().__init__()
            self.article_view = article_view
            self.offset = offset

        @property
        def control(self) -> ArticleView:
            return self.article_view

    def __init__(
        self,
        document: Document,
        options: LayoutOptions = DEFAULT_OPTIONS,
        *,
        layouts: DocumentLayouts | None = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        """
        Args:
            document: What to show.
            options: How to lay it out.
            layouts: Where the document's layouts are kept (its session's, so that a
                reader opened again finds its rows counted); by default this view's own.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.document = document
        self.options = options
        self._layouts = layouts if layouts is not None else DocumentLayouts()
        self._layout = self._layouts.get(document, 0, options)
        self._layers: dict[str, _Layer] = {}
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self._top = 0
        self._end_pending = False
        """`G` came before the end of a long file was read: go there once it is."""
        self._pending_offset: tuple[int, bool] | None = None
        """A logical offset to bring into view once the width is known (and centre?)."""
        self._warned: str | None = None
        """The hidden-characters warning last shown as a toast (once per text)."""

    @property
    def document_layout(self) -> DocumentLayout:
        """The rows shown, at the current width."""
        return self._layout

    def on_mount(self) -> None:
        self._warn_hidden()

    def _warn_hidden(self) -> None:
        """A toast with the whole hidden-characters warning: the status bar may cut it."""
        notice = hidden_notice(self.document.hidden)
        if notice is None or notice == self._warned:
            return
        self._warned = notice
        hint = "" if self.options.show_hidden else " (H shows them)"
        self.notify(
            terminal_safe(notice + hint),
            title="Hidden characters",
            severity="warning",
            timeout=12,
            markup=False,
        )

    @property
    def showing_hidden(self) -> bool:
        """Whether invisible characters are drawn as marks."""
        return self.options.show_hidden

    def action_toggle_hidden(self) -> None:
        """Draw invisible characters as marks ("⌜ZWSP⌝", "⌜RLO⌝", "⌜TAG:not⌝"), or not.

        The marks are laid out as characters of their own, so rows wrap around them and
        every cell still maps to its logical offset.
        """
        show = not self.options.show_hidden
        self.options = self.options._replace(show_hidden=show)
        self.set_highlights("hidden", self._hidden_marks(self.document) if show else ())
        self.set_document(self.document)
        self.notify(
            "Invisible characters shown as marks" if show else "Invisible characters hidden",
            timeout=2,
            markup=False,
        )

    @staticmethod
    def _hidden_marks(document: Document) -> list[Highlight]:
        """Where the marks of invisible characters are, once `H` shows them."""
        return [
            Highlight(*match.span(), "article-view--hidden")
            for match in HIDDEN_RUN_RE.finditer(document.text)
        ]

    def set_document(self, document: Document, shift: int | None = 0) -> None:
        """Show another version of the document (the whole of a long file, once read),
        keeping the reading position and the highlights.

        Args:
            document: What to show.
            shift: What to add to the shown offsets to find them in `document` (the end
                of a file becoming the whole); None shows the end of `document`.
        """
        keep = self.top_offset() + (shift or 0) if self._layout.width else None
        if shift is None:
            self._end_pending = True
        if self.options.show_hidden and document is not self.document:
            self._layers["hidden"] = _Layer(self._hidden_marks(document))
        self.document = document
        self._layout = self._layouts.get(document, self._layout.width, self.options)
        self._strips.clear()
        if self._layout.width:
            self._update_virtual_size()
            if self._end_pending:
                self._end_pending = False
                self.action_scroll_bottom()
            elif keep is not None:
                self._scroll_to_row(self._layout.row_of(keep))
        self.refresh()
        if self.is_mounted:
            self._warn_hidden()

    # --- Geometry ------------------------------------------------------------

    @property
    def measure(self) -> int:
        """Cells per row of text."""
        return max(1, min(self.scrollable_content_region.width - 2 * GUTTER, MAX_MEASURE))

    @property
    def _left(self) -> int:
        """Cells before the text column: the gutter, then centring."""
        width = self.scrollable_content_region.width
        return GUTTER + max(0, (width - 2 * GUTTER - self.measure) // 2)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width()

    def _fit_width(self) -> None:
        """Re-wrap for the current width (a no-op when the rows already fit it).

        Called on resize, and before drawing: Textual may draw a widget at its new
        size before the Resize event reaches it.
        """
        if self._layout.width == self.measure and self.virtual_size.height:
            return
        keep = self.top_offset() if self._layout.width else None
        self._layout = self._layouts.get(self.document, self.measure, self.options)
        self._strips.clear()
        self._update_virtual_size()
        if keep is not None and self._pending_offset is None:
            self._pending_offset = (keep, False)
        self._apply_pending_offset()

    def _apply_pending_offset(self) -> None:
        if self._pending_offset is not None:
            offset, centre = self._pending_offset
            self._pending_offset = None
            self.scroll_to_offset(offset, centre=centre, top=not centre)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self._layout.total_rows)

    def top_offset(self) -> int:
        """The logical offset shown first on the top row (the reading position)."""
        return self._layout.offset_at(round(self.scroll_y))

    # --- Moving --------------------------------------------------------------

    def _scroll_to_row(self, row: int) -> None:
        self._top = max(0, min(row, self._layout.total_rows - self.size.height))
        # force: before the first layout Textual has not decided there is a scrollbar.
        self.scroll_to(y=self._top, animate=False, immediate=True, force=True)

    def scroll_to_offset(self, offset: int, *, centre: bool = False, top: bool = False) -> None:
        """Bring the row that shows a logical offset into view.

        Args:
            offset: A logical offset in the document text.
            centre: Put the row in the middle of the view, when it is not in view.
            top: Put the row at the top of the view.
        """
        if not self._layout.width:
            self._pending_offset = (offset, centre)
            return
        row = self._layout.row_of(offset)
        self._update_virtual_size()
        height = self.size.height
        if top:
            self._scroll_to_row(row)
        elif not (self.scroll_y <= row < self.scroll_y + height):
            self._scroll_to_row(row - height // 2 if centre else row)

    def scroll_range_into_view(self, start: int, end: int) -> None:
        """Show a logical range: its first row, and its last one too when they fit."""
        if not self._layout.width:
            self._pending_offset = (start, True)
            return
        first = self._layout.row_of(start)
        last = self._layout.row_of(max(start, end - 1))
        height = self.size.height
        top = round(self.scroll_y)
        if first < top or last >= top + height:
            self._scroll_to_row(first - max(1, (height - (last - first + 1)) // 2))
        self._update_virtual_size()

    def action_scroll_lines(self, count: int) -> None:
        self._scroll_to_row(round(self.scroll_y) + count)

    def action_scroll_pages(self, count: int) -> None:
        self._scroll_to_row(round(self.scroll_y) + count * max(1, self.size.height - 2))

    def action_scroll_top(self) -> None:
        self._scroll_to_row(0)

    def action_scroll_bottom(self) -> None:
        if not self.document.complete and not self.document.is_end:
            # The start of a long file: the screen shows the file's end if it can, and
            # the whole file, once read, opens at its end in any case.
            self._end_pending = True
            self.post_message(self.EndWanted(self))
        # Lay out the last screenful exactly first, so the end is where we land.
        layout = self._layout
        rows = 0
        index = len(layout.paragraphs) - 1
        while index >= 0 and rows < self.size.height:
            rows += len(layout.lines(index)) + 1
            index -= 1
        self._update_virtual_size()
        self._scroll_to_row(layout.total_rows)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._post_scrolled()

    def _post_scrolled(self) -> None:
        total = max(1, self._layout.total_rows - self.size.height)
        fraction = min(1.0, max(0.0, self.scroll_y / total))
        self.post_message(self.Scrolled(self, self.top_offset(), fraction))

    def on_click(self, event: events.Click) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is not None:
            self.post_message(self.Clicked(self, offset))

    def offset_at(self, x: int, y: int) -> int | None:
        """The logical offset of the character drawn at a point of the widget."""
        index, within = self._layout.locate(round(self.scroll_y) + y)
        if not self._layout.paragraphs:
            return None
        lines = self._layout.lines(index)
        if within >= len(lines):
            return None
        line = lines[within]
        cell = self._left + line.indent
        for glyph in line.glyphs:
            if cell <= x < cell + glyph.width:
                return glyph.start
            cell += glyph.width
        return None

    # --- Mouse selection (Textual's selection API) ----------------------------
    #
    # Textual finds the selected characters from an "offset" in each segment's style
    # meta (`Strip.apply_offsets`), as (x, y): here x counts characters of the row as
    # drawn and y is the row of the whole article. Textual would copy the characters of
    # the row: the glyphs, in visual order. `get_selection` maps the selected cells back
    # to the logical text each glyph shows (docs/upstream.md).

    def _selectable(self, strip: Strip, row: int) -> Strip:
        strip = strip.apply_offsets(0, row)
        selection = self.text_selection
        span = selection.get_span(row) if selection is not None else None
        if span is None:
            return strip
        text = strip.text
        first, last = span
        last = len(text) if last == -1 else last
        start, end = cell_len(text[:first]), cell_len(text[:last])
        if start >= end:
            return strip
        selected = Strip(
            Segment.apply_style(strip.crop(start, end), post_style=self.selection_style)
        )
        return Strip.join([strip.crop(0, start), selected, strip.crop(end, strip.cell_length)])

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The logical text of the selected cells: each paragraph's selected characters
        in the order they are stored, one paragraph a line."""
        layout = self._layout
        if not layout.paragraphs:
            return None
        first_row = 0 if selection.start is None else selection.start.y
        last_row = layout.total_rows - 1 if selection.end is None else selection.end.y
        pieces: dict[int, list[tuple[int, int]]] = {}
        for row in range(max(0, first_row), min(layout.total_rows, last_row + 1)):
            span = selection.get_span(row)
            index, within = layout.locate(row)
            lines = layout.lines(index)
            if span is None or within >= len(lines):
                continue
            line = lines[within]
            position = self._left + line.indent
            first, last = span
            for glyph in line.glyphs:
                size = len(glyph.text)
                if position < (last if last != -1 else position + size + 1) and (
                    position + size > first
                ):
                    pieces.setdefault(index, []).append((glyph.start, glyph.end))
                position += size
        text = self.document.text
        paragraphs = []
        for ranges in pieces.values():
            merged: list[list[int]] = []
            for start, end in sorted(ranges):
                if merged and start <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            paragraphs.append(" ".join(text[start:end].strip() for start, end in merged))
        return ("\n".join(paragraphs), "\n") if paragraphs else None

    # --- Highlights ----------------------------------------------------------

    def set_highlights(self, layer: str, highlights: Iterable[Highlight]) -> None:
        """Replace one layer of highlights ("hits", "cursor", "notes" ...)."""
        self._layers[layer] = _Layer(highlights)
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    # --- Drawing -------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._fit_width()
        self._settle_viewport()
        return super().render_lines(crop)

    def _settle_viewport(self) -> None:
        """Lay out exactly the paragraphs on screen before drawing them.

        A paragraph nobody has seen has an estimated height. When the top paragraph is
        laid out and its height changes, the view moves by the change, so the rows
        below it stay where the reader saw them (this happens when scrolling up).
        """
        layout = self._layout
        if not layout.width or not layout.paragraphs:
            return
        top = round(self.scroll_y)
        index, _ = layout.locate(top)
        if not layout.is_exact(index):
            top = max(0, top + layout.settle(index))
        bottom = top + self.size.height
        while index < len(layout.paragraphs) and layout.first_row(index) < bottom:
            layout.lines(index)
            index += 1
        self._top = top
        if self.virtual_size.height != layout.total_rows:
            self._update_virtual_size()
        if top != round(self.scroll_y):
            self.set_reactive(ScrollView.scroll_y, float(top))
            self.set_reactive(ScrollView.scroll_target_y, float(top))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = self._top + y
        layout = self._layout
        if not layout.paragraphs or row >= layout.total_rows:
            return Strip.blank(width, self._style(""))
        index, within = layout.locate(row)
        key = (index, within)
        strip = self._strips.get(key)
        if strip is None:
            lines = layout.lines(index)
            if within >= len(lines):
                strip = Strip.blank(width, self._style(""))
            else:
                strip = self._draw(lines[within], index, width)
            self._strips[key] = strip
        return self._selectable(strip, row)

    def _style(self, component: str) -> Style:
        """A component's partial style, or the widget's own for "", remembered until the
        styles change (Textual works the widget's out from every ancestor each time)."""
        style = self._styles.get(component)
        if style is None:
            style = (
                self.get_component_rich_style(component, partial=True)
                if component
                else self.rich_style
            )
            self._styles[component] = style
        return style

    def _draw(self, line: VisualLine, index: int, width: int) -> Strip:
        """One row as a Strip: gutter, indent, then runs of glyphs that share a style."""
        plain = self._style("")
        kind = _KIND_COMPONENTS.get(self.document.paragraphs[index].kind)
        base = plain + self._style(kind) if kind else plain
        marks = [
            h for layer in self._layers.values() for h in layer.overlapping(line.start, line.end)
        ]
        gutter, gutter_style = self._gutter(marks, plain)
        # The gutter sits beside the text column, on the side where the document's
        # rows start (the right for RTL), not at the pane's edge: with the panels hidden
        # on a wide screen the column is centred, and a mark at the edge was 13 cells
        # from the text it marks (issue 13).
        rtl = self.document.direction is Direction.RTL and self.options.align
        before = self._left - GUTTER
        segments = [] if rtl else [Segment(" " * before, plain), Segment(gutter, gutter_style)]
        if rtl:
            segments.append(Segment(" " * (self._left + line.indent), plain))
        elif line.indent:
            segments.append(Segment(" " * line.indent, plain))
        if not marks:
            segments.append(Segment("".join(glyph.text for glyph in line.glyphs), base))
        else:
            # Runs of glyphs under the same marks share one style (computed once a run).
            run: list[str] = []
            active: tuple[str, ...] = ()
            for glyph in line.glyphs:
                here = tuple(
                    m.component for m in marks if m.start < glyph.end and glyph.start < m.end
                )
                if here != active and run:
                    segments.append(Segment("".join(run), self._marked(base, active)))
                    run = []
                active = here
                run.append(glyph.text)
            if run:
                segments.append(Segment("".join(run), self._marked(base, active)))
        used = self._left + line.width
        if rtl:
            # Right of the column: one cell apart from the text, then the mark.
            column_end = self._left + self.measure
            segments.append(Segment(" " * max(0, column_end - used + 1), plain))
            segments.append(Segment(gutter[0], gutter_style))
            used = max(used, column_end + 1) + 1
        if used < width:
            segments.append(Segment(" " * (width - used), plain))
        # A plain row is one run of one style: one segment, so one escape sequence on the
        # wire instead of four (a screen of Arabic is half as many bytes).
        strip = Strip(list(Segment.simplify(segments)))
        return strip if used <= width else strip.crop(0, width)

    def _gutter(self, marks: list[Highlight], plain: Style) -> tuple[str, Style]:
        """The gutter of a row: the mark of the note on it, in its stance's colour, or
        how many notes touch the row when there are several (issue 13: two notes on one
        row showed one mark); GUTTER cells."""
        marked = [mark for mark in marks if mark.gutter]
        if not marked:
            return " " * GUTTER, plain
        if len(marked) == 1:
            text = marked[0].gutter
        else:
            text = str(len(marked)) if len(marked) < 10 else "+"
        components = {mark.component for mark in marked}
        style = plain + Style(bold=True)
        if len(components) == 1:
            colour = self._style(marked[0].component)
            style += Style(color=colour.color or colour.bgcolor)
        return text + " " * (GUTTER - 1), style

    def _marked(self, base: Style, components: tuple[str, ...]) -> Style:
        for component in components:
            base = base + self._style(component)
        return base


_KIND_COMPONENTS = {
    BlockKind.TITLE: "article-view--title",
    BlockKind.HEADING: "article-view--heading",
    BlockKind.METADATA: "article-view--metadata",
    BlockKind.BOILERPLATE: "article-view--boilerplate",
    BlockKind.QUOTE: "article-view--quote",
    BlockKind.CODE: "article-view--code",
}
