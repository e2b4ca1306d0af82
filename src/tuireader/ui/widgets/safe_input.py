"""Text fields that never hold terminal control characters (a paste can carry ESC)."""

from __future__ import annotations

from typing import Any

from textual.document._edit import Edit
from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult

from tuireader.text.loading import replace_controls


def without_controls(text: str) -> str:
    """The text with control characters as visible placeholders, one for one."""
    return replace_controls(text)[0]


class SafeInput(Input):
    """An Input whose value never holds a control character.

    Textual draws an Input's value as it is: a pasted `ESC]52;…` would reach the
    terminal. Replacing one character by one keeps the cursor where it was.
    """

    def validate_value(self, value: str) -> str:
        return without_controls(value)


class SafeTextArea(TextArea):
    """A TextArea that turns control characters into placeholders as they come in."""

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(without_controls(text), **options)

    def load_text(self, text: str) -> None:
        super().load_text(without_controls(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = without_controls(edit.text)
        return super().edit(edit)
