"""The outline sidebar: the title and the sections; selecting one jumps there."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Document
from tuireader.ui.labels import visual_label


class OutlinePanel(OptionList):
    """Lists the document title and its sections, nested by level."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j",
            "cursor_down",
            "Next entry",
            id="outline-down",
            tooltip="Next outline entry",
            show=False,
        ),
        Binding(
            "k",
            "cursor_up",
            "Previous entry",
            id="outline-up",
            tooltip="Previous outline entry",
            show=False,
        ),
    ]

    class SectionSelected(Message):
        """The reader chose an entry; `offset` is where it starts in the text."""

        def __init__(self, outline: OutlinePanel, offset: int) -> None:
            super().__init__()
            self.outline = outline
            self.offset = offset

        @property
        def control(self) -> OutlinePanel:
            return self.outline

    def __init__(
        self,
        document: Document,
        options: LayoutOptions = DEFAULT_OPTIONS,
        *,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
    ) -> None:
        self.document = document
        self.layout_options = options
        self._offsets: list[int] = []
        super().__init__(id=id)
        self.border_title = "Outline"

    def on_mount(self) -> None:
        self._fill()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        document = self.document
        width = max(4, self.scrollable_content_region.width - 1)
        entries: list[tuple[str, int, int]] = []
        if document.title:
            start = document.paragraphs[0].start if document.paragraphs else 0
            entries.append((document.title, 0, start))
        entries += [(s.title, s.level, s.start) for s in document.sections]
        highlighted = self.highlighted
        self.clear_options()
        self._offsets = [offset for _, _, offset in entries]
        options = []
        for title, level, _ in entries:
            indent = 2 * max(0, level - 1)
            label = visual_label(title, width - indent, self.layout_options, document.direction)
            label.pad_left(indent) if label.justify != "right" else label.pad_right(indent)
            options.append(Option(label))
        self.add_options(options)
        if highlighted is not None and highlighted < len(options):
            self.highlighted = highlighted

    def show_position(self, offset: int) -> None:
        """Highlight the entry the reader is in (attributes down from the screen)."""
        current = None
        for index, start in enumerate(self._offsets):
            if start <= offset:
                current = index
        if current is not None and current != self.highlighted:
            self.highlighted = current

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.SectionSelected(self, self._offsets[event.option_index]))
