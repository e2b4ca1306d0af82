"""Tests for the block-wise notes codec: it reads and writes exactly what a whole-file parse
and dump would, and falls back to one when a file is not cut into plain blocks."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.notes.factories import make_note, notes
from tuireader.notes.codec import NotesCodec
from tuireader.notes.model import Conflict, Note
from tuireader.notes.schema import (
    DocumentInfo,
    NotesFile,
    notes_file_from_data,
    notes_file_to_data,
    sorted_notes,
)
from tuireader.notes.yamlio import dump_yaml, parse_yaml

HEADER = DocumentInfo("article.txt", "عنوان", "ab" * 32)


def whole_file(notes_file: NotesFile) -> bytes:
    return dump_yaml(notes_file_to_data(notes_file)).encode("utf-8")


note_lists = st.integers(0, 4).flatmap(lambda n: st.tuples(*(notes(f"n-{i}") for i in range(n))))


@settings(max_examples=80, deadline=None, derandomize=True)
@given(note_lists, st.dictionaries(st.sampled_from(["project", "zz"]), st.integers(), max_size=2))
def test_encoding_block_by_block_equals_dumping_the_whole_file(
    generated: tuple[Note, ...], extra: dict[str, object]
) -> None:
    notes_file = NotesFile(generated, HEADER, extra=extra)
    assert NotesCodec().encode(notes_file) == whole_file(notes_file)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(note_lists)
def test_decoding_block_by_block_equals_parsing_the_whole_file(
    generated: tuple[Note, ...],
) -> None:
    data = whole_file(NotesFile(generated, HEADER))
    codec = NotesCodec()
    decoded = codec.decode(data)
    assert decoded.parsed == notes_file_from_data(parse_yaml(data))
    assert decoded.parsed.file.notes == sorted_notes(generated)
    # A second read of the same bytes comes from the cache, equal again.
    assert codec.decode(data).parsed == decoded.parsed


def test_a_changed_block_is_the_only_one_parsed_again() -> None:
    first = tuple(make_note(f"n-{i}", "نص", i) for i in range(5))
    codec = NotesCodec()
    data = codec.encode(NotesFile(first, HEADER))
    before = codec.decode(data).parsed.file.notes
    changed = dataclasses.replace(first[2], body="جديد")
    after = codec.decode(codec.encode(NotesFile((*first[:2], changed, *first[3:]), HEADER)))
    notes_after = after.parsed.file.notes
    assert notes_after[2] == changed
    assert all(notes_after[i] is before[i] for i in (0, 1, 3, 4))


HAND_WRITTEN = {
    # A quoted scalar running onto a column-0 line that looks like a new item.
    "quote across items": (
        "tuireader_notes: 1\nnotes:\n"
        "- id: n-1\n  created: '2026-11-25T20:41:07Z'\n  body: \"a\n- b\"\n"
        "  target: {exact: x, start: 0, end: 1}\n"
    ),
    # An alias in one note to an anchor in another.
    "alias across items": (
        "tuireader_notes: 1\nnotes:\n"
        "- id: n-1\n  created: &t '2026-11-25T20:41:07Z'\n  target: {exact: x, start: 0, end: 1}\n"
        "- id: n-2\n  created: *t\n  target: {exact: y, start: 0, end: 1}\n"
    ),
    # Items whose mapping starts on the next line.
    "dash alone": (
        "tuireader_notes: 1\nnotes:\n-\n  id: n-1\n  created: '2026-11-25T20:41:07Z'\n"
        "  target: {exact: x, start: 0, end: 1}\n"
    ),
    "flow list of notes": (
        "tuireader_notes: 1\nnotes: [{id: n-1, created: '2026-11-25T20:41:07Z',"
        " target: {exact: x, start: 0, end: 1}}]\n"
    ),
    "keys after the notes": (
        "tuireader_notes: 1\nnotes:\n- id: n-1\n  created: '2026-11-25T20:41:07Z'\n"
        "  target: {exact: x, start: 0, end: 1}\nproject: خليج\n"
    ),
    "crlf": (
        "tuireader_notes: 1\r\nnotes:\r\n- id: n-1\r\n  created: '2026-11-25T20:41:07Z'\r\n"
        "  target: {exact: x, start: 0, end: 1}\r\n"
    ),
}


def test_hand_written_files_read_as_a_whole_file_parse_reads_them() -> None:
    for name, text in HAND_WRITTEN.items():
        data = text.encode("utf-8")
        expected = notes_file_from_data(parse_yaml(data))
        assert NotesCodec().decode(data).parsed == expected, name


def test_unchanged_hand_written_notes_are_written_back_as_they_were() -> None:
    text = HAND_WRITTEN["keys after the notes"].replace(
        "- id: n-1\n  created", "- id: n-1\n  reviewer: سارة\n  created"
    )
    codec = NotesCodec()
    decoded = codec.decode(text.encode("utf-8")).parsed.file
    assert codec.encode(decoded) == text.encode("utf-8")
    conflict = Conflict("body", "x")
    edited = dataclasses.replace(
        decoded, notes=(dataclasses.replace(decoded.notes[0], conflicts=(conflict,)),)
    )
    rewritten = codec.encode(edited).decode("utf-8")
    assert rewritten.index("reviewer") > rewritten.index("conflicts")


def test_deeply_nested_unknown_keys_are_still_read() -> None:
    data = parse_yaml("a: " + "[" * 900 + "]" * 900)
    assert isinstance(data, dict) and isinstance(data["a"], list)
