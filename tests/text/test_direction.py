"""Tests for a paragraph's base direction (UAX #9 P2-P3)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.text.direction import first_strong_direction
from tuireader.text.document import Direction
from tuireader.text.structure import paragraph_direction

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LTR, RTL = Direction.LTR, Direction.RTL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", LTR),
        ("مرحبا", RTL),
        ("שלום", RTL),
        ("سلام دنیا", RTL),
        ("2024 - مرحبا", RTL),
        ("«Hello» قال", LTR),
        ("(١٢٣) مرحبا hello", RTL),
        (f"{RLI}مرحبا{PDI} hello", LTR),
        (f"{LRI}hello{PDI} مرحبا", RTL),
        (f"{FSI}{LRI}a{PDI}ب{PDI} c", LTR),
        (f"{PDI}مرحبا", RTL),
        ("\u202bhello", LTR),
        ("\u200fhello", RTL),
        ("0123456789 " * 20 + "مرحبا", RTL),
        ("... " * 30 + f"{RLI}" + "ب" * 100 + f"{PDI} ok", LTR),
    ],
)
def test_first_strong_character_decides(text: str, expected: Direction) -> None:
    assert paragraph_direction(text, Direction.LTR) == expected
    assert paragraph_direction(text, Direction.RTL) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024",
        "... !!! ...",
        "12:30 - 14:00",
        f"{RLI}مرحبا",
        f"{LRI}hello{PDI} 2024",
        "1 " * 200,
    ],
)
def test_text_without_strong_character_takes_the_default(text: str) -> None:
    assert paragraph_direction(text, Direction.RTL) is Direction.RTL
    assert paragraph_direction(text, Direction.LTR) is Direction.LTR
    assert first_strong_direction(text) is None


def test_astral_strong_character_after_a_long_neutral_run_counts() -> None:
    # U+1E900 ADLAM CAPITAL LETTER ALIF is R; U+1D400 MATHEMATICAL BOLD CAPITAL A is L.
    assert first_strong_direction("1 " * 100 + "\U0001e900") is Direction.RTL
    assert first_strong_direction("\U0001f600 " * 100 + "\U0001d400") is Direction.LTR


def _reference(text: str) -> Direction | None:
    """P2-P3 character by character, as UAX #9 words it."""
    depth = 0
    for char in text:
        bidi_class = unicodedata.bidirectional(char)
        if bidi_class in ("LRI", "RLI", "FSI"):
            depth += 1
        elif bidi_class == "PDI":
            depth = max(depth - 1, 0)
        elif depth == 0 and bidi_class == "L":
            return Direction.LTR
        elif depth == 0 and bidi_class in ("R", "AL"):
            return Direction.RTL
    return None


NEUTRAL_HEAVY = st.text(
    alphabet=st.sampled_from(list("0123456789 .,-()«»٠١٢") + [LRI, RLI, FSI, PDI, "a", "ب", "א"])
    | st.characters(),
    max_size=300,
)


@given(NEUTRAL_HEAVY)
def test_fast_scan_agrees_with_the_rule_read_literally(text: str) -> None:
    assert first_strong_direction(text) == _reference(text)


def test_paragraph_without_a_strong_character_takes_the_documents_direction() -> None:
    """Issue 10: UAX #9 P3 would make `٪٩٦٤٨٣` LTR; we apply HL1 instead, so a line of
    figures in an Arabic article is right-aligned with the prose around it."""
    from tuireader.text.loading import decode_text
    from tuireader.text.structure import parse_plain

    def directions(text: str) -> list[Direction]:
        document = parse_plain(decode_text(text.encode(), "t.txt"), "t.txt")
        return [p.direction for p in document.paragraphs]

    assert directions("عنوان\n\nنص المقال هنا.\n\n٪٩٦٤٨٣\n\n2019-2020") == [RTL] * 4
    assert directions("Title\n\nThe text here.\n\n٪٩٦٤٨٣") == [LTR] * 3
    # A document with no strong character at all follows P3: left to right.
    assert directions("٪٩٦٤٨٣\n\n123") == [LTR, LTR]
