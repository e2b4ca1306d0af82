"""The one path for drawn strings (issue 10): cut on logical text, then laid out."""

from __future__ import annotations

import pytest
from rich.text import Text

from tuireader.bidi.layout import TERMINAL_BIDI, layout_text
from tuireader.text.document import Direction
from tuireader.ui.labels import ELLIPSIS, fit_logical, isolated, visual_label, visual_rows

CLAIM = "وقال وزير المالية إن الحكومة ستخفض الضرائب"


def visual(text: str, direction: Direction) -> str:
    return layout_text(text, 0, direction, 0)[0].text


@pytest.mark.parametrize(
    ("text", "width", "cut"),
    [
        ("The board approved the plan", 0, "The board approved the plan"),
        ("The board approved the plan", 27, "The board approved the plan"),
        ("The board approved the plan", 20, "The board approved…"),
        ("The board approved the plan", 12, "The board…"),
        (CLAIM, 20, "وقال وزير المالية…"),
        ("Antidisestablishment", 8, "Antidis…"),
        ("a\tb", 5, "a\tb"),
    ],
)
def test_labels_are_cut_at_a_word_with_the_ellipsis_at_the_logical_end(
    text: str, width: int, cut: str
) -> None:
    assert fit_logical(text, width) == cut


def test_an_rtl_label_keeps_its_start_and_shows_the_ellipsis_at_the_visual_left() -> None:
    label = visual_label(CLAIM, 20)
    assert label.plain == visual("وقال وزير المالية…", Direction.RTL)
    assert label.plain.startswith(ELLIPSIS)
    assert label.cell_len <= 20
    assert label.justify == "right"


def test_an_ltr_label_ending_in_arabic_keeps_the_ellipsis_at_the_right() -> None:
    label = visual_label("Notes on " + CLAIM, 24)
    assert label.plain.endswith(ELLIPSIS)
    assert label.cell_len <= 24


def test_styles_follow_their_characters_into_visual_order() -> None:
    text = Text("ab ")
    text.append("جملة", style="bold")
    label = visual_label(text)
    bold = "".join(label.plain[span.start : span.end] for span in label.spans)
    assert bold == visual("جملة", Direction.RTL)


def test_an_isolated_rtl_tag_reads_as_one_word_with_its_hash_first() -> None:
    label = visual_label("✗ disputed  " + " ".join(isolated(t) for t in ["#اقتصاد", "#ضرائب"]))
    first, second = visual("#اقتصاد", Direction.RTL), visual("#ضرائب", Direction.RTL)
    assert label.plain == f"✗ disputed  {first} {second}"
    assert first.endswith("#")


def test_an_isolate_cannot_be_closed_from_inside() -> None:
    """A tag holding PDI or RLO shows them as marks; they do not reach the layout."""
    shown = isolated("#x\u2069\u202e")
    assert shown.count("\u2069") == 1 and "\u202e" not in shown


def test_labels_draw_no_control_character_and_spell_tag_characters() -> None:
    label = visual_label("ok\x1b[2J\U000e006e\U000e006f\nnext")
    assert "\x1b" not in label.plain and "\n" not in label.plain
    assert "⌜TAG:no⌝" in label.plain


def test_rows_wrap_each_line_as_a_paragraph_of_its_own_direction() -> None:
    rows = [row.plain for row in visual_rows("سطر أول طويل جدا\nsecond line here", 10)]
    assert rows[-2:] == ["second", "line here"]
    assert all(len(row) <= 10 for row in rows)
    assert rows[0].endswith(visual("سطر", Direction.RTL))


def test_terminal_bidi_sends_labels_in_logical_order() -> None:
    assert visual_label(CLAIM, 0, TERMINAL_BIDI).plain == CLAIM
