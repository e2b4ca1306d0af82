"""The reader as a person drives it: every key, the outline, search, themes, resizing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Input

from tests.paths import SAMPLE
from tests.ui.bursts import burst, until
from tests.ui.conftest import MakeReader
from tuireader.text.claims import iter_claims
from tuireader.text.structure import load_document
from tuireader.ui.app import ReaderApp
from tuireader.ui.screens.help import HelpScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.outline import OutlinePanel
from tuireader.ui.widgets.status_bar import StatusBar

SECTIONS = ["مكان انعقاد القمة", "زيارة مصانع الأسلحة", "مكاسب الاجتماع", "العلاقات مع روسيا"]


def reader(app: ReaderApp) -> ReaderScreen:
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def article(app: ReaderApp) -> ArticleView:
    return reader(app).query_one(ArticleView)


def on_screen(app: ReaderApp, offset: int) -> bool:
    view = article(app)
    row = view._layout.row_of(offset)
    return view.scroll_y <= row < view.scroll_y + view.size.height


def text_at_top(app: ReaderApp, length: int) -> str:
    offset = article(app).top_offset()
    return app.document.text[offset : offset + length]


class TestScrolling:
    """j/k/arrows a line, space/PgDn and b/PgUp a page, g/Home and G/End the ends."""

    @pytest.mark.parametrize(("down", "up"), [("j", "k"), ("down", "up")])
    async def test_line_keys_scroll_one_row(
        self, make_reader: MakeReader, down: str, up: str
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(down, down)
            assert article(app).scroll_y == 2
            await pilot.press(up)
            assert article(app).scroll_y == 1

    @pytest.mark.parametrize(("down", "up"), [("space", "b"), ("pagedown", "pageup")])
    async def test_page_keys_scroll_a_screen_less_two_rows(
        self, make_reader: MakeReader, down: str, up: str
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            view = article(app)
            await pilot.press(down)
            assert view.scroll_y == view.size.height - 2
            await pilot.press(up)
            assert view.scroll_y == 0

    @pytest.mark.parametrize(("end", "home"), [("G", "g"), ("end", "home")])
    async def test_end_shows_the_last_row_and_home_the_first(
        self, make_reader: MakeReader, end: str, home: str
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            view = article(app)
            await pilot.press(end)
            await pilot.pause()
            assert view.scroll_y == view.max_scroll_y > 0
            assert "إقرأ المزيد" in app.document.text[view.top_offset() :]
            await pilot.press(home)
            assert view.scroll_y == 0


async def test_first_frame_callbacks_run_once_the_screen_is_drawn(
    make_reader: MakeReader,
) -> None:
    """How `run_app` turns garbage collection back on after start-up."""
    app = make_reader()
    drawn: list[bool] = []
    app.after_first_frame.append(lambda: drawn.append(article(app)._layout.width > 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert drawn == [True]


class TestLongFiles:
    """A plain-text file over 64 KiB opens on its start; the rest is read on a thread."""

    @pytest.fixture
    def long_file(self, tmp_path: Path) -> Path:
        path = tmp_path / "long.txt"
        copies = [SAMPLE.read_text(encoding="utf-8").strip()] * 20
        path.write_text("\n\n".join([*copies, "The last line of the file."]), encoding="utf-8")
        return path

    async def test_end_shows_the_files_end_before_the_rest_is_read_and_stays_there(
        self, make_reader: MakeReader, long_file: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Held back, so that `G` certainly comes first; read by hand below.
        monkeypatch.setattr(ReaderScreen, "_read_whole_document", lambda screen: None)
        app = make_reader(long_file)
        async with app.run_test(size=(80, 24)) as pilot:
            assert not app.document.complete
            await pilot.press("G")
            await pilot.pause()
            shown = reader(app).document
            assert shown.is_end and shown.text.endswith("The last line of the file.")
            assert "The last line" in shown.text[article(app).top_offset() :]
            assert reader(app).query_one(StatusBar).position == "100%"
            assert "offset" not in app.session._remembered  # the end's offsets are not the whole's
            reader(app)._whole_document_read(load_document(long_file))
            await pilot.pause()
            assert reader(app).document is app.document and app.document.complete
            view = article(app)
            assert view.scroll_y == view.max_scroll_y > 0
            assert "The last line" in app.document.text[view.top_offset() :]

    async def test_a_restored_position_does_not_undo_a_move_made_while_loading(
        self, make_reader: MakeReader, long_file: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Issue 9: reopening a long file and moving at once, the restored position
        arrived with the whole file and took the reader back."""
        app = make_reader(long_file)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("G", "k")
            await pilot.pause()
            remembered = article(app).top_offset()
        assert remembered > 10_000

        monkeypatch.setattr(ReaderScreen, "_read_whole_document", lambda screen: None)
        untouched = make_reader(long_file)
        async with untouched.run_test(size=(80, 24)) as pilot:
            reader(untouched)._whole_document_read(load_document(long_file))
            await pilot.pause()
            assert article(untouched).top_offset() == remembered

        again = make_reader(long_file)
        async with again.run_test(size=(80, 24)) as pilot:
            assert not again.document.complete
            await pilot.press("j", "j", "j")
            moved_to = article(again).top_offset()
            reader(again)._whole_document_read(load_document(long_file))
            await pilot.pause()
            assert article(again).top_offset() == moved_to

    async def test_review_during_the_load_counts_keeps_stances_and_updates_when_whole(
        self, make_reader: MakeReader, long_file: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Issue 9: review mode started during the load said "reviewed 0 of 232 claims"
        for ever, and a stance key then was turned away."""
        import yaml

        monkeypatch.setattr(ReaderScreen, "_read_whole_document", lambda screen: None)
        app = make_reader(long_file)
        async with app.run_test(size=(80, 24)) as pilot:
            start_claims = len(list(iter_claims(app.document)))
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = reader(app)
            assert isinstance(screen, ReaderScreen)
            status = screen.query_one(StatusBar)
            assert status.review == f"REVIEW · reviewed 0 of {start_claims}+ claims"
            first = screen.cursor
            assert first is not None
            await pilot.press("2")
            assert screen.cursor is not None and screen.cursor.start > first.start
            assert status.review == (
                f"REVIEW · reviewed 1 of {start_claims}+ claims · 1 to save once the file is read"
            )

            whole = load_document(long_file)
            reader(app)._whole_document_read(whole)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.keeper is not None
            screen.keeper.flush()
            await pilot.pause()
            total = len(list(iter_claims(whole)))
            assert total > start_claims
            assert status.review == f"REVIEW · reviewed 1 of {total} claims"
        notes = yaml.safe_load(long_file.with_name("long.txt.notes.yaml").read_text("utf-8"))
        (note,) = notes["notes"]
        assert (note["target"]["start"], note["stance"]) == (first.start, "disputed")

    async def test_review_started_during_the_load_is_not_turned_off_by_the_resume(
        self, make_reader: MakeReader, long_file: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The last session ended in review mode; this one turned it on again before
        the whole file (and with it the notes and the resume) arrived."""
        app = make_reader(long_file)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("r")
        monkeypatch.setattr(ReaderScreen, "_read_whole_document", lambda screen: None)
        again = make_reader(long_file)
        async with again.run_test(size=(80, 24)) as pilot:
            await pilot.press("r", "right_square_bracket", "right_square_bracket")
            screen = reader(again)
            assert isinstance(screen, ReaderScreen) and screen.reviewing
            cursor = screen.cursor
            reader(again)._whole_document_read(load_document(long_file))
            await again.workers.wait_for_complete()
            await pilot.pause()
            assert screen.reviewing and screen.cursor == cursor


class TestSections:
    async def test_outline_lists_the_title_and_the_four_sections(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(160, 50)):
            outline = reader(app).query_one(OutlinePanel)
            assert outline.entry_count == 1 + len(SECTIONS)
            assert [s.title for s in app.document.sections] == SECTIONS

    async def test_braces_jump_between_sections(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_curly_bracket")
            assert text_at_top(app, len(SECTIONS[0])) == SECTIONS[0]
            await pilot.press("right_curly_bracket")
            assert text_at_top(app, len(SECTIONS[1])) == SECTIONS[1]
            await pilot.press("left_curly_bracket")
            assert text_at_top(app, len(SECTIONS[0])) == SECTIONS[0]

    async def test_selecting_an_outline_entry_jumps_there(self, make_reader: MakeReader) -> None:
        app = make_reader()
        seen: list[Message] = []
        async with app.run_test(size=(160, 50), message_hook=seen.append) as pilot:
            outline = reader(app).query_one(OutlinePanel)
            outline.focus()
            outline.highlighted = 3
            await pilot.press("enter")
            await pilot.pause()
            # Near the end the view cannot scroll the heading to the top, but shows it.
            assert on_screen(app, app.document.sections[2].start)
            assert any(isinstance(m, OutlinePanel.SectionSelected) for m in seen)
            assert article(app).has_focus

    async def test_an_outline_with_fewer_entries_keeps_a_valid_highlight(
        self, make_reader: MakeReader, tmp_path: Path
    ) -> None:
        """Issue 9: the end of a long file, shown on `G`, has fewer sections than its
        start; Enter on the old last entry then indexed past the list."""
        short = tmp_path / "short.md"
        short.write_text("# Title\n\nOne paragraph.\n", encoding="utf-8")
        app = make_reader()
        async with app.run_test(size=(160, 50)) as pilot:
            outline = reader(app).query_one(OutlinePanel)
            outline.focus()
            await pilot.press("end")
            assert outline.highlighted == outline.entry_count - 1 > 1
            outline.set_document(load_document(short))
            assert outline.highlighted == outline.entry_count - 1
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running

    async def test_the_current_section_is_highlighted_while_reading(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(160, 50)) as pilot:
            outline = reader(app).query_one(OutlinePanel)
            await pilot.press("right_curly_bracket", "right_curly_bracket")
            await pilot.pause()
            assert outline.highlighted == 2
            status = reader(app).query_one(StatusBar)
            assert status.section  # the section's title (drawn in visual order)

    async def test_outline_is_hidden_at_80_columns_and_o_shows_it(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            outline = reader(app).query_one(OutlinePanel)
            assert not outline.display or outline.region.width == 0
            await pilot.press("o")
            await pilot.pause()
            assert outline.region.width > 0
            await pilot.press("o")
            await pilot.pause()
            assert outline.region.width == 0


class TestClaimCursor:
    async def test_brackets_move_the_claim_cursor_through_sentences(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        claims = list(iter_claims(app.document))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_square_bracket")
            assert reader(app).cursor == claims[0]
            await pilot.press("right_square_bracket", "right_square_bracket")
            assert reader(app).cursor == claims[2]
            await pilot.press("left_square_bracket")
            assert reader(app).cursor == claims[1]

    async def test_the_cursor_follows_far_into_the_article(self, make_reader: MakeReader) -> None:
        app = make_reader()
        claims = list(iter_claims(app.document))
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(25):
                await pilot.press("right_square_bracket")
            await pilot.pause()
            assert reader(app).cursor == claims[24]
            assert on_screen(app, claims[24].start)

    async def test_a_click_selects_the_sentence_under_the_mouse(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        claims = list(iter_claims(app.document))
        async with app.run_test(size=(80, 24)) as pilot:
            view = article(app)
            row = view._layout.row_of(claims[0].start)
            await pilot.click(ArticleView, offset=(40, row))
            assert reader(app).cursor == claims[0]

    async def test_escape_clears_the_cursor(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_square_bracket", "escape")
            assert reader(app).cursor is None


class TestSearch:
    @pytest.mark.parametrize(
        ("query", "found"),
        [
            ("احمد", "أحمد"),  # hamza on alef
            ("مَكَانُ", "مكان"),  # harakat in the query
            ("٢٠١٩", "2019"),  # Arabic-Indic digits
            ("BAYKONUR", None),  # nothing
        ],
    )
    async def test_search_folds_arabic_and_reports_hits(
        self, make_reader: MakeReader, query: str, found: str | None
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash")
            assert reader(app).query_one(Input).has_focus
            await pilot.press(*query, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = reader(app)
            status = screen.query_one(StatusBar)
            if found is None:
                assert screen.hits == []
                assert status.notice == "no hits"
                return
            start, end = screen.hits[0]
            assert app.document.text[start:end] == found
            assert status.notice == f"hit 1 of {len(screen.hits)}"

    async def test_n_and_shift_n_cycle_through_hits(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash", *"كيم", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = reader(app)
            count = len(screen.hits)
            assert count > 5
            await pilot.press("n", "n")
            assert screen.current_hit == 2
            assert on_screen(app, screen.hits[2][0])
            await pilot.press("N", "N", "N")
            assert screen.current_hit == count - 1
            # Going back past the first hit wraps round to the last, and says so.
            assert screen.query_one(StatusBar).notice == f"hit {count} of {count} · search wrapped"

    async def test_escape_clears_the_hits(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash", *"كيم", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("escape")
            assert reader(app).hits == []


class TestAppKeys:
    async def test_tab_cycles_focus_between_panes(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(160, 50)) as pilot:
            assert article(app).has_focus
            await pilot.press("tab")
            assert not article(app).has_focus
            for _ in range(5):
                if article(app).has_focus:
                    break
                await pilot.press("tab")
            assert article(app).has_focus

    async def test_question_mark_lists_every_binding(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, ReaderScreen)

    async def test_space_and_b_page_through_the_help(self, make_reader: MakeReader) -> None:
        """Issue 13: the help is longer than 80x24, and space did not page it."""
        from textual.containers import VerticalScroll

        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            body = app.screen.query_one("#help-body", VerticalScroll)
            assert body.max_scroll_y > 0 and body.scroll_y == 0
            await pilot.press("space")
            await pilot.pause()
            assert body.scroll_y > 0
            await pilot.press("b")
            await pilot.pause()
            assert body.scroll_y == 0

    async def test_every_binding_has_an_id_and_a_tooltip(self) -> None:
        from tuireader.ui.screens.reader_keys import NotesKeys, ReaderKeys, ReviewKeys
        from tuireader.ui.widgets.notes_panel import NotesPanel
        from tuireader.ui.widgets.search_bar import SearchBar

        nodes = (ReaderApp, ReaderScreen, NotesKeys, ReaderKeys, ReviewKeys, ArticleView)
        for node in (*nodes, OutlinePanel, SearchBar, NotesPanel, HelpScreen):
            for binding in node.BINDINGS:
                assert not isinstance(binding, tuple), node
                assert binding.id and binding.tooltip, (node, binding)

    async def test_q_quits(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("q")
            await pilot.pause()
            assert app._exit

    async def test_command_palette_offers_the_reader_keys(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"next section")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert text_at_top(app, len(SECTIONS[0])) == SECTIONS[0]


class TestKeyBursts:
    """Issue 9: keys that arrive together (batched input over SSH) are handled in order,
    each against the state the keys before it made."""

    async def test_slash_twice_in_a_burst_opens_the_search_line_once(
        self, make_reader: MakeReader
    ) -> None:
        """It raised NoMatches: the second `/` asked a search line that was not composed
        yet for its Input."""
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            burst(app, "slash", "slash")
            await pilot.pause()
            search = reader(app).query_one(Input)
            assert search.has_focus
            assert search.value == "/"  # the second `/` is typed into the open line

    async def test_keys_typed_right_after_slash_land_in_the_search_line(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            burst(app, "slash", "k", "i", "m", "enter")
            await until(pilot, lambda: reader(app).search.query == "kim")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert article(app).scroll_y == 0 or reader(app).hits
            assert reader(app).search.query == "kim"

    async def test_theme_then_enter_enter_in_the_palette_in_one_burst(
        self, make_reader: MakeReader
    ) -> None:
        """It raised ScreenStackError: the second Enter dismissed the palette again."""
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            burst(app, "ctrl+p", *"theme", "enter", "enter")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            assert isinstance(app.screen, ReaderScreen)
            assert app.is_running

    async def test_a_burst_of_text_after_a_lands_in_the_note_editor(
        self, make_reader: MakeReader
    ) -> None:
        """`a` and then typing at once: none of the typed letters runs a reader key
        (`e` edit, `d` delete, `N` previous hit)."""
        from textual.widgets import TextArea

        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            burst(app, "right_square_bracket", "a", *"Need a second source")
            await until(
                pilot, lambda: app.screen.query_one(TextArea).text == "Need a second source"
            )
            body = app.screen.query_one(TextArea)
            assert body.text == "Need a second source"

    async def test_page_keys_in_the_palette_as_its_first_hits_arrive(
        self, make_reader: MakeReader
    ) -> None:
        """Found by the fuzz harness: PageUp just after hits came into the palette's
        empty (0 rows high) list raised KeyError in Textual's OptionList."""
        from textual.command import CommandList

        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+p", *"zzzzqq")
            await app.workers.wait_for_complete()
            await pilot.pause()
            listing = app.screen.query_one(CommandList)
            assert listing.option_count == 0
            listing.add_options(["one", "two", "three"])
            listing.highlighted = 2
            await app.screen.run_action("command_list('page_up')")
            await app.screen.run_action("command_list('page_down')")
            await pilot.pause()
            assert app.is_running


class TestThemesAndPlaces:
    async def test_theme_choice_is_remembered(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)):
            assert app.theme == "tuireader-dark"
            app.theme = "tuireader-light"
        again = make_reader()
        async with again.run_test(size=(80, 24)):
            assert again.theme == "tuireader-light"

    async def test_theme_option_wins_and_unknown_names_fall_back(
        self, make_reader: MakeReader
    ) -> None:
        app = make_reader(theme="tuireader-contrast")
        async with app.run_test(size=(80, 24)):
            assert app.theme == "tuireader-contrast"
        app = make_reader(theme="no-such-theme")
        async with app.run_test(size=(80, 24)):
            assert app.theme == "tuireader-dark"

    async def test_resize_rewraps_and_keeps_the_place(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("right_curly_bracket", "right_curly_bracket")
            before = text_at_top(app, 20)
            wide_rows = article(app)._layout.total_rows
            await pilot.resize_terminal(60, 24)
            await pilot.pause()
            assert article(app)._layout.width < 60
            assert article(app)._layout.total_rows > wide_rows
            assert text_at_top(app, 20) == before

    async def test_reading_position_is_restored_on_reopen(self, make_reader: MakeReader) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_curly_bracket", "right_curly_bracket", "right_curly_bracket")
            place = text_at_top(app, 30)
        again = make_reader()
        async with again.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert text_at_top(again, 30) == place

    async def test_the_position_follows_the_text_not_the_path(
        self, make_reader: MakeReader, tmp_path: Path
    ) -> None:
        first = tmp_path / "a.txt"
        first.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        app = make_reader(first)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right_curly_bracket", "right_curly_bracket")
            place = text_at_top(app, 30)
        moved = first.rename(tmp_path / "b.txt")
        again = make_reader(moved)
        async with again.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert text_at_top(again, 30) == place
        moved.write_text(moved.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
        edited = make_reader(moved)
        async with edited.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert article(edited).top_offset() == 0


async def test_an_english_markdown_document_reads_left_to_right(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    path = tmp_path / "essay.md"
    body = "One claim. Another claim, with a reason.\n\n" * 20
    path.write_text(
        f"# An essay\n\n## First part\n\n{body}## Second part\n\n{body}", encoding="utf-8"
    )
    app = make_reader(path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert not reader(app).has_class("-rtl")
        await pilot.press("right_curly_bracket")
        assert text_at_top(app, 10) == "First part"


def test_sample_is_the_default_document() -> None:
    from tuireader.resources import sample_article

    assert sample_article().read_bytes() == SAMPLE.read_bytes()
