"""A yes/no question over the current screen, answered with y/n, enter/escape or a click."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; dismisses with True for yes and False for no.

    The yes button has the focus, so enter answers yes; tab moves to no, and enter then
    presses that button instead (a focused button takes enter before the screen does).
    """

    CSS_PATH = "confirm.tcss"
    AUTO_FOCUS = "#confirm-yes"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-answer-yes", tooltip="Answer yes"),
        Binding("enter", "answer(True)", "Yes", id="confirm-answer-enter", tooltip="Answer yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-answer-no", tooltip="Answer no"),
        Binding(
            "left", "app.focus_previous", show=False, id="confirm-focus-left", tooltip="Go left"
        ),
        Binding(
            "right", "app.focus_next", show=False, id="confirm-focus-right", tooltip="Go right"
        ),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.question, markup=False, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes, variant="primary", id="confirm-yes")
                yield Button(self.no, id="confirm-no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no_pressed(self) -> None:
        self.dismiss(False)
