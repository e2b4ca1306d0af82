"""The reader screen's key tables, one per part: the reader, the notes, review mode.

`ReaderScreen` binds them all; the help lists each as its own group ("Reader",
"Notes", "Review"), as the README's key tables do (tests/ui/test_key_tables.py).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from tuireader.notes.stance import Stance

STANCE_KEYS = {
    "1": Stance.SUPPORTED,
    "2": Stance.DISPUTED,
    "3": Stance.UNVERIFIED,
    "4": Stance.NEEDS_SOURCE,
    "5": Stance.OPINION,
}


def _stance_binding(key: str, stance: Stance) -> Binding:
    return Binding(
        key,
        f"set_stance('{stance.value}')",
        f"Mark {stance.value}",
        id=f"stance-{stance.value}",
        tooltip=f"Review mode: mark the claim {stance.value} and go to the next one",
    )


class ReaderKeys(DOMNode):
    """Reading: sections, claims, search, copy, the outline, jumps and details."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right_curly_bracket",
            "next_section",
            "Next section",
            id="next-section",
            tooltip="Jump to the next section",
        ),
        Binding(
            "left_curly_bracket",
            "previous_section",
            "Previous section",
            id="previous-section",
            tooltip="Jump to the previous section",
        ),
        Binding(
            "right_square_bracket",
            "next_claim",
            "Next sentence",
            id="next-sentence",
            tooltip="Move the claim cursor to the next sentence",
        ),
        Binding(
            "left_square_bracket",
            "previous_claim",
            "Previous sentence",
            id="previous-sentence",
            tooltip="Move the claim cursor to the previous sentence",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="search",
            tooltip="Search the text (folds hamza, harakat, digits, case)",
        ),
        Binding("n", "next_hit", "Next hit", id="next-hit", tooltip="Go to the next search hit"),
        Binding(
            "N",
            "previous_hit",
            "Previous hit",
            id="previous-hit",
            tooltip="Go to the previous search hit",
        ),
        Binding(
            "escape",
            "clear",
            "Clear",
            id="clear",
            tooltip="Clear the search hits and the claim cursor",
            show=False,
        ),
        Binding(
            "y",
            "copy_claim",
            "Copy",
            id="copy-claim",
            tooltip="Copy the selection or the claim as text, with a citation",
        ),
        Binding(
            "o",
            "toggle_outline",
            "Outline",
            id="toggle-outline",
            tooltip="Show or hide the outline",
        ),
        Binding(
            "colon",
            "go_to",
            "Go to",
            id="go-to",
            tooltip="Go to a percentage (50%), a section by number (3), or search for text",
        ),
        Binding(
            "m",
            "set_mark",
            "Set mark",
            id="set-mark",
            tooltip="m then a letter: mark this place (kept for this document)",
        ),
        Binding(
            "apostrophe",
            "go_to_mark",
            "Go to mark",
            id="go-to-mark",
            tooltip="' then a letter: go to that mark; '' back to before the last jump",
        ),
        Binding(
            "ctrl+g",
            "details",
            "Details",
            id="details",
            tooltip="The full paths of the file and its notes, the title and the counts",
        ),
    ]


class NotesKeys(DOMNode):
    """Notes: annotate, edit, delete, widen and narrow the selection, the panel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a", "annotate", "Annotate", id="annotate", tooltip="Write a note on the selected claim"
        ),
        Binding(
            "e",
            "edit_note",
            "Edit note",
            id="edit-note",
            tooltip="Edit the note on the selected claim",
        ),
        Binding(
            "d",
            "delete_note",
            "Delete note",
            id="delete-note",
            tooltip="Delete the note on the selected claim (asks first)",
        ),
        Binding(
            "greater_than_sign",
            "widen(1)",
            "Widen",
            id="widen-next",
            tooltip="Widen the selection to the next sentence",
        ),
        Binding(
            "less_than_sign",
            "widen(-1)",
            "Widen back",
            id="widen-previous",
            tooltip="Widen the selection to the previous sentence",
        ),
        Binding(
            "comma",
            "narrow",
            "Narrow",
            id="narrow-phrase",
            tooltip="Take back the last widening; else narrow to a phrase (again: the next)",
        ),
        Binding(
            "l", "toggle_notes", "Notes", id="toggle-notes", tooltip="Show or hide the notes panel"
        ),
        Binding(
            "D",
            "restore_drafts",
            "Restore unsaved notes",
            id="restore-drafts",
            tooltip="Open the next unsaved note (of this or an earlier session)",
        ),
    ]


class ReviewKeys(DOMNode):
    """Review mode: one key per stance, claim after claim."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "toggle_review",
            "Review",
            id="review",
            tooltip="Review mode: 1-5 set the stance and move on",
        ),
        Binding(
            "u",
            "next_unreviewed",
            "Next unreviewed",
            id="next-unreviewed",
            tooltip="Go to the next claim without a stance",
        ),
        *(_stance_binding(key, stance) for key, stance in STANCE_KEYS.items()),
    ]
