"""Drafts: every note the editor holds or failed to save, kept in a sibling file.

A note is the analyst's work from its first keystroke: the editor's whole state (body,
stance, tags, and the claim it belongs to) is written here while typing, and stays here
until the save that holds it is confirmed, so that a hang-up, a crash, a full disk or
another session's lock never loses it.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.notes.errors import NotesError, YamlRefused
from tuireader.notes.model import normalize_tags
from tuireader.notes.search import occurrences_outward
from tuireader.notes.stance import Stance

# yamlio (PyYAML, filelock) is imported where the file is read or written, on the
# notes threads: the UI imports this module for `Draft` while it paints.

DRAFTS_KEY = "tuireader_drafts"
DRAFTS_VERSION = 2
"""2: every field of the editor; 1 (still read): the body only, keyed like now."""
DRAFTS_SUFFIX = ".drafts.yaml"
MAX_DRAFTS_BYTES = 20 * 1024 * 1024
"""As the notes file's bound (`yamlio.MAX_FILE_BYTES`): larger files are refused."""
NEW_NOTE_PREFIX = "new:"
"""Key of a new note's draft: `new:<start>-<end>` of the claim it was begun on."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """Return `text` with lone surrogates replaced by U+FFFD (pairs joined).

    A surrogate gets into a str from a paste split inside an emoji, or from an
    environment variable or argument that was not UTF-8 (`surrogateescape`); UTF-8
    cannot encode it, so a note holding one could never be saved.
    """
    if not _LONE_SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def drafts_path(notes_path: Path) -> Path:
    """The drafts file of a notes file: `<notes file>.drafts.yaml` beside it."""
    return notes_path.with_name(notes_path.name + DRAFTS_SUFFIX)


def new_note_key(start: int, end: int) -> str:
    """The draft key of a new note on `[start, end)`."""
    return f"{NEW_NOTE_PREFIX}{start}-{end}"


@dataclass(frozen=True, slots=True)
class DraftTarget:
    """The claim a draft belongs to, as it was when the draft was written."""

    start: int
    end: int
    exact: str
    """The claim's text, to find it again if the article changed."""


@dataclass(frozen=True, slots=True)
class Draft:
    """The editor's whole state for one note."""

    body: str
    stance: Stance | None = None
    tags: tuple[str, ...] = ()
    note_id: str | None = None
    """The note being edited; None for a new note."""
    target: DraftTarget | None = None
    """The claim; always there for a new note, there for an edit when known."""
    pending: bool = False
    """The analyst saved it (ctrl+s) and the save has not been confirmed yet."""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False, compare=False)
    """Keys a newer tuireader wrote, kept as they were."""

    def same_fields(self, other: Draft) -> bool:
        """True when both hold the same note text (whether pending or not)."""
        return (self.body, self.stance, self.tags) == (other.body, other.stance, other.tags)


def draft_claim(draft: Draft, text: str) -> tuple[int, int] | None:
    """Where a draft's claim is in `text` now: `[start, end)`, or None when it is gone.

    At its old place when its text is still there (or unknown, as in a version-1
    draft), else at the nearest place that holds that text.
    """
    target = draft.target
    if target is None:
        return None
    exact = target.exact
    if not exact or text.startswith(exact, target.start):
        fits = target.start < target.end <= len(text)
        return (target.start, target.end) if fits else None
    for found in occurrences_outward(exact, text, target.start, 1):
        return found, found + len(exact)
    return None


