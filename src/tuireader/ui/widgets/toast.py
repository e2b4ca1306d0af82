"""Toasts (`notify`) laid out by our bidi engine: a message may name an Arabic file."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.notifications import Notification
from textual.widgets import _toast

from tuireader.bidi.layout import DEFAULT_OPTIONS
from tuireader.ui.labels import visual_rows


class VisualToast(_toast.Toast):
    """Textual's toast, its message shaped, reordered and wrapped like the article.

    Textual wraps a toast's text itself, in logical order: an Arabic file name in a
    warning came out unjoined and backwards. The notification keeps its logical message
    (what tests and logs read); only the drawing changes. Markup in a message is read
    for its text (the app's messages use none).
    """

    ALLOW_SELECT = False
    """Glyphs in visual order: a mouse selection would copy them (issue 10)."""

    LEAST_TIMEOUT = 0.001
    """Seconds: the shortest life a toast's timer is given."""

    def __init__(self, notification: Notification) -> None:
        super().__init__(notification)
        # Textual times a toast by its notification's `time_left`, which is negative
        # when the notification expired on its way to the screen (a loaded machine).
        # Textual 8.2's Timer with a negative interval loops for ever (its count runs
        # down past its repeat), burning the event loop; with 0 it divides by zero.
        # A toast already expired lives a millisecond instead.
        self._timeout = max(self._timeout, self.LEAST_TIMEOUT)

    def _visual_rows(self, width: int) -> list[Text]:
        notification = self._notification
        message = notification.message
        if notification.markup:
            # A message that is not valid markup (a file name holding "[") is shown
            # as it is, rather than failing in the middle of a frame.
            with contextlib.suppress(Exception):
                message = Content.from_markup(message).plain
        options = getattr(self.app, "layout_options", DEFAULT_OPTIONS)
        rows = visual_rows(message, width, options)
        if notification.title:
            title = visual_rows(notification.title, width, options)
            style = self.get_component_rich_style("toast--title")
            rows = [row.copy() for row in title] + rows
            for row in rows[: len(title)]:
                row.stylize(style)
        return rows

    def render(self) -> Text:  # type: ignore[override]
        visual = Text("\n").join(self._visual_rows(self.size.width))
        visual.no_wrap = True
        return visual

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._visual_rows(width)) if width else 0


def use_visual_toasts() -> None:
    """Make Textual's toast rack draw `VisualToast`s.

    Textual has no hook for the toast class: `ToastRack.show` makes `Toast(...)` by its
    module's global name, which this replaces (docs/upstream.md; pinned by
    tests/ui/test_on_screen_bidi.py). Idempotent.
    """
    _toast.Toast = VisualToast  # type: ignore[misc]
