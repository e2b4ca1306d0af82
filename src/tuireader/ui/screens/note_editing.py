"""Writing notes from the reader: annotate, edit, delete, and restore drafts.

The editor and the notes model are imported on first use (see notes_flow's doc).
"""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import TYPE_CHECKING

from tuireader.text.document import Sentence

if TYPE_CHECKING:
    from tuireader.notes.anchoring import AnchoredNote
    from tuireader.notes.drafts import Draft
    from tuireader.notes.model import Note
    from tuireader.ui.screens.note_editor import NoteDraft, NoteEditor
    from tuireader.ui.screens.notes_flow import NotesFlow
    from tuireader.ui.screens.reader import ReaderScreen


class NoteEditing:
    """The keys that change a note (`a`, `e`, `d`, `D`), and the open editor, whose
    fields are kept as a draft while typing and until the save is confirmed."""

    def __init__(self, screen: ReaderScreen, notes: NotesFlow) -> None:
        self._screen = screen
        self._notes = notes
        self._editor: tuple[NoteEditor, str, Draft] | None = None
        """The open editor, its draft key, and its claim (a draft without fields)."""

    def save_open_draft(self) -> None:
        """An open editor's fields go to the drafts file (the app may be ending)."""
        if self._editor is not None:
            editor, key, claim = self._editor
            self._save_draft(key, claim, editor.current_draft())

    def annotate(self) -> None:
        """`a`: a new note on the selection (the next claim if none), or the edit of
        the note that is exactly there."""
        screen = self._screen
        if screen.cursor is None:
            screen.action_next_claim()
        cursor = screen.cursor
        if cursor is None or not self._notes.writable():
            return
        from tuireader.notes.review import note_at

        existing = note_at(self._notes.notes, cursor.start, cursor.end)
        if existing is not None and (existing.anchor.start, existing.anchor.end) == (
            cursor.start,
            cursor.end,
        ):
            self.edit_note_here()
            return
        self._annotate(cursor.start, cursor.end)

    def _annotate(self, start: int, end: int, key: str | None = None) -> None:
        """A new note on `[start, end)`, from its draft (`key`, else found by claim)."""
        from tuireader.notes.drafts import Draft, DraftTarget, draft_claim, new_note_key
        from tuireader.ui.screens.note_editor import NoteDraft  # see _edit_in_editor

        drafts = self._notes.require_keeper().state.drafts
        text = self._screen.document.text
        if key is None:
            key = new_note_key(start, end)
        if key not in drafts:
            # A draft begun before the article changed: its claim moved here.
            key = next(
                (
                    name
                    for name, draft in drafts.items()
                    if draft.note_id is None and draft_claim(draft, text) == (start, end)
                ),
                key,
            )
        claim = Draft("", target=DraftTarget(start, end, text[start:end]))
        self._open_editor(key, claim, "New note", NoteDraft(None, (), ""))

    def _changeable_note_here(self, missing: str) -> AnchoredNote | None:
        """The note to edit or delete, if there is one and the notes can change."""
        item = self._notes.note_here()
        if item is None:
            self._screen.notify(missing, severity="warning")
            return None
        return item if self._notes.writable() else None

    def edit_note_here(self) -> None:
        item = self._changeable_note_here("No note here: `a` writes one.")
        if item is not None:
            self._edit(item)

    def _edit(self, item: AnchoredNote) -> None:
        from tuireader.notes.drafts import Draft, DraftTarget
        from tuireader.ui.screens.note_editor import NoteDraft  # see _edit_in_editor

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

    def _open_editor(
        self, key: str, claim: Draft, title: str, original: NoteDraft, conflicts: str = ""
    ) -> None:
        self._screen.run_worker(self._edit_in_editor(key, claim, title, original, conflicts))

    async def _edit_in_editor(
        self, key: str, claim: Draft, title: str, original: NoteDraft, conflicts: str
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

        screen = self._screen
        keeper = self._notes.require_keeper()
        initial = original
        draft = keeper.state.drafts.get(key)
        if draft is not None:
            restored = NoteDraft(draft.stance, draft.tags, draft.body)
            if restored != original:
                initial = restored
                screen.notify("Restored the note you had not saved.")
        target = claim.target
        section = screen.section_at(target.start) if target is not None else None
        editor = NoteEditor(
            quote=target.exact if target is not None else "",
            section=section,
            initial=initial,
            original=original,
            conflicts=conflicts,
            layout_options=screen.layout_options,
            title=title,
            on_draft=partial(self._save_draft, key, claim),
            tags_history=screen.host.histories.get("tags"),
        )
        self._editor = (editor, key, claim)
        result = await screen.app.push_screen_wait(editor)
        self._editor = None
        if result is None:
            # Closed unchanged, or discarded after asking: the analyst's choice, not an
            # error, so the draft (and a pending save of it) goes.
            keeper.discard(key)
            return
        item = self._notes.note_with_id(claim.note_id) if claim.note_id is not None else None
        if item is not None:
            edited = edit_note(item.note, stance=result.stance, tags=result.tags, body=result.body)
            # Saved from an editor that showed the other versions: what it held is the
            # analyst's answer, and the conflicts are settled (the merge drops them).
            keeper.update(dataclasses.replace(edited, conflicts=()), draft_key=key)
        elif target is not None:
            # A new note, or an edit of a note deleted meanwhile: kept as a new note.
            keeper.add(
                new_note(
                    screen.document,
                    target.start,
                    target.end,
                    author=screen.session.author,
                    stance=result.stance,
                    tags=result.tags,
                    body=result.body,
                ),
                draft_key=key,
            )

    def delete_note_here(self) -> None:
        self._screen.run_worker(self._delete_note_here())

    async def _delete_note_here(self) -> None:
        item = self._changeable_note_here("No note here to delete.")
        if item is None:
            return
        from tuireader.ui.labels import fit_logical, isolated
        from tuireader.ui.screens.confirm import ConfirmScreen

        # Cut on the logical text at a word, then isolated: an Arabic claim reads as
        # one RTL phrase inside the English question, its "…" at its own end.
        excerpt = isolated(fit_logical(item.note.target.quote.exact, 40))
        question = ConfirmScreen(f"Delete the note on “{excerpt}”?")
        if await self._screen.app.push_screen_wait(question):
            self._notes.require_keeper().delete(item.note)

    def _save_draft(self, key: str, claim: Draft, fields: NoteDraft) -> None:
        self._notes.require_keeper().save_draft(
            key,
            dataclasses.replace(claim, body=fields.body, stance=fields.stance, tags=fields.tags),
        )

    def restore_drafts(self) -> None:
        """`D`: open the next unsaved note (of this or an earlier session) on its claim."""
        screen, notes = self._screen, self._notes
        if notes.keeper is None or not notes.writable():
            return
        from tuireader.notes.drafts import draft_claim, drafts_path

        drafts = notes.require_keeper().state.drafts
        if not drafts:
            screen.notify("No unsaved notes.")
            return
        text = screen.document.text
        for key, draft in drafts.items():
            item = notes.note_with_id(draft.note_id)
            if item is not None:
                if item.anchor.start is not None and item.anchor.end is not None:
                    screen.select(Sentence(item.anchor.start, item.anchor.end))
                self._edit(item)
                return
            where = draft_claim(draft, text)
            if where is not None:
                screen.select(Sentence(*where))
                self._annotate(*where, key=key)
                return
        screen.notify(
            "The claims of the unsaved notes are no longer in the text; "
            f"their text is kept in {drafts_path(notes.require_keeper().path).name}.",
            severity="warning",
        )


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
