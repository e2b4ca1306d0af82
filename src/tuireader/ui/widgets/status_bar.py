"""The status bar: document, section, position, notices and the key for help."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


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

    def render(self) -> Text:
        facts = [Text(self.notice, style="bold"), Text(self.notes), Text(self.position)]
        right = Text("  ·  ").join(fact for fact in facts if fact.plain)
        right.append("  ? help ")
        room = max(0, self.size.width - right.cell_len)
        left = Text(f" {self.document}  ")
        left.append_text(self.section)
        left.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(left, right, no_wrap=True, end="")
