"""The go-to line (`:`): a percentage, a section number, or text to search for."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.ui.widgets.bidi_input import BidiInput


class GoToBar(Horizontal):
    """Hidden until `:`; Enter goes, Escape closes and changes nothing."""

    DEFAULT_CSS = """
    GoToBar { height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Close the go-to line",
            id="goto-cancel",
            tooltip="Close the go-to line without moving",
            show=False,
        ),
    ]

    class Submitted(Message):
        """The reader asked to go somewhere (the line's text, not yet understood)."""

        def __init__(self, goto_bar: GoToBar, value: str) -> None:
            super().__init__()
            self.goto_bar = goto_bar
            self.value = value

        @property
        def control(self) -> GoToBar:
            return self.goto_bar

    class Cancelled(Message):
        """The reader closed the line with Escape."""

        def __init__(self, goto_bar: GoToBar) -> None:
            super().__init__()
            self.goto_bar = goto_bar

        @property
        def control(self) -> GoToBar:
            return self.goto_bar

    def __init__(self, options: LayoutOptions = DEFAULT_OPTIONS, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.layout_options = options

    def compose(self) -> ComposeResult:
        yield Label(":", id="goto-prompt")
        yield BidiInput(
            layout_options=self.layout_options,
            placeholder="50%  ·  3 (third section)  ·  text to search",
            id="goto-input",
        )

    def open(self) -> None:
        """Show the line, empty, with the focus in it."""
        self.display = True
        inputs = self.query(Input)
        if inputs:
            inputs.first().value = ""
            inputs.first().focus()
        else:
            # Mounted a moment ago and not composed yet: focus it once it is.
            self.call_after_refresh(self.open)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Submitted(self, event.value))

    def action_cancel(self) -> None:
        self.display = False
        self.post_message(self.Cancelled(self))
