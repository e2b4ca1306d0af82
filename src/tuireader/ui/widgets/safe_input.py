"""A text field that never holds terminal control characters (a paste can carry ESC)."""

from __future__ import annotations

from textual.widgets import Input

from tuireader.text.loading import without_controls


class SafeInput(Input):
    """An Input whose value never holds a control character.

    Textual draws an Input's value as it is: a pasted `ESC]52;…` would reach the
    terminal. Replacing one character by one keeps the cursor where it was.
    """

    def validate_value(self, value: str) -> str:
        return without_controls(value)
