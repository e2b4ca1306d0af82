"""The stances a note can take: its own module, so the reader can name them (review keys,
panel marks) without importing the notes model before the first frame."""

from __future__ import annotations

from enum import StrEnum


class Stance(StrEnum):
    """What the analyst concluded about a claim. A note with a stance counts as reviewed."""

    SUPPORTED = "supported"
    DISPUTED = "disputed"
    UNVERIFIED = "unverified"
    NEEDS_SOURCE = "needs-source"
    OPINION = "opinion"
