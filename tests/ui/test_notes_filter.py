"""The notes panel's filter words."""

from __future__ import annotations

import pytest

from tests.notes.factories import make_note
from tuireader.notes.anchoring import Anchor, AnchoredNote, AnchorStatus
from tuireader.notes.stance import Stance
from tuireader.ui.widgets.notes_panel import matches_filter

NOTE = AnchoredNote(
    make_note(
        "n-1",
        "قال الوزير إن الوضع أكثر استقراراً",
        0,
        body="Compare with the Reuters report.",
        stance=Stance.DISPUTED,
        tags=("اقتصاد", "Sources"),
    ),
    Anchor(AnchorStatus.EXACT, 0, 10, 1.0),
)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("أكثر", True),
        ("اكثر", True),  # issue 13: folds as `/` does (hamza forms)
        ("استقرارا", True),  # tanwin dropped
        ("reuters", True),
        ("RÉUTERS", True),  # case and accents
        ("#اقتصاد", True),
        ("#sources", True),
        ("disputed #sources", True),
        ("supported", False),
        ("orphan", False),
        ("غائب", False),
    ],
)
def test_the_filter_folds_as_search_does(query: str, shown: bool) -> None:
    assert matches_filter(NOTE, query) is shown
