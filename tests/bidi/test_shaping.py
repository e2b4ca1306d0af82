"""Shaping with arabic-reshaper and the map from shaped characters back to logical text."""

from __future__ import annotations

import unicodedata

import pytest
from arabic_reshaper import ArabicReshaper
from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.bidi.shaping_faults import reshaper_failing_on
from tests.paths import SAMPLE
from tuireader.bidi.layout import layout_text
from tuireader.bidi.shaping import _WORD_SPLIT_RX, shape_text
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


def _library_reshaper() -> ArabicReshaper:
    """arabic-reshaper's own path, with its own ligature step, lam-alef only."""
    from arabic_reshaper.ligatures import LIGATURES

    lam_alef = {name for name, _ in LIGATURES if name.startswith("ARABIC LIGATURE LAM WITH ALEF")}
    lam_alef.discard("ARABIC LIGATURE LAM WITH ALEF MAKSURA")
    configuration: dict[str, object] = {name: name in lam_alef for name, _ in LIGATURES}
    configuration.update(language="Arabic", delete_harakat=True, support_zwj=True)
    return ArabicReshaper(configuration=configuration)


WITHOUT_ZWJ = ARABIC_ALPHABET.replace("\u200d", "") + "لالألإلآ"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=WITHOUT_ZWJ, max_size=60))
def test_words_shape_as_arabic_reshaper_shapes_the_whole_text(logical: str) -> None:
    """Shaping word by word, with our own lam-alef step, gives what the library gives
    for the whole text wherever the library works (text without ZWJ)."""
    assert shape_text(logical, harakat=False).text == _library_reshaper().reshape(logical)


class TestJoinersNextToLamAlef:
    """Unicode 23.2: ZWJ is join-causing, ZWNJ non-joining (issue 10)."""

    @pytest.mark.parametrize(
        ("logical", "shaped"),
        [
            # arabic-reshaper 3.1 raised IndexError on these two.
            ("\u200dلا", "\ufefc"),  # the lam joins the ZWJ: final lam-alef
            ("ب\u200dلا", "\ufe91\ufefc"),  # beh takes its initial form
            ("ب\u200d", "\ufe91"),  # the letter before ZWJ takes its joining form
            # The letter after it joins the ZWJ; alef has no form that joins forward.
            ("ا\u200dب", "\ufe8d\ufe90"),
            ("بب\u200dبلا", "\ufe91\ufe92\ufe92\ufefc"),
            ("ل\u200dا", "\ufedf\ufe8e"),  # joined, but no ligature across the ZWJ
            ("ب\u200cلا", "\ufe8f\u200c\ufefb"),  # ZWNJ breaks the join
            ("ل\u200cا", "\ufedd\u200c\ufe8d"),
        ],
    )
    def test_joiners_join_or_break_as_unicode_says(self, logical: str, shaped: str) -> None:
        result = shape_text(logical)
        assert (result.text, result.shaping_error) == (shaped, "")

    def test_spans_of_a_ligature_after_a_zwj_name_both_letters(self) -> None:
        result = shape_text("ب\u200dلا")
        assert list(zip(result.starts, result.ends, strict=True)) == [(0, 1), (2, 4)]


def test_a_reshaper_failure_leaves_one_word_unjoined_and_says_so() -> None:
    """Issue 10: a failure on one word used to show the whole paragraph unjoined."""
    with reshaper_failing_on("كتب"):
        shaped = shape_text("سلام كتب لا")
        assert shaped.text == "ﺳﻼﻡ كتب ﻻ"
        assert "shaping failed in 1 word" in shaped.shaping_error
        (row,) = layout_text("سلام كتب لا", 0, Direction.RTL, 0)
        assert row.fallback == shaped.shaping_error
    assert shape_text("سلام").shaping_error == ""


MIXED_WORD = st.text(
    alphabet="ابتجدرسعلمنهويةأإآىءپکیـ" + "\u064e\u0650\u0651\u0652" + "\u200d\u200c",
    min_size=1,
    max_size=8,
) | st.sampled_from(["لا", "الأ", "\u200dلا", "ب\u200dلا", "لَا", "ل\u200cا"])
OTHER_WORD = st.text(alphabet="abcXYZ0123٠١٢۴۵", min_size=1, max_size=6)
SEPARATOR = st.sampled_from([" ", "  ", ", ", " (", ") ", "\u200f", " \u2067", "\u2069 ", "-"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    words=st.lists(MIXED_WORD | OTHER_WORD, min_size=1, max_size=12),
    separators=st.lists(SEPARATOR, min_size=12, max_size=12),
    failing=st.integers(min_value=0, max_value=11),
)
def test_a_failing_word_never_costs_another_word_its_shaping(
    words: list[str], separators: list[str], failing: int
) -> None:
    """Random mixed paragraphs: nothing raises, and every word but the failing one is
    shaped exactly as it is on its own."""
    paragraph = "".join(w + s for w, s in zip(words, separators, strict=False))
    alone = {word: shape_text(word).text for word in words}
    bad = (_runs(words[failing % len(words)]) or [""])[0]
    with reshaper_failing_on(bad):
        shaped = shape_text(paragraph)
        for row in layout_text(paragraph, 0, Direction.RTL, 7):
            assert row.start <= row.end
    position = 0
    for word, separator in zip(words, separators, strict=False):
        got = [
            char
            for char, start in zip(shaped.text, shaped.starts, strict=True)
            if position <= start < position + len(word)
        ]
        if bad not in _runs(word):
            assert "".join(got) == alone[word], f"{word!r} in {paragraph!r}"
        position += len(word) + len(separator)
    assert ("shaping failed" in shaped.shaping_error) == (bad != "")


def _runs(word: str) -> list[str]:
    """The letters the reshaper is given for each run of Arabic letters in a word."""
    return list(filter(None, (HARAKAT_RE.sub("", run) for run in _WORD_SPLIT_RX.findall(word))))


def test_every_letter_the_reshaper_knows_shapes_in_every_position_without_error() -> None:
    """The check of the reshaper's output (`_LETTER_OF_FORM`) accepts each of its forms."""
    from arabic_reshaper.letters import LETTERS_ARABIC

    for letter in LETTERS_ARABIC:
        if letter == "\u200d":
            continue
        for word in (letter, "ب" + letter, letter + "ب", "ب" + letter + "ب", letter * 3):
            assert shape_text.__wrapped__(word).shaping_error == "", f"U+{ord(letter):04X}"
