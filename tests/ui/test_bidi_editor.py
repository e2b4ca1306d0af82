"""The bidi text fields as a person types in them: key by key, the logical text, the
visual row and the cell the cursor is drawn at (issue 10)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.strip import Strip

from tests.paths import SAMPLE
from tests.ui.test_tmux import Tmux, user_dirs_env
from tuireader.bidi.layout import TERMINAL_BIDI
from tuireader.text.document import Direction
from tuireader.ui.config import StateFile
from tuireader.ui.widgets.bidi_input import BidiInput
from tuireader.ui.widgets.bidi_text_area import BidiTextArea


class AreaHost(App[None]):
    """One bidi text area, 20 cells of text wide (border and padding around)."""

    CSS = "BidiTextArea { width: 24; height: 6; } BidiInput { width: 24; }"

    def __init__(self, area: BidiTextArea | None = None, field: BidiInput | None = None) -> None:
        super().__init__()
        self.area = area or BidiTextArea(default_direction=Direction.RTL)
        self.field = field or BidiInput()

    def compose(self) -> ComposeResult:
        yield self.area
        yield self.field

    def on_mount(self) -> None:
        self.area.cursor_blink = False
        self.field.cursor_blink = False


def keys_for(text: str) -> list[str]:
    return ["space" if char == " " else char for char in text]


def picture(strip: Strip, cursor: int) -> str:
    """The row with the cursor's cell in brackets, blank ends cut."""
    # One character a cell: these rows hold no wide characters and no harakat.
    cells = list(strip.text)
    cells[cursor] = f"[{cells[cursor]}]"
    return "".join(cells).strip()


def area_picture(area: BidiTextArea, row: int = 0) -> str:
    x, y = area.cursor_cell()
    strip = area.render_line(row)
    return picture(strip, x) if y == row else "".join(s.text for s in strip).strip()


def field_picture(field: BidiInput) -> str:
    return picture(field.render_line(0), field.cursor_cell() - field.scroll_offset.x)


def selected_cells(strip: Strip, selection: Style | None) -> str:
    """The characters of the cells drawn with the selection's background."""
    assert selection is not None
    return "".join(
        segment.text
        for segment in strip
        if segment.style is not None and segment.style.bgcolor == selection.bgcolor
    )


async def press_and_see(pilot: Pilot[None], area: BidiTextArea, key: str) -> tuple[str, str]:
    await pilot.press(key)
    return area.text, area_picture(area)


# Typing «سلام abc 12» into an empty RTL body, one key at a time: the logical text, and
# the row as the terminal shows it with the cursor's cell in brackets. The cursor is the
# cell the next character takes: in an RTL paragraph text grows leftwards, so after a
# Latin letter or a digit (an LTR run inside it) that is the cell of the one just typed,
# which moves left as the next one arrives.
TYPING = [
    ("س", "س", "[ ]ﺱ"),
    ("ل", "سل", "[ ]ﻞﺳ"),
    ("ا", "سلا", "[ ]ﻼﺳ"),
    ("م", "سلام", "[ ]ﻡﻼﺳ"),
    ("space", "سلام ", "[ ] ﻡﻼﺳ"),
    ("a", "سلام a", "[a] ﻡﻼﺳ"),
    ("b", "سلام ab", "a[b] ﻡﻼﺳ"),
    ("c", "سلام abc", "ab[c] ﻡﻼﺳ"),
    ("space", "سلام abc ", "[ ] abc ﻡﻼﺳ"),
    ("1", "سلام abc 1", "abc [1] ﻡﻼﺳ"),
    ("2", "سلام abc 12", "abc 1[2] ﻡﻼﺳ"),
]


