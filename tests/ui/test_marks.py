"""Marks (`m` + letter, `'` + letter, `''`), the go-to line (`:`) and "search wrapped"."""

from __future__ import annotations

import json
from pathlib import Path

from textual.command import CommandPalette

from tests.ui.conftest import MakeReader
from tests.ui.waiting import reader_screen, settle
from tuireader.ui.app import ReaderApp
from tuireader.ui.commands import MarkCommands
from tuireader.ui.config import AppConfig
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.goto_bar import GoToBar
from tuireader.ui.widgets.status_bar import StatusBar


def top(app: ReaderApp) -> int:
    return reader_screen(app).query_one(ArticleView).top_offset()


def notices(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


class TestMarks:
    async def test_m_sets_a_mark_and_quote_returns_to_it_and_quote_quote_goes_back(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_curly_bracket", "right_curly_bracket")
            await settle(pilot)
            marked = top(app)
            assert marked > 0
            await pilot.press("m")
            assert "m: press a letter" in reader_screen(app).query_one(StatusBar).prompt
            await pilot.press("a", "g")
            await settle(pilot)
            assert top(app) == 0
            assert reader_screen(app).query_one(StatusBar).prompt == ""
            await pilot.press("apostrophe", "a")
            await settle(pilot)
            assert top(app) == marked
            await pilot.press("apostrophe", "apostrophe")
            await settle(pilot)
            assert top(app) == 0  # where the jump started
            await pilot.press("apostrophe", "apostrophe")
            await settle(pilot)
            assert top(app) == marked  # and back again, as in vim

    async def test_quote_quote_also_goes_back_from_a_section_jump(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_curly_bracket", "right_curly_bracket")
            await settle(pilot)
            second = top(app)
            assert second == app.document.sections[1].start
            await pilot.press("apostrophe", "apostrophe")
            await settle(pilot)
            assert top(app) == app.document.sections[0].start

    async def test_the_letter_after_m_is_not_a_command(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        """`m` then `q` marks q: it does not quit; `m` then Esc sets nothing."""
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("m", "q", "m", "escape", "m", "1")
            await settle(pilot)
            assert app.is_running
            assert reader_screen(app).marks == {"q": 0}
            assert "Marks are letters: a to z, A to Z." in notices(app)

    async def test_a_missing_mark_says_so(self, make_reader: MakeReader, article: Path) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("apostrophe", "x")
            await settle(pilot)
            assert "No mark x (mx sets it)." in notices(app)

    async def test_marks_are_kept_for_the_document_between_sessions(
        self, make_reader: MakeReader, article: Path, app_config: AppConfig
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_curly_bracket", "m", "b")
            await settle(pilot)
            marked = top(app)
        positions = json.loads((app_config.state_dir / "positions.json").read_text("utf-8"))
        (entry,) = positions.values()
        assert entry["marks"] == {"b": marked}
        again = make_reader(article)
        async with again.run_test(size=(80, 24)) as pilot:
            await pilot.press("g", "apostrophe", "b")
            await settle(pilot)
            assert top(again) == marked

    async def test_a_corrupt_state_file_is_ignored_and_left_alone(
        self, make_reader: MakeReader, article: Path, app_config: AppConfig
    ) -> None:
        state = app_config.state_dir / "positions.json"
        state.parent.mkdir(parents=True)
        state.write_bytes(b'{"marks": [not json')
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_curly_bracket", "m", "c", "g", "apostrophe", "c")
            await settle(pilot)
            assert top(app) > 0  # marks work within the session
        assert state.read_bytes() == b'{"marks": [not json'

    async def test_the_command_palette_lists_the_marks(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("right_curly_bracket", "m", "a")
            await settle(pilot)
            marked = top(app)
            screen = reader_screen(app)
            provider = MarkCommands(screen)
            hits = [hit async for hit in provider.discover()]
            expected = screen.place_label("Go to mark a: ", marked).plain
            assert [hit.text for hit in hits] == [expected]
            # The section's title, shaped and in visual order, then the percentage.
            assert expected.startswith("Go to mark a: ") and expected.endswith("%")
            await pilot.press("g", "ctrl+p")
            await settle(pilot)
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*"mark a")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert top(app) == marked


class TestGoTo:
    """`:` takes 50%, a section number or text; Esc cancels; bad numbers are one line."""

    async def test_a_percentage_a_section_and_a_search(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            document = app.document
            await pilot.press("colon")
            await settle(pilot)
            assert reader_screen(app).query_one("#goto-input").has_focus
            await pilot.press(*"50%", "enter")
            await settle(pilot)
            half = top(app)
            assert abs(half - len(document.text) // 2) < 200  # the row holding 50%
            assert reader_screen(app).query_one(ArticleView).has_focus
            await pilot.press("colon", "3", "enter")
            await settle(pilot)
            assert top(app) == document.sections[2].start
            await pilot.press("colon", *"كيم", "enter")
            await settle(pilot)
            screen = reader_screen(app)
            assert screen.hits and screen.current_hit is not None
            assert screen.query_one(StatusBar).notice.startswith("hit ")

    async def test_an_out_of_range_section_is_one_line_and_nothing_moves(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("colon", "9", "enter")
            await settle(pilot)
            assert top(app) == 0
            assert "no section 9: the sections are numbered 1 to 4" in notices(app)

    async def test_escape_closes_the_line_and_changes_nothing(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("colon", "3", "escape")
            await settle(pilot)
            assert top(app) == 0
            assert not reader_screen(app).query_one(GoToBar).display
            assert reader_screen(app).query_one(ArticleView).has_focus
            assert app.is_running

    async def test_100_percent_is_the_end_and_quote_quote_comes_back(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("colon", *"100%", "enter")
            await settle(pilot)
            assert reader_screen(app).query_one(StatusBar).position == "100%"
            await pilot.press("apostrophe", "apostrophe")
            await settle(pilot)
            assert top(app) == 0


async def test_search_says_when_it_wrapped(make_reader: MakeReader, article: Path) -> None:
    """less and vim say so when `n` goes past the last hit to the first."""
    app = make_reader(article)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"كيم", "enter")
        await settle(pilot)
        screen = reader_screen(app)
        status = screen.query_one(StatusBar)
        count = len(screen.hits)
        assert status.notice == f"hit 1 of {count}"
        await pilot.press(*["n"] * (count - 1))
        assert status.notice == f"hit {count} of {count}"
        await pilot.press("n")
        assert status.notice == f"hit 1 of {count} · search wrapped"
        await pilot.press("n")
        assert status.notice == f"hit 2 of {count}"
