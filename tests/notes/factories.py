"""Test helpers for the notes tests: documents built from plain text, notes, strategies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tuireader.notes.model import Note, PositionSelector, QuoteSelector, Target
from tuireader.notes.stance import Stance
from tuireader.notes.store import NotesStore
from tuireader.text.document import BlockKind, Direction, Document, Paragraph, Section

FIXED_TIME = datetime(2026, 11, 25, 20, 41, 7, tzinfo=UTC)


def make_document(text: str, *, path: str | None = None, title: str | None = None) -> Document:
    """Return a document whose paragraphs are the "\\n\\n"-separated blocks of `text`.

    A block starting with "# " is a heading and opens a section titled by the rest of it,
    so the tests need no loader.
    """
    paragraphs: list[Paragraph] = []
    headings: list[tuple[str, int, int]] = []
    offset = 0
    for index, block in enumerate(text.split("\n\n")):
        start, end = offset, offset + len(block)
        offset = end + 2
        is_heading = block.startswith("# ")
        kind = BlockKind.HEADING if is_heading else BlockKind.PARAGRAPH
        paragraphs.append(
            Paragraph(
                index=index,
                kind=kind,
                start=start,
                end=end,
                text=block.replace("\n", " "),
                direction=Direction.RTL,
                level=1 if is_heading else 0,
            )
        )
        if is_heading:
            headings.append((block[2:], index, start))
    sections = tuple(
        Section(
            title=title_,
            level=1,
            paragraph=paragraph,
            start=start,
            end=headings[number + 1][2] if number + 1 < len(headings) else len(text),
        )
        for number, (title_, paragraph, start) in enumerate(headings)
    )
    return Document(
        name=Path(path).name if path else "<stdin>",
        text=text,
        paragraphs=tuple(paragraphs),
        sections=sections,
        title=title,
        direction=Direction.RTL,
        path=path,
    )


def make_note(
    note_id: str,
    exact: str,
    start: int,
    *,
    body: str = "",
    stance: Stance | None = None,
    tags: tuple[str, ...] = (),
    section: str | None = None,
) -> Note:
    """Return a note with fixed timestamps on `exact` at `start` (no context)."""
    return Note(
        id=note_id,
        created=FIXED_TIME,
        updated=FIXED_TIME,
        author="analyst",
        stance=stance,
        tags=tags,
        body=body,
        target=Target(
            quote=QuoteSelector(exact),
            position=PositionSelector(start, start + len(exact)),
            section=section,
        ),
    )


ARABIC_HEBREW = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةىًٌٍَُِّْ שלוםעבריתא"
ODD = ":#-'\"\n\t |>&*!%@`{}[],?\\~"

#: Text mixing Arabic, Hebrew, YAML-significant characters, line breaks and any code point.
any_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(ARABIC_HEBREW + ODD),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)

times = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | any_text,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text("abcdefxyz_", min_size=1, max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


def extras(known: tuple[str, ...]) -> st.SearchStrategy[dict[str, object]]:
    """Return a strategy for unknown keys (none of `known`) with arbitrary YAML values."""
    keys = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
        lambda key: key not in known
    )
    return st.dictionaries(keys, yaml_values, max_size=2)


@st.composite
def notes(draw: st.DrawFn, note_id: str) -> Note:
    """Return a random note with the given id."""
    start = draw(st.integers(0, 10_000))
    created = draw(times)
    exact = draw(any_text)
    return Note(
        id=note_id,
        created=created,
        updated=draw(times),
        author=draw(any_text),
        stance=draw(st.none() | st.sampled_from(Stance)),
        tags=tuple(draw(st.lists(any_text, max_size=3))),
        body=draw(any_text),
        target=Target(
            quote=QuoteSelector(exact, draw(any_text), draw(any_text)),
            position=PositionSelector(start, start + len(exact)),
            section=draw(st.none() | any_text),
            extra=draw(extras(("exact", "prefix", "suffix", "start", "end"))),
        ),
        extra=draw(
            extras(
                ("id", "created", "updated", "author", "stance", "tags", "section", "target")
                + ("body",)
            )
        ),
    )


def add_many(path: str, count: int, worker: int) -> None:
    """Add `count` notes to the store at `path`, one save each (run in a child process)."""
    document = make_document("نص قصير للاختبار. " * 20)
    store = NotesStore.open(Path(path), document, lock_timeout=60)
    for number in range(count):
        store.add(make_note(f"n-w{worker}-{number:04d}", "نص", number))


def hold_lock(path: str, seconds: float, ready: Any, release: Any) -> None:
    """Hold the notes file's lock until `release` is set or `seconds` pass (child process)."""
    from tuireader.notes.yamlio import locked

    with locked(Path(path), 5):
        ready.set()
        release.wait(seconds)


def add_at_once(path: str, worker: int, count: int, start: Any, failures: Any) -> None:
    """Add `count` notes with the default lock timeout once `start` is set (child process)."""
    from tuireader.notes.errors import NotesError

    document = make_document("نص قصير للاختبار. " * 20)
    store = NotesStore.open(Path(path), document)
    start.wait(60)
    for number in range(count):
        try:
            store.add(make_note(f"n-w{worker}-{number:04d}", "نص", number))
        except NotesError as error:
            failures.put(str(error))
