"""Jumps in the reader: the go-to line, marks (`m`, `'`) and back (`''`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuireader.ui.jumps import MARK_LETTERS, PREVIOUS_PLACE, marks_from, parse_goto
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual import events

    from tuireader.ui.screens.reader import ReaderScreen


class JumpFlow:
    """Where a reader screen jumps: marks kept for the document, the place before
    the last jump, and the key waiting for its letter after `m` or `'`."""

    def __init__(self, screen: ReaderScreen) -> None:
        self._screen = screen
        self._awaiting: str | None = None
        """A key waiting for its letter: "set_mark" after `m`, "go_to_mark" after `'`."""
        self._marks: dict[str, int] = {}
        self._marks_loaded = False
        self._before_jump: int | None = None
        """Where the reader was before the last jump (`''` goes back there)."""

    def leaving(self, offset: int) -> None:
        """A jump starts from `offset` (the top row): `''` comes back here."""
        self._before_jump = offset

    def jump_to(self, offset: int, *, end: bool = False) -> None:
        """Show a logical offset at the top (the end: the last screenful), and remember
        where the reader was, for `''`."""
        screen = self._screen
        article = screen.query_one(ArticleView)
        self._before_jump = article.top_offset()
        screen.user_moved = True
        if end:
            article.action_scroll_bottom()
        else:
            article.scroll_to_offset(offset, top=True)

    def open_go_to(self) -> None:
        """`:`: the go-to line, mounted on first use (see SearchFlow.open)."""
        from tuireader.ui.widgets.goto_bar import GoToBar

        screen = self._screen
        bars = screen.query(GoToBar)
        if bars:
            bars.first().open()
        else:
            line = GoToBar(screen.layout_options, id="goto")
            screen.mount(line, before=screen.query_one(StatusBar))
            screen.call_after_refresh(line.open)

    def go_to(self, value: str) -> None:
        """What the go-to line was given: a place, or text to search for."""
        screen = self._screen
        goto = parse_goto(value, screen.document)
        if goto.problem is not None:
            screen.notify(goto.problem, severity="warning", markup=False, timeout=4)
        elif goto.search is not None:
            if screen.search.folded is None:
                screen.search.fold()
            screen.search.search_for(goto.search)
        elif goto.offset is not None:
            self.jump_to(goto.offset, end=goto.end)

    @property
    def marks(self) -> dict[str, int]:
        """The marks of this document (letter → logical offset), as kept between
        sessions with the reading position (same state file, same key)."""
        document = self._screen.document
        if not self._marks_loaded and document.complete:
            # Known only once the whole text is (positions are kept by the whole text);
            # marks set before then win over the kept ones.
            remembered = self._screen.session.remembered("marks")
            self._marks = marks_from(remembered, len(document.text)) | self._marks
            self._marks_loaded = True
        return self._marks

    def await_letter(self, what: str) -> None:
        """`m` or `'`: the next key is a mark's letter."""
        self._awaiting = what
        self._screen.query_one(StatusBar).prompt = (
            "m: press a letter to mark this place · Esc cancels"
            if what == "set_mark"
            else "': press a mark's letter, ' to go back · Esc cancels"
        )

    def key(self, event: events.Key) -> None:
        """The letter after `m` or `'`: taken here, before any binding sees it."""
        what = self._awaiting
        if what is None:
            return
        event.stop()
        event.prevent_default()
        self._awaiting = None
        self._screen.query_one(StatusBar).prompt = ""
        char = event.character or ""
        if event.key == "escape":
            return
        if what == "go_to_mark" and char == PREVIOUS_PLACE:
            self.go_back()
        elif char in MARK_LETTERS and char:
            if what == "set_mark":
                self.set_mark(char)
            else:
                self.go_to_mark(char)
        else:
            self._screen.notify("Marks are letters: a to z, A to Z.", severity="warning", timeout=3)

    def set_mark(self, letter: str) -> None:
        """Mark the top row's place with a letter (kept for this document)."""
        screen = self._screen
        if screen.document.is_end:
            screen.notify("Marks can be set once the whole file is read.", severity="warning")
            return
        offset = screen.query_one(ArticleView).top_offset()
        marks = self.marks
        marks[letter] = offset
        screen.session.remember(marks=dict(sorted(marks.items())))
        # The percentage only: a section title here would be Arabic inside a toast.
        percent = round(100 * offset / max(1, len(screen.document.text)))
        screen.notify(f"Mark {letter} set ({percent}%).", timeout=2)

    def go_to_mark(self, letter: str) -> None:
        offset = self.marks.get(letter)
        if offset is None or self._screen.document.is_end:
            self._screen.notify(
                f"No mark {letter} (m{letter} sets it).", severity="warning", timeout=3
            )
            return
        self.jump_to(offset)

    def go_back(self) -> None:
        """`''`: back to where the last jump started (again: forth)."""
        if self._before_jump is None:
            self._screen.notify("No jump to go back from yet.", timeout=2)
            return
        self.jump_to(self._before_jump)
