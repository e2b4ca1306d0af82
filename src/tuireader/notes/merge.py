"""Three-way merge of notes files, per note and per field: one rule for every place.

Two sessions on one server, a session against a file changed on disk, two git clones,
an import: each is a merge of two versions (`ours`, `theirs`) against the version they
both started from (`base`). The rules, per note (matched by id):

- a note added on either side is kept;
- a note deleted on one side and unchanged on the other is deleted (a change of
  positions alone, i.e. re-anchoring, is not a change here);
- a note deleted on one side and edited on the other is kept, with a `deleted`
  conflict on it, so the analyst decides;

and per field of a note kept on both sides (`author`, `stance`, `tags`, `body`,
`positions`, `created`, each unknown key, each unknown key of `target`):

- changed on one side only: that side's value;
- changed on both sides to the same value: that value;
- changed on both sides to different values: ours is the value and theirs is recorded
  as a `Conflict` on the note (never dropped);
- `updated` is the later of the two; `conflicts` merge as sets (a conflict resolved on
  one side stays resolved).

`positions` (the target's quote, position and section) is one field: re-anchoring
changes it and nothing else, so a session that only moved notes never overwrites
another's body, stance or tags.

Pure functions, no I/O: the store, a git merge driver and W3C import share them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from tuireader.notes.model import Conflict, Note, PositionSelector, QuoteSelector
from tuireader.notes.schema import DocumentInfo, NotesFile, sorted_notes
from tuireader.notes.stance import Stance

__all__ = [
    "FIELDS",
    "MergeResult",
    "apply_field",
    "field_value",
    "merge",
    "merge_note",
    "with_positions_of",
]


class _Missing:
    """An unknown key absent from one version."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

FIELDS = ("created", "author", "stance", "tags", "body", "positions")
"""The known fields a note is merged by (besides `updated`, `conflicts` and unknown keys)."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    """A merged notes file and the conflicts the merge added."""

    file: NotesFile
    conflicts: tuple[tuple[str, Conflict], ...] = ()
    """(note id, conflict) for each conflict added; the id is "" for the file's header."""


def field_value(note: Note, name: str) -> object:
    """Return one field of a note as YAML data (what a `Conflict` holds), or MISSING."""
    if name == "positions":
        target = note.target
        return {
            "exact": target.quote.exact,
            "prefix": target.quote.prefix,
            "suffix": target.quote.suffix,
            "start": target.position.start,
            "end": target.position.end,
            "section": target.section,
        }
    if name == "created":
        return note.created
    if name == "author":
        return note.author
    if name == "stance":
        return None if note.stance is None else str(note.stance)
    if name == "tags":
        return list(note.tags)
    if name == "body":
        return note.body
    if name.startswith("target."):
        return note.target.extra.get(name[len("target.") :], MISSING)
    return note.extra.get(name, MISSING)


def apply_field(note: Note, name: str, value: object) -> Note:
    """Return the note with one field set from YAML data (as `field_value` gives it).

    Raises:
        ValueError: when the value does not fit the field.
    """
    if name == "positions":
        if not isinstance(value, Mapping):
            raise ValueError("positions must be a mapping")
        start, end = value.get("start"), value.get("end")
        exact, section = value.get("exact"), value.get("section")
        prefix, suffix = value.get("prefix", ""), value.get("suffix", "")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(exact, str)):
            raise ValueError("positions need exact, start and end")
        if not (isinstance(prefix, str) and isinstance(suffix, str)):
            raise ValueError("prefix and suffix must be text")
        if section is not None and not isinstance(section, str):
            raise ValueError("section must be text")
        target = dataclasses.replace(
            note.target,
            quote=QuoteSelector(exact, prefix, suffix),
            position=PositionSelector(start, end),
            section=section,
        )
        return dataclasses.replace(note, target=target)
    if name == "created":
        if not isinstance(value, datetime):
            raise ValueError("created must be a time")
        return dataclasses.replace(note, created=value)
    if name in ("author", "body"):
        if not isinstance(value, str):
            raise ValueError(f"{name} must be text")
        if name == "author":
            return dataclasses.replace(note, author=value)
        return dataclasses.replace(note, body=value)
    if name == "stance":
        if value is not None and not isinstance(value, str):
            raise ValueError("stance must be text or null")
        return dataclasses.replace(note, stance=None if value is None else Stance(value))
    if name == "tags":
        if not isinstance(value, list | tuple) or not all(isinstance(t, str) for t in value):
            raise ValueError("tags must be a list of text")
        return dataclasses.replace(note, tags=tuple(value))
    if name.startswith("target."):
        extra = _set_key(note.target.extra, name[len("target.") :], value)
        return dataclasses.replace(note, target=dataclasses.replace(note.target, extra=extra))
    return dataclasses.replace(note, extra=_set_key(note.extra, name, value))


