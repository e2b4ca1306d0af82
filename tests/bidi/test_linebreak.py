"""Where rows may end: UAX #14 for prose, each rule and each tailoring (issue 10)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.bidi import linebreak
from tuireader.bidi.layout import LayoutOptions, layout_text
from tuireader.bidi.linebreak import break_opportunities, wrap_clusters
from tuireader.text.document import Direction

UNJOINED = LayoutOptions(join=False)


def breaks(text: str) -> list[str]:
    """The text cut at every opportunity (spaces stay at the end of their piece)."""
    starts = [0] + [start for _, start in break_opportunities(text)] + [len(text)]
    return [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]


def rows(text: str, width: int, direction: Direction = Direction.RTL) -> list[str]:
    """Each row's logical text (what it shows, in logical order)."""
    return [
        text[row.start - 0 : row.end].rstrip(" ")
        for row in layout_text(text, 0, direction, width, UNJOINED)
    ]


class TestGlue:
    """LB11, LB12: no-break spaces and word joiners are not break opportunities."""

    @pytest.mark.parametrize("glue", ["\u00a0", "\u202f", "\u2007"])
    def test_a_number_and_its_unit_joined_by_a_no_break_space_stay_on_one_row(
        self, glue: str
    ) -> None:
        text = f"سعر 100{glue}دولار"
        assert breaks(text) == ["سعر ", f"100{glue}دولار"]
        # 9 cells: the number and its unit fit only on a row of their own.
        assert rows(text, 9) == ["سعر", f"100{glue}دولار"]

    @pytest.mark.parametrize("joiner", ["\u2060", "\ufeff"])
    def test_a_word_joiner_glues_even_after_a_space(self, joiner: str) -> None:
        assert breaks(f"one {joiner}two three") == [f"one {joiner}two ", "three"]
        assert breaks(f"one{joiner} two") == [f"one{joiner} ", "two"]

    def test_a_non_breaking_hyphen_glues(self) -> None:
        assert breaks("north\u2011korea") == ["north\u2011korea"]


class TestHyphensAndSlashes:
    """LB21 and LB25: a row may end after a hyphen inside a word, not before digits."""

    def test_a_hyphen_between_letters_is_an_opportunity(self) -> None:
        assert breaks("north-korea") == ["north-", "korea"]
        assert breaks("and/or") == ["and/", "or"]
        assert breaks("الكوري الشمالي-الروسي") == ["الكوري ", "الشمالي-", "الروسي"]

    @pytest.mark.parametrize(
        "numbers", ["2019-2020", "٢٠١٩-٢٠٢٠", "۱۳۹۸-۱۳۹۹", "1/2", "٣/٤", "Su-35", "2019–2020"]
    )
    def test_a_hyphen_or_slash_before_digits_of_any_script_glues(self, numbers: str) -> None:
        assert breaks(numbers) == [numbers]

    def test_a_year_range_does_not_split_while_it_fits(self) -> None:
        """Issue 10: `٢٠١٩-٢٠٢٠` split after the hyphen."""
        text = "في الفترة ٢٠١٩-٢٠٢٠ ثم"
        for width in range(9, 24):
            assert any("٢٠١٩-٢٠٢٠" in row for row in rows(text, width)), width

    def test_a_hyphen_after_a_space_is_a_sign_not_a_break(self) -> None:
        """LB20.1: `-word` and `-5` keep the hyphen with what follows."""
        assert breaks("a -word") == ["a ", "-word"]
        assert breaks("a -5 b") == ["a ", "-5 ", "b"]
        assert breaks("a - word") == ["a ", "- ", "word"]

    def test_two_hyphens_do_not_part(self) -> None:
        assert breaks("a--b") == ["a--", "b"]


