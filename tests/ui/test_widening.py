"""Widening and narrowing the selection, as a plain part: no app, no screen (issue 11)."""

from __future__ import annotations

from pathlib import Path

from tuireader.text.claims import iter_claims
from tuireader.text.document import Document, Sentence
from tuireader.text.structure import load_document
from tuireader.ui.screens.widening import Widening

TEXT = (
    "The title\n\nFirst claim here. Second claim, with a phrase, and more. Third claim at last.\n"
)


class FakeScreen:
    """The screen's side of widening: the selection, and `select` telling the part."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.cursor: Sentence | None = None
        self.widening = Widening(self)

    def select(self, selection: Sentence) -> None:
        self.widening.selecting(selection)
        self.show_selection(selection)

    def show_selection(self, selection: Sentence) -> None:
        self.cursor = selection

    def action_next_claim(self) -> None:
        self.select(next(iter(iter_claims(self.document))))


def screen_on(tmp_path: Path) -> tuple[FakeScreen, list[Sentence]]:
    path = tmp_path / "claims.txt"
    path.write_text(TEXT, encoding="utf-8")
    document = load_document(path)
    return FakeScreen(document), list(iter_claims(document))


def test_widening_with_nothing_selected_selects_the_first_claim(tmp_path: Path) -> None:
    screen, claims = screen_on(tmp_path)
    screen.widening.widen(1)
    assert screen.cursor == claims[0]


def test_comma_takes_the_widenings_back_last_first(tmp_path: Path) -> None:
    screen, claims = screen_on(tmp_path)
    screen.select(claims[1])
    screen.widening.widen(1)
    screen.widening.widen(-1)
    assert screen.cursor == Sentence(claims[0].start, claims[2].end)
    screen.widening.narrow()
    assert screen.cursor == Sentence(claims[1].start, claims[2].end)
    screen.widening.narrow()
    assert screen.cursor == claims[1]


def test_moving_elsewhere_forgets_the_widenings(tmp_path: Path) -> None:
    screen, claims = screen_on(tmp_path)
    screen.select(claims[0])
    screen.widening.widen(1)
    screen.select(claims[2])
    screen.widening.narrow()  # no widening to take back: the claim has no phrases
    assert screen.cursor == claims[2]


def test_comma_then_cuts_a_claim_into_its_phrases_one_by_one(tmp_path: Path) -> None:
    screen, claims = screen_on(tmp_path)
    screen.select(claims[1])
    screen.widening.narrow()
    first = screen.cursor
    assert first is not None and first.start == claims[1].start and first.end < claims[1].end
    screen.widening.narrow()
    second = screen.cursor
    assert second is not None and second.start > first.start
