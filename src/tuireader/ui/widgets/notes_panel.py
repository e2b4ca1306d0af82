"""The notes panel: every note in document order, with its claim, stance and tags."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.notes.stance import Stance
from tuireader.text.document import Direction
from tuireader.text.normalize import fold_query
from tuireader.ui.history import History, recall_history
from tuireader.ui.labels import isolated, visual_label
from tuireader.ui.widgets.bidi_input import BidiInput

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


EMPTY_HINT = (
    "No notes yet.\n\n"
    "] and [ select a sentence (a claim), a writes a note on it; "
    "r starts review mode, where 1 to 5 set a stance."
)
"""What an empty panel says: how to add a note (issue 13)."""

NO_MATCH_HINT = "No note matches the filter."


def matches_filter(item: AnchoredNote, query: str) -> bool:
    """Filter words: a stance name, `#tag`, `orphan`, or text of the body or claim.

    Tags and text are compared folded as search folds them (`tuireader.text.normalize`:
    hamza forms, harakat, Persian letters, digits of any script, case and accents), so
    `اكثر` finds a note on «أكثر».
    """
    note = item.note
    for word in query.casefold().split():
        if word in {stance.value for stance in Stance}:
            if note.stance is None or note.stance.value != word:
                return False
        elif word.startswith("#"):
            if fold_query(word[1:]) not in {fold_query(tag) for tag in note.tags}:
                return False
        elif word == "orphan":
            if item.anchor.found:
                return False
        else:
            folded = fold_query(word)
            if folded not in fold_query(note.body) and folded not in fold_query(
                note.target.quote.exact
            ):
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
        Binding(
            "escape",
            "back",
            "Back",
            id="notes-back",
            tooltip="From the filter back to the list; from the list back to the article",
            show=False,
        ),
    ]

    LIST_KEYS: ClassVar[str] = "enter go · / filter · esc back"
    FILTER_KEYS: ClassVar[str] = "↑↓ history · enter, esc list"
    """The keys of the part with the focus, shown on the panel's frame (where the eye is:
    there is no footer row to spare at 80x24)."""

    class Left(Message):
        """The reader left the panel with Esc from its list: the screen gives the focus
        back to the article (and closes the panel if it lies over the article)."""

        def __init__(self, panel: NotesPanel) -> None:
            super().__init__()
            self.panel = panel

        @property
        def control(self) -> NotesPanel:
            return self.panel

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
        history: History | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
    ) -> None:
        super().__init__(id=id)
        self.history = history if history is not None else History()
        """Filters used, recalled with ↑/↓ (the app keeps them between sessions)."""
        self.layout_options = options
        self.default_direction = default
        self._notes: Sequence[AnchoredNote] = ()
        self._shown: list[str] = []
        """Ids of the notes the list holds (or is being filled with), in its order."""
        self._items: list[AnchoredNote] = []
        self._width = 0
        self._entries: dict[int, tuple[AnchoredNote, int, Text]] = {}
        """id(item) → (item, width, entry): an unchanged note is not laid out again."""
        self._generation = 0
        """Bumped by every refill: a chunked fill of an older list stops."""
        self._keep: str | None = None
        self.border_title = "Notes"

    def compose(self) -> ComposeResult:
        yield BidiInput(
            layout_options=self.layout_options,
            default_direction=self.default_direction,
            placeholder="filter: disputed #tag orphan word",
            id="notes-filter",
        )
        yield Static(EMPTY_HINT, id="notes-empty")
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
        self._leave_filter()

    def action_focus_filter(self) -> None:
        self.query_one("#notes-filter", Input).focus()

    def focus_list(self) -> None:
        """Give the focus to the list, with a row highlighted for Enter."""
        listing = self.query_one(OptionList)
        if listing.highlighted is None and listing.option_count:
            listing.highlighted = 0
        listing.focus()

    def action_back(self) -> None:
        """Esc: one level back. The filter keeps its words (the list stays filtered)."""
        if self.query_one("#notes-filter", Input).has_focus:
            self._leave_filter()
        else:
            self.post_message(self.Left(self))

    def _leave_filter(self) -> None:
        # Left with Enter or Esc, the words were used: the list stays filtered by them.
        self.history.add(self.query_one("#notes-filter", Input).value)
        self.focus_list()

    def on_key(self, event: events.Key) -> None:
        """↑/↓ in the filter recall earlier filters (here, not in the input: the input
        class is the editor's to replace); ↓ on what is being typed goes down into the
        list."""
        if event.key in ("up", "down"):
            line = self.query_one("#notes-filter", Input)
            if not recall_history(self.history, line, event) and event.key == "down":
                if line.has_focus:
                    self.focus_list()

    def on_descendant_focus(self) -> None:
        self._show_keys()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._show_keys)

    def _show_keys(self) -> None:
        if not self.is_attached:
            return  # blurred as the app quits
        if self.query_one("#notes-filter", Input).has_focus:
            self.border_title = self.FILTER_KEYS
        elif self.query_one(OptionList).has_focus:
            self.border_title = self.LIST_KEYS
        else:
            self.border_title = "Notes"

    FIRST_CHUNK: ClassVar[int] = 100
    """Entries shown at once; the rest follow in chunks, so 10,000 notes never hold up
    the screen (each entry is laid out by the bidi engine, and the list measures it)."""
    CHUNK: ClassVar[int] = 250

    def _refill(self) -> None:
        listing = self.query_one(OptionList)
        keep = self.highlighted_note_id or self._keep
        query = self.query_one("#notes-filter", Input).value
        # Room for the scrollbar whether it shows yet or not: it comes as the list
        # fills, and a width that changed would lay every entry out again.
        room = listing.content_region.width - listing.styles.scrollbar_size_vertical
        width = max(8, room - 1)
        shown = [item for item in self._notes if matches_filter(item, query)]
        ids = [item.note.id for item in shown]
        self._generation += 1
        if (
            ids == self._shown
            and width == self._width
            and listing.option_count == len(ids)
            and self._redraw_changed(listing, shown, width)
        ):
            self._items = shown
            self._forget_entries_but(shown)
        else:
            self._shown, self._items, self._width, self._keep = ids, shown, width, keep
            self._forget_entries_but(shown)
            listing.clear_options()
            self._fill(0, self._generation)
        self.border_subtitle = (
            f"{len(shown)} of {len(self._notes)}" if query else str(len(self._notes))
        )
        hint = self.query_one("#notes-empty", Static)
        hint.display = not shown
        if not shown:
            hint.update(NO_MATCH_HINT if self._notes else EMPTY_HINT)

    def _fill(self, start: int, generation: int) -> None:
        """Add the next chunk of entries, then schedule the one after."""
        if generation != self._generation or not self.is_mounted:
            return
        listing = self.query_one(OptionList)
        size = self.FIRST_CHUNK if start == 0 else self.CHUNK
        chunk = self._items[start : start + size]
        listing.add_options([Option(self._entry_for(item, self._width)) for item in chunk])
        end = start + len(chunk)
        keep = self._keep
        if keep is not None and keep in self._shown[start:end]:
            listing.highlighted = self._shown.index(keep)
            self._keep = None
        elif listing.highlighted is None and listing.option_count and keep is None:
            # A list always has a row for Enter to act on, after filtering too (issue
            # 13: Enter did nothing until ↓). A note to keep may come in a later chunk.
            listing.highlighted = 0
        if end >= len(self._items) and listing.highlighted is None and listing.option_count:
            listing.highlighted = 0  # the note to keep is gone
            self._keep = None
        if end < len(self._items):
            # A pause between chunks: keys pressed meanwhile are handled first.
            self.set_timer(0.02, lambda: self._fill(end, generation))

    def _redraw_changed(self, listing: OptionList, shown: list[AnchoredNote], width: int) -> bool:
        """Redraw in place the entries of notes that changed; False when one changed
        height (the list must then be measured again: a full refill)."""
        changed = []
        for index, (old, new) in enumerate(zip(self._items, shown, strict=True)):
            if old is not new:
                before = self._entry_for(old, width)
                after = self._entry_for(new, width)
                if before.plain.count("\n") != after.plain.count("\n"):
                    return False
                changed.append((index, after))
        for index, entry in changed:
            # Not replace_option_prompt_at_index: it drops the heights of every option,
            # and measuring 10,000 again takes a second. The height is the same here.
            listing.get_option_at_index(index)._set_prompt(entry)
        if changed:
            listing._option_render_cache.clear()
            listing.refresh()
        return True

    def _forget_entries_but(self, items: list[AnchoredNote]) -> None:
        entries = self._entries
        self._entries = {id(i): entries[id(i)] for i in items if id(i) in entries}

    def _entry_for(self, item: AnchoredNote, width: int) -> Text:
        cached = self._entries.get(id(item))
        if cached is not None and cached[0] is item and cached[1] == width:
            return cached[2]
        entry = self._entry(item, width)
        self._entries[id(item)] = (item, width, entry)
        return entry

    def _entry(self, item: AnchoredNote, width: int) -> Text:
        note = item.note
        stance = note.stance.value if note.stance else "no stance"
        head = Text.assemble(
            (STANCE_MARKS[note.stance] + " ", f"bold {_stance_style(note.stance)}"),
            (stance, _stance_style(note.stance)),
            # Tags come from a file others may write: sanitised, and each isolated so
            # that an RTL tag reads as one word with its `#` first (see `isolated`).
            "  " + " ".join(isolated(f"#{tag}") for tag in note.tags) if note.tags else "",
            ("  orphan" if not item.anchor.found else "", "bold"),
            # Two sessions or clones changed the same field: `e` shows both versions.
            ("  ⚠ conflict" if note.conflicts else "", "bold"),
        )
        head = visual_label(head, width, self.layout_options, Direction.LTR)
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
