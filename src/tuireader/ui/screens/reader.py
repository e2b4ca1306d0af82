"""The reader screen: composes the outline, article, notes panel and status bar, and
routes their messages and its keys to the parts that own each behaviour.

Attributes down, messages up: the widgets never query each other, and the screen
never calls up into the app (it posts messages, and reaches shared services through
`ReaderHost`). What happens on a key lives in plain parts the screen owns:
`SearchFlow` (search), `JumpFlow` (go-to line, marks), `NotesFlow` (the notes, their
panel and saving), `NoteEditing` (the note editor), `Widening` (`>` `<` `,`) and
`ReviewFlow` (review mode), `Panes` (the outline and the notes panel shown, hidden,
left). Their keys are in reader_keys.py, their facts for ctrl+g in reader_details.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen

from tuireader.text.document import Direction, Document, Sentence
from tuireader.text.loading import LoadError
from tuireader.ui.labels import visual_label
from tuireader.ui.ordered_keys import OrderedKeysApp
from tuireader.ui.screens.reader_details import file_facts, reader_facts
from tuireader.ui.screens.reader_keys import NotesKeys, ReaderKeys, ReviewKeys
from tuireader.ui.session import DocumentSession
from tuireader.ui.widgets.article_view import ArticleView, Highlight
from tuireader.ui.widgets.outline import OutlinePanel
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.command import Provider

    from tuireader.notes.anchoring import AnchoredNote
    from tuireader.ui.host import ReaderHost
    from tuireader.ui.notes_keeper import NotesKeeper, NotesState
    from tuireader.ui.screens.details import Fact
    from tuireader.ui.screens.jump_flow import JumpFlow
    from tuireader.ui.screens.note_editing import NoteEditing
    from tuireader.ui.screens.notes_flow import NotesFlow
    from tuireader.ui.screens.panes import Panes
    from tuireader.ui.screens.review_flow import ReviewFlow
    from tuireader.ui.screens.search_flow import SearchFlow
    from tuireader.ui.screens.widening import Widening
    from tuireader.ui.widgets.goto_bar import GoToBar
    from tuireader.ui.widgets.notes_panel import NotesPanel
    from tuireader.ui.widgets.search_bar import SearchBar


FRAME_WRITE_GRACE = 0.005
"""Seconds the event loop lets Textual's output thread write a frame (it takes well
under one) before heavy work after the first frame starts."""


def _mark_commands() -> type[Provider]:
    """The palette's marks, imported when the palette first opens, not at start-up."""
    from tuireader.ui.commands import MarkCommands

    return MarkCommands


