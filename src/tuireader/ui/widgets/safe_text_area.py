"""A multi-line text field that never holds terminal control characters."""

from __future__ import annotations

from typing import Any

from textual.document._edit import Edit
from textual.widgets import TextArea
from textual.widgets.text_area import EditResult

from tuireader.text.loading import without_controls


class SafeTextArea(TextArea):
    """A TextArea that turns control characters into placeholders as they come in."""

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(without_controls(text), **options)

    def load_text(self, text: str) -> None:
        super().load_text(without_controls(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = without_controls(edit.text)
        return super().edit(edit)
