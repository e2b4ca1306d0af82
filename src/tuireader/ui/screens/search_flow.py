"""Searching the reader's text: the search line, folding on a thread, the hits."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from tuireader.ui.widgets.article_view import ArticleView, Highlight
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tuireader.text.document import Document
    from tuireader.text.normalize import FoldedText
    from tuireader.ui.screens.reader import ReaderScreen


class SearchFlow:
    """The search of one reader screen: its query, the folded text and the hits.

    The screen routes `/`, `n`, `N`, Esc and the search line's messages here.
    """

    def __init__(self, screen: ReaderScreen) -> None:
        self._screen = screen
        self.folded: FoldedText | None = None
        """The document's text folded for matching (made on a thread on first use)."""
        self.query = ""
        self._hits: list[tuple[int, int]] = []
        self._hit = -1
        self._wrapped = False
        """The last move to a search hit went round the end (or the start)."""

    @property
    def hits(self) -> list[tuple[int, int]]:
        """The search hits, as logical ranges in document order."""
        return list(self._hits)

    @property
    def current_hit(self) -> int | None:
        """Index of the hit the view is on, if any."""
        return self._hit if self._hits and self._hit >= 0 else None

    def open(self) -> None:
        """`/`: the search line, mounted (and imported, with the folding) on first use:
        an Input is not free to compose, and most readings never search."""
        from tuireader.ui.widgets.search_bar import SearchBar

        screen = self._screen
        bars = screen.query(SearchBar)
        if bars:
            bars.first().open()
        else:
            history = screen.host.histories.get("search")
            search = SearchBar(screen.layout_options, history=history, id="search")
            screen.mount(search, before=screen.query_one(StatusBar))
            screen.call_after_refresh(search.open)
        if self.folded is None:
            self.fold()

    def fold(self) -> None:
        """Folding an 18 MB article takes a second or two: never on the event loop."""
        document = self._screen.document
        self._screen.run_worker(
            partial(self._fold, document), thread=True, exclusive=True, group="fold"
        )

    def _fold(self, document: Document) -> None:
        from tuireader.text.normalize import fold_text

        folded = fold_text(document.text)
        self._screen.app.call_from_thread(self._folded_ready, document, folded)

    def _folded_ready(self, document: Document, folded: FoldedText) -> None:
        if not self._screen.is_attached:
            return  # folded as the app was quitting
        if document is not self._screen.document:
            # The whole of a long file arrived meanwhile: fold that instead.
            self.fold()
            return
        self.folded = folded
        if self.query:
            self._run(self.query)

    def document_replaced(self) -> None:
        """Another part of a long file is shown: fold it again if a search is on."""
        self.folded = None
        if self.query:
            self.fold()

    def search_for(self, query: str) -> None:
        """Search the text and go to the first hit after the top row (as `/` does)."""
        self.query = query
        if self.folded is None:
            self._screen.query_one(StatusBar).notice = "searching…"
            self.fold()
        else:
            self._run(query)

    def _run(self, query: str) -> None:
        from tuireader.text.normalize import find_matches

        assert self.folded is not None
        self._hits = find_matches(query, self.folded)
        self._hit = -1
        if not self._hits:
            self.show_hits()
            return
        top = self._screen.reading_offset
        later = [k for k, (start, _) in enumerate(self._hits) if start >= top]
        # No hit below: the first one, above, is found by going round (less, vim).
        self._go_to_hit(later[0] if later else 0, wrapped=not later)

    def _go_to_hit(self, index: int, *, wrapped: bool = False) -> None:
        self._hit = index
        self._wrapped = wrapped
        start, end = self._hits[index]
        self.show_hits()
        article = self._screen.query_one(ArticleView)
        self._screen.jumps.leaving(article.top_offset())
        article.scroll_range_into_view(start, end)

    def show_hits(self) -> None:
        screen = self._screen
        highlights = [
            Highlight(
                start,
                end,
                "article-view--hit-current" if k == self._hit else "article-view--hit",
            )
            for k, (start, end) in enumerate(self._hits)
        ]
        screen.query_one(ArticleView).set_highlights("hits", highlights)
        status = screen.query_one(StatusBar)
        if not self.query:
            status.notice = " · ".join(screen.document.notices)
        elif not self._hits:
            status.notice = "no hits"
        else:
            wrapped = " · search wrapped" if self._wrapped else ""
            status.notice = f"hit {self._hit + 1} of {len(self._hits)}{wrapped}"

    def next_hit(self) -> None:
        if self._hits:
            following = self._hit + 1
            self._go_to_hit(following % len(self._hits), wrapped=following >= len(self._hits))

    def previous_hit(self) -> None:
        if self._hits:
            self._go_to_hit((self._hit - 1) % len(self._hits), wrapped=self._hit <= 0)

    def end(self) -> None:
        """The search ends: no query, no hits (the status bar shows the notices)."""
        self.query = ""
        self._hits = []
        self._hit = -1
        self.show_hits()
