"""The notes of the reader's document: their keeper, panel, status and saving.

The notes modules (model, anchoring, the notes thread) are imported where they are
first used, once the notes open after the first frame: importing them cost the first
paint ~8 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from tuireader.ui.widgets.article_view import ArticleView, Highlight
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from concurrent.futures import Future

    from textual.timer import Timer

    from tuireader.notes.anchoring import AnchoredNote
    from tuireader.ui.notes_keeper import NotesKeeper, NotesState
    from tuireader.ui.screens.confirm import ConfirmScreen
    from tuireader.ui.screens.details import Fact
    from tuireader.ui.screens.reader import ReaderScreen
    from tuireader.ui.widgets.notes_panel import NotesPanel

NOTES_LOAD_WAIT = 1.0
"""Seconds a key that changes notes waits for them to load before it is turned away."""


def quit_question(question: str) -> ConfirmScreen:
    """Quit with a note not saved yet? "Keep trying" has the focus, so Enter keeps it.

    Made on first use, like the notes modules (see the module doc).
    """
    from tuireader.ui.screens.confirm import ConfirmScreen

    return ConfirmScreen(question, yes="Quit anyway", no="Keep trying", default=False)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class NotesFlow:
    """The notes of one reader screen: opened with the whole text, shown in the
    article, the status bar and the notes panel, saved (and retried) by the keeper.

    `changed` is called after each load or save has been shown (review mode counts).
    """

    RETRY_DELAYS: ClassVar[tuple[float, ...]] = (5.0, 10.0, 20.0, 40.0, 60.0)
    """Seconds before each retry of a save that failed; the last one repeats."""

    def __init__(self, screen: ReaderScreen, changed: Callable[[NotesState], None]) -> None:
        self._screen = screen
        self._changed = changed
        self.keeper: NotesKeeper | None = None
        self.notes: tuple[AnchoredNote, ...] = ()
        self.panel: NotesPanel | None = None
        """The panel, once made (it is hidden, never removed)."""
        self._loaded: Future[None] | None = None
        self._retry_timer: Timer | None = None
        self._retries = 0
        self._offered_drafts = False

    # --- Opening and closing ------------------------------------------------------

    def open(self) -> bool:
        """Open the notes (anchored in the whole text, so after a long file's end);
        True when they were opened now."""
        if self.keeper is not None:
            return False
        screen = self._screen
        self.keeper = screen.session.open_notes(screen.notes_published)
        self._loaded = screen.session.notes_loaded
        self.show_status(self.keeper.state)
        return True

    def flush(self) -> None:
        """Write every queued change before returning."""
        if self.keeper is not None:
            self.keeper.flush()

    def require_keeper(self) -> NotesKeeper:
        """The notes keeper; callers have checked `writable` (or an editor is open)."""
        if self.keeper is None:
            raise RuntimeError("the notes are not open yet")
        return self.keeper

    async def quit_when_saved(self, leave: Callable[[], object]) -> None:
        """Call `leave` once nothing is pending: a pending note is tried once more,
        then the analyst is asked (with "Keep trying" as the answer to Enter)."""
        keeper = self.keeper
        if keeper is not None and keeper.state.pending:
            self._screen.query_one(StatusBar).notes = "saving the pending notes…"
            await asyncio.wrap_future(keeper.retry())
            state = keeper.state
            if state.pending:
                count = len(state.pending)
                verb = "is" if count == 1 else "are"
                kept = (
                    f"NOT kept in the drafts file either ({state.draft_problem}): lost"
                    if state.draft_problem
                    else "kept in the drafts file and offered next time"
                )
                question = (
                    f"{plural(count, 'note')} {verb} not saved yet: {state.problem}.\n"
                    f"Quit anyway ({kept})?"
                )
                if not await self._screen.app.push_screen_wait(quit_question(question)):
                    return
        leave()

    # --- Loads and saves, from the notes thread ----------------------------------

    def updated(self, state: NotesState) -> None:
        """The notes thread finished a load or a save."""
        self.show(state)
        self._schedule_retry(state)
        if not self._offered_drafts and state.loaded:
            self._offered_drafts = True
            earlier = len(state.earlier_drafts)
            if earlier:
                self._screen.notify(
                    f"{plural(earlier, 'unsaved note')} from an earlier session: "
                    "D opens them one by one (or a / e on the claim).",
                    timeout=10,
                )

    def _schedule_retry(self, state: NotesState) -> None:
        """A save that failed is tried again on a timer, backing off, until it lands."""
        if not state.pending:
            self._retries = 0
            if self._retry_timer is not None:
                self._retry_timer.stop()
                self._retry_timer = None
            return
        if self._retry_timer is None:
            delays = self.RETRY_DELAYS
            delay = delays[min(self._retries, len(delays) - 1)]
            self._retries += 1
            self._retry_timer = self._screen.set_timer(delay, self._retry)

    def _retry(self) -> None:
        self._retry_timer = None
        if self.keeper is not None:
            self.keeper.retry()

    def show(self, state: NotesState) -> None:
        """Show the notes: highlights and gutter marks, the panel, the status bar."""
        from tuireader.ui.widgets.notes_panel import STANCE_MARKS

        self.notes = state.anchored
        if self.panel is not None:
            self.panel.show_notes(state.anchored)
        self._screen.query_one(ArticleView).set_highlights(
            "notes",
            [
                Highlight(
                    item.anchor.start,
                    item.anchor.end,
                    f"article-view--note-{item.note.stance.value if item.note.stance else 'none'}",
                    gutter=STANCE_MARKS[item.note.stance],
                )
                for item in state.anchored
                if item.anchor.start is not None and item.anchor.end is not None
            ],
        )
        self.show_status(state)
        self._changed(state)

    def show_status(self, state: NotesState) -> None:
        from tuireader.ui.notes_keeper import describe_notes

        screen = self._screen
        status = screen.query_one(StatusBar)
        status.notes = describe_notes(state, data_dir=screen.session.data_dir)
        status.notes_alert = bool(state.pending or state.draft_problem)
        status.notes_important = bool(
            state.read_only or set(state.earlier_drafts) & set(state.drafts)
        )
        screen.show_counts()

    def count_text(self) -> str:
        """How many notes; "" until the notes are read."""
        if self.keeper is None or not self.keeper.state.loaded:
            return ""
        return plural(len(self.notes), "note")

    def facts(self, counts: str) -> list[Fact]:
        """The notes' lines of the details view (ctrl+g), with the status bar's counts."""
        keeper = self.keeper
        if keeper is None:
            return [("Notes", "opened once the whole file is read")]
        from tuireader.ui.notes_keeper import describe_notes

        state = keeper.state
        orphans = sum(1 for item in self.notes if not item.anchor.found)
        return [
            ("Notes file", str(keeper.path)),
            ("Notes", _notes_state(describe_notes(state), state.path.name)),
            (
                "Counts",
                counts
                + (f" · {orphans} orphan" + ("s" if orphans != 1 else "") if orphans else ""),
            ),
        ]

    # --- May the notes change? ----------------------------------------------------

    def writable(self) -> bool:
        """True when the notes can change now; else the analyst is told why not."""
        screen = self._screen
        if self.keeper is None and screen.document.complete:
            # A key pressed before the first frame was followed by the notes opening.
            screen.open_notes()
        if self.keeper is None:
            screen.notify("The notes open once the whole file is read.", severity="warning")
            return False
        if not self.keeper.state.loaded and self._loaded is not None:
            # A key pressed as the app starts: a small notes file is read in
            # milliseconds, so wait for it rather than turn the key away.
            with contextlib.suppress(TimeoutError):
                self._loaded.result(timeout=NOTES_LOAD_WAIT)
                self.show(self.keeper.state)
        state = self.keeper.state
        if state.read_only:
            screen.notify(f"Notes are read-only: {state.read_only}", severity="error")
            return False
        if not state.loaded:
            screen.notify("The notes are still loading.", severity="warning")
            return False
        return True

    def note_here(self) -> AnchoredNote | None:
        """The note highlighted in the focused panel, else the one on the selection."""
        from tuireader.notes.review import note_at

        panel = self.panel
        if panel is not None and panel.has_focus_within and panel.highlighted_note_id:
            return next((n for n in self.notes if n.note.id == panel.highlighted_note_id), None)
        cursor = self._screen.cursor
        if cursor is None:
            return None
        return note_at(self.notes, cursor.start, cursor.end)

    def note_with_id(self, note_id: str | None) -> AnchoredNote | None:
        return next((n for n in self.notes if n.note.id == note_id), None)

    # --- The panel ------------------------------------------------------------------

    def new_panel(self) -> NotesPanel:
        # Imported with the first panel, like the notes modules (see the module doc).
        from tuireader.ui.widgets.notes_panel import NotesPanel

        screen = self._screen
        self.panel = NotesPanel(
            screen.layout_options,
            screen.document.direction,
            history=screen.host.histories.get("filter"),
            id="notes",
        )
        return self.panel

    def mount_panel(self) -> NotesPanel:
        panel = self.new_panel()
        self._screen.query_one("#panes").mount(panel)
        panel.show_notes(self.notes)
        return panel


def _notes_state(described: str, name: str) -> str:
    """The notes' state for ctrl+g, where the path is shown in full already."""
    return "read; nothing changed yet" if described == f"notes: {name}" else described
