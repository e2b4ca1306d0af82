"""A multi-line text field that shows what is typed shaped and in visual order, as the article."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets.text_area import Selection

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Direction
from tuireader.ui.config import CursorMovement, StateFile, cursor_movement_of
from tuireader.ui.widgets.editor_rows import (
    EditorRow,
    next_grapheme,
    previous_grapheme,
    rows_of_lines,
)
from tuireader.ui.widgets.safe_text_area import SafeTextArea

if TYPE_CHECKING:
    from textual.document._document import Location
    from textual.document._edit import Edit
    from textual.events import MouseEvent
    from textual.widgets.text_area import EditResult


class BidiTextArea(SafeTextArea):
    """Textual's `TextArea` (its document, editing, undo, keys and clipboard) drawn by our
    bidi layout: each line is a paragraph, shaped, wrapped and reordered as the article's
    paragraphs are, and the cursor is drawn at the cell of its logical position.

    Replaced: rendering (`render_line`), the cursor's cell (`_recompute_cursor_offset`),
    the virtual size, left/right (visual), up/down and page keys (visual rows), home/end
    (the row's logical start and end), backspace/delete (a whole grapheme), and mouse
    clicks. Kept from Textual: everything that edits the document. See docs/upstream.md.
    """

    def __init__(
        self,
        text: str = "",
        *,
        layout_options: LayoutOptions = DEFAULT_OPTIONS,
        default_direction: Direction = Direction.LTR,
        cursor_movement: CursorMovement = "visual",
        **options: Any,
    ) -> None:
        """A text area whose lines are laid out like the article.

        Args:
            text: The starting text (logical order).
            layout_options: The app's layout options (`--bidi terminal`: logical rows).
            default_direction: The direction of a line without a strong character (an
                empty line: where the cursor starts).
            cursor_movement: What left and right do on RTL rows.
            options: `TextArea`'s own options.
        """
        # Set first: Textual's __init__ already moves the cursor, which asks for rows.
        self.layout_options = layout_options
        self.default_direction = default_direction
        self.cursor_movement: CursorMovement = cursor_movement
        self._rows_key: tuple[str, int] | None = None
        self._rows_cache: list[tuple[int, EditorRow]] = []
        self._caret: tuple[Location, int, tuple[str, int] | None] | None = None
        """(location, edge, rows key) reached by a visual step: the edge to draw it at while the
        cursor stays there (one position can be drawn at two edges at a direction
        boundary; a step must not jump back)."""
        self._goal_cell = 0
        """The cell up and down aim for (kept across short rows)."""
        super().__init__(text, **options)
        self.match_cursor_bracket = False  # brackets are mirrored: Textual's cell is not ours

    def on_mount(self) -> None:
        self.cursor_movement = settings_cursor_movement(self, self.cursor_movement)

    # --- layout ---------------------------------------------------------------------

    @property
    def _layout_width(self) -> int:
        """Cells a row may use, the cursor's spare cell included; 0 without soft wrap."""
        if not self.soft_wrap:
            return 0
        return max(2, self.scrollable_content_region.width - self.gutter_width)

    def visual_rows(self) -> list[tuple[int, EditorRow]]:
        """Every visual row of the document, top to bottom, with its line's index."""
        key = (self.document.text, self._layout_width)
        if key != self._rows_key:
            self._rows_cache = rows_of_lines(
                self.document.lines, key[1], self.layout_options, self.default_direction
            )
            self._rows_key = key
        return self._rows_cache

    def _row_index(self, location: Location) -> int:
        """The index in `visual_rows` of the row that shows `location`."""
        line, column = location
        rows = self.visual_rows()
        found = 0
        for index, (line_index, row) in enumerate(rows):
            if line_index == line:
                found = index
                if row.owns(column):
                    return index
            elif line_index > line:
                break
        return found

    def _edge(self, location: Location, row: EditorRow) -> int:
        caret = self._caret
        if caret is not None and caret[0] == location and caret[2] == self._rows_key:
            return caret[1]  # valid for this text at this width only
        return row.edge_of(location[1])

    def cursor_cell(self, location: Location | None = None) -> tuple[int, int]:
        """(x, y) of the cell where the cursor at `location` is drawn, in rows of the
        whole document (before scrolling)."""
        if location is None:
            location = self.cursor_location
        y = self._row_index(location)
        _line, row = self.visual_rows()[y]
        x = row.cell_of_edge(self._edge(location, row))
        if self.soft_wrap:
            # Spaces typed past a full row's end: the cursor waits in its last cell.
            x = min(x, self._layout_width - 1)
        return x, y

    def _recompute_cursor_offset(self) -> None:
        self._cursor_offset = self.cursor_cell()

    def record_cursor_width(self) -> None:
        self._goal_cell = self.cursor_cell()[0]

    def _refresh_size(self) -> None:
        rows = self.visual_rows()
        if self.soft_wrap:
            self.virtual_size = Size(0, len(rows))
        else:
            widest = max((row.width for _line, row in rows), default=0)
            self.virtual_size = Size(widest + self.gutter_width + 1, len(rows))
        self._refresh_scrollbars()

    def edit(self, edit: Edit) -> EditResult:
        self._caret = None
        return super().edit(edit)

    # --- drawing --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if not self.text and self.placeholder:
            return super().render_line(y)
        theme = self._theme
        base_style = theme.base_style if theme and theme.base_style else self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        rows = self.visual_rows()
        absolute_y = y + scroll_y
        if absolute_y >= len(rows):
            return Strip.blank(self.size.width, base_style)
        line_index, row = rows[absolute_y]
        width = self.scrollable_content_region.width - self.gutter_width
        if not self.soft_wrap:
            width = max(width, self.virtual_size.width)
        cursor_line, cursor_column = self.cursor_location
        line_style = (
            theme.cursor_line_style
            if theme
            and self.highlight_cursor_line
            and self._has_cursor
            and cursor_line == line_index
            else (theme.base_style if theme else None)
        ) or Style()
        styles: list[Style] = [line_style] * width
        selection_style = theme.selection_style if theme else None
        start, end = sorted(self.selection)
        if start != end and selection_style and start[0] <= line_index <= end[0]:
            first = start[1] if line_index == start[0] else 0
            last = end[1] if line_index == end[0] else len(self.document[line_index]) + 1
            spans = row.cell_spans(first, last)
            if not spans and row.last and line_index < end[0]:
                # An empty line inside the selection still shows that it is selected.
                spans = [(row.cursor_cell(row.end), row.cursor_cell(row.end) + 1)]
            for a, b in spans:
                for cell in range(max(0, a), min(b, width)):
                    styles[cell] = styles[cell] + selection_style
        cursor_style = theme.cursor_style if theme else None
        if cursor_line == line_index and row.owns(cursor_column) and self._draw_cursor:
            cell = self.cursor_cell()[0]
            if cursor_style and 0 <= cell < width:
                styles[cell] = styles[cell] + cursor_style
        strip = paint_row(row, 0, styles)
        if not self.soft_wrap:
            strip = strip.crop(scroll_x, scroll_x + self.scrollable_content_region.width)
        return strip.apply_style(base_style)

    # --- moving ---------------------------------------------------------------------

    def _move(self, location: Location, edge: int | None, select: bool) -> None:
        self._caret = (location, edge, self._rows_key) if edge is not None else None
        self.move_cursor(location, select=select)

    def _logical_neighbour(self, location: Location, forwards: bool) -> Location:
        """The next (or previous) grapheme boundary, across line ends."""
        line, column = location
        text = self.document[line]
        if forwards:
            if column >= len(text):
                return (line + 1, 0) if line + 1 < self.document.line_count else location
            return line, next_grapheme(text, column)
        if column <= 0:
            return (line - 1, len(self.document[line - 1])) if line > 0 else location
        return line, previous_grapheme(text, column)

    def _step(self, rightwards: bool, words: bool = False) -> tuple[Location, int | None]:
        """Where left or right (by a glyph, or by a word) takes the cursor, and the edge
        to draw it at."""
        location = self.cursor_location
        if self.cursor_movement == "logical":
            if words:
                if rightwards:
                    return self.get_cursor_word_right_location(), None
                return self.get_cursor_word_left_location(), None
            return self._logical_neighbour(location, rightwards), None
        rows = self.visual_rows()
        index = self._row_index(location)
        line, row = rows[index]
        edge = self._edge(location, row)
        crossed = row.word_step(edge, rightwards) if words else row.step(edge, rightwards)
        if crossed is not None:
            position, edge = crossed
            return (line, position), (edge if row.owns(position) else None)
        # Past the row's end: on to the row that reading order puts there (in an RTL
        # row the right end is where the row starts, so right goes to the row before).
        forwards = rightwards != row.rtl
        neighbour = index + (1 if forwards else -1)
        if not 0 <= neighbour < len(rows):
            return location, self._edge(location, row)
        line, row = rows[neighbour]
        position, edge = row.extreme(rightmost=not rightwards)
        return (line, position), edge

    def action_cursor_left(self, select: bool = False) -> None:
        self._arrow(rightwards=False, select=select)

    def action_cursor_right(self, select: bool = False) -> None:
        self._arrow(rightwards=True, select=select)

    def action_cursor_word_left(self, select: bool = False) -> None:
        self._arrow(rightwards=False, select=select, words=True)

    def action_cursor_word_right(self, select: bool = False) -> None:
        self._arrow(rightwards=True, select=select, words=True)

    def _arrow(self, *, rightwards: bool, select: bool, words: bool = False) -> None:
        if not self._has_cursor:
            self.scroll_right() if rightwards else self.scroll_left()
            return
        if not select and not self.selection.is_empty:
            # Collapse to the selection's end on the side the arrow points to.
            ends = sorted(self.selection, key=lambda end: self.cursor_cell(end)[::-1])
            self._move(ends[-1] if rightwards else ends[0], None, select=False)
            return
        location, edge = self._step(rightwards, words)
        self._move(location, edge, select)

    def _vertical_target(self, rows_down: int) -> Location:
        rows = self.visual_rows()
        target = self._row_index(self.cursor_location) + rows_down
        if target < 0:
            return 0, 0
        if target >= len(rows):
            return self.document.end
        line, row = rows[target]
        return line, row.position_at_cell(self._goal_cell)

    def get_cursor_up_location(self) -> Location:
        return self._vertical_target(-1)

    def get_cursor_down_location(self) -> Location:
        return self._vertical_target(1)

    def action_cursor_page_up(self) -> None:
        self._page(-1)

    def action_cursor_page_down(self) -> None:
        self._page(1)

    def _page(self, direction: int) -> None:
        if not self.show_cursor:
            self.scroll_page_up() if direction < 0 else self.scroll_page_down()
            return
        height = self.content_size.height
        target = self._vertical_target(direction * height)
        self.scroll_relative(y=direction * height, animate=False)
        self.move_cursor(target, record_width=False)

    def get_cursor_line_start_location(self, smart_home: bool = False) -> Location:
        """Home: the logical start of the row (on a wrapped line, of this row only)."""
        line, row = self.visual_rows()[self._row_index(self.cursor_location)]
        return line, row.start

    def get_cursor_line_end_location(self) -> Location:
        """End: the row's logical end (before the space a wrapped row hangs)."""
        line, row = self.visual_rows()[self._row_index(self.cursor_location)]
        stops = row.stops()
        return line, (max(stops) if stops else row.start)

    def get_target_document_location(self, event: MouseEvent) -> Location:
        scroll_x, scroll_y = self.scroll_offset
        target_x = event.x - self.gutter_width + scroll_x - self.gutter.left
        target_y = event.y + scroll_y - self.gutter.top
        rows = self.visual_rows()
        line, row = rows[max(0, min(target_y, len(rows) - 1))]
        return line, row.position_at_cell(target_x)

    # --- deleting -------------------------------------------------------------------

    def action_delete_left(self) -> None:
        """Backspace: the grapheme before the cursor in logical order (a letter with its
        harakat, a flag), wherever the row shows it."""
        if self.read_only:
            return
        start, end = self.selection
        if self.selection.is_empty:
            end = self._logical_neighbour(start, forwards=False)
        self._delete_via_keyboard(start, end)

    def action_delete_right(self) -> None:
        """Delete: the grapheme after the cursor in logical order."""
        if self.read_only:
            return
        start, end = self.selection
        if self.selection.is_empty:
            end = self._logical_neighbour(start, forwards=True)
        self._delete_via_keyboard(start, end)

    def select_all(self) -> None:
        self._caret = None
        super().select_all()

    def selected_range(self) -> Selection:
        """The selection with its start before its end (logical order)."""
        start, end = sorted(self.selection)
        return Selection(start, end)


def paint_row(row: EditorRow, pad: int, styles: list[Style]) -> Strip:
    """A row's glyphs as a strip of `len(styles)` cells, each cell in its style, the
    row starting `pad` cells from the left; glyphs past the end are left out."""
    width = len(styles)
    texts = [" "] * width
    for glyph in row.glyphs:
        cell = pad + glyph.cell
        if cell < 0 or cell + glyph.width > width:
            continue
        texts[cell] = glyph.text
        for extra in range(cell + 1, cell + glyph.width):
            texts[extra] = ""  # the second cell of a wide character
    segments: list[Segment] = []
    for cell, text in enumerate(texts):
        if text:
            if segments and segments[-1].style == styles[cell]:
                segments[-1] = Segment(segments[-1].text + text, styles[cell])
            else:
                segments.append(Segment(text, styles[cell]))
    return Strip(segments, width)


def settings_cursor_movement(widget: Widget, default: CursorMovement) -> CursorMovement:
    """The app's remembered cursor movement (settings.json), if the app keeps settings.

    A widget reading up is an exception to "attributes down": one setting for every
    text field, wherever it is composed, without threading it through each screen."""
    settings = getattr(widget.app, "settings", None)
    return cursor_movement_of(settings.data) if isinstance(settings, StateFile) else default