def with_positions_of(note: Note, moved: Note) -> Note:
    """Return `note` with the positions (quote, position, section) of `moved`, and
    nothing else of it: re-anchoring never carries a body, stance or tags along."""
    if note.target == moved.target:
        return note
    target = dataclasses.replace(
        note.target,
        quote=moved.target.quote,
        position=moved.target.position,
        section=moved.target.section,
    )
    return dataclasses.replace(note, target=target)


def merge(base: NotesFile | None, ours: NotesFile, theirs: NotesFile) -> MergeResult:
    """Return the three-way merge of two notes files (see the module's rules).

    Args:
        base: the version both sides started from; None when unknown (every difference
            is then a conflict, and nothing is deleted).
    """
    base_notes = {note.id: note for note in base.notes} if base is not None else {}
    our_notes = {note.id: note for note in ours.notes}
    their_notes = {note.id: note for note in theirs.notes}
    added: list[tuple[str, Conflict]] = []
    merged: list[Note] = []

    def take(note_id: str, base: Note | None, ours: Note | None, theirs: Note | None) -> None:
        note, conflicts = merge_note(base, ours, theirs)
        if note is not None:
            merged.append(note)
        added.extend((note_id, conflict) for conflict in conflicts)

    for note_id, theirs_note in their_notes.items():
        ours_note = our_notes.get(note_id)
        if ours_note is theirs_note:
            merged.append(theirs_note)  # the same version on both sides (most notes)
        else:
            take(note_id, base_notes.get(note_id), ours_note, theirs_note)
    for note_id, ours_note in our_notes.items():
        if note_id not in their_notes:
            take(note_id, base_notes.get(note_id), ours_note, None)
    document = _merge_document(
        None if base is None else base.document, ours.document, theirs.document, added
    )
    extra = _merge_mapping({} if base is None else base.extra, ours.extra, theirs.extra, "", added)
    return MergeResult(
        NotesFile(
            notes=sorted_notes(merged),
            document=document,
            version=max(ours.version, theirs.version),
            extra=extra,
        ),
        tuple(added),
    )


def merge_note(
    base: Note | None, ours: Note | None, theirs: Note | None
) -> tuple[Note | None, tuple[Conflict, ...]]:
    """Return the merge of one note's versions (None: absent) and the conflicts added."""
    if ours is theirs or ours == theirs:
        return ours, ()
    if ours is None or theirs is None:
        kept = theirs if ours is None else ours
        assert kept is not None  # one of them is not None: they differ
        if base is None:
            return kept, ()  # added on one side
        if not _edited(base, kept):
            return None, ()  # deleted on one side, unchanged (or only moved) on the other
        conflict = Conflict(field="deleted", value=None, author=base.author)
        return _with_conflicts(kept, (conflict,)), (conflict,)
    if ours == base:
        return theirs, ()
    if theirs == base:
        return ours, ()
    result = ours
    added: list[Conflict] = []
    # Added on both sides with one id (a note re-added from a stale copy, an import run
    # twice): no common version, so every field that differs is a conflict.
    no_base = object()
    for name in (*FIELDS, *_extra_names(ours, theirs, *([] if base is None else [base]))):
        b = no_base if base is None else field_value(base, name)
        o, t = field_value(ours, name), field_value(theirs, name)
        if o == t or t == b:
            continue
        if o == b:
            result = _set(result, name, t)
        else:
            added.append(
                Conflict(
                    field=name,
                    value=None if t is MISSING else t,
                    author=theirs.author,
                    updated=theirs.updated,
                )
            )
    conflicts = _merge_sets(
        () if base is None else base.conflicts, ours.conflicts, theirs.conflicts
    )
    result = dataclasses.replace(
        result, updated=max(ours.updated, theirs.updated), conflicts=conflicts
    )
    return _with_conflicts(result, tuple(added)), tuple(added)