class Drafts:
    """The drafts file of one notes file::

    tuireader_drafts: 2
    drafts:
      n-20261125-7f3a9c01:          # an edit of that note
        note: n-20261125-7f3a9c01
        stance: disputed
        tags: [economy]
        target:                     # the claim: found again by its text if it moved
          start: 1234
          end: 1302
          exact: the claim
        pending: true               # saved with ctrl+s, not confirmed yet
        body: |
          text the editor held

    The file is only ever a regular file: a symlink or a FIFO at its path is refused,
    never followed or opened for reading. It gets the notes file's permissions (a
    private notes file has private drafts), set before any data is written.
    """

    def __init__(self, path: Path, lock_timeout: float) -> None:
        self.path = path
        self._lock_timeout = lock_timeout

    def load(self) -> dict[str, str]:
        """Return every draft's body by key (for version-1 callers)."""
        return {key: draft.body for key, draft in self.load_all().items()}

    def load_all(self) -> dict[str, Draft]:
        """Return every draft by key.

        Raises:
            NotesError: when the drafts file exists but cannot be read.
        """
        return self._read()[0]

    def save(self, key: str, draft: Draft | str) -> None:
        """Keep `draft` for `key`, replacing any earlier one.

        Raises:
            NotesError: when it could not be saved (the old drafts file is left as it was).
        """
        self._change({key: draft if isinstance(draft, Draft) else _draft_for_key(key, draft)})

    def clear(self, key: str, only: Draft | None = None) -> None:
        """Forget the draft for `key`; the file goes once no draft is left.

        Args:
            only: forget it only while it holds these fields: a draft typed after the
                save that held `only` was sent is newer work, and stays.
        """
        self._change({key: None}, only={key: only} if only is not None else None)

    def _change(
        self, changes: Mapping[str, Draft | None], only: Mapping[str, Draft] | None = None
    ) -> None:
        from tuireader.notes.atomic import write_atomically
        from tuireader.notes.safe_files import unsafe_path_reason
        from tuireader.notes.yamlio import dump_yaml, locked

        # The notes file's rules: read through a link, never written through one.
        unsafe = unsafe_path_reason(self.path)
        if unsafe is not None:
            raise NotesError(f"drafts not saved: {unsafe}")
        try:
            with locked(self.path, self._lock_timeout, mode=_notes_mode(self.path)):
                drafts, extra, previous = self._read()
                before = dict(drafts)
                for key, draft in changes.items():
                    if draft is None:
                        kept = drafts.get(key)
                        wanted = (only or {}).get(key)
                        if kept is not None and (wanted is None or kept.same_fields(wanted)):
                            del drafts[key]
                    else:
                        drafts[key] = draft
                if drafts == before and previous is not None:
                    return
                if not drafts and not extra:
                    if previous is not None:
                        _remove_regular(self.path)
                    return
                data: dict[str, object] = {
                    DRAFTS_KEY: DRAFTS_VERSION,
                    "drafts": {key: _draft_to_data(value) for key, value in drafts.items()},
                    **extra,
                }
                write_atomically(
                    self.path,
                    dump_yaml(data).encode("utf-8"),
                    mode=_notes_mode(self.path),
                    mode_wins=True,
                )
        except NotesError:
            raise
        except (OSError, UnicodeError, MemoryError) as error:
            reason = error.strerror if isinstance(error, OSError) else None
            raise NotesError(
                f"could not save the draft in {self.path.name}: {reason or error}"
            ) from error

    def _read(self) -> tuple[dict[str, Draft], dict[str, object], bytes | None]:
        from tuireader.notes.yamlio import parse_yaml, read_bounded

        try:
            data = read_bounded(self.path)
            content = parse_yaml(data)
        except FileNotFoundError:
            return {}, {}, None
        except YamlRefused as error:
            raise NotesError(f"{self.path.name}: {error}") from error
        if content is None:
            return {}, {}, data
        raw = content.get("drafts") if isinstance(content, dict) else None
        if not isinstance(content, dict) or not isinstance(raw or {}, dict):
            raise NotesError(f"{self.path.name}: not a drafts file")
        version = content.get(DRAFTS_KEY)
        if not isinstance(version, int) or isinstance(version, bool) or version > DRAFTS_VERSION:
            raise NotesError(f"{self.path.name}: unknown drafts version {version!r}")
        drafts: dict[str, Draft] = {}
        for name, value in (raw or {}).items():
            draft = _draft_from_data(str(name), value) if isinstance(name, str) else None
            if draft is None:
                raise NotesError(f"{self.path.name}: draft {name!r} cannot be read")
            drafts[name] = draft
        extra = {
            str(name): value
            for name, value in content.items()
            if name not in (DRAFTS_KEY, "drafts")
        }
        return drafts, extra, data


