"""The notes file format (schema 1): YAML data to and from `Note` values, validated.

A notes file is UTF-8 YAML, written with Unicode as is, keys in this order, notes
sorted by position then id, one block per note (the comments explain this example; a
real file has none, see below)::

    tuireader_notes: 1                 # schema version; a newer one is never overwritten
    document:
      path: article.txt                # relative to the notes file's folder when inside
                                       # it, else absolute; null for stdin
      title: ماذا بعد التقارب الكوري الشمالي- الروسي؟
      sha256: 3f1c...                  # SHA-256 of the document's logical text (UTF-8)
      url: https://example.org/a       # only for a web page: the URL it was fetched
      fetched: '2026-11-30T01:02:03Z'  # from, and when (its snapshot is the document)
    notes:
    - id: n-20261125-7f3a9c01          # stable and unique: creation date + 32 random bits
      created: '2026-11-25T20:41:07Z'  # UTC
      updated: '2026-11-25T20:41:07Z'  # last change of stance, tags or body
      author: analyst
      stance: disputed                 # supported | disputed | unverified | needs-source
                                       # | opinion | null (not reviewed yet)
      tags: [economy, sources]
      section: مكاسب الاجتماع           # title of the section holding the claim, or null
      target:
        exact: the annotated sentence  # W3C TextQuoteSelector ...
        prefix: up to 32 characters before it
        suffix: up to 32 characters after it
        start: 1234                    # ... and TextPositionSelector: [start, end)
        end: 1302                      # offsets, in code points, into the logical text
      body: |
        multi-line text, a literal block
      conflicts:                       # only when two sessions changed one field
      - field: body                    # differently (see `tuireader.notes.merge`):
        value: the other version       # the note holds the version saved last, each
        author: analyst                # entry another one, until the analyst picks
        updated: '2026-11-26T09:00:00Z'  # one; `deleted` says the other side deleted it

A conflict's `field` is `author`, `stance`, `tags`, `body`, `positions` (its value is
a mapping of `exact prefix suffix start end section`), `deleted` (value null), `created`,
or the name of an unknown key (`target.<key>` inside `target`).

Required: `tuireader_notes`, and in each note `id`, `created` and `target` with `exact`,
`start` and `end`. Everything else may be missing (`updated` defaults to `created`,
`stance` and `section` to null, `tags` to none, `author`, `body`, `prefix` and `suffix`
to empty). Keys this version does not know, at the top, in `document`, in a note or in its
`target`, are kept and written back after the known ones, in their order.

The store never overwrites a file it cannot write back whole: one that does not parse,
has another shape, a bad value (unknown stance, a timestamp that is not one), the same
id twice, a key twice in one mapping, a tag other than YAML's standard ones
(`!!python/...`), aliases expanding past 4 times the file's size in bytes, more than
20 MB, a newer `tuireader_notes`, or a `# comment` (PyYAML cannot keep comments). It shows what it
could read and says why, in one line, and the file stays byte for byte as it was.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from tuireader.notes.model import Conflict, Note, PositionSelector, QuoteSelector, Target
from tuireader.notes.stance import Stance
from tuireader.notes.yamlio import FlowList, LiteralText

SCHEMA_VERSION = 1
VERSION_KEY = "tuireader_notes"

_TOP_KEYS = (VERSION_KEY, "document", "notes")
_DOCUMENT_KEYS = ("path", "title", "sha256", "url", "fetched")
_NOTE_KEYS = (
    "id",
    "created",
    "updated",
    "author",
    "stance",
    "tags",
    "section",
    "target",
    "body",
    "conflicts",
)
_CONFLICT_KEYS = ("field", "value", "author", "updated")
_TARGET_KEYS = ("exact", "prefix", "suffix", "start", "end")
_KNOWN: dict[Sequence[str], frozenset[str]] = {
    keys: frozenset(keys) for keys in (_TOP_KEYS, _DOCUMENT_KEYS, _NOTE_KEYS, _TARGET_KEYS)
}


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """Which document the notes are about, as recorded in the file."""

    path: str | None
    title: str | None
    sha256: str
    """SHA-256 (hex) of the document's logical text encoded as UTF-8."""
    url: str | None = None
    """A web page's URL (its snapshot is the document)."""
    fetched: str | None = None
    """When that snapshot was fetched (UTC ISO 8601)."""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class NotesFile:
    """Everything a notes file holds."""

    notes: tuple[Note, ...] = ()
    document: DocumentInfo | None = None
    version: int = SCHEMA_VERSION
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class ParsedNotes:
    """A notes file as far as it could be read, and what was wrong with it."""

    file: NotesFile
    problems: tuple[str, ...] = ()
    """One line each. Any problem makes the file read-only: writing it back would lose
    what could not be read."""


