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

from tuireader.text.sanitize import terminal_safe

Fact = tuple[str, "str | Text"]
"""A row of the view: its name and its value (a Text is drawn as it is, e.g. a label
already in visual order; a str is made terminal-safe first)."""


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
            yield Static(self._table(), id="details-table")

    def on_mount(self) -> None:
        if self._slow is not None:
            self._gather(self._slow)

    @work(thread=True, exit_on_error=False)
    def _gather(self, slow: Callable[[], Sequence[Fact]]) -> None:
        more = slow()
        self.app.call_from_thread(self._add, more)

    def _add(self, more: Sequence[Fact]) -> None:
        if not self.is_attached:
            return
        self.facts.extend(more)
        self.query_one("#details-table", Static).update(self._table())

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        table.add_column("fact", style="bold", no_wrap=True)
        # Paths are long: they wrap anywhere rather than hide their end.
        table.add_column("value", ratio=1, overflow="fold")
        for name, value in self.facts:
            table.add_row(name, value if isinstance(value, Text) else Text(terminal_safe(value)))
        return table

    def action_close(self) -> None:
        self.dismiss()
