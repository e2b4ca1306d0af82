"""Wrapping in logical order and reordering each row with the paragraph's own levels."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.paths import SAMPLE, require_command
from tuireader.bidi.layout import LayoutOptions, VisualLine, layout_text
from tuireader.text.document import Direction

UNJOINED = LayoutOptions(join=False)
RTL = Direction.RTL
LTR = Direction.LTR


def rows(text: str, width: int, direction: Direction = RTL, *, harakat: bool = True) -> list[str]:
    """The rows as a reader sees them, without the alignment padding."""
    laid_out = layout_text(text, 0, direction, width, LayoutOptions(join=False, harakat=harakat))
    return [row.text.strip() for row in laid_out]


class TestWholeParagraphLevels:
    """A row takes its levels from the whole paragraph, not from its own text."""

    def test_year_range_starting_a_row_reads_as_in_the_unwrapped_paragraph(self) -> None:
        # After Arabic letters, 2019-2020 is AN - AN (W2) and the hyphen a neutral
        # between them: it reads 2020-2019 in the paragraph, and so on its own row.
        text = "زار كيم روسيا في 2019-2020 ثم عاد"
        assert rows(text, 0) == ["داع مث 2020-2019 يف ايسور ميك راز"]
        assert rows(text, 16) == ["يف ايسور ميك راز", "داع مث 2020-2019"]

    def test_per_row_bidi_would_read_the_year_range_the_other_way(self) -> None:
        """Why levels come from the paragraph: on its own the row starts with EN."""
        assert rows("2019-2020 ثم عاد", 0) == ["داع مث 2019-2020"]

    def test_percentage_starting_a_row_reads_as_in_the_unwrapped_paragraph(self) -> None:
        # After Arabic, 14.5 is AN and W5 does not pull % into it: "%14.5" (as
        # `fribidi --nobreak` shows the whole paragraph). Alone, the row would say 14.5%.
        text = "ارتفعت الأسعار بنسبة 14.5% في العام"
        assert rows(text, 0) == ["ماعلا يف %14.5 ةبسنب راعسألا تعفترا"]
        assert rows(text, 21) == ["ةبسنب راعسألا تعفترا", "ماعلا يف %14.5"]
        assert rows("14.5% في العام", 0) == ["ماعلا يف 14.5%"]

    def test_split_bracket_pair_faces_the_right_way_on_both_rows(self) -> None:
        # N0: the pair (…) holds Arabic, so both brackets are R and mirror in the run.
        text = "قال بوتين (في المؤتمر الصحفي) كلمة"
        assert rows(text, 0) == ["ةملك (يفحصلا رمتؤملا يف) نيتوب لاق"]
        assert rows(text, 14) == ["يف) نيتوب لاق", "رمتؤملا", "ةملك (يفحصلا"]

    def test_guillemets_in_arabic_face_the_right_way(self) -> None:
        assert rows("قاعدة «فوستوشني» الفضائية", 0) == ["ةيئاضفلا «ينشوتسوف» ةدعاق"]

    def test_latin_run_in_arabic_keeps_its_own_order(self) -> None:
        assert rows("طائرات من طراز «Su-35» الحديثة", 0) == ["ةثيدحلا «Su-35» زارط نم تارئاط"]

    def test_arabic_quote_in_english_paragraph(self) -> None:
        assert rows("He said «مرحبا بكم» twice.", 0, LTR) == ["He said «مكب ابحرم» twice."]


class TestMarksAndShaping:
    def test_harakat_follow_their_letter_in_rtl_rows(self) -> None:
        """UAX #9 L3: a terminal draws a mark on the cell before it."""
        (row,) = layout_text("كَتَبَ", 0, RTL, 0, UNJOINED)
        assert [glyph.text for glyph in row.glyphs] == ["بَ", "تَ", "كَ"]

    def test_no_harakat_option_removes_diacritics(self) -> None:
        assert rows("كَتَبَ", 0, harakat=False) == ["بتك"]

    def test_joined_letters_take_presentation_forms_and_keep_their_logical_spans(self) -> None:
        (row,) = layout_text("لا بد", 10, RTL, 0)
        assert row.text == "ﺪﺑ ﻻ"
        ligature = row.glyphs[-1]
        assert (ligature.text, ligature.start, ligature.end, ligature.width) == ("ﻻ", 10, 12, 1)

    def test_hebrew_points_follow_their_letter(self) -> None:
        (row,) = layout_text("שָׁלוֹם", 0, RTL, 0)
        assert [glyph.text for glyph in row.glyphs] == ["ם", "וֹ", "ל", "שָׁ"]


