"""A yes/no question over the current screen, answered with y/n, enter/escape or a click."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tuireader.bidi.layout import DEFAULT_OPTIONS
from tuireader.ui.labels import visual_rows

QUESTION_FRAME = 6
"""Cells of the dialog's border (2) and padding (4) around the question (confirm.tcss)."""
QUESTION_MIN_WIDTH = 34
"""The question's room in the narrowest dialog (min-width 40, less the frame)."""


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; dismisses with True for yes and False for no.

    The default answer's button has the focus (yes, unless `default=False`), so enter
    gives it; tab moves to the other, and enter then presses that button instead (a
    focused button takes enter before the screen does). A question whose yes loses work
    ("Discard your changes?") defaults to no.
    """

    CSS_PATH = "confirm.tcss"
    ALLOW_SELECT = False
    """The question is drawn in visual order: a mouse selection would copy glyphs."""
    AUTO_FOCUS = "#confirm-yes"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-answer-yes", tooltip="Answer yes"),
        Binding(
            "enter",
            "answer_default",
            "Default",
            id="confirm-answer-enter",
            tooltip="Give the default answer",
        ),
        Binding("n,escape", "answer(False)", "No", id="confirm-answer-no", tooltip="Answer no"),
        Binding(
            "left", "app.focus_previous", show=False, id="confirm-focus-left", tooltip="Go left"
        ),
        Binding(
            "right", "app.focus_next", show=False, id="confirm-focus-right", tooltip="Go right"
        ),
    ]

    def __init__(
        self, question: str, yes: str = "Yes", no: str = "No", *, default: bool = True
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            question = self._visual_question()
            shown = Static(question, id="confirm-question")
            shown.styles.min_width = max((row.cell_len for row in question.split()), default=0)
            yield shown
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    self.yes, variant="primary" if self.default else "default", id="confirm-yes"
                )
                yield Button(
                    self.no, variant="default" if self.default else "primary", id="confirm-no"
                )

    def _visual_question(self) -> Text:
        """The question in visual order (it may quote an Arabic claim or name a file),
        wrapped by our layout at the dialog's widest: no wider than its longest line,
        and within its `max-width` (90% of the screen, less the frame and padding)."""
        options = getattr(self.app, "layout_options", DEFAULT_OPTIONS)
        longest = max((cell_len(line) for line in self.question.split("\n")), default=0)
        room = max(QUESTION_MIN_WIDTH, self.app.size.width * 9 // 10 - QUESTION_FRAME)
        rows = visual_rows(self.question, min(longest, room), options)
        question = Text("\n").join(rows)
        question.no_wrap = True
        return question

    def on_mount(self) -> None:
        if not self.default:
            # Before the screen's auto focus, which then leaves it alone.
            self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_answer_default(self) -> None:
        self.dismiss(self.default)

    @on(Button.Pressed, "#confirm-yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no_pressed(self) -> None:
        self.dismiss(False)