# --- Data <-> Draft ------------------------------------------------------------------

_DRAFT_KEYS = ("note", "stance", "tags", "target", "pending", "body")


def _draft_for_key(key: str, body: str) -> Draft:
    """A version-1 draft (the body only): the key says which note or claim it was."""
    if key.startswith(NEW_NOTE_PREFIX):
        start, _, end = key[len(NEW_NOTE_PREFIX) :].partition("-")
        if start.isdigit() and end.isdigit():
            return Draft(body, target=DraftTarget(int(start), int(end), ""))
        return Draft(body)
    return Draft(body, note_id=key)


def _draft_from_data(key: str, value: object) -> Draft | None:
    if isinstance(value, str):
        return _draft_for_key(key, value)
    if not isinstance(value, dict):
        return None
    body = value.get("body", "")
    stance_name = value.get("stance")
    tags = value.get("tags") or []
    note_id = value.get("note")
    pending = value.get("pending", False)
    if not isinstance(body, str) or not isinstance(tags, list) or not isinstance(pending, bool):
        return None
    if not all(isinstance(tag, str) for tag in tags):
        return None
    if note_id is not None and not isinstance(note_id, str):
        return None
    try:
        stance = None if stance_name is None else Stance(stance_name)
    except ValueError:
        return None
    target = _target_from_data(value.get("target"))
    if target is None and note_id is None:
        target = _draft_for_key(key, "").target
    return Draft(
        body,
        stance=stance,
        tags=normalize_tags(tags),
        note_id=note_id,
        target=target,
        pending=pending,
        extra={str(k): v for k, v in value.items() if k not in _DRAFT_KEYS},
    )


def _target_from_data(value: object) -> DraftTarget | None:
    if not isinstance(value, dict):
        return None
    start, end, exact = value.get("start"), value.get("end"), value.get("exact", "")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(exact, str)):
        return None
    if isinstance(start, bool) or isinstance(end, bool) or not 0 <= start <= end:
        return None
    return DraftTarget(start, end, exact)


def _draft_to_data(draft: Draft) -> dict[str, object]:
    from tuireader.notes.yamlio import FlowList, LiteralText

    data: dict[str, object] = {}
    if draft.note_id is not None:
        data["note"] = draft.note_id
    data["stance"] = draft.stance.value if draft.stance is not None else None
    data["tags"] = FlowList(draft.tags)
    if draft.target is not None:
        target = draft.target
        data["target"] = {"start": target.start, "end": target.end, "exact": target.exact}
    if draft.pending:
        data["pending"] = True
    data.update(draft.extra)
    data["body"] = LiteralText(draft.body)
    return data


# --- Regular files only ----------------------------------------------------------------
# The notes file's own rules (DESIGN.md, "File safety"), applied here to its drafts:
# never open a FIFO (a read would block the notes thread for ever) or follow a symlink.

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _refusal(path: Path, mode: int) -> NotesError:
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    )
    kind = next((name for test, name in kinds if test(mode)), "something else")
    return NotesError(
        f"{path.name} is {kind}, not a regular file: drafts are not read or written there"
    )


def _notes_mode(path: Path) -> int | None:
    """The notes file's permissions (drafts hold the same text), else the drafts
    file's own; None for the umask's default."""
    name = path.name
    notes = path.with_name(name[: -len(DRAFTS_SUFFIX)]) if name.endswith(DRAFTS_SUFFIX) else None
    for candidate in (notes, path):
        if candidate is None:
            continue
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode)
    return None


def _remove_regular(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _refusal(path, info.st_mode)
        os.remove(path)
