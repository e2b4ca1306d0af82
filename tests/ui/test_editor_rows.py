"""Editor rows without an App: cursor cells, visual steps, graphemes (issue 10)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.text.document import Direction
from tuireader.ui.widgets.editor_rows import (
    EditorRow,
    edge_by_search,
    is_grapheme_boundary,
    layout_editor_line,
    next_grapheme,
    previous_grapheme,
)


def one_row(text: str, width: int = 20, default: Direction = Direction.LTR) -> EditorRow:
    (row,) = layout_editor_line(text, width, default=default)
    return row


def test_latin_positions_are_drawn_at_their_own_offsets() -> None:
    row = one_row("hello")
    assert [row.cursor_cell(p) for p in range(6)] == [0, 1, 2, 3, 4, 5]


def test_arabic_positions_run_from_the_right_edge_leftwards() -> None:
    row = one_row("سلم")
    assert [row.cursor_cell(p) for p in range(4)] == [19, 18, 17, 16]


def test_an_rtl_word_in_an_ltr_line_grows_from_where_it_starts() -> None:
    # "ab سل" shows as "ab لس": after the space the cursor is where the word begins,
    # and after each Arabic letter it is on that letter's cell, which the next one takes.
    row = one_row("ab سل")
    assert "".join(g.text for g in row.glyphs) == "ab ﻞﺳ"
    assert [row.cursor_cell(p) for p in range(6)] == [0, 1, 2, 3, 4, 3]


def test_spaces_typed_at_the_end_are_shown_so_the_cursor_can_follow_them() -> None:
    assert one_row("ab  ").cursor_cell(4) == 4
    rtl = one_row("سل  ")
    assert [rtl.cursor_cell(p) for p in (2, 3, 4)] == [17, 16, 15]


def test_an_empty_line_puts_the_cursor_at_its_directions_start() -> None:
    assert one_row("", default=Direction.LTR).cursor_cell(0) == 0
    assert one_row("", default=Direction.RTL).cursor_cell(0) == 19


def test_a_one_line_field_has_room_for_trailing_spaces_in_rtl() -> None:
    (row,) = layout_editor_line("كيم  ", 0)
    assert row.cursor_cell(5) == 0
    assert min(g.cell for g in row.glyphs) == 1


@pytest.mark.parametrize(
    ("text", "boundaries"),
    [
        ("abc", [0, 1, 2, 3]),
        ("كَتَب", [0, 2, 4, 5]),  # a letter and its haraka are one grapheme
        ("🇸🇦🇪🇬", [0, 2, 4]),  # two flags
        ("👩\u200d💻x", [0, 3, 4]),  # an emoji ZWJ sequence
    ],
)
def test_grapheme_boundaries(text: str, boundaries: list[int]) -> None:
    assert [p for p in range(len(text) + 1) if is_grapheme_boundary(text, p)] == boundaries
    assert previous_grapheme(text, len(text)) == boundaries[-2]
    assert next_grapheme(text, 0) == boundaries[1]


MIXED = st.text(
    alphabet=st.sampled_from(list("سلامعكيب") + list("abc") + list("12٣") + list(" .-()،")),
    max_size=30,
)


@settings(derandomize=True, deadline=None, max_examples=300)
@given(text=MIXED, width=st.sampled_from([0, 12, 40]))
def test_right_from_the_left_end_crosses_every_glyph_once_and_left_comes_back(
    text: str, width: int
) -> None:
    for row in layout_editor_line(text, width):
        for rightmost in (False, True):
            assert row.owns(row.extreme(rightmost)[0])
        if not row.glyphs:
            continue
        path = [row.glyphs[0].cell]
        while (step := row.step(path[-1], rightwards=True)) is not None:
            path.append(step[1])
        glyph_edges = [g.right for g in row.glyphs]
        assert path[1:] == glyph_edges
        back = [path[-1]]
        while (step := row.step(back[-1], rightwards=False)) is not None:
            back.append(step[1])
        assert back[1:] == [g.cell for g in reversed(row.glyphs)]


@settings(derandomize=True, deadline=None, max_examples=300)
@given(text=MIXED, width=st.sampled_from([0, 12, 40]))
def test_every_position_has_a_cell_in_the_field_and_a_click_there_finds_it(
    text: str, width: int
) -> None:
    rows = layout_editor_line(text, width)
    owned = [p for row in rows for p in range(len(text) + 1) if row.owns(p)]
    assert sorted(owned) == list(range(len(text) + 1))  # each position on one row
    for row in rows:
        for position in row.stops():
            cell = row.cursor_cell(position)
            assert cell >= 0
            if width:
                assert cell < width
            assert row.cursor_cell(row.position_at_cell(cell)) == cell


@settings(derandomize=True, deadline=None, max_examples=300)
@given(
    text=st.text(
        alphabet=st.sampled_from([*"سلامكب", *"ab12 ", "\u064e", "\u200d", "\u200f", "\u202e"]),
        max_size=25,
    ),
    width=st.sampled_from([0, 10]),
)
def test_the_edges_worked_out_in_one_pass_equal_a_search_per_position(
    text: str, width: int
) -> None:
    for row in layout_editor_line(text, width):
        for position in range(row.start, row.end + 1):
            assert row.edges[position - row.start] == edge_by_search(
                row.glyphs, row.start, position, row.empty_edge
            )
