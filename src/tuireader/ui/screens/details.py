"""The details view (`ctrl+g`, like less's `=`): the full paths, the title and the counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Direction
from tuireader.ui.labels import visual_rows

Fact = tuple[str, "str | Text"]
"""A row of the view: its name and its value (a Text is drawn as it is, e.g. a label
already in visual order; a str — a path, a count — is laid out like the article, an
Arabic folder name shaped and in reading order)."""

NAME_CELLS = 12
"""The names' column ("Notes file" and a gap)."""


class DetailsScreen(ModalScreen[None]):
    """Facts about the open document, over the reader; Esc (or ctrl+g, q) closes it.

    Facts that cost file-system work (the file's size on disk) come from `slow`, run on
    a thread: the view opens at once and they are added when they arrive.
    """

    CSS_PATH = "details.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,ctrl+g,q,enter",
            "close",
            "Close details",
            id="details-close",
            tooltip="Close the details view",
        ),
    ]

    def __init__(
        self, facts: Sequence[Fact], slow: Callable[[], Sequence[Fact]] | None = None
    ) -> None:
        super().__init__()
        self.facts = list(facts)
        self._slow = slow

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details-body") as body:
            body.border_title = "Details"
            body.border_subtitle = "Esc closes"
            yield Static(id="details-table")

    def on_mount(self) -> None:
        if self._slow is not None:
            self._gather(self._slow)

    def on_resize(self) -> None:
        # The values are wrapped by our layout, at the width the box got.
        self._redraw()

    @work(thread=True, exit_on_error=False)
    def _gather(self, slow: Callable[[], Sequence[Fact]]) -> None:
        more = slow()
        self.app.call_from_thread(self._add, more)

    def _add(self, more: Sequence[Fact]) -> None:
        if not self.is_attached:
            return
        self.facts.extend(more)
        self._redraw()

    def _redraw(self) -> None:
        table = self.query_one("#details-table", Static)
        width = table.content_size.width or self.app.size.width - 10
        table.update(self._table(max(10, width - NAME_CELLS - 1)))

    def _table(self, width: int) -> Table:
        options: LayoutOptions = getattr(self.app, "layout_options", DEFAULT_OPTIONS)
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        table.add_column("fact", style="bold", no_wrap=True, width=NAME_CELLS - 2)
        table.add_column("value", ratio=1, no_wrap=True)
        for name, value in self.facts:
            if isinstance(value, Text):
                table.add_row(name, value)
                continue
            # A path is read left to right, its Arabic or Hebrew folder names each in
            # their own order; long ones wrap at our width (never Rich's, which would
            # fold the visual row).
            rows = visual_rows(value, width, options, direction=Direction.LTR)
            table.add_row(name, Text("\n").join(rows))
        return table

    def action_close(self) -> None:
        self.dismiss()