def _edited(base: Note, other: Note) -> bool:
    """Whether `other` changed anything but positions (re-anchoring is not an edit)."""
    return with_positions_of(other, base) != base


def _set(note: Note, name: str, value: object) -> Note:
    if isinstance(value, _Missing):
        if name.startswith("target."):
            extra = _drop_key(note.target.extra, name[len("target.") :])
            return dataclasses.replace(note, target=dataclasses.replace(note.target, extra=extra))
        return dataclasses.replace(note, extra=_drop_key(note.extra, name))
    return apply_field(note, name, value)


def _extra_names(*notes: Note) -> list[str]:
    names: dict[str, None] = {}
    for note in notes:
        names.update(dict.fromkeys(note.extra))
        names.update(dict.fromkeys(f"target.{key}" for key in note.target.extra))
    return list(names)


def _with_conflicts(note: Note, added: Iterable[Conflict]) -> Note:
    conflicts = list(note.conflicts)
    for conflict in added:
        if conflict not in conflicts:
            conflicts.append(conflict)
    return dataclasses.replace(note, conflicts=tuple(conflicts))


def _merge_sets(
    base: tuple[Conflict, ...], ours: tuple[Conflict, ...], theirs: tuple[Conflict, ...]
) -> tuple[Conflict, ...]:
    # Kept: in both sides, or added by one side (not in base). A conflict in base that
    # one side dropped was resolved there.
    result = [c for c in ours if c in theirs or c not in base]
    result += [c for c in theirs if c not in base and c not in result]
    return tuple(result)


def _set_key(mapping: Mapping[str, object], key: str, value: object) -> dict[str, object]:
    if isinstance(value, _Missing):
        return _drop_key(mapping, key)
    return {**mapping, key: value}


def _drop_key(mapping: Mapping[str, object], key: str) -> dict[str, object]:
    return {name: value for name, value in mapping.items() if name != key}


def _merge_mapping(
    base: Mapping[str, object],
    ours: Mapping[str, object],
    theirs: Mapping[str, object],
    where: str,
    added: list[tuple[str, Conflict]],
) -> dict[str, object]:
    result = dict(ours)
    for key in {**base, **ours, **theirs}:
        b, o, t = base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING)
        if o == t or t == b:
            continue
        if o == b:
            if t is MISSING:
                result.pop(key, None)
            else:
                result[key] = t
        else:
            added.append((where, Conflict(field=key, value=None if t is MISSING else t)))
    return result


def _merge_document(
    base: DocumentInfo | None,
    ours: DocumentInfo | None,
    theirs: DocumentInfo | None,
    added: list[tuple[str, Conflict]],
) -> DocumentInfo | None:
    if ours is None or theirs is None or ours == theirs:
        return ours if ours is not None else theirs
    merged = _merge_mapping(
        _document_map(base), _document_map(ours), _document_map(theirs), "document", added
    )
    path, title, sha = merged.pop("path", None), merged.pop("title", None), merged.pop("sha256", "")
    url, fetched = merged.pop("url", None), merged.pop("fetched", None)
    return DocumentInfo(
        path=path if isinstance(path, str) else None,
        title=title if isinstance(title, str) else None,
        sha256=sha if isinstance(sha, str) else "",
        url=url if isinstance(url, str) else None,
        fetched=fetched if isinstance(fetched, str) else None,
        extra=merged,
    )


def _document_map(info: DocumentInfo | None) -> dict[str, object]:
    if info is None:
        return {}
    known = {"path": info.path, "title": info.title, "sha256": info.sha256}
    optional = {"url": info.url, "fetched": info.fetched}
    return {**known, **{k: v for k, v in optional.items() if v is not None}, **info.extra}
