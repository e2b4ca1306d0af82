"""The notes panel: every note in document order, with its claim, stance and tags."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.notes.stance import Stance
from tuireader.text.document import Direction
from tuireader.text.sanitize import terminal_safe
from tuireader.ui.labels import visual_label
from tuireader.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from tuireader.notes.anchoring import AnchoredNote

STANCE_MARKS: dict[Stance | None, str] = {
    Stance.SUPPORTED: "✓",
    Stance.DISPUTED: "✗",
    Stance.UNVERIFIED: "?",
    Stance.NEEDS_SOURCE: "§",
    Stance.OPINION: "~",
    None: "•",
}
"""A mark per stance, so stances differ without colour too (monochrome, NO_COLOR)."""


def matches_filter(item: AnchoredNote, query: str) -> bool:
    """Filter words: a stance name, `#tag`, `orphan`, or text of the body or claim."""
    note = item.note
    for word in query.casefold().split():
        if word in {stance.value for stance in Stance}:
            if note.stance is None or note.stance.value != word:
                return False
        elif word.startswith("#"):
            if word[1:] not in {tag.casefold() for tag in note.tags}:
                return False
        elif word == "orphan":
            if item.anchor.found:
                return False
        elif word not in note.body.casefold() and word not in note.target.quote.exact.casefold():
            return False
    return True


class NotesPanel(Vertical):
    """A filter line over a list of notes; Enter on a note asks to go to its claim."""

    # Read here but parsed only when the first NotesPanel mounts (Textual registers a
    # widget's DEFAULT_CSS then), so the first frame does not parse it. Not scoped:
    # some rules start from the screen's classes (-narrow, -rtl). Its rules for its
    # Input and OptionList name them by id, to outrank their own :focus rules.
    DEFAULT_CSS = (Path(__file__).parent / "notes_panel.tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "focus_filter",
            "Filter notes",
            id="notes-filter",
            tooltip="Filter notes by stance, #tag or text",
            show=False,
        ),
    ]

    class NoteChosen(Message):
        """The reader chose a note in the panel."""

        def __init__(self, panel: NotesPanel, note_id: str) -> None:
            super().__init__()
            self.panel = panel
            self.note_id = note_id

        @property
        def control(self) -> NotesPanel:
            return self.panel

    def __init__(
        self,
        options: LayoutOptions = DEFAULT_OPTIONS,
        default: Direction = Direction.LTR,
        *,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
    ) -> None:
        super().__init__(id=id)
        self.layout_options = options
        self.default_direction = default
        self._notes: Sequence[AnchoredNote] = ()
        self._shown: list[str] = []
        self.border_title = "Notes"

    def compose(self) -> ComposeResult:
        yield SafeInput(placeholder="filter: disputed #tag orphan word", id="notes-filter")
        yield OptionList(id="notes-list")

    @property
    def highlighted_note_id(self) -> str | None:
        """The note under the list's cursor, if any."""
        index = self.query_one(OptionList).highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    def show_notes(self, notes: Sequence[AnchoredNote]) -> None:
        """Show these notes (attributes down from the screen)."""
        self._notes = notes
        if self.is_mounted:
            self._refill()

    def on_mount(self) -> None:
        self._refill()

    def on_resize(self) -> None:
        self._refill()

    @on(Input.Changed, "#notes-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refill()

    @on(Input.Submitted, "#notes-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(OptionList).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#notes-filter", Input).focus()

    def _refill(self) -> None:
        listing = self.query_one(OptionList)
        keep = self.highlighted_note_id
        query = self.query_one("#notes-filter", Input).value
        width = max(8, listing.scrollable_content_region.width - 1)
        shown = [item for item in self._notes if matches_filter(item, query)]
        self._shown = [item.note.id for item in shown]
        listing.clear_options()
        listing.add_options([Option(self._entry(item, width)) for item in shown])
        if keep in self._shown:
            listing.highlighted = self._shown.index(keep)
        self.border_subtitle = (
            f"{len(shown)} of {len(self._notes)}" if query else str(len(self._notes))
        )

    def _entry(self, item: AnchoredNote, width: int) -> Text:
        note = item.note
        stance = note.stance.value if note.stance else "no stance"
        head = Text.assemble(
            (STANCE_MARKS[note.stance] + " ", f"bold {_stance_style(note.stance)}"),
            (stance, _stance_style(note.stance)),
            # Tags come from a file others may write: no escape sequence is drawn.
            "  " + terminal_safe(" ".join(f"#{tag}" for tag in note.tags), one_line=True)
            if note.tags
            else "",
            ("  orphan" if not item.anchor.found else "", "bold"),
            no_wrap=True,
            overflow="ellipsis",
        )
        quote = visual_label(
            note.target.quote.exact, width, self.layout_options, self.default_direction
        )
        lines = [head, quote]
        if note.body.strip():
            lines.append(
                visual_label(note.body, width, self.layout_options, self.default_direction)
            )
        entry = Text("\n").join(lines)
        entry.justify = quote.justify
        return entry

    @on(OptionList.OptionSelected, "#notes-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.NoteChosen(self, self._shown[event.option_index]))


def _stance_style(stance: Stance | None) -> str:
    # Rich styles here cannot read theme variables; the stance names stay readable
    # in any theme, and the article's underline and gutter carry the theme colours.
    return "" if stance is None else "italic"
