"""SVG snapshots of the reader; each new one is read by eye before it is committed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import MakeReader

SnapCompare = Callable[..., bool]


class TestSampleArticle:
    """The bundled article: joined Arabic letters in the right order, right-aligned
    paragraphs, the outline with its four sections (when there is room for it)."""

    @pytest.mark.parametrize("theme", ["tuireader-dark", "tuireader-light"])
    @pytest.mark.parametrize("size", [(80, 24), (160, 50)])
    def test_opening_screen(
        self, snap_compare: SnapCompare, make_reader: MakeReader, theme: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_reader(theme=theme), terminal_size=size)

    def test_high_contrast_theme_with_outline_shown_at_80_columns(
        self, snap_compare: SnapCompare, make_reader: MakeReader
    ) -> None:
        assert snap_compare(
            make_reader(theme="tuireader-contrast"), press=["o"], terminal_size=(80, 24)
        )

    def test_claim_cursor_and_search_hits(
        self, snap_compare: SnapCompare, make_reader: MakeReader
    ) -> None:
        """The third sentence under the cursor; hits for كيم highlighted in RTL rows."""

        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press(*["right_square_bracket"] * 3, "slash", *"كيم", "enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        assert snap_compare(make_reader(), run_before=run_before, terminal_size=(100, 30))

    def test_help_screen(self, snap_compare: SnapCompare, make_reader: MakeReader) -> None:
        assert snap_compare(make_reader(), press=["question_mark"], terminal_size=(100, 40))
