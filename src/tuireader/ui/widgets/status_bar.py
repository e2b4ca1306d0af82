"""The status bar: document, section, position, notices and the key for help."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.ui.labels import visual_label


def status_label(
    text: str, width: int = 0, style: str = "", options: LayoutOptions = DEFAULT_OPTIONS
) -> Text:
    """A fact of the status bar in visual order, cut on its logical text to `width`
    cells (0: whole): file names, the document's title and notices can be RTL. The
    function for every text the status bar shows (see `tuireader.ui.labels`).

    Args:
        text: The logical text.
        width: Cells available; 0 means unlimited.
        style: A Rich style for the whole fact.
        options: The app's layout options (`--bidi terminal` sends logical text).
    """
    label = visual_label(text, width, options)
    label.justify = "left"
    label.stylize(style)
    return label


SECTION_WIDTH = 40
"""Cells the section takes at most: the file name beside it matters as much."""


class StatusBar(Widget):
    """One row of facts, set by the screen; the left part is cut first when narrow."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """
    ALLOW_SELECT = False
    """Glyphs in visual order: a mouse selection would copy them (issue 10)."""

    document: reactive[str] = reactive("")
    section: reactive[str] = reactive("")
    """The logical title of the section being read (laid out here, cut to the room left)."""
    position: reactive[str] = reactive("")
    notice: reactive[str] = reactive("")
    """The loader's notice (encoding, bidi controls) or the last search result."""
    notes: reactive[str] = reactive("")
    """Where the notes are and whether they are saved."""
    notes_alert: reactive[bool] = reactive(False)
    """Something written is not saved yet: the notes fact is shown bold (also without
    colour)."""
    review: reactive[str] = reactive("")
    """Review progress, while reviewing."""

    def render(self) -> Text:
        width = self.size.width
        options = getattr(self.app, "layout_options", DEFAULT_OPTIONS)
        help_hint = Text("  ? help ")
        # Most important first: what is dropped or cut when the row is too narrow.
        # Facts name files (the notes file is named after the article): whatever a
        # name holds, no escape sequence is drawn, and RTL names read right.
        facts = [
            (self.position, ""),
            (self.review, "bold"),
            (self.notice, "bold"),
            (self.notes, "bold" if self.notes_alert else ""),
        ]
        room = width - help_hint.cell_len - min(width // 4, 24)
        kept: list[tuple[int, Text]] = []
        for rank, (raw, style) in enumerate(facts):
            if not raw:
                continue
            fact = status_label(raw, 0, style, options)
            cost = fact.cell_len + (5 if kept else 0)
            if cost > room:
                if room > 12:
                    # Cut on the logical text (issue 10): an RTL name keeps its start.
                    cut = room - (5 if kept else 0)
                    kept.append((rank, status_label(raw, cut, style, options)))
                break
            kept.append((rank, fact))
            room -= cost
        # Shown left to right in the order of the row, not of importance.
        kept.sort(key=lambda item: -item[0])
        right = Text("  ·  ").join(fact for _, fact in kept)
        right.append_text(help_hint)
        # Two cells always part the left from the right, even when the left is cut.
        room = max(0, width - right.cell_len - 2)
        left = Text(" ")
        left.append_text(status_label(self.document, max(1, room - 1), "", options))
        left.append("  ")
        if self.section and room - left.cell_len > 4:
            cut = min(SECTION_WIDTH, room - left.cell_len)
            left.append_text(status_label(self.section, cut, "", options))
        left.truncate(room)
        left.pad_right(max(0, width - right.cell_len - left.cell_len))
        return Text.assemble(left, right, no_wrap=True, end="")
