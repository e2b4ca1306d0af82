"""Review mode: one key per stance, claim after claim, with the count in the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from tuireader.notes.stance import Stance
from tuireader.text.claims import claim_at, iter_claims, next_claim
from tuireader.ui.screens.annotator import AnnotatorScreen
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tuireader.text.document import Document
    from tuireader.ui.notes_keeper import NotesState

STANCE_KEYS = {
    "1": Stance.SUPPORTED,
    "2": Stance.DISPUTED,
    "3": Stance.UNVERIFIED,
    "4": Stance.NEEDS_SOURCE,
    "5": Stance.OPINION,
}


COUNT_CLAIMS_AT_OPEN = 1_000_000
"""Characters up to which the claims are counted as the notes open (for the status bar)."""


def _stance_binding(key: str, stance: Stance) -> Binding:
    return Binding(
        key,
        f"set_stance('{stance.value}')",
        f"Mark {stance.value}",
        id=f"stance-{stance.value}",
        tooltip=f"Review mode: mark the claim {stance.value} and go to the next one",
    )


class ReviewScreen(AnnotatorScreen):
    """The reader with notes and review mode: what the app shows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "toggle_review",
            "Review",
            id="review",
            tooltip="Review mode: 1-5 set the stance and move on",
        ),
        Binding(
            "u",
            "next_unreviewed",
            "Next unreviewed",
            id="next-unreviewed",
            tooltip="Go to the next claim without a stance",
        ),
        *(_stance_binding(key, stance) for key, stance in STANCE_KEYS.items()),
    ]

    # Immutable defaults, replaced (not changed) per instance: no __init__ to keep in
    # step with AnnotatorScreen's.
    reviewing: bool = False
    """In review mode, 1-5 set the stance of the claim under the cursor and move on."""
    _reviewed: frozenset[int] = frozenset()
    """Start offsets of the claims that have a stance."""
    _claim_count: int | None = None
    """Claims in the document shown (the part read so far, for a long file)."""
    _waiting_stances: tuple[tuple[int, int, Stance], ...] = ()
    """Stances set while a long file was read, before its notes could open: (start,
    end, stance) of each claim, saved when they do (the start's offsets are the
    whole's)."""

    def notes_opened(self) -> None:
        """Quit in the middle of a review, and it goes on at the same claim — unless the
        reader, while a long file was read, already started reviewing or moved."""
        if self._claim_count is None and len(self.document.text) <= COUNT_CLAIMS_AT_OPEN:
            # The status bar's "k of n reviewed" from the start; a long article's claims
            # are counted only once review mode needs them (seconds of a thread's time).
            self._count_claims()
        if self.session.remembered("review") is True and not self.reviewing:
            moved = self.user_moved
            self.action_toggle_review()
            cursor = self.session.remembered("cursor")
            claim = claim_at(self.document, cursor) if isinstance(cursor, int) else None
            if claim is not None and not moved:
                self.select(claim)

    def notes_changed(self, state: NotesState) -> None:
        from tuireader.notes.review import reviewed_claims  # see AnnotatorScreen

        self.notes = state.anchored  # (already so; `_save_stance` must see these)
        if state.loaded and self._waiting_stances:
            self._save_waiting_stances(state)
        waiting = {start for start, _, _ in self._waiting_stances}
        self._reviewed = frozenset(reviewed_claims(state.anchored, self.document)) | waiting
        self._show_review()

    def _save_waiting_stances(self, state: NotesState) -> None:
        waiting, self._waiting_stances = self._waiting_stances, ()
        count = f"{len(waiting)} stance{'s' if len(waiting) != 1 else ''}"
        if state.read_only:
            self.notify(
                f"{count} set while the file was read could not be saved: the notes are "
                f"read-only ({state.read_only})",
                severity="error",
                markup=False,
            )
            return
        for start, end, stance in waiting:
            self._save_stance(start, end, stance)
        self.notify(f"Saved {count} set while the file was read.")

    def replace_document(self, document: Document) -> None:
        super().replace_document(document)
        # The whole of a long file (or its end): count its claims again.
        self._claim_count = None
        if self.reviewing:
            self._count_claims()
        self._show_review()

    def selection_changed(self) -> None:
        if self.reviewing and self.cursor is not None:
            self.remember_place(cursor=self.cursor.start)

    def counts_text(self) -> str:
        counts = super().counts_text()
        if counts and self._claim_count is not None:
            more = "" if self.document.complete else "+"
            counts += f" · {len(self._reviewed)} of {self._claim_count}{more} reviewed"
        return counts

    def show_counts(self) -> None:
        super().show_counts()
        if self.reviewing:
            # "REVIEW · reviewed k of n claims" says it already: room for the rest.
            self.query_one(StatusBar).counts = ""

    def _show_review(self) -> None:
        self.show_counts()
        status = self.query_one(StatusBar)
        if not self.reviewing:
            status.review = ""
            return
        if self._claim_count is None:
            total = "…"
        else:
            # Of a long file still being read, only the claims of the part read so far.
            more = "" if self.document.complete else "+"
            total = f"{self._claim_count}{more}"
        status.review = f"REVIEW · reviewed {len(self._reviewed)} of {total} claims"
        if self._waiting_stances:
            status.review += f" · {len(self._waiting_stances)} to save once the file is read"

    def action_toggle_review(self) -> None:
        self.reviewing = not self.reviewing
        self.set_class(self.reviewing, "-reviewing")
        self.session.remember(review=self.reviewing)
        if self.reviewing:
            if self._claim_count is None:
                self._count_claims()
            if self.cursor is None:
                self.action_next_unreviewed()
        self._show_review()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="claims")
    def _count_claims(self) -> None:
        """Splitting an 18 MB article into sentences takes seconds: not on the loop."""
        document = self.document
        count = sum(1 for _ in iter_claims(document))
        self.app.call_from_thread(self._claims_counted, document, count)

    def _claims_counted(self, document: Document, count: int) -> None:
        if document is not self.document or not self.is_attached or not self.query(StatusBar):
            # The whole file arrived meanwhile (it is being counted), or the app is
            # quitting (the screen's children go first: claims are counted as the notes
            # open, and a short session ends before the count does).
            return
        self._claim_count = count
        self._show_review()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_stance":
            return self.reviewing
        return super().check_action(action, parameters)

    def action_set_stance(self, value: str) -> None:
        if self.document.is_end:
            # The end of a long file, shown before the rest: its offsets are not the
            # whole's, so a stance could not be kept for its claim.
            self.notify("Reading the rest of the file: stances can be set once it is whole.")
            return
        if self.cursor is None:
            self.action_next_unreviewed()
        if self.cursor is None:
            return
        stance = Stance(value)
        claim = claim_at(self.document, self.cursor.start) or self.cursor
        if self.keeper is None and not self.document.complete:
            # The notes open with the whole file: keep the stance until then (issue 9:
            # it was turned away), and say so in the review count.
            if not self._waiting_stances:
                self.notify("Stances are saved once the whole file is read.", timeout=3)
            self._waiting_stances = (
                *(w for w in self._waiting_stances if w[:2] != (claim.start, claim.end)),
                (claim.start, claim.end, stance),
            )
        elif not self._writable():
            return
        else:
            self._save_stance(claim.start, claim.end, stance)
        self._reviewed = self._reviewed | {claim.start}
        self._show_review()
        self._move_cursor(next_claim(self.document, claim.start))

    def _save_stance(self, start: int, end: int, stance: Stance) -> None:
        from tuireader.notes.model import edit_note, new_note  # see AnnotatorScreen
        from tuireader.notes.review import note_at

        existing = note_at(self.notes, start, end)
        if existing is not None:
            self._keeper().update(edit_note(existing.note, stance=stance))
        else:
            self._keeper().add(
                new_note(self.document, start, end, author=self.author, stance=stance)
            )

    def action_next_unreviewed(self) -> None:
        from tuireader.notes.review import next_unreviewed_claim  # see AnnotatorScreen

        after = self.cursor.start if self.cursor else self._offset - 1
        claim = next_unreviewed_claim(self.document, self._reviewed, after)
        if claim is None:
            self.notify("Every claim has a stance.")
            return
        self.select(claim)
