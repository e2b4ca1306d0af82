"""The status bar: document, section, position, notices and the key for help."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tuireader.text.sanitize import terminal_safe


class StatusBar(Widget):
    """One row of facts, set by the screen; the left part is cut first when narrow."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    document: reactive[str] = reactive("")
    section: reactive[Text] = reactive(Text())
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
        help_hint = Text("  ? help ")
        # Most important first: what is dropped or cut when the row is too narrow.
        # Facts name files (the notes file is named after the article): whatever a
        # name holds, no escape sequence is drawn.
        facts = [
            Text(terminal_safe(self.position, one_line=True)),
            Text(terminal_safe(self.review, one_line=True), style="bold"),
            Text(terminal_safe(self.notice, one_line=True), style="bold"),
            Text(
                terminal_safe(self.notes, one_line=True), style="bold" if self.notes_alert else ""
            ),
        ]
        room = width - help_hint.cell_len - min(width // 4, 24)
        kept: list[Text] = []
        for fact in facts:
            if not fact.plain:
                continue
            cost = fact.cell_len + (5 if kept else 0)
            if cost > room:
                if room > 12:
                    fact.truncate(room - (5 if kept else 0), overflow="ellipsis")
                    kept.append(fact)
                break
            kept.append(fact)
            room -= cost
        # Shown left to right in the order of the row, not of importance.
        order = {id(fact): rank for rank, fact in enumerate(reversed(facts))}
        kept.sort(key=lambda fact: order[id(fact)])
        right = Text("  ·  ").join(kept)
        right.append_text(help_hint)
        left = Text(f" {terminal_safe(self.document, one_line=True)}  ")
        left.append_text(self.section)
        # Two cells always part the left from the right, even when the left is cut.
        left.truncate(max(0, width - right.cell_len - 2), overflow="ellipsis")
        left.pad_right(max(0, width - right.cell_len - left.cell_len))
        return Text.assemble(left, right, no_wrap=True, end="")
