"""Exports of anchored notes: the notes file as YAML or JSON, and a Markdown review report."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from tuireader.notes.anchoring import AnchoredNote, AnchorStatus, reanchor_note
from tuireader.notes.model import Note, section_title_at
from tuireader.notes.schema import SCHEMA_VERSION, VERSION_KEY, note_to_data
from tuireader.notes.stance import Stance
from tuireader.notes.yamlio import dump_yaml
from tuireader.text.document import Document, Section, text_sha256
from tuireader.text.sanitize import escape_json, terminal_safe

ReportFormat = Literal["yaml", "json", "markdown"]

STANCE_LABELS: dict[Stance | None, str] = {
    Stance.SUPPORTED: "Supported",
    Stance.DISPUTED: "Disputed",
    Stance.UNVERIFIED: "Unverified",
    Stance.NEEDS_SOURCE: "Needs a source",
    Stance.OPINION: "Opinion",
    None: "No stance yet",
}


def format_notes(anchored: Sequence[AnchoredNote], document: Document, fmt: ReportFormat) -> str:
    """Return the notes in document order, as data (`yaml`, `json`) or a report (`markdown`).

    The data formats hold the notes file (schema 1) with each note's selectors taken from
    where it is anchored now, plus an `anchor` mapping (`status`, `similarity`); orphans
    keep their last selectors and come last. The report groups notes by section in
    document order, quotes each claim, and ends with the orphaned notes.
    """
    ordered = _in_document_order(anchored)
    if fmt == "markdown":
        return _markdown(ordered, document)
    data = _data(ordered, document)
    if fmt == "json":
        return escape_json(json.dumps(data, ensure_ascii=False, indent=2, default=str)) + "\n"
    if fmt == "yaml":
        dumped = dump_yaml(data)
        if terminal_safe(dumped) != dumped:
            # libyaml escapes C0 but writes NEL, separators, bidi and TAG characters raw,
            # in any scalar style: the exact data, then, is all escapes (Arabic too).
            dumped = dump_yaml(data, ascii_only=True)
        return dumped
    raise ValueError(f"unknown format {fmt!r}: yaml, json or markdown")


CSV_COLUMNS = (
    "id",
    "section",
    "stance",
    "tags",
    "author",
    "created",
    "updated",
    "anchor",
    "claim",
    "body",
    "start",
    "end",
)


def notes_csv(anchored: Sequence[AnchoredNote], document: Document) -> str:
    """Return one CSV row per note, in document order, for a spreadsheet.

    The claim is the anchored text as it is now (the stored quote for an orphan), in
    logical order: a spreadsheet lays out Arabic itself. Tags are joined with ", ".
    Rows end in "\n"; Excel needs a byte order mark to read UTF-8 (`--bom`).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in _in_document_order(anchored):
        note, anchor = item.note, item.anchor
        if anchor.start is not None and anchor.end is not None:
            claim = document.text[anchor.start : anchor.end]
            section = section_title_at(document, anchor.start)
            span: tuple[int | str, int | str] = (anchor.start, anchor.end)
        else:
            claim, section, span = note.target.quote.exact, note.target.section, ("", "")
        writer.writerow(
            (
                note.id,
                section,
                note.stance.value if note.stance else "",
                ", ".join(note.tags),
                note.author,
                _iso(note.created),
                _iso(note.updated),
                anchor.status.value,
                claim,
                note.body,
                *span,
            )
        )
    return out.getvalue()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _in_document_order(anchored: Sequence[AnchoredNote]) -> list[AnchoredNote]:
    def key(item: AnchoredNote) -> tuple[int, int, int, str]:
        anchor, position = item.anchor, item.note.target.position
        if anchor.start is None or anchor.end is None:
            return (1, position.start, position.end, item.note.id)
        return (0, anchor.start, anchor.end, item.note.id)

    return sorted(anchored, key=key)


def _data(ordered: Sequence[AnchoredNote], document: Document) -> dict[str, object]:
    notes = []
    for item in ordered:
        note = note_to_data(reanchor_note(item.note, item.anchor, document))
        note["anchor"] = {
            "status": str(item.anchor.status),
            "similarity": round(item.anchor.similarity, 3),
        }
        notes.append(note)
    return {
        VERSION_KEY: SCHEMA_VERSION,
        "document": {
            "path": document.path,
            "title": document.title,
            "sha256": text_sha256(document.text),
        },
        "notes": notes,
    }


