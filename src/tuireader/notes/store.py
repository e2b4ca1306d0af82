"""NotesStore: one notes file, read safely and saved on every change without losing a note.

Every change is a locked read-merge-write: take `<file>.lock`, read the file as it is
on disk now, apply only this change to it (what other sessions added, edited or deleted
meanwhile stands), write a temporary file beside it and rename it over the old one. A
note this session deleted stays deleted when a stale copy of it comes back (another
session saving it unchanged), but not when someone edited it after the delete: that is
newer work, and nothing is ever lost. A file that cannot be read whole (see
`tuireader.notes.schema`), or cannot be written, makes the store read-only: writes
raise `NotesReadOnly` and the file is never touched.

A store is not thread-safe: call it from one worker at a time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from tuireader.notes.drafts import Drafts
from tuireader.notes.errors import NotesError, NotesLocked, NotesReadOnly
from tuireader.notes.model import Note, utc_now
from tuireader.notes.schema import (
    DocumentInfo,
    NotesFile,
    notes_file_from_data,
    notes_file_to_data,
    sorted_notes,
)
from tuireader.notes.yamlio import (
    YamlRefused,
    find_comment,
    locked,
    parse_yaml,
    read_bounded,
    save_yaml,
)
from tuireader.resources import is_bundled
from tuireader.text.document import Document, text_sha256

LOCK_TIMEOUT = 5.0
"""Seconds to wait for another session's save; one takes milliseconds."""

NOTES_SUFFIX = ".notes.yaml"


def default_notes_path(
    document_path: str | None,
    document_text_sha: str,
    *,
    data_dir: Path,
) -> Path:
    """Return where a document's notes live by default.

    Beside the document as `<file name>.notes.yaml` when that folder is writable (or the
    file is already there: existing notes are shown even when they cannot be changed),
    else `<data_dir>/notes/<stem>-<sha[:12]>.notes.yaml`; documents read from stdin
    always go to the data folder, named `stdin-<sha[:12]>`, and so do the notes of the
    bundled sample (its folder belongs to the package, writable or not).
    """
    stem = "stdin"
    if document_path is not None:
        document = Path(document_path)
        beside = document.with_name(document.name + NOTES_SUFFIX)
        folder = beside.parent
        writable = folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
        if not is_bundled(document_path) and (beside.exists() or writable):
            return beside
        stem = document.stem or "document"
    return data_dir / "notes" / f"{stem}-{document_text_sha[:12]}{NOTES_SUFFIX}"