class ReaderScreen(Screen[None]):
    """Reads one document session: compose, then route (see the module doc)."""

    AUTO_FOCUS = "#article"
    COMMANDS = Screen.COMMANDS | {_mark_commands}

    BINDINGS: ClassVar[list[BindingType]] = [
        *ReaderKeys.BINDINGS,
        *NotesKeys.BINDINGS,
        *ReviewKeys.BINDINGS,
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

    class NotesUpdated(Message):
        """The notes thread finished a load or a save (posted from that thread)."""

        def __init__(self, state: NotesState) -> None:
            super().__init__()
            self.state = state

    def __init__(self, session: DocumentSession) -> None:
        """`session` has read its document (at least the start of it)."""
        super().__init__()
        assert session.document is not None
        self.session = session
        self.document = session.document
        """The document shown: the session's, or the end of a long file (`G`)."""
        self.layout_options = session.options
        self.cursor: Sentence | None = None
        """The selection (the claim cursor), a logical range."""
        self.reading_offset = 0
        """The logical offset of the top row."""
        self._opened_at = 0
        self.user_moved = False
        """The reader moved since the screen opened (scrolled, selected, searched): a
        position restored later (a long file's, once it is whole) must not undo that."""

    # The parts, each made (and its module imported) on first use: the first frame
    # needs none of them, and their imports cost start-up ~2 ms.

    @cached_property
    def search(self) -> SearchFlow:
        from tuireader.ui.screens.search_flow import SearchFlow

        return SearchFlow(self)

    @cached_property
    def jumps(self) -> JumpFlow:
        from tuireader.ui.screens.jump_flow import JumpFlow

        return JumpFlow(self)

    @cached_property
    def notes_flow(self) -> NotesFlow:
        from tuireader.ui.screens.notes_flow import NotesFlow

        return NotesFlow(self, changed=self._notes_changed)

    @cached_property
    def editing(self) -> NoteEditing:
        from tuireader.ui.screens.note_editing import NoteEditing

        return NoteEditing(self, self.notes_flow)

    @cached_property
    def widening(self) -> Widening:
        from tuireader.ui.screens.widening import Widening

        return Widening(self)

    @cached_property
    def review(self) -> ReviewFlow:
        from tuireader.ui.screens.review_flow import ReviewFlow

        return ReviewFlow(self, self.notes_flow)

    @cached_property
    def panes(self) -> Panes:
        from tuireader.ui.screens.panes import Panes

        return Panes(self, self.notes_flow)

    @property
    def host(self) -> ReaderHost:
        """The app's shared services (settings, histories), without importing the app."""
        return cast("ReaderHost", self.app)

    # The parts' state, as the app, the palette and the tests read it.

    @property
    def hits(self) -> list[tuple[int, int]]:
        return self.search.hits

    @property
    def current_hit(self) -> int | None:
        return self.search.current_hit

    @property
    def marks(self) -> dict[str, int]:
        return self.jumps.marks

    @property
    def keeper(self) -> NotesKeeper | None:
        return self.notes_flow.keeper

    @property
    def notes(self) -> tuple[AnchoredNote, ...]:
        return self.notes_flow.notes

    @property
    def reviewing(self) -> bool:
        return self.review.reviewing

    # --- Composing ------------------------------------------------------------

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
            yield ArticleView(
                self.document, self.layout_options, layouts=self.session.layouts, id="article"
            )
            if self.has_class("-full"):
                # Below 140 columns the notes panel is hidden until `l`: it is mounted
                # then, and the first paint does not wait for its list and filter line.
                yield self.notes_flow.new_panel()
        yield StatusBar(self.layout_options, self.document.direction, id="status")

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.document = self.document.title or self.document.name
        status.notice = " · ".join(self.document.notices)
        start = self.session.restored_offset()
        if start:
            self.query_one(ArticleView).scroll_to_offset(start, top=True)
        self._opened_at = start
        self._show_position(start, 0.0)
        # After the first frame: opening the notes imports YAML and the store (~20 ms)
        # and reads the file, reading 18 MB on a thread parses it; either would hold
        # the interpreter while the frame is still being written.
        if self.document.complete:
            self.call_after_refresh(self._once_shown, self.open_notes)
        else:
            status.notes = "notes: after the whole file is read"
            self.call_after_refresh(self._once_shown, self._read_whole_document)

    async def _once_shown(self, then: Callable[[], object]) -> None:
        """Run `then` once the frame just composed is on the terminal.

        Textual hands each frame to an output thread that writes it; the event loop
        waits `FRAME_WRITE_GRACE` first, holding no lock, so that thread writes the
        frame before `then` takes the interpreter (benchmarks/startup.py: first frame
        written 1-2% sooner)."""
        await asyncio.sleep(FRAME_WRITE_GRACE)
        then()

    def on_resize(self) -> None:
        if self.has_class("-full") and self.notes_flow.panel is None:
            self.notes_flow.mount_panel()

    def on_unmount(self) -> None:
        # Nothing typed is lost: an open editor's fields go to the drafts file, and
        # every save still queued is written (or kept as a draft) before the app goes.
        self.save_now()
        self.session.close_notes()

    # --- A long file: its start, its end, then the whole -------------------------

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
        self.search.document_replaced()
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
        if document.complete:
            self.open_notes()
        self.review.document_replaced()

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
        self.reading_offset = offset
        status = self.query_one(StatusBar)
        status.position = f"{round(fraction * 100)}%"
        status.section = self.section_at(offset) or ""
        self.query_one(OutlinePanel).show_position(offset)

    def section_at(self, offset: int) -> str | None:
        """The title of the section at a logical offset."""
        section = self.document.section_at(offset)
        return None if section is None else section.title

    def place_label(self, prefix: str, offset: int) -> Text:
        """`prefix` and a place (its section, how far through the text), as one label
        in visual order (the palette, ctrl+g)."""
        percent = f"{round(100 * offset / max(1, len(self.document.text)))}%"
        section = self.section_at(offset)
        place = f"{section}, {percent}" if section else percent
        return visual_label(f"{prefix}{place}", 0, self.layout_options)

    # --- Sections and the outline ---------------------------------------------

    @on(OutlinePanel.SectionSelected)
    def _section_selected(self, event: OutlinePanel.SectionSelected) -> None:
        self.jumps.jump_to(event.offset)
        self.panes.leave_outline()

    @on(OutlinePanel.Left)
    def _outline_left(self) -> None:
        """Esc in the outline: one level back, to the article; an overlay closes."""
        self.panes.leave_outline()

    def action_next_section(self) -> None:
        later = [s.start for s in self.document.sections if s.start > self.reading_offset]
        if later:
            self.jumps.jump_to(later[0])

    def action_previous_section(self) -> None:
        earlier = [s.start for s in self.document.sections if s.start < self.reading_offset]
        self.jumps.jump_to(earlier[-1] if earlier else 0)

    def action_toggle_outline(self) -> None:
        self.panes.toggle_outline()

    # --- The selection (claim cursor) -------------------------------------------

    # text.claims is imported on the first move of the cursor: its sentence rules are
    # not needed to paint the first screen.

    def action_next_claim(self) -> None:
        from tuireader.text import claims

        after = self.cursor.start if self.cursor else self.reading_offset - 1
        self._move_cursor(claims.next_claim(self.document, after))

    def action_previous_claim(self) -> None:
        from tuireader.text import claims

        before = self.cursor.start if self.cursor else self.reading_offset
        self._move_cursor(claims.previous_claim(self.document, before))

    @on(ArticleView.Clicked)
    def _clicked(self, event: ArticleView.Clicked) -> None:
        from tuireader.text import claims

        self._move_cursor(claims.claim_at(self.document, event.offset))

    def _move_cursor(self, sentence: Sentence | None) -> None:
        if sentence is not None:
            self.select(sentence)

    def select(self, selection: Sentence) -> None:
        """Make a logical range the selection (the claim cursor), and show it."""
        self.widening.selecting(selection)
        self.show_selection(selection)

    def show_selection(self, selection: Sentence) -> None:
        """Show a selection, keeping the widenings and phrases (see `Widening`)."""
        self.cursor = selection
        self.user_moved = True
        article = self.query_one(ArticleView)
        article.set_highlights(
            "cursor", [Highlight(selection.start, selection.end, "article-view--cursor")]
        )
        article.scroll_range_into_view(selection.start, selection.end)
        if self.review.reviewing:
            self.remember_place(cursor=selection.start)

    def action_widen(self, direction: int) -> None:
        self.widening.widen(direction)

    def action_narrow(self) -> None:
        self.widening.narrow()

    def action_clear(self) -> None:
        self.search.end()
        self.cursor = None
        self.query_one(ArticleView).set_highlights("cursor", [])

    def action_copy_claim(self) -> None:
        """Copy as logical text: the mouse selection if there is one, else the claim
        cursor's range, else the claim at the reading position (issue 10)."""
        from tuireader.text import claims
        from tuireader.ui.config import copy_citation
        from tuireader.ui.copying import copied_text
        from tuireader.ui.labels import fit_logical, isolated

        selected = self.get_selected_text()
        if selected:
            self.app.copy_to_clipboard(selected)
            shown, what = selected, "the selection"
        else:
            claim = self.cursor or claims.claim_at(self.document, self.reading_offset)
            claim = claim or claims.next_claim(self.document, self.reading_offset - 1)
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

    # --- Search and jumps -----------------------------------------------------

    def action_search(self) -> None:
        self.search.open()

    def on_search_bar_submitted(self, event: SearchBar.Submitted) -> None:
        self.query_one(ArticleView).focus()
        self.search.search_for(event.query)

    def on_search_bar_cancelled(self) -> None:
        """Esc in the search line goes back one level: the line closes and the search
        ends, the claim cursor stays (a second Esc, in the article, clears it)."""
        self.search.end()
        self.query_one(ArticleView).focus()

    def action_next_hit(self) -> None:
        self.search.next_hit()

    def action_previous_hit(self) -> None:
        self.search.previous_hit()

    def action_go_to(self) -> None:
        self.jumps.open_go_to()

    def on_go_to_bar_submitted(self, event: GoToBar.Submitted) -> None:
        self.query_one(ArticleView).focus()
        self.jumps.go_to(event.value)

    def on_go_to_bar_cancelled(self) -> None:
        self.query_one(ArticleView).focus()

    def action_set_mark(self) -> None:
        self.jumps.await_letter("set_mark")

    def action_go_to_mark(self) -> None:
        self.jumps.await_letter("go_to_mark")

    def on_key(self, event: events.Key) -> None:
        self.jumps.key(event)

    def go_to_mark(self, letter: str) -> None:
        """Go to a mark (the palette's marks)."""
        self.jumps.go_to_mark(letter)

    # --- Notes --------------------------------------------------------------------

    def open_notes(self) -> None:
        """Notes are anchored in the whole text, so they wait for a long file's end;
        review mode resumes once they are being read."""
        if self.notes_flow.open():
            self.review.notes_opened()

    def notes_published(self, state: NotesState) -> None:
        """Called on the notes thread; post_message is safe from any thread."""
        self.post_message(self.NotesUpdated(state))

    @on(NotesUpdated)
    def _notes_updated(self, event: NotesUpdated) -> None:
        self.notes_flow.updated(event.state)

    def _notes_changed(self, state: NotesState) -> None:
        self.review.notes_changed(state)

    def save_now(self) -> None:
        """Write every queued change, and an open editor's fields as a draft, before
        returning (SIGTERM, SIGHUP: the process may not get to unmount)."""
        if self.notes_flow.keeper is not None:
            self.editing.save_open_draft()
            self.notes_flow.flush()

    def quit_when_saved(self, leave: Callable[[], object]) -> None:
        """Call `leave` once no note is pending (see `NotesFlow.quit_when_saved`)."""
        self.run_worker(self.notes_flow.quit_when_saved(leave), exclusive=True, group="quit")

    def show_counts(self) -> None:
        """The status bar's counts; in review mode none ("REVIEW · reviewed k of n
        claims" says it already: room for the rest)."""
        counts = "" if self.review.reviewing else self.counts_text()
        self.query_one(StatusBar).counts = counts

    def counts_text(self) -> str:
        """How many notes and claims reviewed; "" until the notes are read."""
        notes = self.notes_flow.count_text()
        return notes + self.review.count_text() if notes else ""

    def action_annotate(self) -> None:
        self.editing.annotate()

    def action_edit_note(self) -> None:
        self.editing.edit_note_here()

    def action_delete_note(self) -> None:
        self.editing.delete_note_here()

    def action_restore_drafts(self) -> None:
        self.editing.restore_drafts()

    def on_notes_panel_note_chosen(self, event: NotesPanel.NoteChosen) -> None:
        item = self.notes_flow.note_with_id(event.note_id)
        if item is None or item.anchor.start is None or item.anchor.end is None:
            self.notify("This note's claim is no longer in the text (orphan).", severity="warning")
            return
        self.jumps.leaving(self.query_one(ArticleView).top_offset())
        self.select(Sentence(item.anchor.start, item.anchor.end))
        self.panes.leave_notes_panel()

    def action_toggle_notes(self) -> None:
        self.panes.toggle_notes()

    def on_notes_panel_left(self) -> None:
        """Esc in the panel's list: back to the article."""
        self.panes.leave_notes_panel()

    # --- Review mode --------------------------------------------------------------

    def action_toggle_review(self) -> None:
        self.review.toggle()

    def action_next_unreviewed(self) -> None:
        self.review.next_unreviewed()

    def action_set_stance(self, value: str) -> None:
        self.review.set_stance(value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_stance":
            return self.review.reviewing
        return super().check_action(action, parameters)

    # --- Details (ctrl+g) ---------------------------------------------------------

    def action_details(self) -> None:
        from tuireader.ui.screens.details import DetailsScreen  # with rich.table

        self.app.push_screen(DetailsScreen(self.details(), lambda: file_facts(self.document)))

    def details(self) -> list[Fact]:
        """The facts the details view shows: the reader's, and the notes' after the file."""
        facts = reader_facts(self)
        notes = self.notes_flow.facts(self.counts_text())
        if self.notes_flow.keeper is None:
            facts += notes
        else:
            facts[2:2] = notes
        return facts
