"""Search the notes of every document of a library; Enter opens the claim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuireader.bidi.layout import LayoutOptions
from tuireader.notes.library import DocumentNotes, NoteHit
from tuireader.ui.labels import visual_label
from tuireader.ui.session import DocumentSession
from tuireader.ui.widgets.bidi_input import BidiInput

MAX_HITS = 500
"""Hits listed at most (the count says how many more there are)."""


class NotesSearchScreen(ModalScreen[tuple[DocumentSession, int] | None]):
    """Type a query, Enter lists the notes that hold it; Enter on one opens its claim.

    The notes files are read on a thread once, when the screen opens (the documents
    with a notes file beside them, or counted with notes by the library).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="notes-search-close", tooltip="Back to the list"),
    ]

    DEFAULT_CSS = """
    NotesSearchScreen { align: center middle; }
    NotesSearchScreen > Vertical {
        width: 90%; height: 80%; border: round $primary; background: $surface;
    }
    /* By id: Textual's `Input:focus` (a tall border) outweighs a type selector. */
    NotesSearchScreen #notes-query { border: none; height: 1; }
    NotesSearchScreen OptionList { height: 1fr; }
    NotesSearchScreen #notes-search-status { height: 1; color: $foreground-muted; }
    """

    def __init__(
        self,
        sessions: Sequence[DocumentSession],
        options: LayoutOptions,
        with_notes: Sequence[DocumentSession] = (),
    ) -> None:
        """
        Args:
            sessions: Every document of the library.
            options: The app's layout options.
            with_notes: Documents known to have notes wherever their file is (the data
                folder, for a read-only folder); the others are read when a notes file
                lies beside them.
        """
        super().__init__()
        self.sessions = list(sessions)
        self._known = {id(session) for session in with_notes}
        self.layout_options = options
        self.collection: list[DocumentNotes] | None = None
        self.hits: list[NoteHit] = []
        self._query = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield BidiInput(
                layout_options=self.layout_options,
                placeholder="search the notes of every document",
                id="notes-query",
            )
            yield Static("reading the notes…", id="notes-search-status")
            yield OptionList(id="notes-hits")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._read_notes()

    @work(thread=True, exclusive=True, group="notes-search")
    def _read_notes(self) -> None:
        from tuireader.notes.library import beside_notes_path, collect_notes

        paths = [
            s.path
            for s in self.sessions
            if id(s) in self._known or beside_notes_path(s.path).exists()
        ]
        data_dir = self.sessions[0].data_dir if self.sessions else None
        collection = (
            [each for each in collect_notes(paths, data_dir) if each.notes] if data_dir else []
        )
        self.app.call_from_thread(self._notes_read, collection)

    def _notes_read(self, collection: list[DocumentNotes]) -> None:
        self.collection = collection
        count = sum(len(each.notes) for each in collection)
        notes = "1 note" if count == 1 else f"{count} notes"
        documents = "1 document" if len(collection) == 1 else f"{len(collection)} documents"
        self._status(f"{notes} in {documents} · Enter searches")
        if self._query:
            self._search(self._query)

    def _status(self, line: str) -> None:
        self.query_one("#notes-search-status", Static).update(visual_label(line))

    @on(Input.Submitted, "#notes-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self._query = event.value
        if self.collection is not None:
            self._search(event.value)

    def _search(self, query: str) -> None:
        from tuireader.notes.library import search_notes

        assert self.collection is not None
        self.hits = list(search_notes(self.collection, query))
        hits = self.query_one(OptionList)
        hits.clear_options()
        hits.add_options([self._option(k, hit) for k, hit in enumerate(self.hits[:MAX_HITS])])
        more = f" (the first {MAX_HITS} listed)" if len(self.hits) > MAX_HITS else ""
        found = "1 note holds" if len(self.hits) == 1 else f"{len(self.hits)} notes hold"
        self._status(f"{found} «{query}»{more}")
        if self.hits:
            hits.highlighted = 0
            hits.focus()

    def _option(self, index: int, hit: NoteHit) -> Option:
        width = max(20, self.size.width - 8)
        options = self.layout_options
        title = visual_label(hit.title, width // 3, options)
        title.stylize("bold")
        note = hit.note.note
        stance = f"[{note.stance.value}] " if note.stance is not None else ""
        body = visual_label(f"{stance}{note.body or note.target.quote.exact}", width, options)
        claim = visual_label(note.target.quote.exact, width, options)
        claim.stylize("dim")
        prompt = Text("\n").join([title, body, claim])
        return Option(prompt, id=str(index))

    @on(OptionList.OptionSelected, "#notes-hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        session = next(s for s in self.sessions if s.path == hit.path)
        anchor = hit.note.anchor
        offset = anchor.start if anchor.start is not None else hit.note.note.target.position.start
        self.dismiss((session, offset))

    def action_close(self) -> None:
        self.dismiss(None)
