"""Many documents at once: what a library lists of each, and their notes together.

A library row needs a title long before it needs counts: `read_heading` reads only the
start of a file (64 KiB at most), `count_review` the whole file and its notes. Both
results are cached by the file's size and modification time (`SummaryCache`), so a
library of a thousand documents lists from the cache the next time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from tuireader.notes.anchoring import AnchoredNote, anchor_notes
from tuireader.notes.report import ReportFormat, format_notes
from tuireader.notes.store import NOTES_SUFFIX, NotesStore, default_notes_path
from tuireader.text.claims import iter_claims
from tuireader.text.document import Direction, Document, text_sha256
from tuireader.text.loading import LoadError
from tuireader.text.normalize import fold_query
from tuireader.text.sanitize import escape_json
from tuireader.text.sources import load_source

SCRIPT_SAMPLE = 4000
"""Characters of a document's start looked at to name its script."""

_SCRIPTS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("Arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFEFF))),
    ("Hebrew", ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
    ("Latin", ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F))),
    ("Cyrillic", ((0x0400, 0x04FF),)),
    ("Greek", ((0x0370, 0x03FF),)),
)


class Heading(NamedTuple):
    """What a library shows of a document before it is opened."""

    title: str
    direction: Direction
    script: str
    """The script most of its letters are in ("Arabic", "Latin", …; "—" for none)."""


class ReviewCount(NamedTuple):
    """A document's notes and review progress, as its notes file has them."""

    claims: int
    notes: int
    reviewed: int
    """Claims with a stance."""


def script_of(text: str) -> str:
    """The script most letters of `text` are in: a library's language column.

    Not a language: telling Arabic from Persian, or English from French, needs a
    language model; the script says what a reader needs to know to pick a document.
    """
    counts = dict.fromkeys((name for name, _ in _SCRIPTS), 0)
    for char in text[:SCRIPT_SAMPLE]:
        code = ord(char)
        if code < 0x41:
            continue
        for name, ranges in _SCRIPTS:
            if any(low <= code <= high for low, high in ranges):
                counts[name] += 1
                break
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else "—"


def read_heading(path: Path) -> Heading:
    """Title, direction and script of a document, from its start only.

    Raises:
        LoadError: The file cannot be read.
    """
    document = load_source(path, start_only=True)
    title = document.title or next((p.text for p in document.paragraphs), "") or path.name
    return Heading(title[:300], document.direction, script_of(document.text))


def notes_path_of(document: Document, data_dir: Path) -> Path:
    """Where the app keeps this document's notes (as `tuireader FILE` would)."""
    return default_notes_path(document.path, text_sha256(document.text), data_dir=data_dir)


def beside_notes_path(path: Path) -> Path:
    """The notes file beside a document, where a library looks first."""
    return path.with_name(path.name + NOTES_SUFFIX)


def read_notes(document: Document, data_dir: Path) -> tuple[Path, tuple[AnchoredNote, ...]]:
    """A document's notes file and its notes, anchored in the document's text now.

    A notes file that cannot be read gives no notes (the app says why when opened).
    """
    path = notes_path_of(document, data_dir)
    if not path.exists():
        return path, ()
    store = NotesStore.open(path, document)
    return path, tuple(anchor_notes(store.notes, document))


def count_review(path: Path, data_dir: Path) -> ReviewCount:
    """Claims, notes and reviewed claims of a document (reads the whole file).

    Raises:
        LoadError: The file cannot be read.
    """
    from tuireader.notes.review import reviewed_claims

    document = load_source(path)
    claims = sum(1 for _ in iter_claims(document))
    _, anchored = read_notes(document, data_dir)
    return ReviewCount(claims, len(anchored), len(reviewed_claims(anchored, document)))


