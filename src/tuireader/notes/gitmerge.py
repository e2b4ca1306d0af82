"""The git merge driver for notes files, and its registration in a repository.

git calls `tuireader notes merge %O %A %B %P` for every `*.notes.yaml` that both sides
changed: `%O` the common ancestor, `%A` ours (the result goes there), `%B` theirs, `%P`
the path in the tree (for messages). The merge is `tuireader.notes.merge`, the same
rules as between two sessions on one machine: per note and per field, the same field
changed on both sides kept as a marked conflict on the note, deleted against edited
kept and flagged.

Exit status, as git expects of a driver: 0 clean, 1 conflicts left on notes (git then
marks the file unmerged; the app shows the conflicts and resolves them), 2 refused: a
side that does not parse, is not a notes file, holds a YAML comment (which the merge
would drop), uses unsafe tags or aliases past the bounds, or was written by a newer
tuireader. A refused merge leaves `%A` as it was, and git falls back to a conflict.
The merged file is parsed again before it is written: a file that would not read back
the same is never written.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tuireader.notes.codec import merge_file_bytes
from tuireader.notes.errors import NotesError
from tuireader.notes.schema import notes_file_from_data
from tuireader.notes.yamlio import (
    YamlRefused,
    file_mode,
    find_comment,
    parse_yaml,
    read_bounded,
    write_bytes,
)

ATTRIBUTES_LINE = "*.notes.yaml merge=tuireader"
IGNORED = (
    "*.notes.yaml.drafts.yaml",
    ".*.notes.yaml*.lock",
    ".*.notes.yaml*.tmp",
)
"""Each analyst's own files beside a notes file: unsaved drafts, the lock files and the
temporary files of a save. None of them belongs in the team's history."""
EMPTY = b"tuireader_notes: 1\n"
"""A notes file with no notes, for a side git gives as an empty file."""
DRIVER_NAME = "tuireader notes: merge by note and by field"
DRIVER_COMMAND = "tuireader notes merge %O %A %B %P"


class MergeRefused(NotesError):
    """A side of the merge cannot be merged safely; the message says which and why."""


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    """What the driver did."""

    conflicts: int
    """Conflicts this merge recorded on notes (0: clean)."""
    notes: int
    """Notes in the merged file."""


def merge_notes_files(base: Path, ours: Path, theirs: Path, *, name: str) -> MergeOutcome:
    """Merge three versions of a notes file into `ours`, as git's driver does.

    Raises:
        MergeRefused: a side cannot be read whole; `ours` is left untouched.
        NotesError: the result could not be written (`ours` is left as it was).
    """
    base_data = _read_side(base, f"{name} (common ancestor)", missing_ok=True)
    our_data = _read_side(ours, f"{name} (ours)") or EMPTY
    their_data = _read_side(theirs, f"{name} (theirs)") or EMPTY
    try:
        data, conflicts = merge_file_bytes(base_data, our_data, their_data)
        check = notes_file_from_data(parse_yaml(data))
    except (YamlRefused, ValueError) as error:  # pragma: no cover - each side was read
        raise MergeRefused(f"{name}: {error}") from error
    if check.problems:
        # Never expected: say so rather than write something that does not read back.
        raise MergeRefused(f"{name}: the merged notes do not read back; not written")
    try:
        write_bytes(ours, data, mode=file_mode(ours))
    except OSError as error:
        raise NotesError(f"{name}: could not write the merge: {error.strerror or error}") from error
    return MergeOutcome(conflicts=len(conflicts), notes=len(check.file.notes))


def _read_side(path: Path, label: str, *, missing_ok: bool = False) -> bytes | None:
    """Return one side's bytes once they are known to read whole (None: no ancestor)."""
    try:
        data = read_bounded(path)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise MergeRefused(f"{label}: no such file") from None
    except YamlRefused as error:
        raise MergeRefused(f"{label}: {error}") from error
    if not data.strip():
        # git passes an empty ancestor when both sides added the file.
        return None if missing_ok else EMPTY
    try:
        content = parse_yaml(data)
    except YamlRefused as error:
        raise MergeRefused(f"{label}: {error}") from error
    parsed = notes_file_from_data(content)
    if parsed.problems:
        more = f" (and {len(parsed.problems) - 1} more)" if len(parsed.problems) > 1 else ""
        raise MergeRefused(f"{label}: {parsed.problems[0]}{more}")
    line = find_comment(data)
    if line is not None:
        raise MergeRefused(f"{label}: line {line} holds a YAML comment, which a merge would drop")
    return data


def register_driver(repository: Path) -> list[str]:
    """Register the driver for the git repository holding `repository`, idempotently.

    Adds `*.notes.yaml merge=tuireader` to the top-level `.gitattributes`, the drafts,
    lock and temporary files to `.gitignore` (each once), and the `merge.tuireader`
    entry to the repository's own config (`.git/config`).

    Returns:
        One line per change made (empty when everything was in place already).

    Raises:
        NotesError: not inside a git repository, or git failed.
    """
    top = Path(_git(repository, "rev-parse", "--show-toplevel"))
    done = _add_lines(top / ".gitattributes", (ATTRIBUTES_LINE,))
    done += _add_lines(top / ".gitignore", IGNORED)
    for key, value in (("name", DRIVER_NAME), ("driver", DRIVER_COMMAND)):
        current = _git(top, "config", "--local", "--default", "", "--get", f"merge.tuireader.{key}")
        if current != value:
            _git(top, "config", "--local", f"merge.tuireader.{key}", value)
            done.append(f"set merge.tuireader.{key} in the repository's git config")
    return done


def _add_lines(path: Path, lines: tuple[str, ...]) -> list[str]:
    """Append each line `path` lacks; return what was done."""
    try:
        existing = path.read_text("utf-8") if path.exists() else ""
    except (OSError, UnicodeError) as error:
        raise NotesError(f"cannot read {path}: {error}") from error
    missing = [line for line in lines if line not in existing.splitlines()]
    if not missing:
        return []
    separator = "" if not existing or existing.endswith("\n") else "\n"
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(separator + "".join(f"{line}\n" for line in missing))
    except OSError as error:
        raise NotesError(f"cannot write {path}: {error.strerror or error}") from error
    return [f"added {', '.join(repr(line) for line in missing)} to {path}"]


def _git(folder: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise NotesError(f"cannot run git: {error.strerror or error}") from error
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["git failed"])[-1]
        raise NotesError(f"git {args[0]}: {message}")
    return result.stdout.strip()
