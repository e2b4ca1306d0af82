"""The notes of the open document, saved in order on a thread of their own.

Nothing the analyst wrote is dropped on the way to the file: a change whose save fails
stays *pending* — in memory, and as a draft in the drafts file — and is saved again
with the next change and on every `retry`, until it lands. A draft is cleared only by
the save that holds it (or by the analyst discarding it), never by an error.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from tuireader.notes.anchoring import AnchoredNote, AnchorStatus, anchor_note, reanchor_note
from tuireader.notes.drafts import Draft, Drafts, DraftTarget, drafts_path, new_note_key
from tuireader.notes.drafts import valid_unicode as valid
from tuireader.notes.errors import NotesError
from tuireader.notes.model import Note
from tuireader.text.document import Document

if TYPE_CHECKING:
    from tuireader.notes.store import NotesStore

_T = TypeVar("_T")


DRAFTS_LOCK_TIMEOUT = 5.0
"""Seconds to wait for the drafts file's lock: only tuireader sessions write it, each
for a few milliseconds."""


class ChangeKind(Enum):
    ADD = "add"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class PendingChange:
    """A change sent to the notes file and not confirmed yet."""

    kind: ChangeKind
    note: Note
    draft_key: str | None = None
    """The draft that holds this change in the drafts file (cleared when it lands)."""
    generation: int = 0
    """How many drafts had been written for `draft_key` when the change was made: a
    later one is newer work (the editor opened again) and is not cleared."""


@dataclass(frozen=True, slots=True)
class NotesState:
    """What the UI shows about the notes: published after every load and save."""

    path: Path
    anchored: tuple[AnchoredNote, ...] = ()
    """Every note, orphans too, in document order (orphans last)."""
    loaded: bool = False
    read_only: str | None = None
    """Why the notes cannot be changed, in one line; None when they can."""
    last_saved: datetime | None = None
    problem: str | None = None
    """Why the pending changes have not been saved, in one line."""
    drafts: dict[str, Draft] = field(default_factory=dict, hash=False)
    """Every draft in the drafts file, by key."""
    pending: tuple[PendingChange, ...] = ()
    """Changes not in the file yet, oldest first."""
    recovered: int = 0
    """How many pending changes the last save brought into the file."""
    earlier_drafts: frozenset[str] = frozenset()
    """Keys of the drafts found when the notes opened: left by an earlier session."""
    draft_problem: str | None = None
    """The last draft that could not be written, in one line."""


class NotesKeeper:
    """Owns the NotesStore; every read and write runs on a worker thread, in order.

    The store does file I/O under a lock that another session may hold, so nothing of
    it runs on the event loop. One thread (not a pool) keeps the changes in the order
    the analyst made them; `close` waits until the last one is on disk. The drafts
    file has a thread of its own, so that a save waiting seconds for another session's
    lock never holds back the draft of what is being typed.
    """

    LOCK_TIMEOUT: ClassVar[float | None] = None
    """Seconds to wait for another session's lock; None for the store's default."""

    def __init__(
        self,
        document: Document,
        path: Path,
        *,
        publish: Callable[[NotesState], None],
    ) -> None:
        """`publish` is called on the worker thread after each job (the app hands it to
        the event loop with `call_from_thread`)."""
        self.document = document
        self.path = path
        self._publish = publish
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notes")
        self._drafts_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drafts")
        self._state_lock = threading.Lock()
        """Held to change `_state`: both threads change parts of it."""
        self._store: NotesStore | None = None  # opened on the notes thread
        self._drafts = Drafts(drafts_path(path), DRAFTS_LOCK_TIMEOUT)
        self._anchors: dict[tuple[str, datetime, int, int], AnchoredNote] = {}
        self._state = NotesState(path)
        self._pending_reanchored: list[Note] = []
        self._pending: list[PendingChange] = []
        self._generations: dict[str, int] = {}
        """Drafts asked for per key, counted as asked (on the UI thread): see
        `PendingChange.generation`."""

    @property
    def state(self) -> NotesState:
        return self._state

    # --- Jobs (called from the UI; they run on the notes thread) ----------------

    def open(self) -> Future[None]:
        return self._executor.submit(self._open)

    def add(self, note: Note, draft_key: str | None = None) -> Future[None]:
        """Save a new note; `draft_key` names the draft it was typed in (by default,
        the key of a new note on its claim)."""
        return self._submit(ChangeKind.ADD, note, draft_key)

    def update(self, note: Note, draft_key: str | None = None) -> Future[None]:
        """Save a changed note; its draft is under `draft_key` (default: its id)."""
        return self._submit(ChangeKind.UPDATE, note, draft_key)

    def delete(self, note: Note) -> Future[None]:
        return self._submit(ChangeKind.DELETE, note, None)

    def retry(self) -> Future[None]:
        """Save the pending changes again (a timer, and the way out, call this)."""
        return self._executor.submit(self._save_pending)

    def save_draft(self, key: str, draft: Draft) -> Future[None]:
        self._generations[key] = self._generations.get(key, 0) + 1
        return self._drafts_executor.submit(self._save_draft, key, draft)

    def discard(self, key: str) -> Future[None]:
        """Forget a draft the analyst discarded, and a pending save of it (never called
        on an error)."""
        self._generations[key] = self._generations.get(key, 0) + 1
        return self._executor.submit(self._discard, key)

    def flush(self) -> None:
        """Wait until every job so far has finished (tests, and the way out)."""
        self._executor.submit(lambda: None).result()
        # Saves hand their drafts work on: wait for that after them.
        self._drafts_executor.submit(lambda: None).result()

    def close(self) -> None:
        """Finish every job, then stop the threads."""
        self._executor.shutdown(wait=True)
        self._drafts_executor.shutdown(wait=True)

    def _submit(self, kind: ChangeKind, note: Note, draft_key: str | None) -> Future[None]:
        # The draft generation is taken now, in the order of the UI's calls: a draft
        # asked for after this change is newer, whichever thread runs first.
        key = draft_key if draft_key is not None else _draft_key_of(kind, note)
        change = PendingChange(kind, note, key, self._generations.get(key or "", 0))
        return self._executor.submit(self._change, change)

    # --- On the notes thread -----------------------------------------------------

    def _open(self) -> None:
        # Imported on the notes thread: YAML and file locks are not needed to paint
        # the first screen.
        from tuireader.notes.store import NotesStore

        try:
            if self.LOCK_TIMEOUT is None:
                store = NotesStore.open(self.path, self.document)
            else:
                store = NotesStore.open(self.path, self.document, lock_timeout=self.LOCK_TIMEOUT)
        except (NotesError, OSError, UnicodeError, MemoryError) as err:
            self._set_state(loaded=True, read_only=_one_line(err))
            return
        self._store = store
        if self.LOCK_TIMEOUT is not None:
            self._drafts = Drafts(drafts_path(self.path), self.LOCK_TIMEOUT)
        anchored = self._anchor_all(store.notes)
        # A note whose claim moved gets its new position with the next save, not now:
        # opening a file must never write it.
        self._pending_reanchored = [
            reanchor_note(item.note, item.anchor, self.document)
            for item in anchored
            if item.anchor.status in (AnchorStatus.MOVED, AnchorStatus.FUZZY)
        ]
        draft_problem = None
        try:
            drafts = self._drafts.load_all()
        except NotesError as err:
            drafts, draft_problem = {}, _one_line(err)
        with self._state_lock:
            # Drafts typed before the file was read (none: the editor waits for it).
            drafts = {**drafts, **self._state.drafts}
        self._set_state(
            anchored=tuple(anchored),
            loaded=True,
            read_only=store.read_only_reason,
            drafts=drafts,
            earlier_drafts=frozenset(drafts),
            draft_problem=draft_problem,
        )

    def _set_state(self, *, publish: bool = True, **changes: object) -> None:
        with self._state_lock:
            self._state = dataclasses.replace(self._state, **changes)  # type: ignore[arg-type]
            state = self._state
        if publish:
            self._publish(state)

    def _change(self, change: PendingChange) -> None:
        change = dataclasses.replace(change, note=_valid_note(change.note))
        self._pending = _coalesced(self._pending, change)
        self._save_pending()

    def _save_pending(self) -> None:
        store = self._store
        if store is None:
            return
        problem = None
        recovered = 0
        failed_before = self._state.problem is not None
        try:
            self._save_reanchored(store)
            while self._pending:
                change = self._pending[0]
                _apply(store, change)
                self._pending.pop(0)
                if failed_before:
                    recovered += 1
                self._drafts_executor.submit(self._landed, change)
        except Exception as err:  # whatever failed, the change stays pending
            problem = _one_line(err)
            self._drafts_executor.submit(self._keep_as_drafts, tuple(self._pending))
        self._set_state(
            anchored=tuple(self._anchor_all(store.notes)),
            read_only=store.read_only_reason,
            last_saved=store.last_saved,
            problem=problem if self._pending else None,
            pending=tuple(self._pending),
            recovered=recovered if not self._pending else 0,
        )

    def _save_reanchored(self, store: NotesStore) -> None:
        if not self._pending_reanchored:
            return
        # `reanchor` writes positions only: never a stale body or stance.
        try:
            store.reanchor(self._pending_reanchored)
        except KeyError:
            # Deleted by another session meanwhile: positions are recomputed on every
            # open, so there is nothing to keep.
            pass
        self._pending_reanchored = []

    def _discard(self, key: str) -> None:
        self._pending = [change for change in self._pending if change.draft_key != key]
        self._set_state(
            pending=tuple(self._pending),
            problem=self._state.problem if self._pending else None,
        )
        self._drafts_executor.submit(self._drop_draft, key)

    # --- On the drafts thread ----------------------------------------------------

    def _landed(self, change: PendingChange) -> None:
        """The change is in the file: its draft goes, unless one was asked for since."""
        key = change.draft_key
        if key is None or self._generations.get(key, 0) != change.generation:
            return
        self._drop_draft(key)

    def _keep_as_drafts(self, pending: tuple[PendingChange, ...]) -> None:
        """Every pending change with text goes to the drafts file, marked pending, so
        that a crash or a quit now still leaves it to the next session."""
        for change in pending:
            draft = _draft_of(change)
            if change.draft_key is None or draft is None:
                continue
            if self._state.drafts.get(change.draft_key) != draft:
                self._write_draft(change.draft_key, draft)
        self._publish(self._state)

    def _save_draft(self, key: str, draft: Draft) -> None:
        draft = dataclasses.replace(
            draft, body=valid(draft.body), tags=tuple(valid(tag) for tag in draft.tags)
        )
        if self._state.drafts.get(key) != draft:
            self._write_draft(key, draft)

    def _write_draft(self, key: str, draft: Draft) -> None:
        problem = self._safely(lambda: self._drafts.save(key, draft))
        with self._state_lock:
            drafts = {**self._state.drafts, key: draft}
            self._state = dataclasses.replace(self._state, drafts=drafts, draft_problem=problem)

    def _drop_draft(self, key: str) -> None:
        if key not in self._state.drafts:
            return
        problem = self._safely(lambda: self._drafts.clear(key))
        with self._state_lock:
            drafts = {name: kept for name, kept in self._state.drafts.items() if name != key}
            self._state = dataclasses.replace(self._state, drafts=drafts, draft_problem=problem)
        self._publish(self._state)

    def _safely(self, job: Callable[[], object]) -> str | None:
        """Run a drafts-file job; its failure, in one line (the draft stays in memory)."""
        try:
            job()
        except Exception as err:  # the draft stays in memory; the reason is shown
            return _one_line(err)
        return None

    def _anchor_all(self, notes: tuple[Note, ...]) -> list[AnchoredNote]:
        """Anchor each note once: a note that did not change keeps its anchor, so an
        orphan's fuzzy search (slow on a long article) is not repeated on every save."""
        text = self.document.text
        result = []
        anchors: dict[tuple[str, datetime, int, int], AnchoredNote] = {}
        for note in notes:
            position = note.target.position
            key = (note.id, note.updated, position.start, position.end)
            item = self._anchors.get(key)
            if item is None or item.note != note:
                item = AnchoredNote(note, anchor_note(note, text))
            anchors[key] = item
            result.append(item)
        self._anchors = anchors
        return sorted(result, key=_document_order)


