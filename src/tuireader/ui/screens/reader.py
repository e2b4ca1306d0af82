"""The reader screen: outline, article and status bar, wired together."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen

from tuireader.text.claims import claim_at, next_claim, previous_claim
from tuireader.text.document import Direction, Document, Sentence
from tuireader.text.loading import LoadError
from tuireader.ui.commands import MarkCommands
from tuireader.ui.jumps import MARK_LETTERS, PREVIOUS_PLACE, marks_from, parse_goto
from tuireader.ui.labels import visual_label
from tuireader.ui.ordered_keys import OrderedKeysApp
from tuireader.ui.session import DocumentSession
from tuireader.ui.widgets.article_view import ArticleView, Highlight
from tuireader.ui.widgets.outline import OutlinePanel
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.widget import Widget

    from tuireader.text.normalize import FoldedText
    from tuireader.ui.host import ReaderHost
    from tuireader.ui.screens.details import Fact
    from tuireader.ui.widgets.goto_bar import GoToBar
    from tuireader.ui.widgets.search_bar import SearchBar


class ReaderScreen(Screen[None]):
    """Reads one document session. Children never query each other: this screen
    routes; it never calls up into the app (it posts messages)."""

    AUTO_FOCUS = "#article"
    COMMANDS = Screen.COMMANDS | {MarkCommands}

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
            "y",
            "copy_claim",
            "Copy",
            id="copy-claim",
            tooltip="Copy the selection or the claim as text, with a citation",
        ),
        Binding(
            "o",
            "toggle_outline",
            "Outline",
            id="toggle-outline",
            tooltip="Show or hide the outline",
        ),
        Binding(
            "colon",
            "go_to",
            "Go to",
            id="go-to",
            tooltip="Go to a percentage (50%), a section by number (3), or search for text",
        ),
        Binding(
            "m",
            "set_mark",
            "Set mark",
            id="set-mark",
            tooltip="m then a letter: mark this place (kept for this document)",
        ),
        Binding(
            "apostrophe",
            "go_to_mark",
            "Go to mark",
            id="go-to-mark",
            tooltip="' then a letter: go to that mark; '' back to before the last jump",
        ),
        Binding(
            "ctrl+g",
            "details",
            "Details",
            id="details",
            tooltip="The full paths of the file and its notes, the title and the counts",
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
        self._wrapped = False
        """The last move to a search hit went round the end (or the start)."""
        self._awaiting: str | None = None
        """A key waiting for its letter: "set_mark" after `m`, "go_to_mark" after `'`."""
        self._marks: dict[str, int] = {}
        self._marks_loaded = False
        self._before_jump: int | None = None
        """Where the reader was before the last jump (`''` goes back there)."""

    @property
    def hits(self) -> list[tuple[int, int]]:
        """The search hits, as logical ranges in document order."""
        return list(self._hits)

    @property
    def current_hit(self) -> int | None:
        """Index of the hit the view is on, if any."""
        return self._hit if self._hits and self._hit >= 0 else None

    @property
    def host(self) -> ReaderHost:
        """The app's shared services (settings, histories), without importing the app."""
        return cast("ReaderHost", self.app)

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
        yield StatusBar(self.layout_options, self.document.direction, id="status")

    def compose_sidebar(self) -> ComposeResult:
        """Panes after the article (the notes panel, in a subclass)."""
        yield from ()

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.document = self.document.title or self.document.name
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
        status.document = document.title or status.document or document.name
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
        status.section = self._section_at(offset) or ""
        self.query_one(OutlinePanel).show_position(offset)

    def _section_at(self, offset: int) -> str | None:
        section = self.document.section_at(offset)
        return None if section is None else section.title

    # --- Sections -------------------------------------------------------------

    @on(OutlinePanel.SectionSelected)
    def _section_selected(self, event: OutlinePanel.SectionSelected) -> None:
        article = self.query_one(ArticleView)
        self.jump_to(event.offset)
        outline = self.query_one(OutlinePanel)
        if self.has_class("-narrow") and outline.has_class("-toggled"):
            outline.remove_class("-toggled")
        article.focus()

    def action_next_section(self) -> None:
        later = [s.start for s in self.document.sections if s.start > self._offset]
        if later:
            self.jump_to(later[0])

    def action_previous_section(self) -> None:
        earlier = [s.start for s in self.document.sections if s.start < self._offset]
        self.jump_to(earlier[-1] if earlier else 0)

    def action_toggle_outline(self) -> None:
        """Show or hide the outline; shown, it takes the focus (issue 13: at 80 columns ↓
        still scrolled the article under it); hidden, it gives it back to the article."""
        outline = self.query_one(OutlinePanel)
        outline.toggle_class("-toggled")
        if self.outline_shown():
            if self.has_class("-narrow"):
                self.overlay_opened(outline)
            outline.focus()
        elif outline.has_focus:
            self.query_one(ArticleView).focus()

    def outline_shown(self) -> bool:
        """True when the outline is on screen: a sidebar unless toggled off, at less
        than 100 columns an overlay when toggled on (see reader.tcss)."""
        toggled = self.query_one(OutlinePanel).has_class("-toggled")
        return toggled if self.has_class("-narrow") else not toggled

    def overlay_opened(self, overlay: Widget) -> None:
        """Called when a pane is laid over the article: one overlay at a time (a
        subclass closes the notes panel's)."""

    @on(OutlinePanel.Left)
    def _outline_left(self) -> None:
        """Esc in the outline: one level back, to the article; an overlay closes."""
        outline = self.query_one(OutlinePanel)
        if self.has_class("-narrow"):
            outline.remove_class("-toggled")
        self.query_one(ArticleView).focus()

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

    # --- Copy -----------------------------------------------------------------

    def action_copy_claim(self) -> None:
        """Copy as logical text: the mouse selection if there is one, else the claim
        cursor's range, else the claim at the reading position (issue 10)."""
        from tuireader.ui.config import copy_citation
        from tuireader.ui.copying import copied_text
        from tuireader.ui.labels import fit_logical, isolated

        selected = self.get_selected_text()
        if selected:
            self.app.copy_to_clipboard(selected)
            shown, what = selected, "the selection"
        else:
            claim = self.cursor or claim_at(self.document, self._offset)
            claim = claim or next_claim(self.document, self._offset - 1)
            if claim is None:
                self.notify("Nothing to copy here.", severity="warning")
                return
            cite = copy_citation(self.host.settings.data)
            text = copied_text(self.document, claim.start, claim.end, citation=cite)
            self.app.copy_to_clipboard(text)
            shown = self.document.text[claim.start : claim.end].strip()
            what = "the claim, with its citation," if cite else "the claim"
        excerpt = isolated(fit_logical(" ".join(shown.split()), 30))
        self.notify(f"Copied {what} as text: “{excerpt}”", markup=False, timeout=3)

    # --- Search ---------------------------------------------------------------

    def action_search(self) -> None:
        # Mounted (and imported, with the folding) on first use: an Input is not free
        # to compose, and most readings never search.
        from tuireader.ui.widgets.search_bar import SearchBar

        bars = self.query(SearchBar)
        if bars:
            bars.first().open()
        else:
            history = self.host.histories.get("search")
            search = SearchBar(self.layout_options, history=history, id="search")
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
        self.query_one(ArticleView).focus()
        self.search_for(event.query)

    def search_for(self, query: str) -> None:
        """Search the text and go to the first hit after the top row (as `/` does)."""
        self._query = query
        if self._folded is None:
            self.query_one(StatusBar).notice = "searching…"
            self._fold_document()
        else:
            self._run_search(query)

    def _run_search(self, query: str) -> None:
        from tuireader.text.normalize import find_matches

        assert self._folded is not None
        self._hits = find_matches(query, self._folded)
        self._hit = -1
        if not self._hits:
            self._show_hits()
            return
        later = [k for k, (start, _) in enumerate(self._hits) if start >= self._offset]
        # No hit below: the first one, above, is found by going round (less, vim).
        self._go_to_hit(later[0] if later else 0, wrapped=not later)

    def _go_to_hit(self, index: int, *, wrapped: bool = False) -> None:
        self._hit = index
        self._wrapped = wrapped
        start, end = self._hits[index]
        self._show_hits()
        article = self.query_one(ArticleView)
        self._before_jump = article.top_offset()
        article.scroll_range_into_view(start, end)

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
            wrapped = " · search wrapped" if self._wrapped else ""
            status.notice = f"hit {self._hit + 1} of {len(self._hits)}{wrapped}"

    def action_next_hit(self) -> None:
        if self._hits:
            following = self._hit + 1
            self._go_to_hit(following % len(self._hits), wrapped=following >= len(self._hits))

    def action_previous_hit(self) -> None:
        if self._hits:
            self._go_to_hit((self._hit - 1) % len(self._hits), wrapped=self._hit <= 0)

    def on_search_bar_cancelled(self) -> None:
        """Esc in the search line goes back one level: the line closes and the search
        ends, the claim cursor stays (a second Esc, in the article, clears it)."""
        self._query = ""
        self._hits = []
        self._hit = -1
        self._show_hits()
        self.query_one(ArticleView).focus()

    def action_clear(self) -> None:
        self._query = ""
        self._hits = []
        self._hit = -1
        self._show_hits()
        self.cursor = None
        self.query_one(ArticleView).set_highlights("cursor", [])
        self.selection_changed()

    # --- Jumps: the go-to line, marks, and back ---------------------------------

    def jump_to(self, offset: int, *, end: bool = False) -> None:
        """Show a logical offset at the top (the end: the last screenful), and remember
        where the reader was, for `''`."""
        article = self.query_one(ArticleView)
        self._before_jump = article.top_offset()
        self.user_moved = True
        if end:
            article.action_scroll_bottom()
        else:
            article.scroll_to_offset(offset, top=True)

    def action_go_to(self) -> None:
        from tuireader.ui.widgets.goto_bar import GoToBar  # see action_search

        bars = self.query(GoToBar)
        if bars:
            bars.first().open()
        else:
            line = GoToBar(self.layout_options, id="goto")
            self.mount(line, before=self.query_one(StatusBar))
            self.call_after_refresh(line.open)

    def on_go_to_bar_submitted(self, event: GoToBar.Submitted) -> None:
        self.query_one(ArticleView).focus()
        goto = parse_goto(event.value, self.document)
        if goto.problem is not None:
            self.notify(goto.problem, severity="warning", markup=False, timeout=4)
        elif goto.search is not None:
            if self._folded is None:
                self._fold_document()
            self.search_for(goto.search)
        elif goto.offset is not None:
            self.jump_to(goto.offset, end=goto.end)

    def on_go_to_bar_cancelled(self) -> None:
        self.query_one(ArticleView).focus()

    @property
    def marks(self) -> dict[str, int]:
        """The marks of this document (letter → logical offset), as kept between
        sessions with the reading position (same state file, same key)."""
        if not self._marks_loaded and self.document.complete:
            # Known only once the whole text is (positions are kept by the whole text);
            # marks set before then win over the kept ones.
            kept = marks_from(self.session.remembered("marks"), len(self.document.text))
            self._marks = kept | self._marks
            self._marks_loaded = True
        return self._marks

    def action_set_mark(self) -> None:
        self._await_letter("set_mark", "m: press a letter to mark this place · Esc cancels")

    def action_go_to_mark(self) -> None:
        self._await_letter("go_to_mark", "': press a mark's letter, ' to go back · Esc cancels")

    def _await_letter(self, what: str, prompt: str) -> None:
        self._awaiting = what
        self.query_one(StatusBar).prompt = prompt

    def on_key(self, event: events.Key) -> None:
        """The letter after `m` or `'`: taken here, before any binding sees it."""
        what = self._awaiting
        if what is None:
            return
        event.stop()
        event.prevent_default()
        self._awaiting = None
        self.query_one(StatusBar).prompt = ""
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
            self.notify("Marks are letters: a to z, A to Z.", severity="warning", timeout=3)

    def set_mark(self, letter: str) -> None:
        """Mark the top row's place with a letter (kept for this document)."""
        if self.document.is_end:
            self.notify("Marks can be set once the whole file is read.", severity="warning")
            return
        offset = self.query_one(ArticleView).top_offset()
        marks = self.marks
        marks[letter] = offset
        self.session.remember(marks=dict(sorted(marks.items())))
        # The percentage only: a section title here would be Arabic inside a toast.
        percent = round(100 * offset / max(1, len(self.document.text)))
        self.notify(f"Mark {letter} set ({percent}%).", timeout=2)

    def go_to_mark(self, letter: str) -> None:
        offset = self.marks.get(letter)
        if offset is None or self.document.is_end:
            self.notify(f"No mark {letter} (m{letter} sets it).", severity="warning", timeout=3)
            return
        self.jump_to(offset)

    def go_back(self) -> None:
        """`''`: back to where the last jump started (again: forth)."""
        if self._before_jump is None:
            self.notify("No jump to go back from yet.", timeout=2)
            return
        self.jump_to(self._before_jump)

    def describe_place(self, offset: int) -> str:
        """A place in words, logical text (lay it out to draw it): its section and how
        far through the text it is."""
        length = max(1, len(self.document.text))
        percent = f"{round(100 * offset / length)}%"
        section = self._section_at(offset)
        return f"{section}, {percent}" if section else percent

    def place_label(self, prefix: str, offset: int) -> Text:
        """`prefix` and a place, as one label in visual order (the palette, ctrl+g)."""
        return visual_label(f"{prefix}{self.describe_place(offset)}", 0, self.layout_options)

    # --- Details (ctrl+g) ---------------------------------------------------------

    def action_details(self) -> None:
        from tuireader.ui.screens.details import DetailsScreen

        self.app.push_screen(DetailsScreen(self.details(), self._slow_details))

    def details(self) -> list[Fact]:
        """The facts the details view shows (a subclass adds the notes')."""
        document = self.document
        title = document.title or document.name
        title_label = visual_label(title, 0, self.layout_options, document.direction)
        title_label.justify = "left"  # a cell of a table read from the left
        facts: list[Fact] = [
            ("Title", title_label),
            ("File", document.path or document.name),
            ("Encoding", document.encoding),
            (
                "Text",
                f"{len(document.text):,} characters, {len(document.paragraphs):,} "
                f"paragraphs, {len(document.sections):,} sections"
                + ("" if document.complete else " (the part read so far)"),
            ),
            ("Position", self.query_one(StatusBar).position),
        ]
        if self.marks:
            places = [
                self.place_label(f"{name}  ", pos) for name, pos in sorted(self.marks.items())
            ]
            facts.append(("Marks", Text("\n").join(places)))
        return facts

    def _slow_details(self) -> list[Fact]:
        """File-system facts, on a thread (see DetailsScreen)."""
        import os

        path = self.document.path
        if path is None:
            return []
        try:
            size = os.stat(path).st_size
        except OSError as err:
            return [("Size", f"unknown ({err.strerror or type(err).__name__})")]
        return [("Size", f"{size:,} bytes on disk")]
