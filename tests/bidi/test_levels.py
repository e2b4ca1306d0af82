"""Levels for the whole paragraph, read from python-bidi's Rust core."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidi import get_display
from tuireader.bidi import levels
from tuireader.bidi.layout import layout_text
from tuireader.bidi.levels import REMOVED_BY_X9, BidiEngineError, resolve_levels
from tuireader.bidi.reorder import reset_trailing_levels, visual_order
from tuireader.bidi.shaping import shape_text
from tuireader.bidi.simple_levels import simple_levels
from tuireader.cli import main
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


@settings(max_examples=300, deadline=None, derandomize=True)
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
    engine = levels._levels_from_engine("عام 2019", 1)
    assert engine.classes is not None and engine.classes[4] == "EN"


def test_arabic_prose_with_numbers_needs_no_engine() -> None:
    text = "زار روسيا في ٢٠١٩-٢٠٢٠ و2023 بنسبة 14.5%"
    resolved = resolve_levels(text, None)
    assert resolved.classes is None
    assert resolved.levels == levels._levels_from_engine(text, None).levels


_NUMERIC_ARABIC = (
    "ابتلمنهوي"
    + "\u064e\u0651"
    + "0123456789"
    + "٠١٢٣٤٥٦٧٨٩٫٬"
    + "۰۱۲۳۴۵۶۷۸۹"
    + "%$#٪+-,./:\u00a0\u202f\u060c"
    + " «»()!؟؛"
)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    text=st.text(alphabet=_NUMERIC_ARABIC, max_size=40),
    direction=st.sampled_from([None, Direction.RTL]),
)
def test_the_numeric_fast_path_gives_the_engines_levels(
    text: str, direction: Direction | None
) -> None:
    """Issue 10: Arabic prose with numbers of any script is resolved without the
    engine; where the fast path answers, it answers what the engine does."""
    fast = resolve_levels.__wrapped__(text, direction)
    engine = levels._levels_from_engine(text, levels.base_level_of(direction))
    assert fast.base_level == engine.base_level
    assert fast.levels == engine.levels


_MIXED_PROSE = _NUMERIC_ARABIC + "abcXYZé" + "שלוםא" + "\u05b8" + "()[]" + "\u0300" + "&*=_'\""


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(
    text=st.text(alphabet=_MIXED_PROSE, max_size=50),
    direction=st.sampled_from([None, Direction.RTL, Direction.LTR]),
)
def test_the_regex_resolver_gives_the_engines_levels(
    text: str, direction: Direction | None
) -> None:
    """Issue 10: paragraphs mixing Arabic, Hebrew, Latin, digits of three scripts,
    marks and punctuation are resolved by substitutions (`simple_levels`); wherever it
    answers, it answers what python-bidi's engine does, paragraph level included."""
    found = simple_levels(text, levels.base_level_of(direction))
    engine = levels._levels_from_engine(text, levels.base_level_of(direction))
    if found is not None:
        assert found == (engine.base_level, engine.levels)


def test_the_regex_resolver_leaves_brackets_beside_latin_to_the_engine() -> None:
    assert simple_levels("قال (Reuters) إن", None) is None
    assert simple_levels("قال (رويترز) إن", None) is not None
    assert simple_levels("said (Reuters)", 0) is None


def test_the_numeric_fast_path_takes_the_common_cases() -> None:
    """It must not give up on what Arabic news is made of (the engine is 5x slower)."""
    for text in [
        "عام 2019",
        "بنسبة 14.5%",
        "٢٠١٩-٢٠٢٠ عام",
        "سعر 100\u00a0دولار",
        "۱۴۰۰/۵ روز",
        "طائرات من طراز «Su-35» و«Su-57» الحديثة",
        "The summit in فوستوشني lasted 2 days.",
    ]:
        assert simple_levels(text, None) is not None, text


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


