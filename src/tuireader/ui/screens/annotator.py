"""The reader with notes: select claims, annotate them, list the notes.

The notes modules (model, anchoring, the notes thread) are imported where they are
first used, once the notes open after the first frame: importing them cost the first
paint ~8 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message

from tuireader.text.claims import next_claim, phrases_in, previous_claim
from tuireader.text.document import Document, Sentence
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.session import DocumentSession
from tuireader.ui.widgets.article_view import ArticleView, Highlight
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import Widget

    from tuireader.notes.anchoring import AnchoredNote
    from tuireader.notes.drafts import Draft
    from tuireader.notes.model import Note
    from tuireader.ui.notes_keeper import NotesKeeper, NotesState
    from tuireader.ui.screens.confirm import ConfirmScreen
    from tuireader.ui.screens.details import Fact
    from tuireader.ui.screens.note_editor import NoteDraft, NoteEditor
    from tuireader.ui.widgets.notes_panel import NotesPanel

NOTES_LOAD_WAIT = 1.0
"""Seconds a key that changes notes waits for them to load before it is turned away."""


def quit_question(question: str) -> ConfirmScreen:
    """Quit with a note not saved yet? "Keep trying" has the focus, so Enter keeps it.

    Made on first use, like the notes modules (see the module doc).
    """
    from tuireader.ui.screens.confirm import ConfirmScreen

    return ConfirmScreen(question, yes="Quit anyway", no="Keep trying", default=False)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class AnnotatorScreen(ReaderScreen):
    """Adds the notes panel, the note editor and claim selection to the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a", "annotate", "Annotate", id="annotate", tooltip="Write a note on the selected claim"
        ),
        Binding(
            "e",
            "edit_note",
            "Edit note",
            id="edit-note",
            tooltip="Edit the note on the selected claim",
        ),
        Binding(
            "d",
            "delete_note",
            "Delete note",
            id="delete-note",
            tooltip="Delete the note on the selected claim (asks first)",
        ),
        Binding(
            "greater_than_sign",
            "widen(1)",
            "Widen",
            id="widen-next",
            tooltip="Widen the selection to the next sentence",
        ),
        Binding(
            "less_than_sign",
            "widen(-1)",
            "Widen back",
            id="widen-previous",
            tooltip="Widen the selection to the previous sentence",
        ),
        Binding(
            "comma",
            "narrow",
            "Narrow",
            id="narrow-phrase",
            tooltip="Take back the last widening; else narrow to a phrase (again: the next)",
        ),
        Binding(
            "l", "toggle_notes", "Notes", id="toggle-notes", tooltip="Show or hide the notes panel"
        ),
        Binding(
            "D",
            "restore_drafts",
            "Restore unsaved notes",
            id="restore-drafts",
            tooltip="Open the next unsaved note (of this or an earlier session)",
        ),
    ]

    RETRY_DELAYS: ClassVar[tuple[float, ...]] = (5.0, 10.0, 20.0, 40.0, 60.0)
    """Seconds before each retry of a save that failed; the last one repeats."""

    class NotesUpdated(Message):
        """The notes thread finished a load or a save (posted from that thread)."""

        def __init__(self, state: NotesState) -> None:
            super().__init__()
            self.state = state

    def __init__(self, session: DocumentSession) -> None:
        """The session names the notes file and keeps the notes keeper."""
        super().__init__(session)
        self.author = session.author
        self.keeper: NotesKeeper | None = None
        self._notes_loaded: Future[None] | None = None
        self._panel: NotesPanel | None = None
        self.notes: tuple[AnchoredNote, ...] = ()
        self._phrase: tuple[Sentence, int] | None = None
        """While narrowing: the range being cut into phrases, and the phrase shown."""
        self._widenings: list[tuple[Sentence, tuple[Sentence, int] | None]] = []
        """The selections (and phrase states) before each widening, last on top: `,`
        takes them back one by one."""
        self._widening = False
        """True while the selection is changed by a widening or its taking back."""
        self._editor: tuple[NoteEditor, str, Draft] | None = None
        """The open editor, its draft key, and its claim (a draft without fields)."""
        self._retry_timer: Timer | None = None
        self._retries = 0
        self._offered_drafts = False

    def _publish(self, state: NotesState) -> None:
        """Called on the notes thread; post_message is safe from any thread."""
        self.post_message(self.NotesUpdated(state))

    def compose_sidebar(self) -> ComposeResult:
        # Below 140 columns the panel is hidden until `l`: it is mounted then, and the
        # first paint does not wait for its list and filter line.
        if self.has_class("-full"):
            yield self._new_notes_panel()

    def _new_notes_panel(self) -> NotesPanel:
        # Imported with the first panel, like the notes modules (see the module doc).
        from tuireader.ui.widgets.notes_panel import NotesPanel

        self._panel = NotesPanel(
            self.layout_options,
            self.document.direction,
            history=self.host.histories.get("filter"),
            id="notes",
        )
        return self._panel

    def _notes_panel(self) -> NotesPanel | None:
        """The panel, once made (it is hidden, never removed)."""
        return self._panel

    def on_resize(self) -> None:
        if self.has_class("-full") and self._notes_panel() is None:
            self._mount_notes_panel()

    def _mount_notes_panel(self) -> NotesPanel:
        panel = self._new_notes_panel()
        self.query_one("#panes").mount(panel)
        panel.show_notes(self.notes)
        return panel

    def on_mount(self) -> None:
        super().on_mount()
        if self.document.complete:
            # After the first frame: the notes thread imports YAML and reads the file,
            # and would compete for the GIL with painting the article.
            self.call_after_refresh(self._open_notes)
        else:
            self.query_one(StatusBar).notes = "notes: after the whole file is read"

    def replace_document(self, document: Document) -> None:
        super().replace_document(document)
        if document.complete:
            self._open_notes()

    def _open_notes(self) -> None:
        """Notes are anchored in the whole text, so they wait for a long file's end."""
        if self.keeper is not None:
            return
        self.keeper = self.session.open_notes(self._publish)
        self._notes_loaded = self.session.notes_loaded
        self._show_notes_status(self.keeper.state)
        self.notes_opened()

    def notes_opened(self) -> None:
        """Called once the notes are being read (review mode resumes here)."""

    def notes_changed(self, state: NotesState) -> None:
        """Called after each load or save of the notes."""

    def save_now(self) -> None:
        """Write every queued change, and an open editor's fields as a draft, before
        returning (SIGTERM, SIGHUP: the process may not get to unmount)."""
        if self.keeper is None:
            return
        if self._editor is not None:
            editor, key, claim = self._editor
            self._save_draft(key, claim, editor.current_draft())
        self.keeper.flush()

    def on_unmount(self) -> None:
        # Nothing typed is lost: an open editor's fields go to the drafts file, and
        # every save still queued is written (or kept as a draft) before the app goes.
        self.save_now()
        self.session.close_notes()

    @work(exclusive=True, group="quit")
    async def quit_when_saved(self, leave: Callable[[], object]) -> None:
        """Call `leave` once nothing is pending: a pending note is tried once more,
        then the analyst is asked (with "Keep trying" as the answer to Enter)."""
        keeper = self.keeper
        if keeper is not None and keeper.state.pending:
            self.query_one(StatusBar).notes = "saving the pending notes…"
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
                    f"{_plural(count, 'note')} {verb} not saved yet: {state.problem}.\n"
                    f"Quit anyway ({kept})?"
                )
                if not await self.app.push_screen_wait(quit_question(question)):
                    return
        leave()

    # --- Notes from the notes thread --------------------------------------------

    @on(NotesUpdated)
    def _notes_updated(self, event: NotesUpdated) -> None:
        self._show_notes(event.state)
        self._schedule_retry(event.state)
        if not self._offered_drafts and event.state.loaded:
            self._offered_drafts = True
            earlier = len(event.state.earlier_drafts)
            if earlier:
                self.notify(
                    f"{_plural(earlier, 'unsaved note')} from an earlier session: "
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
            self._retry_timer = self.set_timer(delay, self._retry)

    def _retry(self) -> None:
        self._retry_timer = None
        if self.keeper is not None:
            self.keeper.retry()

    def _show_notes(self, state: NotesState) -> None:
        from tuireader.ui.widgets.notes_panel import STANCE_MARKS

        self.notes = state.anchored
        panel = self._notes_panel()
        if panel is not None:
            panel.show_notes(state.anchored)
        self.query_one(ArticleView).set_highlights(
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
        self._show_notes_status(state)
        self.notes_changed(state)

    def _show_notes_status(self, state: NotesState) -> None:
        from tuireader.ui.notes_keeper import describe_notes

        status = self.query_one(StatusBar)
        status.notes = describe_notes(state, data_dir=self.session.data_dir)
        status.notes_alert = bool(state.pending or state.draft_problem)
        status.notes_important = bool(
            state.read_only or set(state.earlier_drafts) & set(state.drafts)
        )
        self.show_counts()

    def show_counts(self) -> None:
        """The status bar's counts (see `counts_text`)."""
        self.query_one(StatusBar).counts = self.counts_text()

    def counts_text(self) -> str:
        """How many notes (and claims reviewed: a subclass knows them); "" until the
        notes are read."""
        if self.keeper is None or not self.keeper.state.loaded:
            return ""
        return _plural(len(self.notes), "note")

    def details(self) -> list[Fact]:
        facts = super().details()
        keeper = self.keeper
        if keeper is None:
            facts.append(("Notes", "opened once the whole file is read"))
            return facts
        from tuireader.ui.notes_keeper import describe_notes

        state = keeper.state
        orphans = sum(1 for item in self.notes if not item.anchor.found)
        facts[2:2] = [
            ("Notes file", str(keeper.path)),
            ("Notes", _notes_state(describe_notes(state), state.path.name)),
            (
                "Counts",
                self.counts_text()
                + (f" · {orphans} orphan" + ("s" if orphans != 1 else "") if orphans else ""),
            ),
        ]
        return facts

    # --- Selection --------------------------------------------------------------

    def select(self, selection: Sentence) -> None:
        if self._phrase is not None and not (
            self._phrase[0].start <= selection.start and selection.end <= self._phrase[0].end
        ):
            self._phrase = None
        if not self._widening:
            # Moved elsewhere (`]`, a click, a note): the widenings are not taken back.
            self._widenings = []
        super().select(selection)

    def action_widen(self, direction: int) -> None:
        current = self.cursor
        if current is None:
            self.action_next_claim()
            return
        if direction > 0:
            more = next_claim(self.document, current.end - 1)
            wider = None if more is None else Sentence(current.start, more.end)
        else:
            more = previous_claim(self.document, current.start)
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
            self.select(selection)
        finally:
            self._widening = False
        self._phrase = phrase

    def action_narrow(self) -> None:
        """`,`: first take back the widenings (`>`/`<`), the last one first; then cut
        the selection into phrases, one more each time (issue 13: `<` after `>` widened
        backwards, and nothing took a widening back)."""
        if self.cursor is None:
            return
        if self._widenings:
            selection, phrase = self._widenings.pop()
            self._select_keeping_widenings(selection, phrase)
            return
        whole, shown = self._phrase if self._phrase else (self.cursor, -1)
        phrases = phrases_in(self.document, whole.start, whole.end)
        following = shown + 1
        if len(phrases) < 2 or following >= len(phrases):
            self._phrase = None
            self.select(whole)
            return
        start, end = phrases[following]
        self._phrase = (whole, following)
        super().select(Sentence(start, end))

    # --- Notes ------------------------------------------------------------------

    def _keeper(self) -> NotesKeeper:
        """The notes keeper; callers have checked `_writable` (or an editor is open)."""
        if self.keeper is None:
            raise RuntimeError("the notes are not open yet")
        return self.keeper

    def _writable(self) -> bool:
        if self.keeper is None and self.document.complete:
            # A key pressed before the first frame was followed by the notes opening.
            self._open_notes()
        if self.keeper is None:
            self.notify("The notes open once the whole file is read.", severity="warning")
            return False
        if not self.keeper.state.loaded and self._notes_loaded is not None:
            # A key pressed as the app starts: a small notes file is read in
            # milliseconds, so wait for it rather than turn the key away.
            with contextlib.suppress(TimeoutError):
                self._notes_loaded.result(timeout=NOTES_LOAD_WAIT)
                self._show_notes(self.keeper.state)
        state = self.keeper.state
        if state.read_only:
            self.notify(f"Notes are read-only: {state.read_only}", severity="error")
            return False
        if not state.loaded:
            self.notify("The notes are still loading.", severity="warning")
            return False
        return True

    def _note_here(self) -> AnchoredNote | None:
        from tuireader.notes.review import note_at

        panel = self._notes_panel()
        if panel is not None and panel.has_focus_within and panel.highlighted_note_id:
            return next((n for n in self.notes if n.note.id == panel.highlighted_note_id), None)
        if self.cursor is None:
            return None
        return note_at(self.notes, self.cursor.start, self.cursor.end)

    def action_annotate(self) -> None:
        if self.cursor is None:
            self.action_next_claim()
        if self.cursor is None or not self._writable():
            return
        from tuireader.notes.review import note_at

        existing = note_at(self.notes, self.cursor.start, self.cursor.end)
        if existing is not None and (existing.anchor.start, existing.anchor.end) == (
            self.cursor.start,
            self.cursor.end,
        ):
            self.action_edit_note()
            return
        self._annotate(self.cursor.start, self.cursor.end)

    def _annotate(self, start: int, end: int, key: str | None = None) -> None:
        """A new note on `[start, end)`, from its draft (`key`, else found by claim)."""
        from tuireader.notes.drafts import Draft, DraftTarget, draft_claim, new_note_key
        from tuireader.ui.screens.note_editor import NoteDraft  # see _open_editor

        drafts = self._keeper().state.drafts
        if key is None:
            key = new_note_key(start, end)
        if key not in drafts:
            # A draft begun before the article changed: its claim moved here.
            text = self.document.text
            key = next(
                (
                    name
                    for name, draft in drafts.items()
                    if draft.note_id is None and draft_claim(draft, text) == (start, end)
                ),
                key,
            )
        claim = Draft("", target=DraftTarget(start, end, self.document.text[start:end]))
        self._open_editor(key, claim, "New note", NoteDraft(None, (), ""))

    def _changeable_note_here(self, missing: str) -> AnchoredNote | None:
        """The note to edit or delete, if there is one and the notes can change."""
        item = self._note_here()
        if item is None:
            self.notify(missing, severity="warning")
            return None
        return item if self._writable() else None

    def action_edit_note(self) -> None:
        item = self._changeable_note_here("No note here: `a` writes one.")
        if item is not None:
            self._edit(item)

    def _edit(self, item: AnchoredNote) -> None:
        from tuireader.notes.drafts import Draft, DraftTarget
        from tuireader.ui.screens.note_editor import NoteDraft  # see _open_editor

        note = item.note
        start = item.anchor.start if item.anchor.start is not None else note.target.position.start
        end = item.anchor.end if item.anchor.end is not None else note.target.position.end
        claim = Draft("", note_id=note.id, target=DraftTarget(start, end, note.target.quote.exact))
        self._open_editor(
            note.id,
            claim,
            "Edit note · conflicting versions" if note.conflicts else "Edit note",
            NoteDraft(note.stance, note.tags, note.body),
            conflicts=describe_conflicts(note),
        )

    @work
    async def _open_editor(
        self, key: str, claim: Draft, title: str, original: NoteDraft, conflicts: str = ""
    ) -> None:
        """Edit a note; its draft is kept while typing and until its save is confirmed.

        Args:
            key: The draft's key (the note's id, or `new:<start>-<end>`).
            claim: The claim and note id the draft belongs to (its fields are unused).
            original: The note as saved (empty for a new one).
        """
        # Imported on first use: the editor's TextArea is heavy to import, and most
        # sessions open it long after the first screen (or never).
        from tuireader.notes.model import edit_note, new_note
        from tuireader.ui.screens.note_editor import NoteDraft, NoteEditor

        keeper = self._keeper()
        initial = original
        draft = keeper.state.drafts.get(key)
        if draft is not None:
            restored = NoteDraft(draft.stance, draft.tags, draft.body)
            if restored != original:
                initial = restored
                self.notify("Restored the note you had not saved.")
        target = claim.target
        section = self._section_at(target.start) if target is not None else None
        editor = NoteEditor(
            quote=target.exact if target is not None else "",
            section=section,
            initial=initial,
            original=original,
            conflicts=conflicts,
            layout_options=self.layout_options,
            title=title,
            on_draft=partial(self._save_draft, key, claim),
            tags_history=self.host.histories.get("tags"),
        )
        self._editor = (editor, key, claim)
        result = await self.app.push_screen_wait(editor)
        self._editor = None
        if result is None:
            # Closed unchanged, or discarded after asking: the analyst's choice, not an
            # error, so the draft (and a pending save of it) goes.
            keeper.discard(key)
            return
        note = None
        if claim.note_id is not None:
            note = next((n.note for n in self.notes if n.note.id == claim.note_id), None)
        if note is not None:
            edited = edit_note(note, stance=result.stance, tags=result.tags, body=result.body)
            # Saved from an editor that showed the other versions: what it held is the
            # analyst's answer, and the conflicts are settled (the merge drops them).
            keeper.update(dataclasses.replace(edited, conflicts=()), draft_key=key)
        elif target is not None:
            # A new note, or an edit of a note deleted meanwhile: kept as a new note.
            keeper.add(
                new_note(
                    self.document,
                    target.start,
                    target.end,
                    author=self.author,
                    stance=result.stance,
                    tags=result.tags,
                    body=result.body,
                ),
                draft_key=key,
            )

    @work
    async def action_delete_note(self) -> None:
        item = self._changeable_note_here("No note here to delete.")
        if item is None:
            return
        from tuireader.ui.labels import fit_logical, isolated
        from tuireader.ui.screens.confirm import ConfirmScreen

        # Cut on the logical text at a word, then isolated: an Arabic claim reads as
        # one RTL phrase inside the English question, its "…" at its own end.
        excerpt = isolated(fit_logical(item.note.target.quote.exact, 40))
        if await self.app.push_screen_wait(ConfirmScreen(f"Delete the note on “{excerpt}”?")):
            self._keeper().delete(item.note)

    def _save_draft(self, key: str, claim: Draft, fields: NoteDraft) -> None:
        from dataclasses import replace

        self._keeper().save_draft(
            key, replace(claim, body=fields.body, stance=fields.stance, tags=fields.tags)
        )

    def action_restore_drafts(self) -> None:
        """Open the next unsaved note (drafts of this or an earlier session) on its claim."""
        if self.keeper is None or not self._writable():
            return
        from tuireader.notes.drafts import draft_claim, drafts_path

        drafts = self.keeper.state.drafts
        if not drafts:
            self.notify("No unsaved notes.")
            return
        text = self.document.text
        for key, draft in drafts.items():
            item = next((n for n in self.notes if n.note.id == draft.note_id), None)
            if item is not None:
                if item.anchor.start is not None and item.anchor.end is not None:
                    self.select(Sentence(item.anchor.start, item.anchor.end))
                self._edit(item)
                return
            where = draft_claim(draft, text)
            if where is not None:
                self.select(Sentence(*where))
                self._annotate(*where, key=key)
                return
        self.notify(
            "The claims of the unsaved notes are no longer in the text; "
            f"their text is kept in {drafts_path(self.keeper.path).name}.",
            severity="warning",
        )

    def on_notes_panel_note_chosen(self, event: NotesPanel.NoteChosen) -> None:
        item = next((n for n in self.notes if n.note.id == event.note_id), None)
        if item is None or item.anchor.start is None or item.anchor.end is None:
            self.notify("This note's claim is no longer in the text (orphan).", severity="warning")
            return
        self._before_jump = self.query_one(ArticleView).top_offset()
        self.select(Sentence(item.anchor.start, item.anchor.end))
        self._leave_notes_panel()

    def action_toggle_notes(self) -> None:
        """Show or hide the notes panel. Shown, its list takes the focus (issue 13:
        Enter did nothing until Tab Tab); hidden, the article gets it back."""
        panel = self._notes_panel()
        if panel is None:
            panel = self._mount_notes_panel()
        panel.toggle_class("-toggled")
        if self.notes_panel_shown():
            if not self.has_class("-full"):
                self.overlay_opened(panel)
            # After the refresh: the list is laid out (and can be focused) only then.
            self.call_after_refresh(panel.focus_list)
        elif panel.has_focus_within:
            self.query_one(ArticleView).focus()

    def notes_panel_shown(self) -> bool:
        """True when the panel is on screen: beside the article from 140 columns unless
        toggled off, laid over it below when toggled on (see notes_panel.tcss)."""
        panel = self._notes_panel()
        if panel is None:
            return False
        toggled = panel.has_class("-toggled")
        return not toggled if self.has_class("-full") else toggled

    def overlay_opened(self, overlay: Widget) -> None:
        """One pane over the article at a time: the other overlay closes."""
        from tuireader.ui.widgets.outline import OutlinePanel

        panel = self._notes_panel()
        if overlay is panel:
            outline = self.query_one(OutlinePanel)
            if self.has_class("-narrow") and outline.has_class("-toggled"):
                outline.remove_class("-toggled")
        elif panel is not None and not self.has_class("-full"):
            panel.remove_class("-toggled")

    def on_notes_panel_left(self) -> None:
        """Esc in the panel's list: back to the article."""
        self._leave_notes_panel()

    def _leave_notes_panel(self) -> None:
        panel = self._notes_panel()
        if panel is not None and not self.has_class("-full"):
            panel.remove_class("-toggled")  # an overlay: it closes
        self.query_one(ArticleView).focus()


def _notes_state(described: str, name: str) -> str:
    """The notes' state for ctrl+g, where the path is shown in full already."""
    return "read; nothing changed yet" if described == f"notes: {name}" else described


def describe_conflicts(note: Note) -> str:
    """The other versions of a note's fields, one line each, for the editor."""
    from tuireader.ui.labels import isolated

    lines = []
    for conflict in note.conflicts:
        # Names and values are isolated: an RTL name beside an RTL value must not
        # read as one phrase ("author: value" in the other order).
        who = isolated(conflict.author) if conflict.author else "someone"
        when = f", {conflict.updated:%Y-%m-%d %H:%M} UTC" if conflict.updated else ""
        if conflict.field == "deleted":
            lines.append(f"deleted by {who}{when}; saving keeps the note")
            continue
        value = conflict.value
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{conflict.field} by {who}{when}: {isolated(shown)}")
    return "\n".join(lines)
