"""NotesStore: one notes file, read safely and saved on every change without losing a note.

Every change is a three-way merge (`tuireader.notes.merge`): the store remembers the
version it last read or wrote (its base); a change makes "ours" from the base; under the
file's lock (`.<name>.lock`, held for milliseconds) the file on disk now is "theirs",
and what is written is the merge. So a session's save changes only the fields it
changed: other sessions' notes and fields stand, the same field changed on both sides
keeps both versions (a conflict on the note), and re-anchoring (`reanchor`) writes
positions only. A note this session deleted stays deleted when a stale copy of it comes
back, but not when someone edited it after the delete.

The file is only ever a regular file written in place of itself (`safe_files`): a
symlink, a FIFO, a device, a missing folder or a file that cannot be read whole (see
`tuireader.notes.schema`) makes the store read-only with a one-line reason; writes then
raise `NotesReadOnly` and the file is never touched.

A store is not thread-safe: call it from one worker at a time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from tuireader.notes.codec import Decoded, NotesCodec
from tuireader.notes.drafts import Drafts
from tuireader.notes.errors import NotesError, NotesLocked, NotesReadOnly
from tuireader.notes.merge import apply_field, merge, with_positions_of
from tuireader.notes.model import Conflict, Note, utc_now, valid_note
from tuireader.notes.safe_files import remove_stale_temporaries, unsafe_path_reason
from tuireader.notes.schema import DocumentInfo, NotesFile, sorted_notes
from tuireader.notes.yamlio import (
    UnsafeReplace,
    YamlRefused,
    file_mode,
    locked,
    read_bounded,
    write_bytes,
)
from tuireader.resources import is_bundled
from tuireader.text.document import Document, text_sha256

LOCK_TIMEOUT = 10.0
"""Seconds to wait for another session's save; one holds the lock for milliseconds."""

GROWTH_ALLOWANCE = 64 * 1024
"""Bytes a save may add beyond the file read and the notes changed (header, conflicts)."""

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
    folder = data_dir / "notes"
    # The app's own folder, made private: the store never creates folders for a notes
    # path (a typo or a dangling link must not grow a tree), so this one is made here.
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"{stem}-{document_text_sha[:12]}{NOTES_SUFFIX}"