@pytest.fixture
def fresh_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test that breaks the engine starts and leaves with empty caches and an
    unchecked engine, so no other test sees a fallback it made."""

    def clear() -> None:
        resolve_levels.cache_clear()
        layout_text.cache_clear()
        shape_text.cache_clear()

    monkeypatch.setattr(levels, "_engine_checked", False)
    monkeypatch.setattr(levels, "_engine_problem", None)
    clear()
    yield
    clear()


DUMP_WORDS = [
    "BidiInfo {",
    'text: "',
    "original_classes: [",
    "levels: [",
    "paragraphs: [",
    "ParagraphInfo {",
    "range: 0..9,",
    "level: Level(",
    "Level(",
    "),",
    "],",
    "},",
    "}",
    "        L,",
    "        R,",
    "            1,",
    '"',
    '",',
    "\\",
    '\\"',
    "\\n",
    "\\u{2028}",
    "\u2028",
    "\t",
    "[",
    "]",
    "(",
    ")",
    " ",
    "  ",
    "عربي",
    "\u05d0\u05d1",
    "2019",
    "\u0661\u0662",
    "-",
    "%",
    "\u064e",
    "\u0301",
    "\u202e",
    "\u202b",
    "\u202c",
    "\u2067",
    "\u2069",
    "\u200f",
    "\u200d",
]
"""Pieces of python-bidi's dump (every field name, quotes, backslashes, escapes and
look-alikes of line ends) and text that makes levels interesting. No paragraph
separator (B): a Paragraph never holds one, and `get_display` would start a new
paragraph with a level of its own there."""


def _class_preserving(text: str) -> str:
    """The text with every ASCII letter made an `x` (class L, like them): the same
    levels, and no field name of the dump left in it."""
    return re.sub("[A-Za-z]", "x", text)


def _visual_from_levels(text: str, direction: Direction | None) -> str:
    """L1 and L2 over the whole text as one line, from our levels (X9 characters out)."""
    resolved = resolve_levels.__wrapped__(text, direction)
    classes = resolved.classes or ("L",) * len(text)
    kept = [i for i, cls in enumerate(classes) if cls not in REMOVED_BY_X9]
    line = [resolved.levels[i] for i in kept]
    reset_trailing_levels(line, [classes[i] for i in kept], resolved.base_level)
    return _without_x9("".join(text[kept[k]] for k in visual_order(line)))


def _visual_from_get_display(text: str, direction: Direction | None) -> str:
    """python-bidi's own visual string, never through the dump (X9 characters out)."""
    base_dir = None if direction is None else ("R" if direction is Direction.RTL else "L")
    return _without_x9(get_display(text, base_dir=base_dir))


def _without_x9(text: str) -> str:
    """Characters X9 removes have no place in the order (and the fast paths keep no
    classes to find them by)."""
    return "".join(c for c in text if unicodedata.bidirectional(c) not in REMOVED_BY_X9)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    words=st.lists(st.sampled_from(DUMP_WORDS), min_size=1, max_size=30),
    direction=st.sampled_from([None, Direction.LTR, Direction.RTL]),
)
def test_text_made_of_the_dumps_own_words_cannot_fool_the_levels(
    words: list[str], direction: Direction | None
) -> None:
    """Issue 9: the dump starts with the paragraph's text, so the text must not be
    able to pass for the dump's fields. The levels are checked against two
    independent answers: the same text with its letters replaced (a different dump,
    the same classes), and python-bidi's own visual order (no dump at all)."""
    text = "".join(words)
    resolved = resolve_levels.__wrapped__(text, direction)
    assert resolved.engine_error == ""
    assert len(resolved.levels) == len(text)
    assert resolved.classes is None or len(resolved.classes) == len(text)
    twin = resolve_levels.__wrapped__(_class_preserving(text), direction)
    assert (twin.base_level, twin.levels) == (resolved.base_level, resolved.levels)
    assert _visual_from_levels(text, direction) == _visual_from_get_display(text, direction)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    words=st.lists(
        st.sampled_from([*DUMP_WORDS, "\n", "\u2029", "\x1c", "\x85", "\ud800"]),
        min_size=1,
        max_size=20,
    )
)
def test_any_text_gets_one_level_per_character_and_never_an_exception(words: list[str]) -> None:
    """Paragraph separators (several engine paragraphs) and lone surrogates (no
    UTF-8 at all) included: a level for every character, or the fallback."""
    text = "".join(words)
    for direction in (None, Direction.RTL):
        resolved = resolve_levels.__wrapped__(text, direction)
        assert len(resolved.levels) == len(text)


def test_a_paragraph_that_quotes_the_dump_is_laid_out_by_the_engine() -> None:
    """Issue 9: `original_classes: [` in a paragraph made `render` exit 2."""
    text = 'قال: original_classes: [ L, ], levels: [ Level( 0, ), ] "\\" 2019'
    resolved = resolve_levels(text, None)
    assert resolved.engine_error == ""
    twin = resolve_levels(_class_preserving(text), None)
    assert resolved.levels == twin.levels and resolved.base_level == 1