class TestPunctuation:
    """LB13-LB15: closing punctuation stays with its word, opening with the next."""

    @pytest.mark.parametrize(
        ("text", "pieces"),
        [
            ("كلمة ؟", ["كلمة ؟"]),
            ("كلمة ، أخرى", ["كلمة ، ", "أخرى"]),
            ("word ) next", ["word ) ", "next"]),
            ("« mot »", ["« mot »"]),
            ("“ quoted ” then", ["“ quoted ” ", "then"]),
            ("a ( b", ["a ", "( b"]),
            ("a [ b ] c", ["a ", "[ b ] ", "c"]),
            ("x : y", ["x : ", "y"]),
        ],
    )
    def test_punctuation_keeps_to_its_word(self, text: str, pieces: list[str]) -> None:
        assert breaks(text) == pieces

    def test_a_row_never_starts_with_an_arabic_question_mark(self) -> None:
        text = "هل انتهت الحرب ؟ لا أحد يعرف"
        for width in range(7, 30):  # "الحرب ؟" is 7 cells
            assert not any(row.startswith("؟") for row in rows(text, width)), width


class TestOtherOpportunities:
    def test_a_zero_width_space_is_an_opportunity(self) -> None:
        """LB8."""
        assert breaks("ab\u200bcd") == ["ab\u200b", "cd"]

    def test_wide_characters_break_on_both_sides_but_not_before_closing_punctuation(
        self,
    ) -> None:
        widths = [1, 2, 2, 2, 2]
        text = "a日本語。"
        cuts = wrap_clusters(text, widths, 4)
        assert [text[a:b] for a, b, _ in cuts] == ["a日", "本", "語。"]

    def test_runs_of_spaces_hang_at_the_end_of_a_row(self) -> None:
        assert breaks("a   b") == ["a   ", "b"]
        (first, last, following), _ = wrap_clusters("ab   cd", None, 3)
        assert (first, last, following) == (0, 2, 5)


def test_the_punctuation_classes_match_unicodes_line_break_property() -> None:
    """The hand-kept sets agree with the UAX #14 classes of the `uniseg` package in the
    blocks prose uses (CL CP EX IS SY WJ and final quotes; OP and initial quotes)."""
    uniseg = pytest.importorskip("uniseg.linebreak")
    blocks = [(0x20, 0x2FFF), (0x3000, 0x303F), (0xFE10, 0xFE6F), (0xFF00, 0xFFEF)]
    no_break: set[str] = {"\ufeff"}  # WJ, outside the blocks
    openers: set[str] = set()
    for low, high in blocks:
        for code in range(low, high + 1):
            char = chr(code)
            cls = str(uniseg.line_break(char))
            category = unicodedata.category(char)
            if cls in ("CL", "CP", "EX", "IS", "SY", "WJ", "ZW") or (
                cls == "QU" and category == "Pf"
            ):
                no_break.add(char)
            if cls == "OP" or (cls == "QU" and category == "Pi"):
                openers.add(char)
    assert linebreak._NO_BREAK_SET == no_break
    assert linebreak._OPENER_SET == openers


PROSE = st.text(
    alphabet="ab ابت 12٣۴-/«»()؟،.\u00a0\u2060\u200b日",
    min_size=1,
    max_size=50,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=PROSE, width=st.integers(min_value=1, max_value=20))
def test_rows_end_only_at_opportunities_or_inside_a_word_too_wide_for_them(
    text: str, width: int
) -> None:
    """Every row ends where a break is allowed, unless what follows it up to the
    next opportunity is wider than the row (then it is cut at the edge)."""
    widths = [2 if ch == "日" else 0 if ch in "\u2060\u200b" else 1 for ch in text]
    chances = break_opportunities(text)
    if "日" in text:
        chances = sorted(set(chances + linebreak.wide_opportunities(text, widths)))
    cuts = wrap_clusters(text, widths, width)
    assert cuts[0][0] == 0 and cuts[-1][2] == len(text)
    for (first, last, following), (after, _, _) in zip(cuts, cuts[1:], strict=False):
        assert following == after
        if (last, following) not in chances:
            # A forced cut: nothing before it that a row could end with fitted.
            assert last == following
            assert not any(
                first < visible and sum(widths[first:visible]) <= width for visible, _ in chances
            )
    for first, last, _ in cuts:
        shown = sum(widths[first:last])
        assert shown <= width or len([w for w in widths[first:last] if w]) == 1
