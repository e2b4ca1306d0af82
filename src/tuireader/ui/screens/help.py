"""The help screen: every key binding, where it works, and what it does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader.ui.labels import visual_label


def binding_rows(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares, as Binding objects."""
    rows = []
    for binding in node_class.BINDINGS:
        if isinstance(binding, Binding):
            rows.append(binding)
        else:
            key, action, *rest = binding
            rows.append(Binding(key, action, rest[0] if rest else action))
    return rows


def help_cell(text: str) -> Text:
    """What a key does, in visual order like every drawn string (`visual_label`), but
    wrapped by the table: the app's own tooltips are LTR, and an LTR row wraps as its
    logical text does."""
    cell = visual_label(text)
    cell.no_wrap = False
    return cell


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the given groups; any of escape, q or ? closes it."""

    CSS_PATH = "help.tcss"
    ALLOW_SELECT = False
    """Drawn in visual order: a mouse selection would copy glyphs (issue 10)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,question_mark",
            "close",
            "Close help",
            id="help-close",
            tooltip="Close this help",
        ),
        # less's keys, as in the reader: the help is longer than an 80x24 screen.
        Binding("space", "page(1)", "Page down", id="help-page-down", tooltip="Page down"),
        Binding("b", "page(-1)", "Page up", id="help-page-up", tooltip="Page up"),
    ]

    def __init__(self, groups: Sequence[tuple[str, type[DOMNode]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("what it does", ratio=1)
        for title, node_class in self.groups:
            table.add_row(Text(title, style="underline"), "")
            for binding in binding_rows(node_class):
                keys = ", ".join(
                    self.app.get_key_display(binding.with_key(key))
                    for key in binding.key.split(",")
                )
                table.add_row(keys, help_cell(binding.tooltip or binding.description))
            table.add_row("", "")
        with VerticalScroll(id="help-body"):
            yield Static("tuireader — keys", id="help-title")
            yield Static(table)
            yield Static(
                "ctrl+p opens the command palette: every key above is there too.", id="help-footer"
            )

    def action_close(self) -> None:
        self.dismiss()

    def action_page(self, direction: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down()
        else:
            body.scroll_page_up()
