"""The status bar: title, section, position, notes counts and state, and the key for help."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Direction
from tuireader.ui.labels import visual_label

SEPARATOR = "  ·  "
LEFT_MINIMUM = 16
"""Cells a title needs before a section is shown beside it."""
TITLE_ROOM = 24
"""Cells the title keeps, at most, when the facts on the right want the whole row."""


class StatusBar(Widget):
    """One row of facts, set by the screen.

    Left: the document's title and the current section, each shaped and in visual order
    (`visual_label`, the article's own bidi path). Right: the facts, laid out in row
    order but kept by importance when the row is too narrow — position first, then
    review progress, the loader's or search's notice, what is not saved, the counts and
    the notes file; the section goes before the title, and the title keeps a few cells.
    """

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """
    ALLOW_SELECT = False
    """Glyphs in visual order: a mouse selection would copy them (issue 10)."""

    document: reactive[str] = reactive("")
    """The document's title (its file name when it has none), logical text."""
    section: reactive[str] = reactive("")
    """The current section's title, logical text."""
    position: reactive[str] = reactive("")
    notice: reactive[str] = reactive("")
    """The loader's notice (encoding, bidi controls) or the last search result."""
    notes: reactive[str] = reactive("")
    """Where the notes are and whether they are saved."""
    notes_alert: reactive[bool] = reactive(False)
    """Something written is not saved yet: the notes fact is shown bold (also without
    colour), and kept before the others when the row is narrow."""
    notes_important: reactive[bool] = reactive(False)
    """The notes fact says more than "saved" (read-only, unsaved notes of an earlier
    session): kept before the counts when the row is narrow."""
    counts: reactive[str] = reactive("")
    """How many notes, and how many claims are reviewed ("3 notes · 2 of 40 reviewed")."""
    review: reactive[str] = reactive("")
    """Review progress, while reviewing."""
    prompt: reactive[str] = reactive("")
    """A key waiting for its second key ("m: a letter to set a mark"): shown first."""

    def __init__(
        self,
        options: LayoutOptions = DEFAULT_OPTIONS,
        direction: Direction = Direction.LTR,
        *,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
    ) -> None:
        super().__init__(id=id)
        self.layout_options = options
        self.direction = direction
        """The direction of a title or section with no strong character of its own."""
        self._labels: dict[tuple[str, int, str, Direction], Text] = {}

    def _label(
        self, text: str, width: int, style: str = "", default: Direction | None = None
    ) -> Text:
        """Text of the bar in visual order, cut on its logical text to `width` cells (0:
        whole): titles, sections and every fact go through the labels' bidi path.

        The row is drawn again on every scroll (the position changes): each text is laid
        out once per width and style, not per frame.
        """
        direction = default or self.direction
        key = (text, width, style, direction)
        label = self._labels.get(key)
        if label is None:
            if len(self._labels) > 64:
                self._labels.clear()
            label = visual_label(text, width, self.layout_options, direction)
            label.justify = "left"
            label.stylize(style)
            self._labels[key] = label
        return label.copy()

    def render(self) -> Text:
        width = self.size.width
        help_hint = Text("  ? help ")
        # Facts name files (the notes file is named after the article): whatever a
        # name holds, no escape sequence is drawn, and RTL names read right.
        raw: dict[int, tuple[str, str]] = {}

        def fact(text: str, style: str) -> Text:
            label = self._label(text, 0, style, Direction.LTR)
            raw[id(label)] = (text, style)
            return label

        notes = fact(self.notes, "bold" if self.notes_alert else "")
        position = fact(self.position, "")
        review = fact(self.review, "bold")
        notice = fact(self.notice, "bold")
        counts = fact(self.counts, "")
        prompt = fact(self.prompt, "bold reverse")
        # Most important first: what is dropped or cut when the row is too narrow.
        ranked = (
            [prompt, position, notes, review, notice, counts]
            if self.notes_alert or self.notes_important
            else [prompt, position, review, notice, counts, notes]
        )
        # The row's order: the position last, beside the help key, as in less.
        facts = [prompt, notice, review, counts, notes, position]
        # The title keeps a quarter of the row (at 80 columns: 20 cells), at most 24.
        room = width - help_hint.cell_len - min(width // 4, TITLE_ROOM)
        # What may be cut short rather than dropped: what says something went wrong or
        # is going on; a count or a file name is dropped whole.
        important = self.notes_alert or self.notes_important
        cuttable = {id(prompt), id(review), id(notice), *([id(notes)] if important else [])}
        kept: list[Text] = []
        replaced: dict[int, int] = {}  # a cut fact → the whole one (for its place)
        for label in ranked:
            if not label.plain:
                continue
            gap = len(SEPARATOR) if kept else 0
            cost = label.cell_len + gap
            if cost > room:
                if id(label) in cuttable and room - gap > 12:
                    text, style = raw[id(label)]
                    cut = self._label(text, room - gap, style, Direction.LTR)
                    kept.append(cut)
                    replaced[id(cut)] = id(label)
                    room = 0
                continue  # a shorter fact further down may still fit
            kept.append(label)
            room -= cost
        # Shown left to right in the order of the row, not of importance.
        order = {id(fact): rank for rank, fact in enumerate(facts)}
        kept.sort(key=lambda label: order[replaced.get(id(label), id(label))])
        right = Text(SEPARATOR).join(kept)
        right.append_text(help_hint)
        left = self._left(max(0, width - right.cell_len - 2))
        left.pad_right(max(0, width - right.cell_len - left.cell_len))
        return Text.assemble(left, right, no_wrap=True, end="")

    def _left(self, room: int) -> Text:
        """The title, then the section when there is room for both (the section goes
        first: the outline and ctrl+g show it too)."""
        left = Text(" ")
        room -= 1
        title = self.document
        if not title or room < 2:
            return left
        section = self.section if self.section and self.section != title else ""
        title_label = self._label(title, 0)
        if section and room >= 2 * LEFT_MINIMUM:
            section_label = self._label(section, 0)
            # The title keeps at least half of the room, the section what is left.
            title_room = max(room // 2, room - section_label.cell_len - 3)
            if title_label.cell_len > title_room:
                title_label = self._label(title, title_room)
            left.append_text(title_label)
            left.append(" › ", style="dim")
            section_room = room - title_label.cell_len - 3
            if section_label.cell_len > section_room:
                section_label = self._label(section, section_room)
            left.append_text(section_label)
            return left
        if title_label.cell_len > room:
            title_label = self._label(title, room)
        left.append_text(title_label)
        return left