def test_render_prints_a_paragraph_that_quotes_the_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9: the CLI path exits 0 and prints the paragraph."""
    article = tmp_path / "article.txt"
    article.write_text(
        "Notes on python-bidi\n\nIts dump reads original_classes: [ then levels: [ "
        "Level( 0, ), ] for the text «مرحبا بكم» and more.\n",
        encoding="utf-8",
    )
    assert main(["render", "--width", "0", str(article)]) == 0
    out = capsys.readouterr().out
    assert "Its dump reads original_classes: [ then levels: [ Level( 0, ), ]" in out


def _broken_engine(*args: object, **kwargs: object) -> str:
    raise ValueError("simulated engine failure")


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic: not an Exception."""


@pytest.mark.usefixtures("fresh_engine")
@pytest.mark.parametrize(
    "engine",
    [
        _broken_engine,
        lambda *args, **kwargs: get_display("short", debug=True),  # the wrong length
        lambda *args, **kwargs: get_display(*args, **kwargs).replace("Level(", "Lvl("),
        lambda *args, **kwargs: (_ for _ in ()).throw(PanicException("rust panicked")),
    ],
    ids=["raises", "wrong-length", "changed-format", "panics"],
)
def test_a_failing_engine_falls_back_for_that_paragraph_only(
    monkeypatch: pytest.MonkeyPatch, engine: Callable[..., object]
) -> None:
    """Issue 9: logical order in the paragraph's direction, and a reason on every row."""
    real = get_display

    def engine_failing_on_abc(
        text: str, base_dir: str | None = None, debug: bool = False
    ) -> object:
        if "abc" in text:  # not in the self-test's samples
            return engine(text, base_dir=base_dir, debug=debug)
        return real(text, base_dir=base_dir, debug=debug)

    monkeypatch.setattr(levels, "get_display", engine_failing_on_abc)
    # The RLM keeps the paragraph from the regex resolver: the engine is asked.
    broken = resolve_levels("\u05d0\u05d1 abc 12\u200f", None)
    assert broken.base_level == 1 and set(broken.levels) == {1}
    assert "bidi engine failed" in broken.engine_error
    (row,) = layout_text("\u05d0\u05d1 abc 12\u200f", 0, Direction.RTL, 0)
    assert row.fallback == broken.engine_error
    assert row.text == "21 cba \u05d1\u05d0"  # logical order, read right to left
    fine = layout_text("عام 2019 كان", 0, Direction.RTL, 0)
    assert fine[0].fallback == ""
    assert resolve_levels("عام 2019 كان", None).levels == bytes([1] * 4 + [2] * 4 + [1] * 4)


@pytest.mark.usefixtures("fresh_engine")
def test_a_changed_engine_falls_back_on_every_paragraph_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(levels, "get_display", lambda *args, **kwargs: "something else")
    resolved = resolve_levels("abc \u05d0\u200f", None)
    assert resolved.levels == bytes(6)
    assert "install python-bidi==0.6.12" in resolved.engine_error


@pytest.mark.usefixtures("fresh_engine")
def test_the_reason_of_a_fallback_holds_no_control_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def engine(text: str, base_dir: str | None = None, debug: bool = False) -> object:
        if "abc" in text:
            raise ValueError("bad \x1b]52;c;AAAA\x07 \u202e text")
        return get_display(text, base_dir=base_dir, debug=debug)

    monkeypatch.setattr(levels, "get_display", engine)
    reason = resolve_levels("\u05d0 abc\u200f", None).engine_error
    assert "bidi engine failed" in reason
    assert all(c.isprintable() for c in reason)


def test_text_longer_than_the_engine_takes_is_resolved_in_pieces() -> None:
    """The dump is ~75 bytes per UTF-8 byte: a megabyte never goes in at once."""
    unit = "قال 2019 إن Reuters\u200f ذكرت "  # the RLM: for the engine
    text = unit * (levels.MAX_ENGINE_CHARS * 3 // len(unit))
    whole = resolve_levels.__wrapped__(text, None)
    assert whole.engine_error == "" and whole.base_level == 1
    assert len(whole.levels) == len(text)
    assert whole.levels[: len(unit) * 10] == resolve_levels(unit * 10, None).levels


def test_classes_are_shared_strings_not_one_per_character() -> None:
    """Memory: a class is an 8-byte reference to one of BIDI_CLASSES."""
    resolved = resolve_levels.__wrapped__("عام 2019 و abc 2020\u200f", None)
    assert resolved.classes is not None
    assert all(c is levels.BIDI_CLASSES[c] for c in resolved.classes)