def format_time(moment: datetime) -> str:
    """Return a UTC timestamp as the file writes it: `2026-11-25T20:41:07Z`."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    spec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def sorted_notes(notes: Sequence[Note]) -> tuple[Note, ...]:
    """Return notes in file order: by position, then id, so saves are stable."""
    return tuple(sorted(notes, key=_FILE_ORDER))


# attrgetter builds the key tuple in C: a lambda made this sort a third of a save.
_FILE_ORDER = operator.attrgetter("target.position.start", "target.position.end", "id")


def notes_file_to_data(notes_file: NotesFile) -> dict[str, object]:
    """Return the YAML data for a notes file (dicts in key order, ready to dump)."""
    data: dict[str, object] = {VERSION_KEY: notes_file.version}
    if notes_file.document is not None:
        info = notes_file.document
        data["document"] = {
            "path": info.path,
            "title": info.title,
            "sha256": info.sha256,
            **({"url": info.url} if info.url is not None else {}),
            **({"fetched": info.fetched} if info.fetched is not None else {}),
            **info.extra,
        }
    data["notes"] = [note_to_data(note) for note in sorted_notes(notes_file.notes)]
    data.update(notes_file.extra)
    return data


def note_to_data(note: Note) -> dict[str, object]:
    """Return the YAML mapping for one note."""
    target = note.target
    return {
        "id": note.id,
        "created": format_time(note.created),
        "updated": format_time(note.updated),
        "author": note.author,
        "stance": None if note.stance is None else str(note.stance),
        "tags": FlowList(note.tags),
        "section": target.section,
        "target": {
            "exact": target.quote.exact,
            "prefix": target.quote.prefix,
            "suffix": target.quote.suffix,
            "start": target.position.start,
            "end": target.position.end,
            **target.extra,
        },
        "body": LiteralText(note.body),
        **({"conflicts": [_conflict_to_data(c) for c in note.conflicts]} if note.conflicts else {}),
        **note.extra,
    }


def _conflict_to_data(conflict: Conflict) -> dict[str, object]:
    value = conflict.value
    return {
        "field": conflict.field,
        "value": LiteralText(value) if isinstance(value, str) else value,
        "author": conflict.author,
        "updated": None if conflict.updated is None else format_time(conflict.updated),
    }


def notes_file_from_data(data: object) -> ParsedNotes:
    """Return the notes file that YAML data describes, reading as much as it can."""
    if data is None:
        # An empty file holds nothing to lose.
        return ParsedNotes(NotesFile())
    if not isinstance(data, dict):
        return ParsedNotes(NotesFile(), (f"not a notes file: the top level is {_kind(data)}",))
    problems: list[str] = []
    try:
        extra = _extra(data, _TOP_KEYS, "the top level")
        version = _version(data)
    except _Invalid as error:
        return ParsedNotes(NotesFile(), (str(error),))
    if version > SCHEMA_VERSION:
        problems.append(
            f"written by a newer tuireader (notes schema {version}; this one knows "
            f"{SCHEMA_VERSION}): read-only"
        )
    document = None
    try:
        document = _document(data.get("document"))
    except _Invalid as error:
        problems.append(str(error))
    notes: list[Note] = []
    raw_notes = data.get("notes")
    if raw_notes is not None and not isinstance(raw_notes, list):
        problems.append(f"'notes' is {_kind(raw_notes)}, not a list")
        raw_notes = None
    seen: set[str] = set()
    for index, raw in enumerate(raw_notes or (), 1):
        try:
            note = _note(raw, index)
        except _Invalid as error:
            problems.append(str(error))
            continue
        if note.id in seen:
            problems.append(f"note {index}: the id {note.id} is used twice")
            continue
        seen.add(note.id)
        notes.append(note)
    parsed = NotesFile(tuple(notes), document, version, extra)
    return ParsedNotes(parsed, tuple(problems))


def note_from_data(raw: object, index: int) -> Note:
    """Return the note one item of the `notes` list describes (`index` from 1, for messages).

    Raises:
        ValueError: with a one-line reason, when it is not a valid note.
    """
    return _note(raw, index)


class _Invalid(ValueError):
    """One line describing why part of the file cannot be read."""


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}
    return names.get(type(value), f"a {type(value).__name__}")


def _extra(mapping: dict[object, object], known: Sequence[str], where: str) -> dict[str, object]:
    if _KNOWN[known].issuperset(mapping):
        return {}  # the usual case, checked in C: 10,000 notes have 20,000 mappings
    extra: dict[str, object] = {}
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise _Invalid(f"{where}: the key {key!r} is not text")
        if key not in known:
            extra[key] = value
    return extra


def _version(data: dict[object, object]) -> int:
    if VERSION_KEY not in data:
        raise _Invalid(f"not a notes file: no '{VERSION_KEY}' key")
    version = data[VERSION_KEY]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _Invalid(f"'{VERSION_KEY}' must be a schema number, not {version!r}")
    return version


def _document(raw: object) -> DocumentInfo | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _Invalid(f"'document' is {_kind(raw)}, not a mapping")
    where = "document"
    return DocumentInfo(
        path=_optional_text(raw, "path", where),
        title=_optional_text(raw, "title", where),
        sha256=_optional_text(raw, "sha256", where) or "",
        url=_optional_text(raw, "url", where),
        fetched=_optional_text(raw, "fetched", where),
        extra=_extra(raw, _DOCUMENT_KEYS, where),
    )


def _note(raw: object, index: int) -> Note:
    if not isinstance(raw, dict):
        raise _Invalid(f"note {index} is {_kind(raw)}, not a mapping")
    where = f"note {index}"
    note_id = raw.get("id")
    if not isinstance(note_id, str) or not note_id:
        raise _Invalid(f"{where}: 'id' must be non-empty text")
    where = f"note {index} ({note_id})"
    created = _time(raw, "created", where)
    updated = _time(raw, "updated", where) if raw.get("updated") is not None else created
    stance = _stance(raw.get("stance"), where)
    tags = raw.get("tags")
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise _Invalid(f"{where}: 'tags' must be a list of text")
    return Note(
        id=note_id,
        created=created,
        updated=updated,
        author=_optional_text(raw, "author", where) or "",
        stance=stance,
        tags=tuple(tags),
        body=_optional_text(raw, "body", where) or "",
        target=_target(raw.get("target"), _optional_text(raw, "section", where), where),
        extra=_extra(raw, _NOTE_KEYS, where),
        conflicts=_conflicts(raw.get("conflicts"), where),
    )


def _conflicts(raw: object, where: str) -> tuple[Conflict, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _Invalid(f"{where}: 'conflicts' must be a list")
    conflicts = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            raise _Invalid(f"{where}: each conflict must be a mapping with a 'field'")
        unknown = [key for key in item if key not in _CONFLICT_KEYS]
        if unknown:
            # Unknown keys could not be written back: refuse rather than drop them.
            raise _Invalid(f"{where}: unknown key {unknown[0]!r} in a conflict")
        updated = _time(item, "updated", where) if item.get("updated") is not None else None
        conflicts.append(
            Conflict(
                field=item["field"],
                value=item.get("value"),
                author=_optional_text(item, "author", where) or "",
                updated=updated,
            )
        )
    return tuple(conflicts)


def _stance(value: object, where: str) -> Stance | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return Stance(value)
        except ValueError:
            pass
    choices = ", ".join(stance.value for stance in Stance)
    raise _Invalid(f"{where}: unknown stance {value!r} (one of {choices}, or null)")


def _target(raw: object, section: str | None, where: str) -> Target:
    if not isinstance(raw, dict):
        raise _Invalid(f"{where}: 'target' is {_kind(raw)}, not a mapping")
    exact = raw.get("exact")
    if not isinstance(exact, str):
        raise _Invalid(f"{where}: 'target.exact' must be text")
    start, end = _offset(raw, "start", where), _offset(raw, "end", where)
    if start > end:
        raise _Invalid(f"{where}: 'target.start' is after 'target.end'")
    return Target(
        quote=QuoteSelector(
            exact=exact,
            prefix=_optional_text(raw, "prefix", where) or "",
            suffix=_optional_text(raw, "suffix", where) or "",
        ),
        position=PositionSelector(start, end),
        section=section,
        extra=_extra(raw, _TARGET_KEYS, f"{where} target"),
    )


def _offset(raw: dict[object, object], key: str, where: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Invalid(f"{where}: 'target.{key}' must be a whole number ≥ 0")
    return value


def _optional_text(raw: dict[object, object], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _Invalid(f"{where}: '{key}' must be text, not {_kind(value)}")


def _time(raw: dict[object, object], key: str, where: str) -> datetime:
    value = raw.get(key)
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise _Invalid(f"{where}: '{key}' is not a timestamp: {value!r}") from None
    else:
        raise _Invalid(f"{where}: '{key}' must be a UTC timestamp like 2026-11-25T20:41:07Z")
    # A time without a zone is taken as UTC, the only zone the file is written in.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
