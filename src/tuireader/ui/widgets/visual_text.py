"""Read-only text laid out by our bidi engine: a terminal shows characters as sent."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Direction
from tuireader.ui.labels import visual_rows


class VisualText(Widget):
    """Logical text drawn in visual order, each line a paragraph wrapped to the widget's width.

    Used for text the user reads but does not type: a terminal shows characters in the order
    sent, so the text goes through our bidi engine, as in the article.
    """

    DEFAULT_CSS = """
    VisualText {
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    ALLOW_SELECT = False
    """Glyphs in visual order: a mouse selection would copy them, not the text (issue 10)."""

    text: reactive[str] = reactive("", layout=True)
    """The logical text; each line is one paragraph."""

    def __init__(
        self,
        text: str = "",
        *,
        options: LayoutOptions = DEFAULT_OPTIONS,
        direction: Direction | None = None,
        default: Direction = Direction.LTR,
        placeholder: str = "",
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        """Show `text` in visual order.

        Args:
            text: The logical text.
            options: The app's layout options; a direction there overrides `direction`.
            direction: Every paragraph's direction; None gives each paragraph its own.
            default: A paragraph's direction when it has no strong character.
            placeholder: Shown (with the class `-empty`) while the text is empty.
            id: The widget's id.
            classes: The widget's classes.
        """
        super().__init__(id=id, classes=classes)
        self.options = options
        self.direction = direction
        self.default = default
        self.placeholder = placeholder
        self.set_reactive(VisualText.text, text)
        self.set_class(not text, "-empty")

    def watch_text(self, text: str) -> None:
        self.set_class(not text, "-empty")

    def visual_rows(self, width: int) -> list[str]:
        """The rows shown at `width` cells (0: no wrapping), RTL rows right-aligned."""
        return [
            row.plain
            for row in visual_rows(self.text, width, self.options, self.default, self.direction)
        ]

    def render(self) -> Text:
        if not self.text:
            return Text(self.placeholder)
        return Text("\n".join(self.visual_rows(self.size.width)), no_wrap=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.visual_rows(width)) if self.text else 1