class NotesStore:
    """The notes of one document, backed by one YAML file."""

    def __init__(self, path: Path, document: Document, *, lock_timeout: float) -> None:
        """Use `NotesStore.open`."""
        self.path = path
        """The notes file (never written through a symlink: one makes the store read-only)."""
        self.read_only_reason: str | None = None
        """Why writes are refused, in one line; None when the store is writable."""
        self.last_saved: datetime | None = None
        """When this session last wrote the file (UTC)."""
        self._document = document
        self._lock_timeout = lock_timeout
        self._base = NotesFile()
        """The file as this session last read or wrote it: the base of its next merge."""
        self._by_id: dict[str, Note] | None = None
        self._base_digest: bytes | None = None
        """SHA-256 of the bytes last read or written: an unchanged file is not re-read."""
        self._seen: tuple[bytes | None, Decoded] | None = None
        """The digest and contents of the file as last read outside the lock."""
        self._codec = NotesCodec()
        self._text_sha: str | None = None
        """The document text's SHA-256, once known (the text never changes here)."""
        self._cleaned = False
        """Whether this session removed the temporary files of crashed saves yet."""
        self._deleted: dict[str, Note] = {}
        """Tombstones: the notes this session deleted, as they were when deleted."""
        self._drafts = Drafts(path.with_name(path.name + ".drafts.yaml"), lock_timeout)

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
        return self._base.notes

    @property
    def document_info(self) -> DocumentInfo | None:
        """The document as the file last recorded it (compare `sha256` to spot edits)."""
        return self._base.document

    @property
    def drafts_path(self) -> Path:
        """The sibling file holding unsaved editor text."""
        return self._drafts.path

    def get(self, note_id: str) -> Note | None:
        """Return the note with this id, or None."""
        if self._by_id is None:
            self._by_id = {note.id: note for note in self._base.notes}
        return self._by_id.get(note_id)

    def reload(self) -> None:
        """Read the file again (after the user fixed it by hand, say)."""
        path = self.path
        reason: str | None = None
        try:
            data = read_bounded(path)
            decoded = self._codec.decode(data)
        except FileNotFoundError:
            self._set_base(NotesFile(), None)
        except YamlRefused as error:
            self._set_base(NotesFile(), None)
            reason = str(error)
        except (MemoryError, UnicodeError) as error:
            self._set_base(NotesFile(), None)
            reason = f"not read: {_what_failed(error)}"
        else:
            self._set_base(decoded.parsed.file, _digest(data))
            reason = _summary(decoded.parsed.problems) or _comment_reason(decoded.comment_line)
        self.read_only_reason = reason or unsafe_path_reason(path) or _unwritable_reason(path)

    def add(self, note: Note) -> None:
        """Save a new note.

        Raises:
            ValueError: when another note already has its id.
            NotesReadOnly, NotesLocked, NotesError: when nothing could be saved.
        """
        existing = self.get(note.id)
        if existing is not None and existing != note:
            raise ValueError(f"a note with id {note.id} already exists")
        self._commit({note.id: note})
        self._deleted.pop(note.id, None)

    def update(self, note: Note) -> None:
        """Save a changed note: the fields it changed (against the version this store
        last read) are written; fields another session changed meanwhile stand. Its
        positions are not taken (see `reanchor`).

        Raises:
            KeyError: when the store holds no note with its id.
            NotesReadOnly, NotesLocked, NotesError: when nothing could be saved.
        """
        self.update_many((note,))

    def update_many(self, notes: Iterable[Note]) -> None:
        """Save several changed notes at once, in one write (see `update`)."""
        self._check_writable()
        changed = {}
        for note in notes:
            current = self.get(note.id)
            if current is None:
                raise KeyError(note.id)
            # Editing never moves a note: positions change only through `reanchor`. A
            # note edited from a copy taken before its re-anchoring keeps the new ones.
            changed[note.id] = with_positions_of(note, current)
        self._commit(changed)

    def reanchor(self, notes: Iterable[Note]) -> None:
        """Save the new positions of moved notes, and nothing else of them.

        Only each note's target quote, position and section are taken: its body, stance
        and tags as this session knows them are never written back, so a re-anchoring
        queued long ago cannot undo another session's edit. Notes gone meanwhile are
        skipped. `updated` is not bumped.
        """
        self._check_writable()
        changed = {}
        for moved in notes:
            current = self.get(moved.id)
            if current is not None:
                changed[moved.id] = with_positions_of(current, moved)
        self._commit(changed)

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
        self._deleted[note_id] = note
        try:
            self._commit({note_id: None})
        except BaseException:
            del self._deleted[note_id]
            raise

    def resolve_conflict(self, note_id: str, field: str, keep: Conflict | None = None) -> None:
        """Settle the conflicts of one field of a note, dropping their entries.

        Args:
            field: the conflicts' `field` (`body`, `deleted`, ...).
            keep: the conflict whose value to keep; None keeps the note's own value.
                Keeping a `deleted` conflict deletes the note.

        Raises:
            KeyError: when the store holds no note with this id.
            ValueError: when the kept value does not fit the field.
            NotesReadOnly, NotesLocked, NotesError: when nothing could be saved.
        """
        note = self.get(note_id)
        if note is None:
            raise KeyError(note_id)
        if keep is not None and keep.field == "deleted":
            self.delete(note_id)
            return
        resolved = note if keep is None else apply_field(note, field, keep.value)
        resolved = dataclasses.replace(
            resolved,
            conflicts=tuple(c for c in note.conflicts if c.field != field),
            updated=max(utc_now(), note.updated),
        )
        self._commit({note_id: resolved})

    def save_draft(self, key: str, text: str) -> None:
        """Keep an editor's unsaved text (say on SIGHUP), keyed by note id or any key."""
        self._drafts.save(key, text)

    def load_drafts(self) -> dict[str, str]:
        """Return the unsaved editor texts left by this or an earlier session."""
        return self._drafts.load()

    def clear_draft(self, key: str) -> None:
        """Forget a draft once its note is saved or discarded."""
        self._drafts.clear(key)

    # --- saving ----------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only_reason is not None:
            raise NotesReadOnly(self.read_only_reason)

    def _set_base(self, notes_file: NotesFile, digest: bytes | None) -> None:
        self._base, self._base_digest, self._by_id = notes_file, digest, None

    def _commit(self, changes: Mapping[str, Note | None]) -> None:
        """Write `changes` (note id → new version, None to delete) as a three-way merge."""
        self._check_writable()
        base = self._base
        changes = {key: None if note is None else valid_note(note) for key, note in changes.items()}
        document = self._document_info(base.document)
        if document == base.document and all(self.get(k) == v for k, v in changes.items()):
            return  # nothing would change: the file is not touched
        notes = {note.id: note for note in base.notes}
        for note_id, note in changes.items():
            if note is None:
                notes.pop(note_id, None)
            else:
                notes[note_id] = note
        ours = NotesFile(tuple(notes.values()), document, base.version, base.extra)
        path = self.path
        try:
            # Read, merge and encode before taking the lock; under it, only check that
            # the file is still the one merged against (else merge again), and write:
            # the lock is held for milliseconds, not for a parse.
            plan = self._plan(base, ours, changes, *_read_with_digest(path))
            with locked(path, self._lock_timeout, mode=file_mode(path)):
                unsafe = unsafe_path_reason(path)
                if unsafe is not None:
                    self._refuse(unsafe)
                if not self._cleaned:
                    # Leftovers of crashed saves: once per session is enough, and a
                    # folder listing is not free.
                    remove_stale_temporaries(path)
                    self._cleaned = True
                data, digest = _read_with_digest(path)
                if digest != plan.digest:
                    plan = self._plan(base, ours, changes, data, digest)
                write_bytes(path, plan.content, previous=data, max_bytes=plan.bound)
        except (NotesLocked, NotesReadOnly):
            raise
        except UnsafeReplace as error:
            self._refuse(str(error.strerror or error), changed=False)
        except YamlRefused as error:
            self._refuse(str(error))
        except OSError as error:
            self._cleaned = False  # a failed write may have left a temporary file
            raise NotesError(f"could not save {path.name}: {error.strerror or error}") from error
        except (MemoryError, UnicodeError) as error:
            raise NotesError(f"could not save {path.name}: {_what_failed(error)}") from error
        self._set_base(plan.result, _digest(plan.content))
        for note_id in plan.expired:
            self._deleted.pop(note_id, None)
        self.last_saved = utc_now()

    def _plan(
        self,
        base: NotesFile,
        ours: NotesFile,
        changes: Mapping[str, Note | None],
        data: bytes | None,
        digest: bytes | None,
    ) -> _Plan:
        """Return what to write over the file `data` (None: absent) to save `ours`."""
        if data is None:
            theirs = NotesFile()
        elif digest == self._base_digest:
            theirs = base  # what we read or wrote last: no other session saved since
        else:
            if self._seen is not None and self._seen[0] == digest:
                decoded = self._seen[1]
            else:
                decoded = self._codec.decode(data)
                self._seen = (digest, decoded)
            problem = _summary(decoded.parsed.problems) or _comment_reason(decoded.comment_line)
            if problem is not None:
                self._refuse(problem)
            theirs = decoded.parsed.file
        expired: frozenset[str] = frozenset()
        if theirs is base:
            result = dataclasses.replace(ours, notes=sorted_notes(ours.notes))
        else:
            result, expired = self._merge(base, ours, theirs)
        content = self._codec.encode(result, presorted=True)
        return _Plan(result, content, digest, self._bound(data, changes), expired)

    def _merge(
        self, base: NotesFile, ours: NotesFile, theirs: NotesFile
    ) -> tuple[NotesFile, frozenset[str]]:
        """Return the merge, and the tombstones an edited copy made obsolete."""
        # A copy of a note we deleted comes back when a writer that does not merge saves
        # it again (or git restores it): keep it deleted. A copy someone edited (by
        # content, not by clock: two sessions can act within one second) is newer
        # work, and nothing is ever lost: keep that one.
        expired: set[str] = set()
        if self._deleted:
            kept = []
            for note in theirs.notes:
                deleted = self._deleted.get(note.id)
                if deleted is not None and self.get(note.id) is None:
                    if with_positions_of(note, deleted) == deleted:
                        continue
                    expired.add(note.id)
                kept.append(note)
            theirs = dataclasses.replace(theirs, notes=tuple(kept))
        return merge(base, ours, theirs).file, frozenset(expired)

    def _bound(self, data: bytes | None, changes: Mapping[str, Note | None]) -> int:
        """The most a save may write: the file read, plus the notes changed, twice (a
        conflict holds two versions), plus room for the header: aliases that expanded
        in memory never grow into a save."""
        changed = sum(len(self._codec.block(note)) for note in changes.values() if note is not None)
        return len(data or b"") + 2 * changed + GROWTH_ALLOWANCE

    def _refuse(self, reason: str, *, changed: bool = True) -> NoReturn:
        # The file changed under us into something we cannot read whole or must not
        # write: keep showing the notes we had, and never overwrite it.
        if changed:
            reason = f"the file changed on disk and cannot be saved safely: {reason}"
        self.read_only_reason = reason
        raise NotesReadOnly(reason)

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
            folder = Path(os.path.abspath(self.path.parent))
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
            url=document.url or (recorded.url if recorded is not None else None),
            fetched=document.fetched or (recorded.fetched if recorded is not None else None),
            extra=recorded.extra if recorded is not None else {},
        )


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _read_with_digest(path: Path) -> tuple[bytes | None, bytes | None]:
    """Return the file's bytes and their SHA-256, or (None, None) when it is absent."""
    try:
        data = read_bounded(path)
    except FileNotFoundError:
        return None, None
    return data, _digest(data)


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    """A save, ready to write: valid while the file's digest is still `digest`."""

    result: NotesFile
    content: bytes
    digest: bytes | None
    bound: int
    expired: frozenset[str]
    """Tombstones to forget once written: their notes came back edited."""


def _summary(problems: tuple[str, ...]) -> str | None:
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return problems[0] + more


def _what_failed(error: BaseException) -> str:
    if isinstance(error, MemoryError):
        return "out of memory"
    return "text that is not valid Unicode"


def _comment_reason(line: int | None) -> str | None:
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
        owner = path.stat().st_uid
        if hasattr(os, "geteuid") and os.geteuid() not in (0, owner):
            # A save replaces the file, and only root may give the new one its owner:
            # saving would take the file from them (see atomic.write_atomically).
            return f"{path.name} belongs to user {owner}: only they can save it"
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return f"no permission to write in {path.parent}"
        return None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"no permission to create {path.name} in {path.parent}"
    return None
