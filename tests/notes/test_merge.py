"""Tests for the three-way merge of notes: per note, per field, conflicts kept on the note."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from tests.notes.factories import FIXED_TIME, make_note
from tuireader.notes.codec import NotesCodec, merge_file_bytes
from tuireader.notes.merge import apply_field, field_value, merge, merge_note, with_positions_of
from tuireader.notes.model import Conflict, Note, PositionSelector, QuoteSelector
from tuireader.notes.schema import DocumentInfo, NotesFile
from tuireader.notes.stance import Stance

LATER = FIXED_TIME + timedelta(hours=1)
LATEST = FIXED_TIME + timedelta(hours=2)


def base_note(note_id: str = "n-1") -> Note:
    return make_note(note_id, "claim", 10, body="أصل", stance=Stance.DISPUTED, tags=("a",))


def edited(note: Note, when: object = LATER, **changes: object) -> Note:
    return dataclasses.replace(note, updated=when, **changes)  # type: ignore[arg-type]


def moved(note: Note, start: int) -> Note:
    target = dataclasses.replace(
        note.target,
        quote=QuoteSelector(note.target.quote.exact, "before", "after"),
        position=PositionSelector(start, start + len(note.target.quote.exact)),
        section="new section",
    )
    return dataclasses.replace(note, target=target)


def files(*notes: Note) -> NotesFile:
    return NotesFile(tuple(notes))


def test_notes_added_on_either_side_are_all_kept() -> None:
    base = files(base_note())
    ours = files(base_note(), base_note("n-2"))
    theirs = files(base_note(), base_note("n-3"))
    result = merge(base, ours, theirs)
    assert sorted(note.id for note in result.file.notes) == ["n-1", "n-2", "n-3"]
    assert result.conflicts == ()


def test_a_field_changed_on_one_side_takes_that_side() -> None:
    note = base_note()
    ours = edited(note, body="جسمنا")
    theirs = edited(note, LATEST, stance=Stance.SUPPORTED, tags=("a", "b"))
    merged, conflicts = merge_note(note, ours, theirs)
    assert merged is not None and conflicts == ()
    assert (merged.body, merged.stance, merged.tags) == ("جسمنا", Stance.SUPPORTED, ("a", "b"))
    assert merged.updated == LATEST


def test_the_same_field_changed_both_ways_keeps_ours_and_records_theirs() -> None:
    note = base_note()
    merged, conflicts = merge_note(
        note, edited(note, LATEST, body="ours"), edited(note, LATER, body="theirs")
    )
    assert merged is not None
    assert merged.body == "ours"
    expected = Conflict(field="body", value="theirs", author="analyst", updated=LATER)
    assert conflicts == (expected,)
    assert merged.conflicts == (expected,)
    assert merged.updated == LATEST


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    note = base_note()
    merged, conflicts = merge_note(note, edited(note, body="x"), edited(note, LATEST, body="x"))
    assert merged is not None and merged.body == "x" and conflicts == ()


def test_deleted_on_one_side_and_unchanged_on_the_other_is_deleted() -> None:
    note = base_note()
    assert merge_note(note, None, note) == (None, ())
    assert merge_note(note, note, None) == (None, ())


def test_deleted_against_only_reanchored_is_deleted() -> None:
    note = base_note()
    assert merge_note(note, None, moved(note, 50)) == (None, ())


@pytest.mark.parametrize("ours_deleted", [True, False], ids=["ours deleted", "theirs deleted"])
def test_deleted_against_edited_is_kept_and_flagged(ours_deleted: bool) -> None:
    note = base_note()
    edit = edited(note, body="عمل جديد")
    merged, conflicts = (
        merge_note(note, None, edit) if ours_deleted else merge_note(note, edit, None)
    )
    assert merged is not None and merged.body == "عمل جديد"
    assert [conflict.field for conflict in conflicts] == ["deleted"]
    assert merged.conflicts == conflicts


def test_reanchoring_on_one_side_and_an_edit_on_the_other_keep_both() -> None:
    """Issue 8: a stale session's re-anchoring put another session's body back."""
    note = base_note()
    ours = moved(note, 77)  # a session that only re-anchored
    theirs = edited(note, body="تعديل الجلسة الأخرى", stance=None)
    merged, conflicts = merge_note(note, ours, theirs)
    assert merged is not None and conflicts == ()
    assert merged.body == "تعديل الجلسة الأخرى" and merged.stance is None
    assert merged.target == ours.target


def test_positions_are_one_field_and_with_positions_of_takes_nothing_else() -> None:
    note = base_note()
    stale = edited(moved(note, 77), body="قديم", tags=())
    result = with_positions_of(note, stale)
    assert result.target.position.start == 77 and result.target.section == "new section"
    assert (result.body, result.tags, result.updated) == (note.body, note.tags, note.updated)
    assert field_value(result, "positions") == {
        "exact": "claim",
        "prefix": "before",
        "suffix": "after",
        "start": 77,
        "end": 82,
        "section": "new section",
    }


def test_unknown_keys_merge_per_key() -> None:
    note = dataclasses.replace(base_note(), extra={"a": 1, "b": 2, "c": 3})
    ours = dataclasses.replace(note, extra={"a": 10, "b": 2, "c": 3, "d": 4})
    theirs = dataclasses.replace(note, extra={"a": 1, "b": 20, "c": 30})
    merged, conflicts = merge_note(note, ours, theirs)
    assert merged is not None and conflicts == ()
    assert merged.extra == {"a": 10, "b": 20, "c": 30, "d": 4}
    both = dataclasses.replace(note, extra={"a": 99, "b": 2, "c": 3})
    merged, conflicts = merge_note(note, ours, both)
    assert merged is not None and merged.extra["a"] == 10
    assert [(c.field, c.value) for c in conflicts] == [("a", 99)]


def test_a_key_removed_on_one_side_is_removed() -> None:
    note = dataclasses.replace(base_note(), extra={"a": 1})
    merged, _ = merge_note(note, dataclasses.replace(note, extra={}), edited(note, body="x"))
    assert merged is not None and merged.extra == {} and merged.body == "x"


def test_a_conflict_resolved_on_one_side_stays_resolved() -> None:
    conflict = Conflict(field="body", value="other", author="b", updated=LATER)
    note = dataclasses.replace(base_note(), conflicts=(conflict,))
    resolved = dataclasses.replace(note, conflicts=(), updated=LATEST)
    merged, conflicts = merge_note(note, resolved, edited(note, stance=None))
    assert merged is not None and merged.conflicts == () and conflicts == ()
    assert merged.stance is None


def test_a_note_added_on_both_sides_with_one_id_keeps_both_versions() -> None:
    ours = edited(base_note(), body="one")
    theirs = edited(base_note(), body="two")
    merged, conflicts = merge_note(None, ours, theirs)
    assert merged is not None and merged.body == "one"
    assert [(c.field, c.value) for c in conflicts] == [("body", "two")]


def test_without_a_base_nothing_is_deleted() -> None:
    result = merge(None, files(base_note()), files(base_note("n-2")))
    assert sorted(note.id for note in result.file.notes) == ["n-1", "n-2"]


def test_the_header_merges_per_key_and_ours_wins_a_clash() -> None:
    base = NotesFile((), DocumentInfo("a.txt", "t", "sha0"), extra={"x": 1})
    ours = NotesFile((), DocumentInfo("a.txt", "t", "sha1"), extra={"x": 1, "y": 2})
    theirs = NotesFile((), DocumentInfo("b.txt", "t", "sha2"), extra={"x": 3})
    result = merge(base, ours, theirs)
    assert result.file.document == DocumentInfo("b.txt", "t", "sha1")
    assert result.file.extra == {"x": 3, "y": 2}
    assert [(where, c.field) for where, c in result.conflicts] == [("document", "sha256")]


FIELD_VALUES = {
    "author": "سارة",
    "stance": "supported",
    "tags": ["x", "y"],
    "body": "نص\nثان",
    "positions": {"exact": "e", "prefix": "", "suffix": "", "start": 1, "end": 2, "section": None},
    "created": LATER,
    "reviewer": {"name": "x"},
    "target.xpath": "/p[2]",
}


@pytest.mark.parametrize(("name", "value"), FIELD_VALUES.items(), ids=FIELD_VALUES.keys())
def test_apply_field_sets_what_field_value_reads(name: str, value: object) -> None:
    assert field_value(apply_field(base_note(), name, value), name) == value


def test_conflicts_survive_a_save_and_load() -> None:
    note = dataclasses.replace(
        base_note(),
        conflicts=(
            Conflict("body", "نسخة\nأخرى", "b", LATER),
            Conflict("deleted"),
            Conflict("tags", ["a", "b"], "c", None),
            Conflict("positions", field_value(moved(base_note(), 5), "positions"), "d", LATEST),
        ),
    )
    codec = NotesCodec()
    data = codec.encode(files(note))
    assert b"conflicts:\n  - field: body\n" in data
    decoded = NotesCodec().decode(data)
    assert decoded.parsed.problems == ()
    assert decoded.parsed.file.notes == (note,)


def test_three_notes_files_merge_as_bytes_for_a_git_merge_driver() -> None:
    codec = NotesCodec()
    base = codec.encode(files(base_note()))
    ours = codec.encode(files(edited(base_note(), body="ours"), base_note("n-2")))
    theirs = codec.encode(files(edited(base_note(), LATEST, body="theirs"), base_note("n-3")))
    merged, conflicts = merge_file_bytes(base, ours, theirs)
    result = NotesCodec().decode(merged).parsed.file
    assert sorted(note.id for note in result.notes) == ["n-1", "n-2", "n-3"]
    assert [(note_id, c.field, c.value) for note_id, c in conflicts] == [("n-1", "body", "theirs")]
    with pytest.raises(ValueError, match="not a notes file"):
        merge_file_bytes(base, b"just text\n", theirs)
