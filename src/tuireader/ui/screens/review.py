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
    from tuireader.ui.notes_keeper import NotesState

STANCE_KEYS = {
    "1": Stance.SUPPORTED,
    "2": Stance.DISPUTED,
    "3": Stance.UNVERIFIED,
    "4": Stance.NEEDS_SOURCE,
    "5": Stance.OPINION,
}


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

    def notes_opened(self) -> None:
        """Quit in the middle of a review, and it goes on at the same claim."""
        if self.reader_app.remembered("review") is True:
            cursor = self.reader_app.remembered("cursor")
            self.action_toggle_review()
            claim = claim_at(self.document, cursor) if isinstance(cursor, int) else None
            if claim is not None:
                self.select(claim)

    def notes_changed(self, state: NotesState) -> None:
        from tuireader.notes.review import reviewed_claims  # see AnnotatorScreen

        self._reviewed = frozenset(reviewed_claims(state.anchored, self.document))
        self._show_review()

    def selection_changed(self) -> None:
        if self.reviewing and self.cursor is not None:
            self.remember_place(cursor=self.cursor.start)

    def _show_review(self) -> None:
        status = self.query_one(StatusBar)
        if not self.reviewing:
            status.review = ""
            return
        total = "…" if self._claim_count is None else str(self._claim_count)
        status.review = f"REVIEW · reviewed {len(self._reviewed)} of {total} claims"

    def action_toggle_review(self) -> None:
        self.reviewing = not self.reviewing
        self.set_class(self.reviewing, "-reviewing")
        self.reader_app.remember(review=self.reviewing)
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
        count = sum(1 for _ in iter_claims(self.document))
        self.app.call_from_thread(self._claims_counted, count)

    def _claims_counted(self, count: int) -> None:
        self._claim_count = count
        self._show_review()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_stance":
            return self.reviewing
        return super().check_action(action, parameters)

    def action_set_stance(self, value: str) -> None:
        if self.cursor is None:
            self.action_next_unreviewed()
        if self.cursor is None or not self._writable():
            return
        from tuireader.notes.model import edit_note, new_note  # see AnnotatorScreen
        from tuireader.notes.review import note_at

        stance = Stance(value)
        claim = claim_at(self.document, self.cursor.start) or self.cursor
        existing = note_at(self.notes, claim.start, claim.end)
        if existing is not None:
            self._keeper().update(edit_note(existing.note, stance=stance))
        else:
            self._keeper().add(
                new_note(self.document, claim.start, claim.end, author=self.author, stance=stance)
            )
        self._reviewed = self._reviewed | {claim.start}
        self._show_review()
        self._move_cursor(next_claim(self.document, claim.start))

    def action_next_unreviewed(self) -> None:
        from tuireader.notes.review import next_unreviewed_claim  # see AnnotatorScreen

        after = self.cursor.start if self.cursor else self._offset - 1
        claim = next_unreviewed_claim(self.document, self._reviewed, after)
        if claim is None:
            self.notify("Every claim has a stance.")
            return
        self.select(claim)