class NotesStore:
    """The notes of one document, backed by one YAML file."""

    def __init__(self, path: Path, document: Document, *, lock_timeout: float) -> None:
        """Use `NotesStore.open`."""
        self.path = path
        """The notes file as given (it may be a symlink; writes go to its target)."""
        self.read_only_reason: str | None = None
        """Why writes are refused, in one line; None when the store is writable."""
        self.last_saved: datetime | None = None
        """When this session last wrote the file (UTC)."""
        self._real_path = Path(os.path.realpath(path))
        self._document = document
        self._lock_timeout = lock_timeout
        self._file = NotesFile()
        self._disk_digest: bytes | None = None
        """SHA-256 of the bytes last read or written: an unchanged file is not re-parsed."""
        self._text_sha: str | None = None
        """The document text's SHA-256, once known (the text never changes here)."""
        self._deleted: dict[str, datetime] = {}
        """Tombstones: ids this session deleted, with the `updated` of the version deleted."""
        self._drafts = Drafts(
            self._real_path.with_name(self._real_path.name + ".drafts.yaml"), lock_timeout
        )

    @classmethod
    def open(
        cls, path: Path | str, document: Document, *, lock_timeout: float = LOCK_TIMEOUT
    ) -> NotesStore:
        """Return the store for `path`, reading the file if it exists (never writing it)."""
        store = cls(Path(path), document, lock_timeout=lock_timeout)
        store.reload()
        return store

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note read, in file order (position, then id)."""
        return self._file.notes

    @property
    def document_info(self) -> DocumentInfo | None:
        """The document as the file last recorded it (compare `sha256` to spot edits)."""
        return self._file.document

    @property
    def drafts_path(self) -> Path:
        """The sibling file holding unsaved editor text."""
        return self._drafts.path

    def get(self, note_id: str) -> Note | None:
        """Return the note with this id, or None."""
        return next((note for note in self._file.notes if note.id == note_id), None)

    def reload(self) -> None:
        """Read the file again (after the user fixed it by hand, say)."""
        self.read_only_reason = None
        try:
            data = read_bounded(self._real_path)
            content = parse_yaml(data)
        except FileNotFoundError:
            self._file, self._disk_digest = NotesFile(), None
        except YamlRefused as error:
            self._file, self._disk_digest = NotesFile(), None
            self.read_only_reason = str(error)
        else:
            parsed = notes_file_from_data(content)
            self._file, self._disk_digest = parsed.file, _digest(data)
            self.read_only_reason = _summary(parsed.problems) or _comment_reason(data)
        if self.read_only_reason is None:
            self.read_only_reason = _unwritable_reason(self._real_path)

    def add(self, note: Note) -> None:
        """Save a new note.

        Raises:
            ValueError: when another note already has its id.
            NotesReadOnly, NotesLocked, NotesError: when nothing could be saved.
        """

        def apply(notes: dict[str, Note]) -> None:
            if notes.get(note.id, note) != note:
                raise ValueError(f"a note with id {note.id} already exists")
            notes[note.id] = note

        self._commit(apply)
        self._deleted.pop(note.id, None)

    def update(self, note: Note) -> None:
        """Save a changed note. It wins over any other session's version of it.

        Raises:
            KeyError: when the store holds no note with its id.
            NotesReadOnly, NotesLocked, NotesError: when nothing could be saved.
        """
        self.update_many((note,))

    def update_many(self, notes: Iterable[Note]) -> None:
        """Save several changed notes at once (re-anchored notes, say), in one write."""
        self._check_writable()
        changed = {note.id: note for note in notes}
        if not changed:
            return
        known = {note.id for note in self._file.notes}
        for note_id in changed:
            if note_id not in known:
                raise KeyError(note_id)
        self._commit(lambda current: current.update(changed))

    def delete(self, note_id: str) -> None:
        """Delete a note. It stays deleted even if another session still has it.

        Raises:
            KeyError: when the store holds no note with this id.
            NotesReadOnly, NotesLocked, NotesError: when nothing could be saved.
        """
        self._check_writable()
        note = self.get(note_id)
        if note is None:
            raise KeyError(note_id)

        def apply(notes: dict[str, Note]) -> None:
            notes.pop(note_id, None)

        self._deleted[note_id] = note.updated
        try:
            self._commit(apply)
        except BaseException:
            del self._deleted[note_id]
            raise

    def save_draft(self, key: str, text: str) -> None:
        """Keep an editor's unsaved text (say on SIGHUP), keyed by note id or any key."""
        self._drafts.save(key, text)

    def load_drafts(self) -> dict[str, str]:
        """Return the unsaved editor texts left by this or an earlier session."""
        return self._drafts.load()

    def clear_draft(self, key: str) -> None:
        """Forget a draft once its note is saved or discarded."""
        self._drafts.clear(key)

    def _check_writable(self) -> None:
        if self.read_only_reason is not None:
            raise NotesReadOnly(self.read_only_reason)

    def _commit(self, apply: Callable[[dict[str, Note]], None]) -> None:
        self._check_writable()
        path = self._real_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with locked(path, self._lock_timeout):
                previous, current = self._read_for_merge()
                merged = {n.id: n for n in current.notes if not self._was_deleted(n)}
                apply(merged)
                result = NotesFile(
                    notes=sorted_notes(list(merged.values())),
                    document=self._document_info(current.document),
                    version=current.version,
                    extra=current.extra,
                )
                written = save_yaml(path, notes_file_to_data(result), previous=previous)
        except (NotesLocked, NotesReadOnly):
            raise
        except OSError as error:
            raise NotesError(f"could not save {path.name}: {error.strerror or error}") from error
        self._file, self._disk_digest = result, _digest(written)
        self.last_saved = utc_now()

    def _was_deleted(self, note: Note) -> bool:
        # A copy of a note we deleted comes back when a session that had it in memory
        # saves it again (or git restores it): keep it deleted. A copy someone edited
        # after our delete is newer work, and nothing is ever lost: keep that one.
        deleted = self._deleted.get(note.id)
        if deleted is None:
            return False
        if note.updated <= deleted:
            return True
        del self._deleted[note.id]
        return False

    def _read_for_merge(self) -> tuple[bytes | None, NotesFile]:
        """Return the file's bytes and contents now, refusing one that cannot be read whole."""
        try:
            data = read_bounded(self._real_path)
            if _digest(data) == self._disk_digest:
                # What we read or wrote last: no other session saved since.
                return data, self._file
            content = parse_yaml(data)
        except FileNotFoundError:
            return None, NotesFile()
        except YamlRefused as error:
            self._refuse(str(error))
        parsed = notes_file_from_data(content)
        problem = _summary(parsed.problems) or _comment_reason(data)
        if problem is not None:
            self._refuse(problem)
        return data, parsed.file

    def _refuse(self, reason: str) -> NoReturn:
        # The file changed under us into something we cannot read whole: keep showing the
        # notes we had, and never overwrite it.
        self.read_only_reason = f"the file changed on disk and cannot be saved safely: {reason}"
        raise NotesReadOnly(self.read_only_reason)

    def _text_sha256(self) -> str:
        # Once per store, not per save: 18 MB take ~40 ms to hash.
        if self._text_sha is None:
            self._text_sha = text_sha256(self._document.text)
        return self._text_sha

    def _document_info(self, recorded: DocumentInfo | None) -> DocumentInfo:
        document = self._document
        path = recorded.path if recorded is not None else None
        if document.path is not None:
            absolute = Path(os.path.abspath(document.path))
            folder = Path(os.path.abspath(self._real_path.parent))
            path = (
                absolute.relative_to(folder).as_posix()
                if absolute.is_relative_to(folder)
                else str(absolute)
            )
        title = document.title
        if title is None and recorded is not None:
            title = recorded.title
        return DocumentInfo(
            path=path,
            title=title,
            sha256=self._text_sha256(),
            extra=recorded.extra if recorded is not None else {},
        )


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _summary(problems: tuple[str, ...]) -> str | None:
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return problems[0] + more


def _comment_reason(data: bytes) -> str | None:
    line = find_comment(data)
    if line is None:
        return None
    return (
        f"line {line} holds a YAML comment, which saving would drop: "
        "move it into a note's body or delete it, then reload"
    )


def _unwritable_reason(path: Path) -> str | None:
    if path.exists():
        if not os.access(path, os.W_OK):
            return f"no permission to write {path.name}"
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return f"no permission to write in {path.parent}"
        return None
    # A new file goes in the nearest folder that exists (missing ones are created).
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"no permission to create {path.name} in {folder}"
    return None
