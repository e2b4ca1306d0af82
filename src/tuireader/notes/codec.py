"""Notes file bytes ↔ `NotesFile`, one YAML block per note, each parsed and dumped once.

A file of 10,000 notes is 6 MB of YAML: parsing or dumping it whole takes most of a
second, and a save changes one note. The file is written one block per note (`- id:`
at column 0, every other line of the note indented), so the codec keeps what each
block means and how each note is written, and a save re-parses or re-dumps only the
blocks that changed.

The fast path is only taken when it cannot read a file differently from a whole-file
parse: the file is cut at column-0 lines, and each piece must parse on its own as one
complete sequence item (an unclosed quote or a cross-block alias fails, and so does the
whole fast path). Any failure falls back to parsing the whole file, whose errors are
the ones reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tuireader.notes.merge import merge
from tuireader.notes.model import Conflict, Note
from tuireader.notes.schema import (
    NotesFile,
    ParsedNotes,
    note_from_data,
    note_to_data,
    notes_file_from_data,
    notes_file_to_data,
    sorted_notes,
)
from tuireader.notes.yamlio import YamlRefused, dump_yaml, find_comment, gc_paused, parse_yaml

# A column-0 line that is neither an item start (`- ` / `-` alone) nor indented nor
# blank ends the notes list: the next top-level key, or something a full parse judges.
_LIST_END = re.compile(rb"\n(?:[^ \n\-]|-[^ \n])")
_NOTES_KEY = b"\nnotes:\n"


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file read by the codec: what it holds, its problems and its blocks."""

    parsed: ParsedNotes
    comment_line: int | None
    """The line of the first YAML comment (saving would drop it), or None."""


