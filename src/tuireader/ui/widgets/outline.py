"""The outline sidebar: the title and the sections; selecting one jumps there."""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Document
from tuireader.ui.labels import visual_label


class OutlinePanel(ScrollView, can_focus=True):
    """Lists the document title and its sections, nested by level.

    Drawn with the Line API like the article: an article made of thousands of sections
    costs no more to open than one with four, because only the visible entries are
    laid out (an OptionList measures every option up front).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"outline-panel--cursor"}
    ALLOW_SELECT = False
    """Its cells are glyphs in visual order: a mouse selection would copy them (issue 10)."""

    DEFAULT_CSS = """
    OutlinePanel { overflow-x: hidden; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j,down",
            "move(1)",
            "Next entry",
            id="outline-down",
            tooltip="Next outline entry",
            show=False,
        ),
        Binding(
            "k,up",
            "move(-1)",
            "Previous entry",
            id="outline-up",
            tooltip="Previous outline entry",
            show=False,
        ),
        Binding(
            "home,g",
            "move_to(0)",
            "First entry",
            id="outline-first",
            tooltip="First outline entry",
            show=False,
        ),
        Binding(
            "end,G",
            "move_to(-1)",
            "Last entry",
            id="outline-last",
            tooltip="Last outline entry",
            show=False,
        ),
        Binding(
            "enter", "choose", "Go to section", id="outline-choose", tooltip="Jump to this section"
        ),
        Binding(
            "escape",
            "leave",
            "Back",
            id="outline-back",
            tooltip="Back to the article (closes the outline laid over it)",
            show=False,
        ),
    ]

    KEYS_HINT: ClassVar[str] = "↑↓ · enter go · esc back"
    """Shown on the frame while the outline has the focus: its keys, where the eye is."""

    highlighted: reactive[int | None] = reactive(None)
    """The entry under the cursor; it follows the reading position."""

    class SectionSelected(Message):
        """The reader chose an entry; `offset` is where it starts in the text."""

        def __init__(self, outline: OutlinePanel, offset: int) -> None:
            super().__init__()
            self.outline = outline
            self.offset = offset

        @property
        def control(self) -> OutlinePanel:
            return self.outline

    class Left(Message):
        """The reader left the outline with Esc: the screen gives the focus back to the
        article (and closes the outline if it lies over the article)."""

        def __init__(self, outline: OutlinePanel) -> None:
            super().__init__()
            self.outline = outline

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
        super().__init__(id=id)
        self.layout_options = options
        self._labels: LRUCache[tuple[int, int], list[Segment]] = LRUCache(512)
        self._plain: Style | None = None
        self.border_title = "Outline"
        self.set_document(document)

    def set_document(self, document: Document) -> None:
        """List another version of the document (the whole of a long file, once read)."""
        self.document = document
        entries: list[tuple[str, int, int]] = []
        if document.title:
            start = document.paragraphs[0].start if document.paragraphs else 0
            entries.append((document.title, 1, start))
        entries += [(s.title, s.level, s.start) for s in document.sections]
        self.entries = entries
        """(title, level, offset) per entry, the title first."""
        self._offsets = [offset for _, _, offset in entries]
        self._labels.clear()
        if self.highlighted is not None and self.highlighted >= len(entries):
            # The end of a long file, shown on `G`, has fewer sections than its start.
            self.highlighted = len(entries) - 1 if entries else None
        if self.is_mounted:
            self.virtual_size = Size(self.scrollable_content_region.width, len(entries))
            self.refresh()

    @property
    def entry_count(self) -> int:
        return len(self.entries)

    def on_resize(self, event: events.Resize) -> None:
        self._labels.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.entries))

    def show_position(self, offset: int) -> None:
        """Highlight the entry the reader is in (attributes down from the screen)."""
        index = bisect_right(self._offsets, offset) - 1
        if index >= 0 and index != self.highlighted:
            self.highlighted = index

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self.refresh()
        if new is not None:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        if self.entries:
            current = self.highlighted if self.highlighted is not None else -1
            self.highlighted = max(0, min(len(self.entries) - 1, current + step))

    def action_move_to(self, index: int) -> None:
        if self.entries:
            self.highlighted = index % len(self.entries)

    def action_choose(self) -> None:
        if self.highlighted is not None and 0 <= self.highlighted < len(self._offsets):
            self.post_message(self.SectionSelected(self, self._offsets[self.highlighted]))

    def action_leave(self) -> None:
        self.post_message(self.Left(self))

    def on_focus(self) -> None:
        self.border_subtitle = self.KEYS_HINT
        if self.highlighted is None and self.entries:
            # A list with the focus always has a row for Enter to act on.
            self.highlighted = 0

    def on_blur(self) -> None:
        self.border_subtitle = ""

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < len(self.entries):
            self.highlighted = index
            self.action_choose()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if not 0 <= index < len(self.entries):
            return Strip.blank(width, self._plain_style())
        segments = self._labels.get((index, width))
        if segments is None:
            title, level, _ = self.entries[index]
            indent = 2 * max(0, level - 1)
            label = visual_label(
                title, max(4, width - indent - 1), self.layout_options, self.document.direction
            )
            # One cell between the text and the border on either side.
            if label.justify == "right":
                label.pad_right(indent + 1)
                label.align("right", width)
            else:
                label.pad_left(indent + 1)
                label.align("left", width)
            segments = list(label.render(self.app.console, end=""))
            self._labels[(index, width)] = segments
        style = self._plain_style()
        if index == self.highlighted:
            style = style + self.get_component_rich_style("outline-panel--cursor", partial=True)
        strip = Strip(segments).apply_style(style) if segments else Strip.blank(width, style)
        return strip.extend_cell_length(width, style).crop(0, width)

    def _plain_style(self) -> Style:
        """The widget's own style, remembered until the styles change (Textual works it
        out from every ancestor each time)."""
        if self._plain is None:
            self._plain = self.rich_style
        return self._plain

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._labels.clear()
        self._plain = None
