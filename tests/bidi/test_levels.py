"""Levels for the whole paragraph, read from python-bidi's Rust core."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.bidi import levels
from tuireader.bidi.levels import BidiEngineError, resolve_levels
from tuireader.text.document import Direction

RAISES_LEVELS = {"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "LRI", "RLI", "FSI", "PDF", "PDI"}


def test_the_latin_fast_path_misses_no_character_that_could_raise_a_level() -> None:
    """Text without a match of _RTL_RX skips the engine, so the regex must cover
    every character whose class could make a level other than 0."""
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.bidirectional(chr(code)) in RAISES_LEVELS
        and not levels._RTL_RX.match(chr(code))
    ]
    assert missed == []


def test_the_arabic_fast_path_admits_only_classes_that_stay_at_level_one() -> None:
    """Every character _PURE_RTL_RX admits is AL, NSM or neutral/weak without numbers."""
    admitted = {
        unicodedata.bidirectional(chr(code))
        for code in range(0x10000)
        if levels._PURE_RTL_RX.fullmatch(chr(code))
    }
    assert admitted <= {"AL", "NSM", "WS", "ON", "CS", "ES", "ET"}


_PURE_ARABIC = [chr(c) for c in range(0x10000) if levels._PURE_RTL_RX.fullmatch(chr(c))]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(_PURE_ARABIC), max_size=40),
    direction=st.sampled_from([None, Direction.RTL]),
)
def test_the_arabic_fast_path_gives_the_engines_levels(
    text: str, direction: Direction | None
) -> None:
    fast = resolve_levels.__wrapped__(text, direction)
    engine = levels._levels_from_engine(text, levels.base_level_of(direction))
    assert fast.base_level == engine.base_level
    assert fast.levels == engine.levels


def test_number_after_arabic_takes_arabic_level() -> None:
    """W2: EN after AL becomes AN, which sits at level 2 in an RTL paragraph."""
    resolved = resolve_levels("عام 2019", Direction.RTL)
    assert list(resolved.levels) == [1, 1, 1, 1, 2, 2, 2, 2]
    assert resolved.classes is not None and resolved.classes[4] == "EN"


def test_forced_direction_overrides_the_first_strong_character() -> None:
    assert resolve_levels("abc", Direction.RTL).base_level == 1
    assert resolve_levels("مرحبا", Direction.LTR).base_level == 0
    assert resolve_levels("مرحبا", None).base_level == 1


def test_latin_text_needs_no_engine() -> None:
    resolved = resolve_levels("plain English text", None)
    assert resolved.classes is None
    assert set(resolved.levels) == {0}


def test_a_changed_debug_format_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levels, "get_display", lambda *args, **kwargs: "something else")
    with pytest.raises(BidiEngineError):
        levels._self_test()


def test_the_self_test_passes_with_the_pinned_python_bidi() -> None:
    levels._self_test()
