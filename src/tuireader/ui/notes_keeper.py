"""The notes of the open document, saved in order on a thread of their own."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tuireader.notes.anchoring import AnchoredNote, AnchorStatus, anchor_note, reanchor_note
from tuireader.notes.errors import NotesError
from tuireader.notes.model import Note
from tuireader.text.document import Document

if TYPE_CHECKING:
    from tuireader.notes.store import NotesStore

_T = TypeVar("_T")


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
    """The last save that failed, in one line (the change is kept in memory)."""
    drafts: dict[str, str] = field(default_factory=dict, hash=False)


class NotesKeeper:
    """Owns the NotesStore; every read and write runs on one worker thread, in order.

    The store does file I/O under a lock that another session may hold, so nothing of
    it runs on the event loop. One thread (not a pool) keeps the changes in the order
    the analyst made them; `close` waits until the last one is on disk.
    """

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
        self._store: NotesStore | None = None  # opened on the notes thread
        self._anchors: dict[tuple[str, datetime, int, int], AnchoredNote] = {}
        self._state = NotesState(path)
        self._pending_reanchored: list[Note] = []

    @property
    def state(self) -> NotesState:
        return self._state

    # --- Jobs (called from the UI; they run on the notes thread) ----------------

    def open(self) -> Future[None]:
        return self._executor.submit(self._open)

    def add(self, note: Note) -> Future[None]:
        return self._executor.submit(self._change, lambda store: store.add(note))

    def update(self, note: Note) -> Future[None]:
        return self._executor.submit(self._change, lambda store: store.update(note))

    def delete(self, note_id: str) -> Future[None]:
        return self._executor.submit(self._change, lambda store: store.delete(note_id))

    def save_draft(self, key: str, text: str) -> Future[None]:
        return self._executor.submit(self._draft, key, text)

    def clear_draft(self, key: str) -> Future[None]:
        return self._executor.submit(self._draft, key, None)

    def flush(self) -> None:
        """Wait until every job so far has finished (tests, and the way out)."""
        self._executor.submit(lambda: None).result()

    def close(self) -> None:
        """Finish every job, then stop the thread."""
        self._executor.shutdown(wait=True)

    # --- On the notes thread -----------------------------------------------------

    def _open(self) -> None:
        # Imported on the notes thread: YAML and file locks are not needed to paint
        # the first screen.
        from tuireader.notes.store import NotesStore

        try:
            store = NotesStore.open(self.path, self.document)
        except (NotesError, OSError) as err:
            self._state = NotesState(self.path, loaded=True, read_only=str(err))
            self._publish(self._state)
            return
        self._store = store
        anchored = self._anchor_all(store.notes)
        # A note whose claim moved gets its new position with the next save, not now:
        # opening a file must never write it.
        self._pending_reanchored = [
            reanchor_note(item.note, item.anchor, self.document)
            for item in anchored
            if item.anchor.status in (AnchorStatus.MOVED, AnchorStatus.FUZZY)
        ]
        drafts = self._safely(store.load_drafts) or {}
        self._state = NotesState(
            self.path,
            tuple(anchored),
            loaded=True,
            read_only=store.read_only_reason,
            drafts=drafts,
        )
        self._publish(self._state)

    def _change(self, apply: Callable[[NotesStore], None]) -> None:
        store = self._store
        if store is None:
            return
        problem = None
        try:
            if self._pending_reanchored:
                store.reanchor(self._pending_reanchored)
                self._pending_reanchored = []
            apply(store)
        except (NotesError, OSError, KeyError, ValueError) as err:
            problem = str(err).strip("'\"") or type(err).__name__
        self._state = NotesState(
            self.path,
            tuple(self._anchor_all(store.notes)),
            loaded=True,
            read_only=store.read_only_reason,
            last_saved=store.last_saved,
            problem=problem,
            drafts=self._state.drafts,
        )
        self._publish(self._state)

    def _draft(self, key: str, text: str | None) -> None:
        store = self._store
        if store is None:
            return
        drafts = dict(self._state.drafts)
        if text is None:
            self._safely(lambda: store.clear_draft(key))
            drafts.pop(key, None)
        else:
            self._safely(lambda: store.save_draft(key, text))
            drafts[key] = text
        self._state = NotesState(
            self._state.path,
            self._state.anchored,
            loaded=True,
            read_only=self._state.read_only,
            last_saved=self._state.last_saved,
            problem=self._state.problem,
            drafts=drafts,
        )

    def _safely(self, job: Callable[[], _T]) -> _T | None:
        try:
            return job()
        except (NotesError, OSError):
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


def _document_order(item: AnchoredNote) -> tuple[int, int, str]:
    if item.anchor.start is None:
        return (1, 0, item.note.id)
    return (0, item.anchor.start, item.note.id)
