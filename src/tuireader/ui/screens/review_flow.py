"""Review mode: one key per stance, claim after claim, with the count in the status bar."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from tuireader.notes.stance import Stance
from tuireader.text.claims import claim_at, iter_claims, next_claim
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tuireader.text.document import Document
    from tuireader.ui.notes_keeper import NotesState
    from tuireader.ui.screens.notes_flow import NotesFlow
    from tuireader.ui.screens.reader import ReaderScreen

COUNT_CLAIMS_AT_OPEN = 1_000_000
"""Characters up to which the claims are counted as the notes open (for the status bar)."""


class ReviewFlow:
    """Review mode of one reader screen: which claims have a stance, how many there
    are, and stances set before a long file's notes could open."""

    def __init__(self, screen: ReaderScreen, notes: NotesFlow) -> None:
        self._screen = screen
        self._notes = notes
        self.reviewing = False
        """In review mode, 1-5 set the stance of the claim under the cursor and move on."""
        self.reviewed: frozenset[int] = frozenset()
        """Start offsets of the claims that have a stance."""
        self.claim_count: int | None = None
        """Claims in the document shown (the part read so far, for a long file)."""
        self._waiting_stances: tuple[tuple[int, int, Stance], ...] = ()
        """Stances set while a long file was read, before its notes could open: (start,
        end, stance) of each claim, saved when they do (the start's offsets are the
        whole's)."""

    def notes_opened(self) -> None:
        """Quit in the middle of a review, and it goes on at the same claim — unless the
        reader, while a long file was read, already started reviewing or moved."""
        screen = self._screen
        if self.claim_count is None and len(screen.document.text) <= COUNT_CLAIMS_AT_OPEN:
            # The status bar's "k of n reviewed" from the start; a long article's claims
            # are counted only once review mode needs them (seconds of a thread's time).
            self._count_claims()
        if screen.session.remembered("review") is True and not self.reviewing:
            moved = screen.user_moved
            self.toggle()
            cursor = screen.session.remembered("cursor")
            claim = claim_at(screen.document, cursor) if isinstance(cursor, int) else None
            if claim is not None and not moved:
                screen.select(claim)

    def notes_changed(self, state: NotesState) -> None:
        from tuireader.notes.review import reviewed_claims  # see notes_flow's doc

        if state.loaded and self._waiting_stances:
            self._save_waiting_stances(state)
        waiting = {start for start, _, _ in self._waiting_stances}
        self.reviewed = frozenset(reviewed_claims(state.anchored, self._screen.document)) | waiting
        self.show()

    def _save_waiting_stances(self, state: NotesState) -> None:
        waiting, self._waiting_stances = self._waiting_stances, ()
        count = f"{len(waiting)} stance{'s' if len(waiting) != 1 else ''}"
        if state.read_only:
            self._screen.notify(
                f"{count} set while the file was read could not be saved: the notes are "
                f"read-only ({state.read_only})",
                severity="error",
                markup=False,
            )
            return
        for start, end, stance in waiting:
            self._save_stance(start, end, stance)
        self._screen.notify(f"Saved {count} set while the file was read.")

    def document_replaced(self) -> None:
        """The whole of a long file (or its end): count its claims again."""
        self.claim_count = None
        if self.reviewing:
            self._count_claims()
        self.show()

    def count_text(self) -> str:
        """ " · k of n reviewed" once the claims are counted."""
        if self.claim_count is None:
            return ""
        more = "" if self._screen.document.complete else "+"
        return f" · {len(self.reviewed)} of {self.claim_count}{more} reviewed"

    def show(self) -> None:
        screen = self._screen
        screen.show_counts()
        status = screen.query_one(StatusBar)
        if not self.reviewing:
            status.review = ""
            return
        if self.claim_count is None:
            total = "…"
        else:
            # Of a long file still being read, only the claims of the part read so far.
            more = "" if screen.document.complete else "+"
            total = f"{self.claim_count}{more}"
        status.review = f"REVIEW · reviewed {len(self.reviewed)} of {total} claims"
        if self._waiting_stances:
            status.review += f" · {len(self._waiting_stances)} to save once the file is read"

    def toggle(self) -> None:
        screen = self._screen
        self.reviewing = not self.reviewing
        screen.set_class(self.reviewing, "-reviewing")
        screen.session.remember(review=self.reviewing)
        if self.reviewing:
            if self.claim_count is None:
                self._count_claims()
            if screen.cursor is None:
                self.next_unreviewed()
        self.show()
        screen.refresh_bindings()

    def _count_claims(self) -> None:
        """Splitting an 18 MB article into sentences takes seconds: not on the loop."""
        document = self._screen.document
        self._screen.run_worker(
            partial(self._count, document), thread=True, exclusive=True, group="claims"
        )

    def _count(self, document: Document) -> None:
        count = sum(1 for _ in iter_claims(document))
        self._screen.app.call_from_thread(self._claims_counted, document, count)

    def _claims_counted(self, document: Document, count: int) -> None:
        screen = self._screen
        if document is not screen.document or not screen.is_attached or not screen.query(StatusBar):
            # The whole file arrived meanwhile (it is being counted), or the app is
            # quitting (the screen's children go first: claims are counted as the notes
            # open, and a short session ends before the count does).
            return
        self.claim_count = count
        self.show()

    def set_stance(self, value: str) -> None:
        screen = self._screen
        if screen.document.is_end:
            # The end of a long file, shown before the rest: its offsets are not the
            # whole's, so a stance could not be kept for its claim.
            screen.notify("Reading the rest of the file: stances can be set once it is whole.")
            return
        if screen.cursor is None:
            self.next_unreviewed()
        if screen.cursor is None:
            return
        stance = Stance(value)
        claim = claim_at(screen.document, screen.cursor.start) or screen.cursor
        if self._notes.keeper is None and not screen.document.complete:
            # The notes open with the whole file: keep the stance until then (issue 9:
            # it was turned away), and say so in the review count.
            if not self._waiting_stances:
                screen.notify("Stances are saved once the whole file is read.", timeout=3)
            self._waiting_stances = (
                *(w for w in self._waiting_stances if w[:2] != (claim.start, claim.end)),
                (claim.start, claim.end, stance),
            )
        elif not self._notes.writable():
            return
        else:
            self._save_stance(claim.start, claim.end, stance)
        self.reviewed = self.reviewed | {claim.start}
        self.show()
        following = next_claim(screen.document, claim.start)
        if following is not None:
            screen.select(following)

    def _save_stance(self, start: int, end: int, stance: Stance) -> None:
        from tuireader.notes.model import edit_note, new_note  # see notes_flow's doc
        from tuireader.notes.review import note_at

        screen = self._screen
        keeper = self._notes.require_keeper()
        existing = note_at(self._notes.notes, start, end)
        if existing is not None:
            keeper.update(edit_note(existing.note, stance=stance))
        else:
            author = screen.session.author
            keeper.add(new_note(screen.document, start, end, author=author, stance=stance))

    def next_unreviewed(self) -> None:
        from tuireader.notes.review import next_unreviewed_claim  # see notes_flow's doc

        screen = self._screen
        after = screen.cursor.start if screen.cursor else screen.reading_offset - 1
        claim = next_unreviewed_claim(screen.document, self.reviewed, after)
        if claim is None:
            screen.notify("Every claim has a stance.")
            return
        screen.select(claim)
