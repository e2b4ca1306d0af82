"""SVG snapshots of the status bar and the gutter marks (issue 13); each new one is read
by eye before it is committed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import MakeReader
from tuireader.ui import notes_keeper
from tuireader.ui.app import ReaderApp
from tuireader.ui.screens.reader import ReaderScreen

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _saved_at_noon(monkeypatch: pytest.MonkeyPatch) -> None:
    """The notes state names the time of the last save: a fixed one, for a fixed picture."""
    describe = notes_keeper.describe_notes

    def at_noon(state: notes_keeper.NotesState, **kwargs: object) -> str:
        text = describe(state, **kwargs)  # type: ignore[arg-type]
        return "notes saved 12:00:00" if text.startswith("notes saved") else text

    monkeypatch.setattr(notes_keeper, "describe_notes", at_noon)


async def settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await pilot.pause()
    screen = app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    if screen.keeper is not None:
        screen.keeper.flush()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


class TestStatusAndGutter:
    """The status bar with its counts, and gutter marks beside the text column."""

    def test_gutter_counts_beside_a_centred_column_at_160_columns(
        self, snap_compare: SnapCompare, make_reader: MakeReader
    ) -> None:
        """Both panels hidden: the marks sit right of the RTL text column (a `2` where two
        notes share a row), and the status bar shows title, counts and the saved state."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("o", "l", "r", "1", "2", "2", "r")
            await settle(pilot)

        assert snap_compare(make_reader(), run_before=run_before, terminal_size=(160, 50))

    def test_a_mark_key_waiting_at_80_columns(
        self, snap_compare: SnapCompare, make_reader: MakeReader
    ) -> None:
        """`m` waits for a letter, and says so first in the status bar; the title keeps
        its logical start, cut with "…". (The empty notes panel's hint is in
        test_snapshots' opening screen at 160 columns.)"""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)

        assert snap_compare(make_reader(), run_before=run_before, terminal_size=(80, 24))