class TestWrapping:
    def test_rtl_rows_are_right_aligned_to_the_width(self) -> None:
        laid_out = layout_text("مرحبا بكم في البيت", 0, RTL, 13)
        assert [row.width for row in laid_out] == [13, 13]
        assert all(row.indent > 0 for row in laid_out)

    def test_ltr_rows_are_not_indented(self) -> None:
        laid_out = layout_text("hello brave new world", 0, LTR, 11)
        assert [row.text for row in laid_out] == ["hello brave", "new world"]
        assert [row.indent for row in laid_out] == [0, 0]

    def test_word_wider_than_the_row_is_broken_at_the_edge(self) -> None:
        laid_out = layout_text("abcdefghij xy", 0, LTR, 4)
        assert [row.text for row in laid_out] == ["abcd", "efgh", "ij", "xy"]

    def test_wide_characters_break_anywhere_and_count_two_cells(self) -> None:
        laid_out = layout_text("日本語の文章です", 0, LTR, 6)
        assert [row.text for row in laid_out] == ["日本語", "の文章", "です"]

    def test_rows_tile_the_paragraph_without_gaps(self) -> None:
        laid_out = layout_text("one two three four five six", 100, LTR, 9)
        assert laid_out[0].start == 100
        assert all(a.end == b.start for a, b in zip(laid_out, laid_out[1:], strict=False))
        assert laid_out[-1].end == 100 + len("one two three four five six")

    def test_width_zero_means_one_row(self) -> None:
        assert len(layout_text("word " * 200, 0, LTR, 0)) == 1

    def test_hyphen_is_a_break_but_not_before_a_digit(self) -> None:
        assert rows("north-korea", 8, LTR) == ["north-", "korea"]
        assert rows("Su-35 x", 4, LTR) == ["Su-3", "5 x"]

    def test_empty_paragraph_gives_one_empty_row(self) -> None:
        (row,) = layout_text("", 5, LTR, 10)
        assert (row.glyphs, row.start, row.end) == ((), 5, 5)

    def test_bidi_controls_are_honoured_but_never_shown(self) -> None:
        text = "a \u202eabc\u202c d"
        (row,) = layout_text(text, 0, LTR, 0)
        assert row.text == "a cba d"


def test_cell_spans_of_a_logical_range_inside_an_rtl_row() -> None:
    """A hit on a Latin word inside Arabic is one span; a range over a direction
    boundary is two (the space after قال is R, so it sits beside it)."""
    (row,) = layout_text("قال Putin إنه", 0, RTL, 0, UNJOINED)
    assert row.text == "هنإ Putin لاق"
    assert row.cell_spans(4, 9) == [(4, 9)]
    assert row.cell_spans(0, 6) == [(4, 6), (9, 13)]


# --- Against GNU FriBidi, when the `fribidi` command is installed (CI installs it) ----


@pytest.fixture
def fribidi() -> str:
    return require_command("fribidi")


MIXED_PARAGRAPHS = [
    "زار كيم روسيا في الفترة 2019-2020 ثم عاد إلى بلاده (بعد القمة الأولى) وقال 14.5% من الناس",
    "قال المحللون: «الاجتماع في عام 2023 كان مهماً» وأضافوا (حسب وكالة Reuters, 2024) أن 3-4 لقاءات",
    "The summit (في فوستوشني) lasted 2 days, from 12-13 September [حسب «رويترز»] and ended.",
    "שלום (עולם 2020-2021) ו-Hello [world] 15% סוף",
]


