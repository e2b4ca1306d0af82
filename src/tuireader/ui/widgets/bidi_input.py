"""A one-line text field that shows what is typed shaped and in visual order, as the article."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.strip import Strip
from textual.widgets._input import Selection

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Direction
from tuireader.ui.config import CursorMovement
from tuireader.ui.widgets.bidi_text_area import paint_row, settings_cursor_movement
from tuireader.ui.widgets.editor_rows import (
    EditorRow,
    layout_editor_line,
    next_grapheme,
    previous_grapheme,
)
from tuireader.ui.widgets.safe_input import SafeInput


class BidiInput(SafeInput):
    """Textual's `Input` (its value, editing, selection, clipboard, messages) drawn by our
    bidi layout: one row, shaped and reordered as a paragraph of the article, RTL text
    right-aligned while it fits; the cursor at the cell of its logical position.

    Replaced: rendering (`render_line`, `content_width`, `_cursor_offset`), left/right
    (visual), backspace/delete (a whole grapheme) and the cell of a click. Up and down are
    not bound here (a history can bind them). See docs/upstream.md.
    """

    def __init__(
        self,
        value: str | None = None,
        *,
        layout_options: LayoutOptions = DEFAULT_OPTIONS,
        default_direction: Direction = Direction.LTR,
        cursor_movement: CursorMovement = "visual",
        **options: Any,
    ) -> None:
        """A one-line field laid out like the article.

        Args:
            value: The starting value (logical order).
            layout_options: The app's layout options (`--bidi terminal`: logical order).
            default_direction: The direction of a value without a strong character.
            cursor_movement: What left and right do on RTL text.
            options: `Input`'s own options.
        """
        # Set first: Textual's __init__ sets the value, which asks for the row.
        self.layout_options = layout_options
        self.default_direction = default_direction
        self.cursor_movement: CursorMovement = cursor_movement
        self._caret: tuple[int, int, str] | None = None
        """(position, edge, value) reached by a visual step (see `BidiTextArea._caret`)."""
        super().__init__(value, **options)

    def on_mount(self) -> None:
        self.cursor_movement = settings_cursor_movement(self, self.cursor_movement)

    @property
    def visual_row(self) -> EditorRow:
        """The value as one row, left to right, with the cell of every position."""
        return layout_editor_line(self.value, 0, self.layout_options, self.default_direction)[0]

    @property
    def _pad(self) -> int:
        """Blank cells before the row: an RTL value that fits is right-aligned."""
        row = self.visual_row
        room = self.scrollable_content_region.width
        return max(0, room - self.content_width) if row.rtl and self.value else 0

    @property
    def content_width(self) -> int:
        if self.placeholder and not self.value:
            return super().content_width
        row = self.visual_row
        # The cursor's spare cell: on the left of an RTL row (inside `width`), else right.
        return row.width + (0 if row.rtl else 1)

    def _edge(self, position: int) -> int:
        caret = self._caret
        if caret is not None and caret[0] == position and caret[2] == self.value:
            return caret[1]
        return self.visual_row.edge_of(position)

    def cursor_cell(self) -> int:
        """The cell of the cursor, from the left of the whole row (before scrolling)."""
        return self._pad + self.visual_row.cell_of_edge(self._edge(self.cursor_position))

    @property
    def _cursor_offset(self) -> int:
        return self.cursor_cell()

    def render_line(self, y: int) -> Strip:
        if y != 0 or not self.value:
            return super().render_line(y)
        row = self.visual_row
        pad = self._pad
        room = self.scrollable_content_region.width + 1
        width = max(room, pad + self.content_width)
        styles: list[Style] = [Style()] * width
        if self.has_focus:
            start, end = sorted(self.selection)
            if start != end:
                selected = self.get_component_rich_style("input--selection")
                for a, b in row.cell_spans(start, end):
                    for cell in range(pad + a, min(width, pad + b)):
                        styles[cell] = styles[cell] + selected
            if self._cursor_visible:
                cell = self.cursor_cell()
                if 0 <= cell < width:
                    styles[cell] = styles[cell] + self.get_component_rich_style("input--cursor")
        scroll_x, _ = self.scroll_offset
        strip = paint_row(row, pad, styles).crop(scroll_x, scroll_x + room)
        return strip.extend_cell_length(room).apply_style(self.rich_style)

    def replace(self, text: str, start: int, end: int) -> None:
        self._caret = None
        super().replace(text, start, end)

    def _cell_offset_to_index(self, offset: int) -> int:
        scroll_x, _ = self.scroll_offset
        return self.visual_row.position_at_cell(offset + scroll_x - self._pad)

    def action_cursor_left_word(self, select: bool = False) -> None:
        if self.cursor_movement == "logical":
            super().action_cursor_left_word(select)
        else:
            self._arrow(rightwards=False, select=select, words=True)

    def action_cursor_right_word(self, select: bool = False) -> None:
        if self.cursor_movement == "logical":
            super().action_cursor_right_word(select)
        else:
            self._arrow(rightwards=True, select=select, words=True)

    def _arrow(self, *, rightwards: bool, select: bool, words: bool = False) -> None:
        start, end = self.selection
        if not select and start != end:
            ends = sorted((start, end), key=lambda p: self.visual_row.cursor_cell(p))
            self._caret = None
            self.cursor_position = ends[-1] if rightwards else ends[0]
            return
        position = end
        edge: int | None = None
        if self.cursor_movement == "logical":
            value = self.value
            position = next_grapheme(value, end) if rightwards else previous_grapheme(value, end)
        else:
            row = self.visual_row
            edge_now = self._edge(end)
            crossed = (
                row.word_step(edge_now, rightwards) if words else row.step(edge_now, rightwards)
            )
            if crossed is None:
                return
            position, edge = crossed
        self._caret = (position, edge, self.value) if edge is not None else None
        if select:
            self.selection = Selection(start, position)
        else:
            self.cursor_position = position

    def action_cursor_left(self, select: bool = False) -> None:
        self._arrow(rightwards=False, select=select)

    def action_cursor_right(self, select: bool = False) -> None:
        self._arrow(rightwards=True, select=select)

    def action_delete_left(self) -> None:
        """Backspace: the grapheme before the cursor in logical order."""
        if self.selection.is_empty:
            position = self.cursor_position
            self.delete(previous_grapheme(self.value, position), position)
        else:
            self.delete_selection()

    def action_delete_right(self) -> None:
        """Delete: the grapheme after the cursor in logical order."""
        if self.selection.is_empty:
            position = self.cursor_position
            self.delete(position, next_grapheme(self.value, position))
        else:
            self.delete_selection()