class NotesCodec:
    """Reads and writes notes files, remembering each note's block both ways.

    Not thread-safe, like the store that owns it.
    """

    def __init__(self) -> None:
        self._notes_by_block: dict[bytes, Note] = {}
        self._block_by_note: dict[int, tuple[Note, bytes]] = {}
        """id(note) → (note, its block): by identity, as hashing 10,000 notes costs
        more than the save; the note is held so that its id is not reused."""

    def decode(self, data: bytes) -> Decoded:
        """Return what `data` holds (as `notes_file_from_data(parse_yaml(data))` would).

        Raises:
            YamlRefused: when it is not valid YAML or is unsafe (see `parse_yaml`).
        """
        fast = self._decode_by_blocks(data)
        if fast is not None:
            return fast
        content = parse_yaml(data)
        with gc_paused():
            parsed = notes_file_from_data(content)
        return Decoded(parsed, find_comment(data))

    def encode(self, notes_file: NotesFile, *, presorted: bool = False) -> bytes:
        """Return the file's bytes, as `dump_yaml(notes_file_to_data(...))` writes them.

        Args:
            presorted: the notes are in file order already (`sorted_notes`).
        """
        notes = notes_file.notes if presorted else sorted_notes(notes_file.notes)
        if not notes:
            return dump_yaml(notes_file_to_data(notes_file)).encode("utf-8")
        head = dump_yaml(notes_file_to_data(NotesFile((), notes_file.document, notes_file.version)))
        head_bytes = head.encode("utf-8")
        assert head_bytes.endswith(b"notes: []\n")
        parts = [head_bytes[: -len(b" []\n")] + b"\n"]
        parts.extend(self.block(note) for note in notes)
        if notes_file.extra:
            parts.append(dump_yaml(dict(notes_file.extra)).encode("utf-8"))
        self._keep(notes)
        return b"".join(parts)

    def block(self, note: Note) -> bytes:
        """Return how one note is written: its `- id: ...` block."""
        entry = self._block_by_note.get(id(note))
        if entry is not None and entry[0] is note:
            return entry[1]
        block = dump_yaml([note_to_data(note)]).encode("utf-8")
        self._block_by_note[id(note)] = (note, block)
        # The next read of a file holding this block (ours, or another session's
        # built on it) need not parse it.
        self._notes_by_block[block] = note
        return block

    def _keep(self, notes: tuple[Note, ...]) -> None:
        # Only the current file's notes stay cached: memory stays proportional to it.
        if len(self._block_by_note) > 2 * len(notes) + 64:
            kept = {id(note) for note in notes}
            self._block_by_note = {
                key: entry for key, entry in self._block_by_note.items() if key in kept
            }

    def _decode_by_blocks(self, data: bytes) -> Decoded | None:
        start = data.find(_NOTES_KEY)
        if start < 0 or data.startswith(b"\xef\xbb\xbf") or b"\x00" in data[:4]:
            return None
        body_start = start + len(_NOTES_KEY)
        end_match = _LIST_END.search(data, body_start - 1)
        body_end = end_match.start() + 1 if end_match is not None else len(data)
        if not data.startswith(b"- ", body_start):
            return None
        region = data[body_start + 2 : body_end]
        if region.endswith(b"\n"):
            region = region[:-1]
        # Each item is `- ` at column 0; a `-` alone on its line stays inside a block,
        # which then holds two items and sends the file to a whole-file parse.
        blocks = [b"- " + piece + b"\n" for piece in region.split(b"\n- ")]
        try:
            outer = parse_yaml(data[:body_start] + data[body_end:])
            if not isinstance(outer, dict) or outer.get("notes", 0) is not None:
                return None
            outer["notes"] = []
            parsed = notes_file_from_data(outer)
            notes, problems, comment = self._notes_of(blocks)
            outer_problems = parsed.problems
        except YamlRefused:
            return None
        if comment is None:
            comment = find_comment(data[:body_start] + data[body_end:])
        file = parsed.file
        return Decoded(
            ParsedNotes(
                NotesFile(tuple(notes), file.document, file.version, file.extra),
                outer_problems + tuple(problems),
            ),
            comment,
        )

    def _notes_of(self, blocks: list[bytes]) -> tuple[list[Note], list[str], int | None]:
        known = self._notes_by_block
        unknown = [block for block in blocks if block not in known]
        parsed: dict[bytes, Note | str] = {}
        if unknown:
            # One parse for all new blocks (a loader per block costs more than its
            # block). Each block starts a column-0 item and every other line of it is
            # indented or blank, so only an unclosed quote could make two blocks one
            # item: then the count differs and the whole file is parsed instead.
            with gc_paused():
                content = parse_yaml(b"".join(unknown))
                if not isinstance(content, list) or len(content) != len(unknown):
                    raise YamlRefused("blocks are not items")
                if any(b"#" in block for block in unknown):
                    if any(find_comment(block) is not None for block in unknown):
                        # Reported with the whole file's line number by a full parse.
                        raise YamlRefused("a comment")
                for block, raw in zip(unknown, content, strict=True):
                    try:
                        parsed[block] = note_from_data(raw, 0)
                    except ValueError as error:
                        parsed[block] = str(error)
        fresh: dict[bytes, Note] = {}
        notes: list[Note] = []
        problems: list[str] = []
        for index, block in enumerate(blocks, 1):
            note = known.get(block)
            if note is None:
                found = parsed[block]
                if isinstance(found, str):
                    # Said again with the note's place in the whole file.
                    problems.append(_problem_at(block, index))
                    continue
                note = found
                if block.endswith(b"\n") and b"\r" not in block:
                    # An unchanged note is written back as it was read: a save changes
                    # the lines of the notes it changed, and no others.
                    self._block_by_note[id(note)] = (note, block)
            fresh[block] = note
            notes.append(note)
        if len({note.id for note in notes}) != len(notes):
            seen: set[str] = set()
            unique = []
            for index, note in enumerate(notes, 1):
                if note.id in seen:
                    problems.append(f"note {index}: the id {note.id} is used twice")
                    continue
                seen.add(note.id)
                unique.append(note)
            notes = unique
        self._notes_by_block = fresh
        return notes, problems, None


def _problem_at(block: bytes, index: int) -> str:
    try:
        note_from_data(parse_yaml(block)[0], index)  # type: ignore[index]
    except ValueError as error:
        return str(error)
    return f"note {index}: invalid"  # pragma: no cover - it failed a moment ago


def merge_file_bytes(
    base: bytes | None, ours: bytes, theirs: bytes
) -> tuple[bytes, tuple[tuple[str, Conflict], ...]]:
    """Return the three-way merge of three notes files' bytes, and the conflicts added.

    What a git merge driver (`%O %A %B`) needs: nothing is dropped, a field changed on
    both sides keeps both versions on the note (see `tuireader.notes.merge`).

    Raises:
        YamlRefused: when a version is not valid YAML or unsafe.
        ValueError: when a version cannot be read whole (one line: what is wrong).
    """
    codec = NotesCodec()

    def read(data: bytes) -> NotesFile:
        decoded = codec.decode(data)
        if decoded.parsed.problems:
            raise ValueError(decoded.parsed.problems[0])
        if decoded.comment_line is not None:
            raise ValueError(f"line {decoded.comment_line} holds a YAML comment")
        return decoded.parsed.file

    result = merge(None if base is None else read(base), read(ours), read(theirs))
    return codec.encode(result.file), result.conflicts