def fribidi_visual_to_logical(text: str, direction: Direction) -> list[int]:
    """FriBidi's visual order of the whole, unwrapped paragraph (--nobreak).

    The command reorders marks after their base (L3), as we do.
    """
    flag = "--rtl" if direction is RTL else "--ltr"
    out = subprocess.run(
        ["fribidi", "--nobreak", flag, "--novisual", "--vtol"],
        input=text + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [int(index) for index in out.split()]


def is_mark(char: str) -> bool:
    """Marks are part of their base's glyph (L3), not glyphs of their own."""
    return unicodedata.category(char).startswith("M")


def assert_rows_follow_paragraph_order(
    laid_out: tuple[VisualLine, ...], text: str, paragraph_order: list[int], *, marks: bool
) -> None:
    """Each row shows its characters in the order the whole paragraph has them.

    With marks False, the order lists marks separately (FriBidi) while our glyphs
    carry them with their base, so they are left out of the comparison.
    """
    for row in laid_out:
        shown = [g.start for g in row.glyphs if not g.text.isspace()]
        expected = [
            i
            for i in paragraph_order
            if row.start <= i < row.end
            and not text[i].isspace()
            and (marks or not is_mark(text[i]))
        ]
        assert shown == expected, f"row {row.start}-{row.end} of {text!r}"


@pytest.mark.parametrize("text", MIXED_PARAGRAPHS)
@pytest.mark.parametrize("width", [8, 13, 20, 31, 47])
def test_every_row_reads_as_in_fribidis_unwrapped_paragraph(
    fribidi: str, text: str, width: int
) -> None:
    direction = LTR if text.startswith("The") else RTL
    order = fribidi_visual_to_logical(text, direction)
    assert_rows_follow_paragraph_order(
        layout_text(text, 0, direction, width, UNJOINED), text, order, marks=False
    )


@pytest.mark.parametrize("width", [40, 80, 120])
def test_sample_article_rows_read_as_in_fribidis_unwrapped_paragraphs(
    fribidi: str, width: int
) -> None:
    for text in SAMPLE.read_text(encoding="utf-8").splitlines():
        if text.strip():
            order = fribidi_visual_to_logical(text, RTL)
            laid_out = layout_text(text, 0, RTL, width, UNJOINED)
            assert_rows_follow_paragraph_order(laid_out, text, order, marks=False)


BIDI_ALPHABET = "abc XYZ 0123 -.,:()[]«»%" + "مرحبا" + "שלום" + "٠١٢" + "\u064e"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=BIDI_ALPHABET, min_size=1, max_size=60),
    width=st.integers(min_value=1, max_value=30),
    direction=st.sampled_from([LTR, RTL]),
)
def test_wrapped_rows_are_slices_of_the_unwrapped_visual_order(
    text: str, width: int, direction: Direction
) -> None:
    """Wrapping never changes how a character is ordered against its row neighbours."""
    (whole,) = layout_text(text, 0, direction, 0, UNJOINED)
    order = [g.start for g in whole.glyphs]
    laid_out = layout_text(text, 0, direction, width, UNJOINED)
    assert_rows_follow_paragraph_order(laid_out, text, order, marks=True)
    # Every character is shown once; only spaces may hang, unshown, at a row's end.
    shown = sorted(g.start for row in laid_out for g in row.glyphs if not g.text.isspace())
    assert shown == sorted(g.start for g in whole.glyphs if not g.text.isspace())


def test_a_range_split_across_wrapped_rows_is_drawn_on_each_of_them() -> None:
    """A search hit or claim that wraps: each row draws the part it shows, in the
    right cells of the reordered row."""
    text = "قال الرئيس إن القمة كانت ناجحة جدا"
    start = text.index("القمة")
    end = text.index("جدا")
    laid_out = layout_text(text, 0, RTL, 14, UNJOINED)
    covered = []
    for row in laid_out:
        for a, b in row.cell_spans(start, end):
            shown = "".join(g.text for g in row.glyphs if a <= _cell_of(row, g) < b)
            covered.append(shown.strip())
    assert len(covered) >= 2
    assert " ".join(part[::-1] for part in covered).split() == text[start:end].split()


def _cell_of(row: VisualLine, glyph: object) -> int:
    cell = row.indent
    for g in row.glyphs:
        if g is glyph:
            return cell
        cell += g.width
    raise ValueError("glyph not in row")


def test_the_plain_characters_are_exactly_the_one_cell_characters_of_their_blocks() -> None:
    """`_PLAIN` is written out so that it compiles fast; it must say what `_KINDS` says."""
    from tuireader.bidi import layout

    blocks = [
        (0x20, 0x7E),
        (0xA0, 0x52F),
        (0x590, 0x6FF),
        (0x750, 0x77F),
        (0x2000, 0x206F),
        (0x20A0, 0x20C0),
        (0xFB1D, 0xFDFF),
        (0xFE70, 0xFEFE),
    ]
    for low, high in blocks:
        for code in range(low, high + 1):
            plain = layout._MAYBE_SPECIAL_RX.match(chr(code)) is None
            assert plain == (layout._KINDS[code] == "."), f"U+{code:04X}"
