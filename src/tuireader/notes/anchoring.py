"""Re-anchoring: find a note's claim again in a document that may have been edited.

The order follows the W3C Web Annotation selectors as Hypothesis uses them: the old
position if the quote is still there (`exact`), else the exact quote elsewhere (`moved`),
else an approximate match (`fuzzy`), else `orphan`. Every note gets an anchor; an orphan
is reported, never dropped.

Fuzzy matching (`tuireader.notes.search`) accepts a match only at `FUZZY_THRESHOLD`
(0.75) similarity or above, so unrelated text is never taken for the claim.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tuireader.notes.model import Note, QuoteSelector, selectors_for
from tuireader.notes.search import (
    FUZZY_THRESHOLD,
    MIN_FUZZY_LENGTH,
    find_fuzzy,
    occurrences_outward,
    similarity,
)
from tuireader.text.document import Document

_MAX_CANDIDATES = 256
"""Occurrences of an exact quote compared by context, nearest first."""


class AnchorStatus(StrEnum):
    """How a note's claim was found in the current text."""

    EXACT = "exact"
    """The quote is still at the stored position."""
    MOVED = "moved"
    """The exact quote was found elsewhere (best context, then nearest)."""
    FUZZY = "fuzzy"
    """Only an approximate match was found: the claim was reworded."""
    ORPHAN = "orphan"
    """The claim is gone (or too changed to be sure); the note is kept and shown apart."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note's claim is now."""

    status: AnchorStatus
    start: int | None
    """Offset into the current text; None for an orphan."""
    end: int | None
    """Offset one past the match; None for an orphan."""
    similarity: float
    """1.0 for exact and moved, the fuzzy score otherwise, 0.0 for an orphan."""

    @property
    def found(self) -> bool:
        """True unless the note is an orphan."""
        return self.status is not AnchorStatus.ORPHAN


ORPHAN = Anchor(AnchorStatus.ORPHAN, None, None, 0.0)


@dataclass(frozen=True, slots=True)
class AnchoredNote:
    """A note and where its claim is in the current document."""

    note: Note
    anchor: Anchor


def anchor_note(note: Note, text: str, *, hint: int | None = None) -> Anchor:
    """Return where the note's claim is in `text`.

    Args:
        hint: where the claim probably starts now, e.g. the stored start shifted as much
            as the nearest note before it moved; defaults to the stored start.
    """
    found = _anchor_exactly(note, text)
    if found is not None:
        return found
    old = note.target.position.start
    expected = old if hint is None else hint
    fuzzy = find_fuzzy(note.target.quote, text, expected, old)
    if fuzzy is None:
        return ORPHAN
    start, end, similarity = fuzzy
    return Anchor(AnchorStatus.FUZZY, start, end, similarity)


def anchor_notes(notes: Sequence[Note], document: Document) -> list[AnchoredNote]:
    """Return every note with its anchor in the document, in the order given.

    Notes found exactly are anchored first; each remaining note is then searched for
    where the nearest found note before it says the text has shifted, which finds a
    reworded claim after a paragraph was inserted above it.
    """
    text = document.text
    anchors = [_anchor_exactly(note, text) for note in notes]
    shifts = sorted(
        (note.target.position.start, anchor.start - note.target.position.start)
        for note, anchor in zip(notes, anchors, strict=True)
        if anchor is not None and anchor.start is not None
    )
    old_starts = [old for old, _ in shifts]
    result = []
    for note, anchor in zip(notes, anchors, strict=True):
        if anchor is None:
            old = note.target.position.start
            index = bisect.bisect_right(old_starts, old) - 1
            hint = old + shifts[index][1] if index >= 0 else old
            anchor = anchor_note(note, text, hint=hint)
        result.append(AnchoredNote(note, anchor))
    return result


def reanchor_note(note: Note, anchor: Anchor, document: Document) -> Note:
    """Return the note with its selectors taken from where the anchor found it.

    An orphan, or a note whose selectors already describe the anchor, comes back as it
    is. `updated` is not bumped: it records the analyst's edits, not the article's.
    """
    if anchor.start is None or anchor.end is None or anchor.start >= anchor.end:
        return note
    fresh = selectors_for(document, anchor.start, anchor.end)
    target = dataclasses.replace(
        note.target, quote=fresh.quote, position=fresh.position, section=fresh.section
    )
    if target == note.target:
        return note
    return dataclasses.replace(note, target=target)


# --- exact and moved ---------------------------------------------------------------------


def _anchor_exactly(note: Note, text: str) -> Anchor | None:
    quote = note.target.quote
    start = note.target.position.start
    exact = quote.exact
    if not exact:
        # An empty quote cannot be told apart from any other place: never guess.
        return ORPHAN
    if 0 <= start and text.startswith(exact, start):
        return Anchor(AnchorStatus.EXACT, start, start + len(exact), 1.0)
    moved = _find_moved(quote, text, start)
    if moved is None:
        return None
    return Anchor(AnchorStatus.MOVED, moved, moved + len(exact), 1.0)


def _find_moved(quote: QuoteSelector, text: str, expected: int) -> int | None:
    exact, prefix, suffix = quote.exact, quote.prefix, quote.suffix
    # An occurrence with all its old context is the claim itself; among several (a
    # paragraph repeated whole), the nearest to where it was.
    whole = prefix + exact + suffix
    nearest = _nearest_occurrence(whole, text, expected - len(prefix))
    if nearest is not None:
        return nearest + len(prefix)
    # Otherwise rank bare occurrences by how much context survives, then by distance.
    best: tuple[int, int, int] | None = None
    for found in occurrences_outward(exact, text, expected, _MAX_CANDIDATES):
        context = _common_suffix_length(text, found, prefix) + _common_prefix_length(
            text, found + len(exact), suffix
        )
        key = (-context, abs(found - expected), found)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


def _nearest_occurrence(needle: str, text: str, expected: int) -> int | None:
    for found in occurrences_outward(needle, text, expected, 1):
        return found
    return None


def _common_suffix_length(text: str, end: int, context: str) -> int:
    """Count how many characters of `context`, from its end, precede `text[end]`."""
    count = 0
    while count < len(context) and count < end and text[end - 1 - count] == context[-1 - count]:
        count += 1
    return count


def _common_prefix_length(text: str, start: int, context: str) -> int:
    count = 0
    limit = min(len(context), len(text) - start)
    while count < limit and text[start + count] == context[count]:
        count += 1
    return count


__all__ = [
    "FUZZY_THRESHOLD",
    "MIN_FUZZY_LENGTH",
    "ORPHAN",
    "Anchor",
    "AnchorStatus",
    "AnchoredNote",
    "anchor_note",
    "anchor_notes",
    "reanchor_note",
    "similarity",
]