def _markdown(ordered: Sequence[AnchoredNote], document: Document) -> str:
    # Every field comes from a file someone else may have written (a notes file shared
    # in git): names and one-line fields stay one line, and nothing is an escape sequence.
    title = _inline(document.title or document.name)
    lines = [f"# Review notes: {title}", ""]
    lines += [_summary(ordered, document), ""]
    if ordered:
        lines += _stance_tables(ordered, document)
    found = [item for item in ordered if item.anchor.found]
    orphans = [item for item in ordered if not item.anchor.found]
    number = 0
    current: Section | None | bool = False  # False: no heading written yet
    for item in found:
        section = document.section_at(item.anchor.start or 0)
        if section != current and document.sections:
            current = section
            heading = "Before the first section" if section is None else _inline(section.title)
            lines += [f"## {heading}", ""]
        number += 1
        lines += _note_block(number, item, document)
    if orphans:
        lines += [
            "## Orphaned notes",
            "",
            "These claims are no longer in the text (deleted, or reworded beyond recognition).",
            "",
        ]
        for item in orphans:
            number += 1
            lines += _note_block(number, item, document)
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(ordered: Sequence[AnchoredNote], document: Document) -> str:
    count = len(ordered)
    parts = [f"{count} note{'s' if count != 1 else ''}"]
    stances = Counter(item.note.stance for item in ordered)
    parts += [
        f"{stances[stance]} {label.lower()}"
        for stance, label in STANCE_LABELS.items()
        if stances[stance]
    ]
    orphans = sum(1 for item in ordered if not item.anchor.found)
    if orphans:
        parts.append(f"{orphans} orphaned")
    source = f"`{_inline(document.path)}`" if document.path else document.name
    return f"{source} · " + " · ".join(parts)


def _stance_tables(ordered: Sequence[AnchoredNote], document: Document) -> list[str]:
    """A lead's view: how many notes of each stance per section and per author."""

    def section_of(item: AnchoredNote) -> str:
        if item.anchor.start is None:
            return "Orphaned notes"
        section = document.section_at(item.anchor.start)
        return "Before the first section" if section is None else section.title

    lines: list[str] = []
    for heading, key in (("section", section_of), ("author", lambda i: i.note.author or "—")):
        counts: dict[str, Counter[Stance | None]] = {}
        for item in ordered:
            counts.setdefault(key(item), Counter())[item.note.stance] += 1
        labels = list(STANCE_LABELS.values())
        lines += [
            f"| {heading} | notes | " + " | ".join(labels) + " |",
            "| --- " * (len(labels) + 2) + "|",
        ]
        for name, counter in counts.items():
            cells = [str(counter[stance]) for stance in STANCE_LABELS]
            lines.append(f"| {_cell(name)} | {sum(counter.values())} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def _note_block(number: int, item: AnchoredNote, document: Document) -> list[str]:
    note, anchor = item.note, item.anchor
    lines = [f"### {number}. {STANCE_LABELS[note.stance]}", ""]
    if anchor.start is not None and anchor.end is not None:
        lines += _blockquote(document.text[anchor.start : anchor.end])
        if anchor.status is AnchorStatus.FUZZY:
            lines += [
                "",
                f"*The text changed since the note was written "
                f"({anchor.similarity:.0%} similar). It read:*",
                "",
                *_blockquote(note.target.quote.exact),
            ]
    else:
        lines += _blockquote(note.target.quote.exact)
        if note.target.section:
            lines += ["", f"*Last seen in “{_inline(note.target.section)}”.*"]
    lines += ["", _meta(note), ""]
    if note.body.strip():
        lines += [terminal_safe(note.body.strip("\n")), ""]
    return lines


def _meta(note: Note) -> str:
    parts = [_inline(note.author) if note.author else "unknown author", _when(note.created)]
    if note.updated != note.created:
        parts.append(f"edited {_when(note.updated)}")
    if note.tags:
        parts.append("tags: " + ", ".join(_inline(tag) for tag in note.tags))
    parts.append(f"`{_inline(note.id)}`")
    return "*" + " · ".join(parts) + "*"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _blockquote(text: str) -> list[str]:
    lines = terminal_safe(text).strip().split("\n")
    return [f"> {line.rstrip()}" if line.strip() else ">" for line in lines]


def _inline(text: str) -> str:
    return terminal_safe(text, one_line=True)