def file_signature(path: Path) -> tuple[int, int] | None:
    """(size, mtime in ns) of a file, or None when it is absent: what a cache keys by."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns)


class SummaryCache:
    """Headings and review counts by document path, valid while the file's size and
    modification time (and its notes file's, for counts) are unchanged.

    A JSON file in the state folder; one that cannot be read is started afresh (it is
    a cache: anything in it can be computed again).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, dict[str, object]] = {}
        self._opened: dict[str, int] = {}
        self.changed = False
        try:
            with open(path, "rb") as handle:
                loaded = json.loads(handle.read(64 * 2**20))
        except (OSError, ValueError, RecursionError):
            return
        if not isinstance(loaded, dict):
            return
        entries, opened = loaded.get("documents"), loaded.get("opened")
        if isinstance(entries, dict):
            self._entries = {k: v for k, v in entries.items() if isinstance(v, dict)}
        if isinstance(opened, dict):
            self._opened = {k: v for k, v in opened.items() if isinstance(v, int)}

    def opened(self, path: Path) -> int | None:
        """When a reader last showed the document (seconds since the epoch)."""
        return self._opened.get(str(path.absolute()))

    def put_opened(self, path: Path, when: int) -> None:
        self._opened[str(path.absolute())] = when
        self.changed = True

    def heading(self, path: Path, signature: tuple[int, int] | None) -> Heading | None:
        entry = self._entries.get(str(path.absolute()))
        if entry is None or signature is None or entry.get("file") != list(signature):
            return None
        title, direction, script = entry.get("title"), entry.get("direction"), entry.get("script")
        if not (isinstance(title, str) and direction in ("ltr", "rtl") and isinstance(script, str)):
            return None
        return Heading(title, Direction(str(direction)), script)

    def count(
        self,
        path: Path,
        signature: tuple[int, int] | None,
        notes_signature: tuple[int, int] | None,
    ) -> ReviewCount | None:
        entry = self._entries.get(str(path.absolute()))
        if entry is None or signature is None or entry.get("file") != list(signature):
            return None
        notes = list(notes_signature) if notes_signature else None
        if entry.get("notes_file") != notes:
            return None
        counts = entry.get("counts")
        if not (isinstance(counts, list) and len(counts) == 3):
            return None
        if not all(isinstance(n, int) for n in counts):
            return None
        return ReviewCount(*counts)

    def put_heading(self, path: Path, signature: tuple[int, int], heading: Heading) -> None:
        key = str(path.absolute())
        entry = self._entries.get(key)
        if entry is None or entry.get("file") != list(signature):
            entry = self._entries[key] = {"file": list(signature)}
        entry.update(title=heading.title, direction=heading.direction.value, script=heading.script)
        self.changed = True

    def put_count(
        self,
        path: Path,
        signature: tuple[int, int],
        notes_signature: tuple[int, int] | None,
        count: ReviewCount,
    ) -> None:
        key = str(path.absolute())
        entry = self._entries.get(key)
        if entry is None or entry.get("file") != list(signature):
            entry = self._entries[key] = {"file": list(signature)}
        entry["notes_file"] = list(notes_signature) if notes_signature else None
        entry["counts"] = list(count)
        self.changed = True

    def content(self) -> bytes:
        """The cache as the bytes to write (the caller writes them, off the event loop)."""
        self.changed = False
        data = {"documents": self._entries, "opened": self._opened}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


# --- Notes across documents ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentNotes:
    """One document of a collection and its anchored notes."""

    path: Path
    document: Document
    notes_path: Path
    notes: tuple[AnchoredNote, ...]


def collect_notes(
    paths: Iterable[Path], data_dir: Path, *, problems: list[str] | None = None
) -> Iterator[DocumentNotes]:
    """Each readable document with its notes (documents without notes too).

    Args:
        problems: Gets one line per document that could not be read (skipped).
    """
    for path in paths:
        try:
            document = load_source(path)
        except LoadError as err:
            if problems is not None:
                problems.append(str(err))
            continue
        notes_path, anchored = read_notes(document, data_dir)
        yield DocumentNotes(path, document, notes_path, anchored)


class NoteHit(NamedTuple):
    """A note found by a search across documents."""

    path: Path
    title: str
    note: AnchoredNote


def note_matches(item: AnchoredNote, folded_query: str) -> bool:
    """Whether a note's body, tags, stance or claim holds the (folded) query."""
    note = item.note
    fields = [note.body, note.target.quote.exact, " ".join(note.tags)]
    if note.stance is not None:
        fields.append(note.stance.value)
    return any(folded_query in fold_query(field) for field in fields)


def search_notes(collection: Iterable[DocumentNotes], query: str) -> Iterator[NoteHit]:
    """Notes of every document that hold the query, folded as the reader's search
    folds (hamza forms, harakat, digits, case)."""
    folded = fold_query(query.strip())
    if not folded:
        return
    for each in collection:
        title = each.document.title or each.document.name
        for item in each.notes:
            if note_matches(item, folded):
                yield NoteHit(each.path, title, item)


def format_collection(collection: Sequence[DocumentNotes], fmt: ReportFormat) -> str:
    """The notes of several documents: one Markdown report after another (with a table
    of contents first), or one JSON / YAML mapping whose `documents` are each what
    `format_notes` gives for one document."""
    with_notes = [each for each in collection if each.notes]
    if fmt == "markdown":
        total = sum(len(each.notes) for each in collection)
        lines = [
            "# Review notes across documents",
            "",
            f"{total} note{'s' if total != 1 else ''} in {len(with_notes)} of "
            f"{len(collection)} documents.",
            "",
            "| document | notes | file |",
            "| --- | --- | --- |",
        ]
        for each in collection:
            title = _cell(each.document.title or each.document.name)
            lines.append(f"| {title} | {len(each.notes)} | {_cell(str(each.path))} |")
        reports = [format_notes(each.notes, each.document, "markdown") for each in with_notes]
        # Each report's headings one level down, under the collection's.
        shifted = ["\n".join(_demote(line) for line in r.splitlines()) for r in reports]
        return "\n".join(lines) + "\n\n" + "\n\n".join(shifted) + ("\n" if shifted else "")
    documents = []
    for each in collection:
        data = json.loads(format_notes(each.notes, each.document, "json"))
        data["document"]["path"] = str(each.path)
        data["notes_file"] = str(each.notes_path)
        documents.append(data)
    if fmt == "json":
        return (
            escape_json(json.dumps({"documents": documents}, ensure_ascii=False, indent=2)) + "\n"
        )
    from tuireader.notes.yamlio import dump_yaml
    from tuireader.text.sanitize import terminal_safe

    dumped = dump_yaml({"documents": documents})
    if terminal_safe(dumped) != dumped:
        # As `format_notes`: libyaml writes bidi and TAG characters raw.
        dumped = dump_yaml({"documents": documents}, ascii_only=True)
    return dumped


def _demote(line: str) -> str:
    return "#" + line if line.startswith("#") else line


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
