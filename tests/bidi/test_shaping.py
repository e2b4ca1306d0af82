"""Shaping with arabic-reshaper and the map from shaped characters back to logical text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.paths import SAMPLE
from tuireader.bidi.layout import layout_text
from tuireader.bidi.shaping import shape_text
from tuireader.text.document import Direction

LAM_ALEF_FORMS = "\ufef5\ufef6\ufef7\ufef8\ufef9\ufefa\ufefb\ufefc"


def unshape(char: str) -> str:
    return unicodedata.normalize("NFKC", char) if "\ufb50" <= char <= "\ufeff" else char


@pytest.mark.parametrize(
    ("logical", "shaped"),
    [
        ("سلام", "ﺳﻼﻡ"),
        ("كتب", "ﻛﺘﺐ"),
        ("لأن", "ﻷﻥ"),
        ("بَيْت", "ﺑَﻴْﺖ"),
        ("پیام", "ﭘﯿﺎﻡ"),
        ("abc", "abc"),
    ],
)
def test_letters_join_and_harakat_stay(logical: str, shaped: str) -> None:
    assert shape_text(logical).text == shaped


def test_word_ligatures_are_off() -> None:
    """ﷲ is one code point that fonts draw wider than a cell."""
    assert "\ufdf2" not in shape_text("الله").text


def test_lam_alef_ligature_maps_to_both_letters_and_the_haraka_between() -> None:
    shaped = shape_text("لَا")
    assert shaped.text == "ﻻَ"
    assert list(zip(shaped.starts, shaped.ends, strict=True)) == [(0, 3), (1, 2)]


def test_without_harakat_the_marks_are_gone_and_letters_keep_their_offsets() -> None:
    shaped = shape_text("كَتَبَ", harakat=False)
    assert shaped.text == "ﻛﺘﺐ"
    assert list(shaped.starts) == [0, 2, 4]


def test_no_join_leaves_letters_alone() -> None:
    assert shape_text("سلام", join=False).text == "سلام"


ARABIC_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ"
    + "پچژگکی"
    + "\u064b\u064e\u064f\u0650\u0651\u0652\u0670"
    + "ـ\u200d\u200c ab1,"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ARABIC_ALPHABET, max_size=40))
def test_every_logical_character_is_shown_once_or_is_a_joiner(logical: str) -> None:
    """The map is a partition: each shaped character names the letters it shows."""
    shaped = shape_text(logical)
    covered: list[int] = []
    for char, start, end in zip(shaped.text, shaped.starts, shaped.ends, strict=True):
        letters = unshape(char)
        if len(letters) == 1:
            assert (start, end) == (start, start + 1)
            assert logical[start] == letters or unshape(logical[start]) == letters
            covered.append(start)
        else:
            assert char in LAM_ALEF_FORMS
            base = [i for i in range(start, end) if not unicodedata.combining(logical[i])]
            assert "".join(logical[i] for i in base) == letters
            covered.extend(base)
    missing = set(range(len(logical))) - set(covered)
    marks_inside = {
        i
        for i in missing
        if unicodedata.combining(logical[i])
        and any(s < i < e for s, e in zip(shaped.starts, shaped.ends, strict=True))
    }
    assert sorted(covered) == sorted(set(covered)), "a character is shown twice"
    assert {logical[i] for i in missing - marks_inside} <= {"\u200d"}


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ARABIC_ALPHABET, max_size=40))
def test_each_haraka_follows_the_glyph_of_its_letter(logical: str) -> None:
    shaped = shape_text(logical)
    carrier: tuple[int, int] | None = None
    for char, start, end in zip(shaped.text, shaped.starts, shaped.ends, strict=True):
        if not unicodedata.combining(char) and char not in "\u0670":
            carrier = (start, end)
            continue
        letters_before = [
            i
            for i in range(start)
            if not unicodedata.combining(logical[i]) and logical[i] != "\u200d"
        ]
        if not letters_before:
            assert carrier is None
        else:
            assert carrier is not None and carrier[0] <= letters_before[-1] < carrier[1]


def test_the_fast_settings_shape_as_arabic_reshapers_own_configuration_does() -> None:
    """`_make_reshaper` swaps the reshaper's ConfigParser section for a dict; the same
    settings through the library's own path must shape every letter the same."""
    from arabic_reshaper import ArabicReshaper

    from tuireader.bidi.shaping import _make_reshaper

    ours = _make_reshaper()
    theirs = ArabicReshaper(configuration=dict(ours.configuration))
    assert type(theirs.configuration) is not type(ours.configuration)
    text = (
        SAMPLE.read_text(encoding="utf-8")
        + " ـ\u200dلا \u200dب لإ لآ "
        + "".join(chr(c) for c in range(0x0600, 0x0700))
    )
    assert ours.reshape(text) == theirs.reshape(text)


def test_a_reshaper_failure_shows_the_paragraph_unjoined_and_says_so() -> None:
    """arabic-reshaper 3.1 raises IndexError for a ZWJ before a lam-alef: the letters
    stay, unjoined, and the rows carry the reason for the UI (issue 9)."""
    shaped = shape_text("\u200dلا")
    assert shaped.text == "لا"
    assert "shaping failed" in shaped.shaping_error
    (row,) = layout_text("\u200dلا", 0, Direction.RTL, 0)
    assert row.fallback == shaped.shaping_error
    assert shape_text("سلام").shaping_error == ""