def describe_notes(state: NotesState, *, data_dir: Path | None = None) -> str:
    """The status bar's words for the notes: what is not saved comes first.

    Notes kept in the app's data folder (`data_dir`: a piped document's, the sample's,
    or an article's whose folder is not writable) are said to be there, rather than
    named by their hashed file name: ctrl+g shows the full path.
    """
    if not state.loaded:
        return "notes: loading…"
    if state.pending:
        count = len(state.pending)
        return f"{_plural(count, 'note')} pending: {state.problem or 'saving'} — retrying"
    if state.read_only:
        return f"notes read-only: {state.read_only}"
    if state.draft_problem:
        return f"draft NOT kept: {state.draft_problem}"
    unsaved = sum(1 for key in state.earlier_drafts if key in state.drafts)
    if unsaved:
        return f"{_plural(unsaved, 'unsaved note')} from an earlier session: D to review"
    if state.last_saved:
        when = state.last_saved.astimezone().strftime("%H:%M:%S")
        if state.recovered:
            return f"{_plural(state.recovered, 'pending note')} saved {when}"
        return f"notes saved {when}"
    if data_dir is not None and state.path.parent == data_dir / "notes":
        return "notes: data folder"
    return f"notes: {state.path.name}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _apply(store: NotesStore, change: PendingChange) -> None:
    """Save one change; what another session did meanwhile never loses it."""
    note = change.note
    if change.kind is ChangeKind.ADD:
        try:
            store.add(note)
        except ValueError:
            # Its id is in the file already: an earlier try landed after all.
            store.update(note)
    elif change.kind is ChangeKind.UPDATE:
        try:
            store.update(note)
        except KeyError:
            # Deleted in another session while edited here: the edit is newer work.
            store.add(note)
    else:
        try:
            store.delete(note.id)
        except KeyError:
            pass  # already gone


