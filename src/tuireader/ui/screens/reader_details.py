"""What the details view (ctrl+g) says about the document a reader screen shows."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rich.text import Text

from tuireader.ui.labels import visual_label
from tuireader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tuireader.text.document import Document
    from tuireader.ui.screens.details import Fact
    from tuireader.ui.screens.reader import ReaderScreen


def reader_facts(screen: ReaderScreen) -> list[Fact]:
    """The title, file, encoding, text counts, position and marks (the notes' facts
    go after the file: see `NotesFlow.facts`)."""
    document = screen.document
    title = document.title or document.name
    title_label = visual_label(title, 0, screen.layout_options, document.direction)
    title_label.justify = "left"  # a cell of a table read from the left
    facts: list[Fact] = [
        ("Title", title_label),
        ("File", document.path or document.name),
        ("Encoding", document.encoding),
        (
            "Text",
            f"{len(document.text):,} characters, {len(document.paragraphs):,} "
            f"paragraphs, {len(document.sections):,} sections"
            + ("" if document.complete else " (the part read so far)"),
        ),
        ("Position", screen.query_one(StatusBar).position),
    ]
    marks = screen.marks
    if marks:
        places = [screen.place_label(f"{name}  ", pos) for name, pos in sorted(marks.items())]
        facts.append(("Marks", Text("\n").join(places)))
    return facts


def file_facts(document: Document) -> list[Fact]:
    """File-system facts, on a thread (see DetailsScreen)."""
    path = document.path
    if path is None:
        return []
    try:
        size = os.stat(path).st_size
    except OSError as err:
        return [("Size", f"unknown ({err.strerror or type(err).__name__})")]
    return [("Size", f"{size:,} bytes on disk")]