class TestTypingInTheBody:
    async def test_each_key_shows_the_shaped_row_in_reading_order_and_the_cursor_cell(
        self,
    ) -> None:
        host = AreaHost()
        async with host.run_test(size=(40, 10)) as pilot:
            for key, text, row in TYPING:
                assert await press_and_see(pilot, host.area, key) == (text, row)

    async def test_arrows_move_the_way_they_point_across_an_rtl_row(self) -> None:
        host = AreaHost(BidiTextArea("سلام abc 12", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            host.area.move_cursor(host.area.document.end)
            steps = [
                # Right from the end: over the space, then the Arabic word letter by
                # letter backwards in logical order (the ligature lam-alef is one glyph).
                ("right", (0, 4), "abc 12[ ]ﻡﻼﺳ"),
                ("right", (0, 3), "abc 12 [ﻡ]ﻼﺳ"),
                ("right", (0, 1), "abc 12 ﻡ[ﻼ]ﺳ"),
                ("right", (0, 0), "abc 12 ﻡﻼ[ﺳ]"),
                ("right", (0, 0), "abc 12 ﻡﻼ[ﺳ]"),
                # Left goes back over the same glyphs, then through "abc 12" leftwards,
                # which is backwards in its (LTR) logical order.
                ("left", (0, 1), "abc 12 ﻡ[ﻼ]ﺳ"),
                ("left", (0, 3), "abc 12 [ﻡ]ﻼﺳ"),
                ("left", (0, 4), "abc 12[ ]ﻡﻼﺳ"),
                ("left", (0, 5), "abc 1[2] ﻡﻼﺳ"),
                ("left", (0, 10), "abc [1]2 ﻡﻼﺳ"),
                ("left", (0, 9), "abc[ ]12 ﻡﻼﺳ"),
                ("left", (0, 8), "ab[c] 12 ﻡﻼﺳ"),
                ("left", (0, 7), "a[b]c 12 ﻡﻼﺳ"),
                ("left", (0, 6), "[a]bc 12 ﻡﻼﺳ"),
                ("left", (0, 5), "[ ]abc 12 ﻡﻼﺳ"),
            ]
            for key, location, row in steps:
                await pilot.press(key)
                assert (host.area.cursor_location, area_picture(host.area)) == (location, row)

    async def test_ctrl_arrows_move_by_words_the_way_they_point(self) -> None:
        host = AreaHost(BidiTextArea("سلام abc 12", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            host.area.move_cursor(host.area.document.end)
            steps = [
                ("ctrl+right", (0, 0), "abc 12 ﻡﻼ[ﺳ]"),
                ("ctrl+left", (0, 4), "abc 12[ ]ﻡﻼﺳ"),
                ("ctrl+left", (0, 9), "abc[ ]12 ﻡﻼﺳ"),
                ("ctrl+left", (0, 5), "[ ]abc 12 ﻡﻼﺳ"),
                ("ctrl+right", (0, 8), "ab[c] 12 ﻡﻼﺳ"),
            ]
            for key, location, row in steps:
                await pilot.press(key)
                assert (host.area.cursor_location, area_picture(host.area)) == (location, row)

    async def test_home_and_end_go_to_the_rows_logical_start_and_end(self) -> None:
        host = AreaHost(BidiTextArea("سلام abc 12", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            await pilot.press("home")
            assert (host.area.cursor_location, area_picture(host.area)) == (
                (0, 0),
                "abc 12 ﻡﻼ[ﺳ]",
            )
            await pilot.press("end")
            assert (host.area.cursor_location, area_picture(host.area)) == (
                (0, 11),
                "abc 1[2] ﻡﻼﺳ",
            )

    async def test_backspace_and_delete_remove_the_logical_neighbours(self) -> None:
        host = AreaHost(BidiTextArea("سلام abc", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            host.area.move_cursor((0, 2))  # between lam and alef, inside the ligature
            await pilot.press("backspace")
            assert host.area.text == "سام abc"
            # After the first letter: the next one would take the cell left of it.
            assert area_picture(host.area) == "abc ﻡ[ﺎ]ﺳ"
            await pilot.press("delete")
            assert host.area.text == "سم abc"
            assert area_picture(host.area) == "abc [ﻢ]ﺳ"

    async def test_backspace_removes_a_letter_with_its_harakat(self) -> None:
        host = AreaHost(BidiTextArea("كَتَبَ", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            host.area.move_cursor(host.area.document.end)
            await pilot.press("backspace")
            assert host.area.text == "كَتَ"

    async def test_shift_arrows_select_the_logical_range_in_the_cells_that_show_it(
        self,
    ) -> None:
        host = AreaHost(BidiTextArea("سلام abc 12", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            host.area.move_cursor((0, 0))
            await pilot.press("shift+left", "shift+left")
            # Leftwards from the start of an RTL word selects its first letters.
            assert host.area.selected_text == "سلا"
            theme = host.area._theme
            row = host.area.render_line(0)
            assert selected_cells(row, theme.selection_style) == "ﻼﺳ"
            # On: over the word's last letter, the space and the "2" that is left of it:
            # the selection is one logical range, "سلام abc 1", drawn in two places of
            # the row (the "2" between them is not in it).
            await pilot.press("shift+left", "shift+left", "shift+left")
            assert host.area.selected_text == "سلام abc 1"
            row = host.area.render_line(0)
            # The "1" is selected too, under the cursor's own colour.
            assert selected_cells(row, theme.selection_style) == "abc  ﻡﻼﺳ"
            assert area_picture(host.area) == "abc [1]2 ﻡﻼﺳ"
            await pilot.press("ctrl+c")
            assert host.app.clipboard == "سلام abc 1"
            # Typing replaces the selection, in logical order.
            await pilot.press("x")
            assert host.area.text == "x2"

    async def test_undo_and_redo_are_textuals_and_redraw_the_row(self) -> None:
        host = AreaHost()
        async with host.run_test(size=(40, 10)) as pilot:
            await pilot.press("س", "ل", "ctrl+z")
            assert (host.area.text, area_picture(host.area)) == ("", "[ ]")
            await pilot.press("ctrl+y")
            assert (host.area.text, area_picture(host.area)) == ("سل", "[ ]ﻞﺳ")

    async def test_paste_inserts_logical_text_at_the_cursor(self) -> None:
        host = AreaHost(BidiTextArea("سلام", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            host.area.move_cursor(host.area.document.end)
            host.post_message(events.Paste(" كيم 2019"))
            await pilot.pause()
            assert host.area.text == "سلام كيم 2019"
            assert area_picture(host.area) == "201[9] ﻢﻴﻛ ﻡﻼﺳ"

    async def test_a_long_line_wraps_like_the_article_and_up_keeps_the_column(self) -> None:
        text = "استقبل بوتين كيم بشكل غير رسمي"
        host = AreaHost(BidiTextArea(text, default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            area = host.area
            area.move_cursor(area.document.end)
            rows = area.visual_rows()
            assert len(rows) == 2
            # Row one ends after «كيم» (its space hangs on the left), row two holds the rest.
            assert rows[1][1].start == text.index("بشكل")
            assert area_picture(area, 1) == "[ ]ﻲﻤﺳﺭ ﺮﻴﻏ ﻞﻜﺸﺑ"
            await pilot.press("up")
            assert area.cursor_location[0] == 0
            assert area.cursor_cell()[1] == 0

    async def test_each_line_takes_its_own_direction(self) -> None:
        host = AreaHost(BidiTextArea("Source?\nمصدر", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            host.area.move_cursor((1, 0))
            await pilot.pause()
            assert area_picture(host.area, 0) == "Source?"
            assert area_picture(host.area, 1) == "ﺭﺪﺼ[ﻣ]"
            # Left from the start of the RTL line moves into it: after its first letter.
            await pilot.press("left")
            assert host.area.cursor_location == (1, 1)

    async def test_an_empty_rtl_body_puts_the_cursor_on_the_right(self) -> None:
        host = AreaHost()
        async with host.run_test(size=(40, 10)):
            x, _y = host.area.cursor_cell()
            assert x == host.area.scrollable_content_region.width - 1

    async def test_an_ltr_paragraph_with_arabic_keeps_the_cursor_where_text_goes(self) -> None:
        host = AreaHost(BidiTextArea(default_direction=Direction.LTR))
        async with host.run_test(size=(40, 10)) as pilot:
            for key in keys_for("Hi سل"):
                await pilot.press(key)
            # The Arabic run grows leftwards from its start: the next letter takes the
            # cell of the last one typed.
            assert area_picture(host.area) == "Hi [ﻞ]ﺳ"
            await pilot.press("right")
            assert area_picture(host.area) == "Hi ﻞ[ﺳ]"

    async def test_spaces_past_a_full_row_keep_the_cursor_inside_the_field(self) -> None:
        host = AreaHost(BidiTextArea(default_direction=Direction.LTR))
        async with host.run_test(size=(40, 10)) as pilot:
            await pilot.press(*keys_for("abcdefghijklmnopqrs   "))
            x, _y = host.area.cursor_cell()
            assert x == host.area.scrollable_content_region.width - 1

    async def test_a_hidden_override_is_shown_as_a_mark_and_removed_by_one_backspace(
        self,
    ) -> None:
        host = AreaHost(BidiTextArea(default_direction=Direction.LTR))
        async with host.run_test(size=(40, 10)) as pilot:
            host.post_message(events.Paste("ab\u202ecd"))
            await pilot.pause()
            # The override turns "cd" around; the next letter would go left of "d".
            assert area_picture(host.area) == "ab⌜RLO⌝[d]c"
            host.area.move_cursor((0, 3))
            await pilot.press("backspace")
            assert host.area.text == "abcd"
            assert area_picture(host.area) == "ab[c]d"

    async def test_a_click_puts_the_cursor_in_the_clicked_cell(self) -> None:
        host = AreaHost(BidiTextArea("سلام abc 12\nHi", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            area = host.area
            left, top = area.gutter.left, area.gutter.top
            row = area.render_line(0).text
            for char in "ﻼb2":
                cell = row.index(char)
                await pilot.click(area, offset=(left + cell, top))
                assert area.cursor_cell() == (cell, 0)
            await pilot.click(area, offset=(left + 1, top + 1))
            assert area.cursor_location == (1, 1)

    async def test_dragging_the_mouse_selects_the_logical_range_between_two_cells(
        self,
    ) -> None:
        host = AreaHost(BidiTextArea("سلام abc 12", default_direction=Direction.RTL))
        async with host.run_test(size=(40, 10)) as pilot:
            area = host.area
            left, top = area.gutter.left, area.gutter.top
            row = area.render_line(0).text
            # From the cell of «ﺳ» (the word's first letter, rightmost) to that of «ﻡ».
            await pilot.mouse_down(area, offset=(left + row.index("ﺳ"), top))
            await pilot.hover(area, offset=(left + row.index("ﻡ"), top))
            await pilot.mouse_up(area, offset=(left + row.index("ﻡ"), top))
            assert area.selected_text == "سلا"


class TestMovementSetting:
    async def test_logical_movement_goes_forwards_with_right_on_rtl_text(self) -> None:
        area = BidiTextArea("سلام", default_direction=Direction.RTL, cursor_movement="logical")
        host = AreaHost(area)
        async with host.run_test(size=(40, 10)) as pilot:
            await pilot.press("right", "right")
            assert area.cursor_location == (0, 2)
            assert area_picture(area) == "ﻡ[ﻼ]ﺳ"

    async def test_the_setting_is_read_from_the_apps_settings_file(self, tmp_path: Path) -> None:
        settings = tmp_path / "settings.json"
        settings.write_text('{"cursor_movement": "logical"}', "utf-8")

        class SettingsHost(AreaHost):
            def __init__(self) -> None:
                super().__init__()
                self.settings = StateFile(settings)

        host = SettingsHost()
        async with host.run_test(size=(40, 10)):
            assert host.area.cursor_movement == "logical"
            assert host.field.cursor_movement == "logical"


class TestOneLineField:
    async def test_typing_arabic_and_digits_shows_them_joined_right_aligned(self) -> None:
        host = AreaHost()
        async with host.run_test(size=(40, 10)) as pilot:
            host.field.focus()
            expected = [
                ("ك", "[ ]ﻙ"),
                ("ي", "[ ]ﻲﻛ"),
                ("م", "[ ]ﻢﻴﻛ"),
                ("space", "[ ] ﻢﻴﻛ"),
                ("2", "[2] ﻢﻴﻛ"),
                ("0", "2[0] ﻢﻴﻛ"),
            ]
            for key, row in expected:
                await pilot.press(key)
                assert field_picture(host.field) == row
            assert host.field.value == "كيم 20"
            # Right-aligned: the last cell of the field shows the first letter.
            assert host.field.render_line(0).text.rstrip().endswith("ﻛ")
            await pilot.press("right")  # over the space, to the end of «كيم»
            assert host.field.cursor_position == 3
            await pilot.press("backspace")
            assert host.field.value == "كي 20"
            await pilot.press("shift+right")
            assert host.field.selected_text == "ي"
            host.post_message(events.Paste("ا\nrest"))
            await pilot.pause()
            assert host.field.value == "كا 20"

    async def test_latin_stays_left_aligned_and_scrolls_to_the_cursor(self) -> None:
        host = AreaHost()
        async with host.run_test(size=(40, 10)) as pilot:
            host.field.focus()
            await pilot.press(*keys_for("abcdefghijklmnopqrstuvwxyz"))
            assert host.field.value.endswith("xyz")
            row = host.field.render_line(0).text
            assert "xyz" in row
            assert field_picture(host.field).endswith("xyz[ ]")

    async def test_a_click_puts_the_cursor_in_the_clicked_cell(self) -> None:
        host = AreaHost()
        async with host.run_test(size=(40, 10)) as pilot:
            field = host.field
            field.value = "كيم 2019"  # Textual 8.2: an Input's value needs a running app
            await pilot.pause()
            row = field.render_line(0).text
            for char in "ﻴ0":
                cell = row.index(char)
                await pilot.click(field, offset=(field.gutter.left + cell, field.gutter.top))
                assert field.cursor_cell() == cell

    async def test_terminal_bidi_shows_logical_unjoined_text_with_a_logical_cursor(
        self,
    ) -> None:
        field = BidiInput(layout_options=TERMINAL_BIDI)
        host = AreaHost(field=field)
        async with host.run_test(size=(40, 10)) as pilot:
            field.focus()
            await pilot.press("ك", "ي", "م")
            assert field_picture(field) == "كيم[ ]"


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(100, 30)
    yield session
    session.close()


def test_arabic_typed_in_a_real_terminal_shows_joined_and_in_reading_order(
    tmux: Tmux, tmp_path: Path
) -> None:
    """In tmux: the note body and the search line show typed Arabic as the article does."""
    article = tmp_path / "summit.txt"
    shutil.copy(SAMPLE, article)
    tmux.start(f"env LANG=C.UTF-8 {user_dirs_env(tmp_path)} tuireader {article}")
    tmux.wait_for("? help")
    tmux.type("]a")
    tmux.wait_for("ctrl+s save")
    tmux.type("ليس صحيحا 2019")
    screen = tmux.wait_for("2019 ﺎﺤﻴﺤﺻ ﺲﻴﻟ")
    assert "ليس" not in screen  # never the logical, unjoined letters
    tmux.keys("Escape")
    tmux.wait_for("Discard your changes?")
    tmux.keys("Tab", "Enter")
    tmux.wait_for("? help")
    tmux.type("/ثقذ")  # no such word in the article: what shows is the search line
    screen = tmux.wait_for("ﺬﻘﺛ")
    assert "ثقذ" not in screen
