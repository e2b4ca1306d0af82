"""The reader screen: outline, article and status bar, wired together."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen

from tuireader.text.claims import claim_at, next_claim, previous_claim
from tuireader.text.document import Direction, Document, Sentence
from tuireader.text.loading import LoadError
from tuireader.ui.labels import visual_label
from tuireader.ui.ordered_keys import OrderedKeysApp
from tuireader.ui.session import DocumentSession
from tuireader.ui.widgets.article_view import ArticleView, Highlight
from tuireader.ui.widgets.outline import OutlinePanel
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tuireader.text.normalize import FoldedText
    from tuireader.ui.widgets.search_bar import SearchBar


class ReaderScreen(Screen[None]):
    """Reads one document session. Children never query each other: this screen
    routes; it never calls up into the app (it posts messages)."""

    AUTO_FOCUS = "#article"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right_curly_bracket",
            "next_section",
            "Next section",
            id="next-section",
            tooltip="Jump to the next section",
        ),
        Binding(
            "left_curly_bracket",
            "previous_section",
            "Previous section",
            id="previous-section",
            tooltip="Jump to the previous section",
        ),
        Binding(
            "right_square_bracket",
            "next_claim",
            "Next sentence",
            id="next-sentence",
            tooltip="Move the claim cursor to the next sentence",
        ),
        Binding(
            "left_square_bracket",
            "previous_claim",
            "Previous sentence",
            id="previous-sentence",
            tooltip="Move the claim cursor to the previous sentence",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="search",
            tooltip="Search the text (folds hamza, harakat, digits, case)",
        ),
        Binding("n", "next_hit", "Next hit", id="next-hit", tooltip="Go to the next search hit"),
        Binding(
            "N",
            "previous_hit",
            "Previous hit",
            id="previous-hit",
            tooltip="Go to the previous search hit",
        ),
        Binding(
            "escape",
            "clear",
            "Clear",
            id="clear",
            tooltip="Clear the search hits and the claim cursor",
            show=False,
        ),
        Binding(
            "o",
            "toggle_outline",
            "Outline",
            id="toggle-outline",
            tooltip="Show or hide the outline",
        ),
    ]

    class DocumentFailed(Message):
        """The rest of a long file could not be read (one line for the user)."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    class LogProblem(Message):
        """Something failed that the app should log and mention (not end for)."""

        def __init__(self, what: str, error: BaseException) -> None:
            super().__init__()
            self.what = what
            self.error = error

    def __init__(self, session: DocumentSession) -> None:
        """`session` has read its document (at least the start of it)."""
        super().__init__()
        assert session.document is not None
        self.session = session
        self.document = session.document
        """The document shown: the session's, or the end of a long file (`G`)."""
        self.layout_options = session.options
        self.cursor: Sentence | None = None
        self._folded: FoldedText | None = None
        self._hits: list[tuple[int, int]] = []
        self._hit = -1
        self._query = ""
        self._offset = 0
        self._opened_at = 0
        self.user_moved = False
        """The reader moved since the screen opened (scrolled, selected, searched): a
        position restored later (a long file's, once it is whole) must not undo that."""

    @property
    def hits(self) -> list[tuple[int, int]]:
        """The search hits, as logical ranges in document order."""
        return list(self._hits)

    @property
    def current_hit(self) -> int | None:
        """Index of the hit the view is on, if any."""
        return self._hit if self._hits and self._hit >= 0 else None

    def compose(self) -> ComposeResult:
        # Textual sets breakpoint classes on the first resize, after a first layout at
        # the wrong width (outline shown at 80 columns); setting them now spares the
        # article a second layout before the first paint. No restyle yet: the screen
        # is styled as a whole once its children are mounted.
        width = self.app.size.width
        for minimum, name in sorted(self.app.HORIZONTAL_BREAKPOINTS or [], reverse=True):
            if width >= minimum:
                self.add_class(name, update=False)
                break
        self.set_class(self.document.direction is Direction.RTL, "-rtl", update=False)
        with Horizontal(id="panes"):
            yield OutlinePanel(self.document, self.layout_options, id="outline")
            yield ArticleView(self.document, self.layout_options, id="article")
            yield from self.compose_sidebar()
        yield StatusBar(id="status")

    def compose_sidebar(self) -> ComposeResult:
        """Panes after the article (the notes panel, in a subclass)."""
        yield from ()

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.document = self.document.name
        status.notice = " · ".join(self.document.notices)
        start = self.session.restored_offset()
        if start:
            self.query_one(ArticleView).scroll_to_offset(start, top=True)
        self._opened_at = start
        self._show_position(start, 0.0)
        if not self.document.complete:
            # After the first frame: reading 18 MB on a thread still competes for the
            # GIL with painting the screen that the start of the file already fills.
            self.call_after_refresh(self._read_whole_document)

    @work(thread=True, exclusive=True, group="document")
    def _read_whole_document(self) -> None:
        """The first screen came from the start of a long file; read the rest."""
        try:
            whole = self.session.read_whole()
        except LoadError as err:
            self.post_message(self.DocumentFailed(str(err)))
            return
        except Exception as err:  # noqa: BLE001 - MemoryError, a bug in the loader…
            # The start stays readable: say so, with a crash log, rather than end.
            self.post_message(self.LogProblem("The rest of the file could not be read", err))
            return
        self.app.call_from_thread(self._whole_document_read, whole)

    def _whole_document_read(self, whole: Document) -> None:
        if not self.is_attached:
            return  # read as the app was quitting, or the reader closed
        self.session.set_document(whole)
        self.replace_document(whole)

    def replace_document(self, document: Document) -> None:
        """Show another part of a long file: its end on `G` (other offsets), or the
        whole once read (same offsets as the start, more text)."""
        article = self.query_one(ArticleView)
        from_start = not self.document.is_end and not document.is_end
        shift: int | None = 0
        if not from_start:
            # Offsets change meaning: the end is a suffix of the whole, so its offsets
            # move by the difference of lengths; going to the end shows the end.
            ended = document.text.endswith(self.document.text)
            shift = len(document.text) - len(self.document.text) if ended else None
            self.cursor = None
            article.set_highlights("cursor", [])
            article.set_highlights("hits", [])
        self.document = document
        self._folded = None
        if self._query:
            self._fold_document()
        article.set_document(document, shift=shift)
        self.query_one(OutlinePanel).set_document(document)
        status = self.query_one(StatusBar)
        status.notice = " · ".join(document.notices)
        start = self.session.restored_offset()
        if from_start and start and not self.user_moved:
            # Known only now (positions are kept by the whole text), and only if the
            # reader has not gone somewhere else meanwhile (issue 9).
            article.scroll_to_offset(start, top=True)

    @on(ArticleView.EndWanted)
    def _end_wanted(self) -> None:
        if self.document.complete or self.document.is_end:
            return
        end = self.session.read_end()
        if end is None:
            self.notify("Reading the rest of the file…", timeout=2)
        else:
            self.replace_document(end)

    # --- Position -------------------------------------------------------------

    @on(ArticleView.Scrolled)
    def _scrolled(self, event: ArticleView.Scrolled) -> None:
        app = self.app
        typed = isinstance(app, OrderedKeysApp) and app.input_count
        if typed and event.offset != self._opened_at:
            # Not the scroll to the restored position, which comes before any key is
            # handled (keys wait for the app to settle: see OrderedKeysApp).
            self.user_moved = True
        self._show_position(event.offset, event.fraction)
        self.remember_place(offset=event.offset)

    def remember_place(self, **offsets: int) -> None:
        """Remember logical offsets for this document (the reading position, the review
        cursor); not while the end of a long file is shown: its offsets are not the
        whole's."""
        if not self.document.is_end:
            self.session.remember(**offsets)

    def _show_position(self, offset: int, fraction: float) -> None:
        self._offset = offset
        status = self.query_one(StatusBar)
        status.position = f"{round(fraction * 100)}%"
        section = self._section_at(offset)
        status.section = (
            visual_label(section, 40, self.layout_options, self.document.direction)
            if section
            else visual_label("")
        )
        self.query_one(OutlinePanel).show_position(offset)

    def _section_at(self, offset: int) -> str | None:
        section = self.document.section_at(offset)
        return None if section is None else section.title

    # --- Sections -------------------------------------------------------------

    @on(OutlinePanel.SectionSelected)
    def _section_selected(self, event: OutlinePanel.SectionSelected) -> None:
        article = self.query_one(ArticleView)
        article.scroll_to_offset(event.offset, top=True)
        outline = self.query_one(OutlinePanel)
        if self.has_class("-narrow") and outline.has_class("-toggled"):
            outline.remove_class("-toggled")
        article.focus()

    def action_next_section(self) -> None:
        later = [s.start for s in self.document.sections if s.start > self._offset]
        if later:
            self.query_one(ArticleView).scroll_to_offset(later[0], top=True)

    def action_previous_section(self) -> None:
        earlier = [s.start for s in self.document.sections if s.start < self._offset]
        self.query_one(ArticleView).scroll_to_offset(earlier[-1] if earlier else 0, top=True)

    def action_toggle_outline(self) -> None:
        self.query_one(OutlinePanel).toggle_class("-toggled")

    # --- Claim cursor ---------------------------------------------------------

    def action_next_claim(self) -> None:
        after = self.cursor.start if self.cursor else self._offset - 1
        self._move_cursor(next_claim(self.document, after))

    def action_previous_claim(self) -> None:
        before = self.cursor.start if self.cursor else self._offset
        self._move_cursor(previous_claim(self.document, before))

    @on(ArticleView.Clicked)
    def _clicked(self, event: ArticleView.Clicked) -> None:
        self._move_cursor(claim_at(self.document, event.offset))

    def _move_cursor(self, sentence: Sentence | None) -> None:
        if sentence is not None:
            self.select(sentence)

    def select(self, selection: Sentence) -> None:
        """Make a logical range the selection (the claim cursor), and show it."""
        self.cursor = selection
        self.user_moved = True
        article = self.query_one(ArticleView)
        article.set_highlights(
            "cursor", [Highlight(selection.start, selection.end, "article-view--cursor")]
        )
        article.scroll_range_into_view(selection.start, selection.end)
        self.selection_changed()

    def selection_changed(self) -> None:
        """Called after the selection moved (a subclass shows what is there)."""

    # --- Search ---------------------------------------------------------------

    def action_search(self) -> None:
        # Mounted (and imported, with the folding) on first use: an Input is not free
        # to compose, and most readings never search.
        from tuireader.ui.widgets.search_bar import SearchBar

        bars = self.query(SearchBar)
        if bars:
            bars.first().open()
        else:
            search = SearchBar(self.layout_options, id="search")
            self.mount(search, before=self.query_one(StatusBar))
            self.call_after_refresh(search.open)
        if self._folded is None:
            self._fold_document()

    @work(thread=True, exclusive=True, group="fold")
    def _fold_document(self) -> None:
        """Folding an 18 MB article takes a second or two: never on the event loop."""
        from tuireader.text.normalize import fold_text

        document = self.document
        self.app.call_from_thread(self._folded_ready, document, fold_text(document.text))

    def _folded_ready(self, document: Document, folded: FoldedText) -> None:
        if not self.is_attached:
            return  # folded as the app was quitting
        if document is not self.document:
            # The whole of a long file arrived meanwhile: fold that instead.
            self._fold_document()
            return
        self._folded = folded
        if self._query:
            self._run_search(self._query)

    def on_search_bar_submitted(self, event: SearchBar.Submitted) -> None:
        self._query = event.query
        self.query_one(ArticleView).focus()
        if self._folded is None:
            self.query_one(StatusBar).notice = "searching…"
            self._fold_document()
        else:
            self._run_search(event.query)

    def _run_search(self, query: str) -> None:
        from tuireader.text.normalize import find_matches

        assert self._folded is not None
        self._hits = find_matches(query, self._folded)
        self._hit = -1
        if not self._hits:
            self._show_hits()
            return
        later = [k for k, (start, _) in enumerate(self._hits) if start >= self._offset]
        self._go_to_hit(later[0] if later else 0)

    def _go_to_hit(self, index: int) -> None:
        self._hit = index
        start, end = self._hits[index]
        self._show_hits()
        self.query_one(ArticleView).scroll_range_into_view(start, end)

    def _show_hits(self) -> None:
        highlights = [
            Highlight(
                start,
                end,
                "article-view--hit-current" if k == self._hit else "article-view--hit",
            )
            for k, (start, end) in enumerate(self._hits)
        ]
        self.query_one(ArticleView).set_highlights("hits", highlights)
        status = self.query_one(StatusBar)
        if not self._query:
            status.notice = " · ".join(self.document.notices)
        elif not self._hits:
            status.notice = "no hits"
        else:
            status.notice = f"hit {self._hit + 1} of {len(self._hits)}"

    def action_next_hit(self) -> None:
        if self._hits:
            self._go_to_hit((self._hit + 1) % len(self._hits))

    def action_previous_hit(self) -> None:
        if self._hits:
            self._go_to_hit((self._hit - 1) % len(self._hits))

    def on_search_bar_cancelled(self) -> None:
        self.action_clear()
        self.query_one(ArticleView).focus()

    def action_clear(self) -> None:
        self._query = ""
        self._hits = []
        self._hit = -1
        self._show_hits()
        self.cursor = None
        self.query_one(ArticleView).set_highlights("cursor", [])
        self.selection_changed()
