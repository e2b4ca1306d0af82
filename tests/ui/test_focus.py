"""One focus model (issue 13): what a key shows takes the focus, Esc goes back one level,
Enter acts on the highlighted row, and a list always has one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from tests.ui.conftest import MakeReader
from tests.ui.test_notes import annotator, settle
from tuireader.text.claims import iter_claims
from tuireader.ui.app import ReaderApp
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.notes_panel import NotesPanel
from tuireader.ui.widgets.outline import OutlinePanel

ENGLISH = """\
An English article

First section

The first claim is here. The second claim follows it.

Second section

A third claim sits in the second section. A fourth one ends it.
"""


def article_view(app: ReaderApp) -> ArticleView:
    return app.screen_stack[0].query_one(ArticleView)


def notes_list(app: ReaderApp) -> OptionList:
    return annotator(app).query_one("#notes-list", OptionList)


def notes_filter(app: ReaderApp) -> Input:
    return annotator(app).query_one("#notes-filter", Input)


async def three_notes(pilot: object, app: ReaderApp) -> None:
    """Review mode sets stances on the first three claims: supported, disputed, supported."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("r", "1", "2", "1", "r", "escape")
    await settle(pilot)


class TestNotesPanel:
    async def test_l_gives_the_list_the_focus_with_a_row_highlighted(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        claims = list(iter_claims(app.document))
        async with app.run_test(size=(80, 24)) as pilot:
            await three_notes(pilot, app)
            await pilot.press("l")
            await pilot.pause()
            assert notes_list(app).has_focus
            assert notes_list(app).highlighted == 0
            panel = annotator(app).query_one(NotesPanel)
            assert "enter" in str(panel.border_title)  # its keys, on its frame
            await pilot.press("down", "enter")
            await pilot.pause()
            cursor = annotator(app).cursor
            assert cursor is not None and cursor.start == claims[1].start
            assert article_view(app).has_focus
            assert not panel.display  # an overlay at 80 columns: it closes

    async def test_after_filtering_enter_goes_to_the_first_note_shown(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        claims = list(iter_claims(app.document))
        async with app.run_test(size=(80, 24)) as pilot:
            await three_notes(pilot, app)
            await pilot.press("l", "slash", *"disputed", "enter")
            await pilot.pause()
            assert notes_list(app).has_focus
            assert notes_list(app).option_count == 1
            assert notes_list(app).highlighted == 0
            await pilot.press("enter")
            await pilot.pause()
            cursor = annotator(app).cursor
            assert cursor is not None and cursor.start == claims[1].start

    async def test_a_filter_that_changes_the_list_keeps_a_row_highlighted(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(160, 50)) as pilot:
            await three_notes(pilot, app)
            await pilot.press("l", "l", "slash", *"supported")
            await pilot.pause()
            assert notes_list(app).option_count == 2
            assert notes_list(app).highlighted is not None
            await pilot.press(*"x")
            await pilot.pause()
            assert notes_list(app).option_count == 0
            await pilot.press("backspace")
            await pilot.pause()
            assert notes_list(app).highlighted == 0

    async def test_escape_goes_back_one_level_and_q_then_types_nothing(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        """Issue 13: Esc did not leave the filter, so a following `q` typed "q"."""
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await three_notes(pilot, app)
            await pilot.press("l", "slash", *"disputed")
            assert notes_filter(app).has_focus
            await pilot.press("escape")
            assert notes_list(app).has_focus  # filter → list
            assert notes_filter(app).value == "disputed"  # the list stays filtered
            await pilot.press("escape")
            await pilot.pause()
            assert article_view(app).has_focus  # list → article
            assert not annotator(app).query_one(NotesPanel).display
            await pilot.press("escape", "escape")  # in the article: never quits
            assert app.is_running and isinstance(app.screen, ReaderScreen)
            line = notes_filter(app)
            await pilot.press("l", "slash", *"x", "escape", "q")
            await pilot.pause()
        assert line.value == "x"
        assert app.return_code == 0  # `q` quit, from the list

    async def test_l_again_hides_the_panel_and_the_article_has_the_focus(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await three_notes(pilot, app)
            await pilot.press("l")
            await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            assert article_view(app).has_focus
            assert not annotator(app).query_one(NotesPanel).display

    async def test_at_160_columns_escape_leaves_the_panel_on_screen(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(160, 50)) as pilot:
            await three_notes(pilot, app)
            notes_list(app).focus()
            await pilot.press("escape")
            await pilot.pause()
            assert article_view(app).has_focus
            assert annotator(app).query_one(NotesPanel).display


class TestOutlineOverlay:
    async def test_o_gives_the_outline_the_focus_and_escape_closes_it(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("o")
            await pilot.pause()
            outline = app.screen.query_one(OutlinePanel)
            assert outline.display and outline.has_focus
            assert outline.highlighted == 0
            assert outline.border_subtitle  # its keys, on its frame
            await pilot.press("down", "down")
            assert outline.highlighted == 2
            assert article_view(app).scroll_y == 0  # ↓ moved in the outline
            await pilot.press("escape")
            await pilot.pause()
            assert not outline.display
            assert article_view(app).has_focus
            assert app.is_running

    async def test_enter_in_the_overlay_jumps_and_closes_it(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("o", "down", "down", "enter")
            await pilot.pause()
            outline = app.screen.query_one(OutlinePanel)
            assert not outline.display
            assert article_view(app).has_focus
            assert article_view(app).scroll_y > 0

    async def test_an_rtl_overlay_lies_left_away_from_where_rows_start(
        self, make_reader: MakeReader
    ) -> None:
        """Issue 13: RTL rows start on the right; the overlay covered them there."""
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("o")
            await pilot.pause()
            outline = app.screen.query_one(OutlinePanel)
            assert outline.region.x == 0
            assert outline.region.right < 40

    async def test_an_ltr_overlay_lies_right_away_from_where_rows_start(
        self, make_reader: MakeReader, tmp_path: Path
    ) -> None:
        english = tmp_path / "english.txt"
        english.write_text(ENGLISH, encoding="utf-8")
        app = make_reader(english)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("o")
            await pilot.pause()
            outline = app.screen.query_one(OutlinePanel)
            assert outline.region.right == 80
            assert outline.region.x > 40

    async def test_one_overlay_at_a_time(self, make_reader: MakeReader, article: Path) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("o")
            await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            outline = app.screen.query_one(OutlinePanel)
            assert not outline.display
            assert notes_list(app).has_focus
            await pilot.press("o")
            await pilot.pause()
            assert not annotator(app).query_one(NotesPanel).display
            assert outline.has_focus

    async def test_at_160_columns_escape_in_the_outline_goes_back_to_the_article(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(160, 50)) as pilot:
            outline = app.screen.query_one(OutlinePanel)
            outline.focus()
            await pilot.press("escape")
            await pilot.pause()
            assert outline.display
            assert article_view(app).has_focus

    async def test_at_160_columns_o_hides_the_sidebar_and_shows_it_with_the_focus(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(160, 50)) as pilot:
            outline = app.screen.query_one(OutlinePanel)
            outline.focus()
            await pilot.press("o")
            await pilot.pause()
            assert not outline.display
            assert article_view(app).has_focus
            await pilot.press("o")
            await pilot.pause()
            assert outline.display and outline.has_focus


class TestSearchLine:
    async def test_escape_closes_the_search_line_and_keeps_the_claim_cursor(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_square_bracket", "slash", *"كيم", "escape")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            assert screen.cursor is not None  # one level back only
            assert article_view(app).has_focus
            await pilot.press("escape")
            assert screen.cursor is None


class TestWidening:
    async def test_comma_takes_back_widenings_last_first_then_narrows(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        """Issue 13: `<` after `>` widened backwards, and nothing took a widening back."""
        app = make_reader(article)
        claims = list(iter_claims(app.document))
        text = app.document.text
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = annotator(app)
            await pilot.press("right_square_bracket", "right_square_bracket")
            assert screen.cursor == (claims[1].start, claims[1].end)
            await pilot.press("greater_than_sign", "less_than_sign", "greater_than_sign")
            assert screen.cursor == (claims[0].start, claims[3].end)
            await pilot.press("comma")
            assert screen.cursor == (claims[0].start, claims[2].end)
            await pilot.press("comma")
            assert screen.cursor == (claims[1].start, claims[2].end)
            await pilot.press("comma")
            assert screen.cursor == (claims[1].start, claims[1].end)
            await pilot.press("comma")  # no widening left: a phrase of the sentence
            phrase = screen.cursor
            assert phrase is not None
            assert claims[1].start <= phrase.start < phrase.end < claims[1].end
            assert text[phrase.end - 1] in "،,"

    async def test_a_widening_from_a_phrase_is_taken_back_to_that_phrase(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        claims = list(iter_claims(app.document))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = annotator(app)
            await pilot.press("right_square_bracket", "right_square_bracket", "comma")
            phrase = screen.cursor
            await pilot.press("greater_than_sign")
            assert screen.cursor is not None and screen.cursor.end == claims[2].end
            await pilot.press("comma")
            assert screen.cursor == phrase
            await pilot.press("comma")  # the next phrase, as before the widening
            assert screen.cursor is not None and phrase is not None
            assert screen.cursor.start > phrase.start

    async def test_moving_elsewhere_forgets_the_widenings(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        claims = list(iter_claims(app.document))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = annotator(app)
            await pilot.press("right_square_bracket", "greater_than_sign", "right_square_bracket")
            assert screen.cursor == (claims[1].start, claims[1].end)
            await pilot.press("comma")  # a phrase of that claim, not claim 0 again
            assert screen.cursor is not None
            assert claims[1].start <= screen.cursor.start < screen.cursor.end < claims[1].end
