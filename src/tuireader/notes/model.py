"""The note model: a claim's stance, tags and body, anchored by quote and position selectors."""

from __future__ import annotations

import dataclasses
import getpass
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum

from tuireader.notes.stance import Stance
from tuireader.text.document import Document

CONTEXT_CHARS = 32
"""How much text before and after a quote the selectors keep (as Hypothesis does)."""


@dataclass(frozen=True, slots=True)
class QuoteSelector:
    """The annotated text, with context to tell repeats apart (W3C TextQuoteSelector)."""

    exact: str
    prefix: str = ""
    """Up to `CONTEXT_CHARS` characters just before the quote."""
    suffix: str = ""
    """Up to `CONTEXT_CHARS` characters just after the quote."""


@dataclass(frozen=True, slots=True)
class PositionSelector:
    """Where the quote was: `[start, end)` in `Document.text` (W3C TextPositionSelector)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Target:
    """What a note is about: the claim, found again by quote first and position second."""

    quote: QuoteSelector
    position: PositionSelector
    section: str | None = None
    """Title of the section holding the claim when the note was anchored; for humans and
    reports (anchoring never trusts it)."""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)
    """Keys of the `target` mapping this version does not know, written back unchanged.
    Treat as read-only."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Another version of one field of a note, kept when two sessions changed it differently.

    The note holds one version as its value (the one saved last); each conflict holds
    another, until the analyst picks one (`NotesStore.resolve_conflict`).
    """

    field: str
    """`author`, `stance`, `tags`, `body`, `positions` (the target's selectors and
    section), `deleted` (the other side deleted the note), `created`, or the name of an
    unknown key (`target.<key>` for one inside `target`)."""
    value: object = dataclasses.field(default=None, hash=False)
    """The other version as YAML data: text, a stance name or null, a list of tags, a
    mapping of `exact prefix suffix start end section` for `positions`, null for `deleted`."""
    author: str = ""
    """The author recorded on the other version."""
    updated: datetime | None = None
    """When the other version was last changed, if known (aware, UTC)."""


@dataclass(frozen=True, slots=True)
class Note:
    """One annotation of a claim."""

    id: str
    """Stable and unique in its file: `n-YYYYMMDD-` and 8 random hex digits."""
    created: datetime
    """When the note was made (aware, UTC)."""
    updated: datetime
    """When the analyst last changed its stance, tags or body (aware, UTC)."""
    author: str
    stance: Stance | None
    tags: tuple[str, ...]
    body: str
    target: Target
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)
    """Keys of the note's mapping this version does not know, written back unchanged.
    Treat as read-only."""
    conflicts: tuple[Conflict, ...] = ()
    """Other versions of fields that two sessions changed differently (see `Conflict`)."""


class _Keep(Enum):
    """Sentinel type for "leave this field as it is" (None is a real stance value)."""

    KEEP = "keep"


KEEP = _Keep.KEEP


def utc_now() -> datetime:
    """Return the current time in UTC, to the second (what the notes file stores)."""
    return datetime.now(UTC).replace(microsecond=0)


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """Return `text` with lone surrogates replaced by U+FFFD, so it can be written as UTF-8.

    They come from bytes that were not UTF-8 (an environment variable, a file name,
    decoded with `surrogateescape`) or from a paste; left in, the save would fail with
    UnicodeEncodeError and the note would be lost.
    """
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)


def valid_note(note: Note) -> Note:
    """Return the note with its author, tags and body made valid Unicode (`valid_text`)."""
    author, body = valid_text(note.author), valid_text(note.body)
    tags = tuple(valid_text(tag) for tag in note.tags)
    if (author, body, tags) == (note.author, note.body, note.tags):
        return note
    return dataclasses.replace(note, author=author, body=body, tags=tags)


def default_author() -> str:
    """Return who is writing notes: `TUIREADER_AUTHOR`, else the login name, else "anonymous"."""
    for variable in ("TUIREADER_AUTHOR", "USER", "LOGNAME"):
        value = os.environ.get(variable, "").strip()
        if value:
            return valid_text(value)
    try:
        # getpass falls back to the password database, which may not know a container's uid.
        value = getpass.getuser().strip()
    except (OSError, KeyError, ImportError):
        value = ""
    return valid_text(value) or "anonymous"


def new_note_id(created: datetime) -> str:
    """Return a fresh id: the creation date for humans, 32 random bits against collisions."""
    return f"n-{created.astimezone(UTC):%Y%m%d}-{secrets.token_hex(4)}"


def section_title_at(document: Document, offset: int) -> str | None:
    """Return the title of the innermost section holding `offset`, or None before the first."""
    section = document.section_at(offset)
    return None if section is None else section.title


def selectors_for(document: Document, start: int, end: int) -> Target:
    """Return a target for `[start, end)` of the document: quote, context, position, section.

    Raises:
        ValueError: when the range is empty or outside the text.
    """
    text = document.text
    if not 0 <= start < end <= len(text):
        raise ValueError(f"range [{start}, {end}) is empty or outside the text (0..{len(text)})")
    quote = QuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )
    return Target(
        quote=quote,
        position=PositionSelector(start, end),
        section=section_title_at(document, start),
    )


def new_note(
    document: Document,
    start: int,
    end: int,
    *,
    author: str | None = None,
    stance: Stance | None = None,
    tags: Iterable[str] = (),
    body: str = "",
    now: datetime | None = None,
) -> Note:
    """Return a new note on `[start, end)` of the document.

    Args:
        author: defaults to `default_author()`.
        now: the creation time; defaults to the current time (tests pass a fixed one).

    Raises:
        ValueError: when the range is empty or outside the text.
    """
    created = _as_utc(now) if now is not None else utc_now()
    return Note(
        id=new_note_id(created),
        created=created,
        updated=created,
        author=default_author() if author is None else valid_text(author),
        stance=stance,
        tags=normalize_tags(tags),
        body=valid_text(body),
        target=selectors_for(document, start, end),
    )


def edit_note(
    note: Note,
    *,
    stance: Stance | None | _Keep = KEEP,
    tags: Iterable[str] | _Keep = KEEP,
    body: str | _Keep = KEEP,
    author: str | _Keep = KEEP,
    now: datetime | None = None,
) -> Note:
    """Return a copy of the note with the given fields changed and `updated` bumped.

    Nothing changes, not even `updated`, when every given value equals the current one,
    so saving an untouched editor leaves the file as it was.
    """
    changed = dataclasses.replace(
        note,
        stance=note.stance if isinstance(stance, _Keep) else stance,
        tags=note.tags if isinstance(tags, _Keep) else normalize_tags(tags),
        body=note.body if isinstance(body, _Keep) else valid_text(body),
        author=note.author if isinstance(author, _Keep) else valid_text(author),
    )
    if changed == note:
        return note
    return dataclasses.replace(changed, updated=_as_utc(now) if now is not None else utc_now())


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Return the tags stripped, without empty ones or repeats, in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = valid_text(tag.strip())
        if cleaned:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def _as_utc(moment: datetime) -> datetime:
    # A naive time is taken to be UTC already: the file format has no other zone.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
