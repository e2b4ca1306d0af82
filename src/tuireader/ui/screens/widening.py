"""Widening and narrowing the reader's selection: `>` `<` by sentences, `,` back."""

from __future__ import annotations

from typing import Protocol

from tuireader.text.claims import next_claim, phrases_in, previous_claim
from tuireader.text.document import Document, Sentence


class Selecting(Protocol):
    """What widening needs of the reader screen (a test passes a plain object)."""

    cursor: Sentence | None
    document: Document

    def select(self, selection: Sentence) -> None:
        """Select a range (the widenings go, unless `Widening` is changing it)."""

    def show_selection(self, selection: Sentence) -> None:
        """Select a range and keep the widenings and the phrase state."""

    def action_next_claim(self) -> None:
        """Select the next claim."""


class Widening:
    """The widenings of one reader screen's selection, and the phrase being shown
    while `,` cuts a selection into phrases."""

    def __init__(self, screen: Selecting) -> None:
        self._screen = screen
        self._phrase: tuple[Sentence, int] | None = None
        """While narrowing: the range being cut into phrases, and the phrase shown."""
        self._widenings: list[tuple[Sentence, tuple[Sentence, int] | None]] = []
        """The selections (and phrase states) before each widening, last on top: `,`
        takes them back one by one."""
        self._widening = False
        """True while the selection is changed by a widening or its taking back."""

    def selecting(self, selection: Sentence) -> None:
        """The selection is about to move to `selection` (by any key or click)."""
        if self._phrase is not None and not (
            self._phrase[0].start <= selection.start and selection.end <= self._phrase[0].end
        ):
            self._phrase = None
        if not self._widening:
            # Moved elsewhere (`]`, a click, a note): the widenings are not taken back.
            self._widenings = []

    def widen(self, direction: int) -> None:
        screen = self._screen
        current = screen.cursor
        if current is None:
            screen.action_next_claim()
            return
        if direction > 0:
            more = next_claim(screen.document, current.end - 1)
            wider = None if more is None else Sentence(current.start, more.end)
        else:
            more = previous_claim(screen.document, current.start)
            wider = None if more is None else Sentence(more.start, current.end)
        if wider is None:
            return
        # Kept, with the phrase state, so that `,` can take this widening back.
        self._widenings.append((current, self._phrase))
        self._select_keeping_widenings(wider, None)

    def _select_keeping_widenings(
        self, selection: Sentence, phrase: tuple[Sentence, int] | None
    ) -> None:
        self._widening = True
        self._phrase = None
        try:
            self._screen.select(selection)
        finally:
            self._widening = False
        self._phrase = phrase

    def narrow(self) -> None:
        """`,`: first take back the widenings (`>`/`<`), the last one first; then cut
        the selection into phrases, one more each time (issue 13: `<` after `>` widened
        backwards, and nothing took a widening back)."""
        screen = self._screen
        if screen.cursor is None:
            return
        if self._widenings:
            selection, phrase = self._widenings.pop()
            self._select_keeping_widenings(selection, phrase)
            return
        whole, shown = self._phrase if self._phrase else (screen.cursor, -1)
        phrases = phrases_in(screen.document, whole.start, whole.end)
        following = shown + 1
        if len(phrases) < 2 or following >= len(phrases):
            self._phrase = None
            screen.select(whole)
            return
        start, end = phrases[following]
        self._phrase = (whole, following)
        screen.show_selection(Sentence(start, end))
