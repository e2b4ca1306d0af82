"""Notes on claims: the Note model, re-anchoring in edited text, the YAML store, reports."""

from __future__ import annotations

from tuireader.notes.anchoring import (
    FUZZY_THRESHOLD,
    Anchor,
    AnchoredNote,
    AnchorStatus,
    anchor_note,
    anchor_notes,
    reanchor_note,
)
from tuireader.notes.errors import NotesError, NotesLocked, NotesReadOnly
from tuireader.notes.model import (
    Note,
    PositionSelector,
    QuoteSelector,
    Stance,
    Target,
    default_author,
    edit_note,
    new_note,
)
from tuireader.notes.report import ReportFormat, format_notes
from tuireader.notes.schema import SCHEMA_VERSION, text_sha256
from tuireader.notes.store import NotesStore, default_notes_path

__all__ = [
    "FUZZY_THRESHOLD",
    "SCHEMA_VERSION",
    "Anchor",
    "AnchorStatus",
    "AnchoredNote",
    "Note",
    "NotesError",
    "NotesLocked",
    "NotesReadOnly",
    "NotesStore",
    "PositionSelector",
    "QuoteSelector",
    "ReportFormat",
    "Stance",
    "Target",
    "anchor_note",
    "anchor_notes",
    "default_author",
    "default_notes_path",
    "edit_note",
    "format_notes",
    "new_note",
    "reanchor_note",
    "text_sha256",
]
