"""The library's list of documents: Textual's DataTable, telling which rows are seen."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class LibraryTable(DataTable[object]):
    """One row per document; the screen fills the cells as it learns them.

    It posts `RowsShown` when the rows on screen change, so that titles are read for
    the rows a reader sees first.
    """

    class RowsShown(Message):
        """The rows [first, last) are on screen."""

        def __init__(self, table: LibraryTable, first: int, last: int) -> None:
            super().__init__()
            self.table = table
            self.first = first
            self.last = last

        @property
        def control(self) -> LibraryTable:
            return self.table

        def can_replace(self, message: Message) -> bool:
            # Scrolling posts these in bursts: only the latest matters.
            return isinstance(message, LibraryTable.RowsShown)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._post_rows_shown()

    def on_resize(self) -> None:
        self._post_rows_shown()

    def _post_rows_shown(self) -> None:
        first = int(self.scroll_y)
        self.post_message(self.RowsShown(self, first, first + max(1, self.size.height)))

    def move_to(self, key: str) -> None:
        """Put the cursor on a row (when it is listed)."""
        try:
            self.move_cursor(row=self.get_row_index(key))
        except RowDoesNotExist:
            pass
