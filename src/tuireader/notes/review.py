"""Review progress: which claims have a stance, and where the next one without is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from tuireader.notes.anchoring import AnchoredNote
from tuireader.text.claims import claim_at, iter_claims
from tuireader.text.document import Document, Sentence


def reviewed_claims(anchored: Iterable[AnchoredNote], document: Document) -> set[int]:
    """Start offsets of the claims that hold a note with a stance.

    A note counts for the claim where its quote starts, so a note on a phrase or on
    two sentences marks the claim it begins in.
    """
    starts: set[int] = set()
    for item in anchored:
        if item.note.stance is None or item.anchor.start is None:
            continue
        claim = claim_at(document, item.anchor.start)
        if claim is not None:
            starts.add(claim.start)
    return starts


def next_unreviewed_claim(
    document: Document, reviewed: AbstractSet[int], after: int
) -> Sentence | None:
    """The first claim after a logical offset with no stance yet (wrapping to the top)."""
    here = document.paragraph_at(after)
    for claim in iter_claims(document, here):
        if claim.start > after and claim.start not in reviewed:
            return claim
    for claim in iter_claims(document):
        if claim.start > after:
            break
        if claim.start not in reviewed:
            return claim
    return None


def note_at(anchored: Sequence[AnchoredNote], start: int, end: int) -> AnchoredNote | None:
    """The note whose claim overlaps [start, end) the most (ties: the newest)."""
    best: tuple[int, str, AnchoredNote] | None = None
    for item in anchored:
        a, b = item.anchor.start, item.anchor.end
        if a is None or b is None:
            continue
        overlap = min(b, end) - max(a, start)
        if overlap > 0 or (a == start and start == end):
            key = (overlap, item.note.updated.isoformat(), item)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None