def _coalesced(pending: list[PendingChange], change: PendingChange) -> list[PendingChange]:
    """The queue with `change` last, replacing a pending change of the same note (or the
    same draft: a new note saved again from its restored draft has a new id)."""
    kept: list[PendingChange] = []
    never_saved = False
    for old in pending:
        same_draft = change.draft_key is not None and old.draft_key == change.draft_key
        if old.note.id != change.note.id and not same_draft:
            kept.append(old)
            continue
        if old.kind is ChangeKind.ADD:
            never_saved = True
            if change.kind is ChangeKind.UPDATE:
                change = dataclasses.replace(change, kind=ChangeKind.ADD)
        if change.draft_key is None and old.draft_key is not None:
            change = dataclasses.replace(change, draft_key=old.draft_key, generation=old.generation)
    if never_saved and change.kind is ChangeKind.DELETE:
        return kept  # nothing to delete in the file
    return [*kept, change]


def _draft_key_of(kind: ChangeKind, note: Note) -> str | None:
    """The draft a change of a note is kept in: its id for an edit, its claim for a new
    note, none for a delete."""
    if kind is ChangeKind.ADD:
        position = note.target.position
        return new_note_key(position.start, position.end)
    if kind is ChangeKind.UPDATE:
        return note.id
    return None


def _draft_of(change: PendingChange) -> Draft | None:
    """The draft that keeps a pending add or update (a delete holds no text)."""
    if change.kind is ChangeKind.DELETE:
        return None
    note = change.note
    target = note.target
    return Draft(
        note.body,
        stance=note.stance,
        tags=note.tags,
        note_id=note.id if change.kind is ChangeKind.UPDATE else None,
        target=DraftTarget(target.position.start, target.position.end, target.quote.exact),
        pending=True,
    )


def _valid_note(note: Note) -> Note:
    """The note with lone surrogates replaced in every field typed or pasted, and in
    the author (from the environment or `--author`): UTF-8 cannot hold them."""
    return dataclasses.replace(
        note,
        author=valid(note.author),
        body=valid(note.body),
        tags=tuple(valid(tag) for tag in note.tags),
    )


def _one_line(error: BaseException) -> str:
    if isinstance(error, MemoryError):
        return "out of memory"
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    else:
        text = str(error).strip("'\"") or type(error).__name__
    return " ".join(text.split())


def _document_order(item: AnchoredNote) -> tuple[int, int, str]:
    if item.anchor.start is None:
        return (1, 0, item.note.id)
    return (0, item.anchor.start, item.note.id)
