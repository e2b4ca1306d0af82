"""UAX #9 embedding levels for a whole paragraph, from python-bidi's conformant Rust core."""

from __future__ import annotations

import re
from typing import NamedTuple

from bidi import get_display
from tuireader.bidi.cache import byte_lru_cache
from tuireader.bidi.simple_levels import simple_levels
from tuireader.text.direction import first_strong_direction
from tuireader.text.document import Direction

# python-bidi's public `get_display` returns only a string. Its debug mode returns the
# Rust `BidiInfo` as a `{:#?}` dump, holding one class and one level per UTF-8 byte,
# *before* rule L1. It is the only route to levels from a fully conformant engine, but it
# is not an API: the version is pinned in pyproject and `_self_test` proves the format on
# first use; if it fails, every paragraph that needs the engine falls back (see
# `ParagraphLevels.engine_error`) instead of laying out wrongly.
#
# The dump starts with the paragraph's own text, so a field name found by searching the
# dump may be the reader's text ("original_classes: [" in an article about python-bidi).
# Rust's Debug escapes every line feed inside a string (as `\n`), so the first line feed
# after the head ends the text field: everything after it is the engine's own, and the
# fields are read only there, each at the place the format puts it.
_DUMP_HEAD = 'BidiInfo {\n    text: "'
_TEXT_END = '",'
_CLASSES_OPEN = "\n    original_classes: [\n"
_LEVELS_OPEN = "\n    ],\n    levels: [\n"
_PARAGRAPHS_OPEN = "\n    ],\n    paragraphs: [\n"
_DUMP_TAIL = "\n    ],\n}"
_LEVEL_RX = re.compile(r"Level\(\s*(\d+),")
_CLASS_RX = re.compile(r"^ +([A-Z]+),$", re.MULTILINE)
_PARAGRAPH_LEVEL_RX = re.compile(r"\n {12}level: Level\(\n {16}(\d+),")
BIDI_CLASSES = {
    name: name
    for name in (
        "L R AL EN ES ET AN CS NSM BN B S WS ON LRE LRO RLE RLO PDF LRI RLI FSI PDI".split()
    )
}
"""The Bidi_Class values, each one string object: a paragraph's classes are a tuple of
references to these (8 bytes a character), not one new string per character."""
MAX_LEVEL = 126
"""UAX #9 BD2: max_depth 125, and an isolate's content can be one more."""
MAX_ENGINE_CHARS = 32_768
"""Longer text goes to the engine in pieces: its dump is ~75 bytes per UTF-8 byte, so a
megabyte would cost gigabytes (documents cut paragraphs at 16,384 characters anyway)."""
_CHAR_START_RX = re.compile(rb"[^\x80-\xbf]")

# Characters that can make a level odd or raise it: R, AL, AN, RLM, ALM and the explicit
# embedding, override and isolate controls. Text without any of them in an LTR paragraph
# has every level 0 and needs no engine at all: the common case for Latin text.
_RTL_RX = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u061c\u202a-\u202e\u2066-\u2069"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)

# Arabic letters (AL) and harakat (NSM) from the long-stable part of the Arabic block,
# and ASCII, guillemet and Arabic punctuation that is neutral or weak (WS, ON, CS, ES,
# ET): no L, no digits (EN, AN), no controls. In a paragraph of level 1 made only of
# these, every neutral sits between R and R (sos and eos are R) and every mark follows
# an R, so every level is 1 (N1, W1), before L1 and after it: the common case for
# Arabic prose, with no engine call.
_PURE_RTL_RX = re.compile(
    "[ -/:-@\\[-`{-~\u00ab\u00bb\u060c\u061b\u061f\u0621-\u065f\u0670-\u06d5]*"
)
_ARABIC_LETTER_RX = re.compile("[\u0621-\u064a\u0671-\u06d5]")


REMOVED_BY_X9 = frozenset({"RLE", "LRE", "RLO", "LRO", "PDF", "BN"})
"""Classes that rule X9 removes: they have no level and are never displayed."""

TRAILING_RESET = frozenset({"WS", "FSI", "LRI", "RLI", "PDI"}) | REMOVED_BY_X9
"""Classes that rule L1 resets to the paragraph level before a separator or line end."""

SEPARATORS = frozenset({"S", "B"})


class BidiEngineError(RuntimeError):
    """python-bidi's output is not what this module was written against."""


class ParagraphLevels(NamedTuple):
    """Resolved levels of one paragraph, one entry per code point, before rule L1."""

    base_level: int
    """0 for an LTR paragraph, 1 for RTL."""
    levels: bytes
    classes: tuple[str, ...] | None
    """Original Bidi_Class of each code point; None when L1 can change no level a row
    shows: Latin text without RTL content, Arabic prose with numbers but without Latin
    (its spaces, the only characters L1 could move, already sit at level 1)."""
    engine_error: str = ""
    """Why the engine gave no levels for this paragraph, or "" when it did. Then every
    level is the paragraph's own: its characters are shown in logical order, read in
    the paragraph's direction, and the reader should be told."""


def base_level_of(direction: Direction | None) -> int | None:
    """Map a forced direction to python-bidi's paragraph level (None: rules P2-P3)."""
    if direction is None:
        return None
    return 1 if direction is Direction.RTL else 0


def _levels_size(resolved: ParagraphLevels) -> int:
    """Bytes a cached ParagraphLevels holds: its levels, and 8 a class reference."""
    classes = resolved.classes
    return 120 + len(resolved.levels) + (56 + 8 * len(classes) if classes is not None else 0)


LEVELS_CACHE_BYTES = 16 * 1024 * 1024
"""About 1.6 million characters of mixed-direction text (~10 bytes each)."""


@byte_lru_cache(LEVELS_CACHE_BYTES, _levels_size)
def resolve_levels(text: str, direction: Direction | None = None) -> ParagraphLevels:
    """Resolve the UAX #9 levels of a whole paragraph.

    Levels come from the whole paragraph, never from a wrapped line: a number that
    starts a line takes its type from the Arabic before it (W2: EN becomes AN).

    Never raises: when the engine fails on a paragraph, that paragraph gets its own
    level throughout and `engine_error` says why (see `ParagraphLevels`).

    Args:
        text: One paragraph, without paragraph separators inside.
        direction: The paragraph direction, or None for the first strong character.

    Returns:
        Levels before L1 (L1 depends on where lines end, so layout applies it).
    """
    if direction is not Direction.RTL and not _RTL_RX.search(text):
        return ParagraphLevels(0, bytes(len(text)), None)
    if (
        direction is not Direction.LTR
        and _PURE_RTL_RX.fullmatch(text)
        # A forced RTL paragraph has level 1; otherwise its first letter decides (P2).
        and (direction is Direction.RTL or _ARABIC_LETTER_RX.search(text))
    ):
        return ParagraphLevels(1, b"\x01" * len(text), None)
    # Prose without controls: W1-I2 by regex (`simple_levels`), no engine.
    simple = simple_levels(text, base_level_of(direction))
    if simple is not None:
        return ParagraphLevels(simple[0], simple[1], None)
    if direction is None and len(text) > MAX_ENGINE_CHARS:
        # The pieces must agree on the paragraph's direction: the whole text's P2-P3.
        direction = first_strong_direction(text) or Direction.LTR
    try:
        _ensure_engine_works()
        return _levels_in_pieces(text, base_level_of(direction))
    except Exception as err:  # Any failure: the paragraph falls back.
        return _fallback_levels(text, direction, err)
    except BaseException as err:
        # pyo3 turns a Rust panic into PanicException, a BaseException.
        if type(err).__name__ != "PanicException":
            raise
        return _fallback_levels(text, direction, err)


def _fallback_levels(text: str, direction: Direction | None, err: BaseException) -> ParagraphLevels:
    """Every character at the paragraph's own level: logical order, never a crash."""
    if direction is None:
        direction = first_strong_direction(text) or Direction.LTR
    level = 1 if direction is Direction.RTL else 0
    reason = f"bidi engine failed ({type(err).__name__}: {err})"
    if len(reason) > 200:
        reason = reason[:199] + "\u2026"
    # The reason reaches the status bar: nothing in it may be a control (an exception's
    # message can quote the text).
    reason = "".join(c if c.isprintable() else "\ufffd" for c in reason)
    return ParagraphLevels(level, bytes([level]) * len(text), None, reason)


def _levels_in_pieces(text: str, base_level: int | None) -> ParagraphLevels:
    """The engine's levels, one piece of at most MAX_ENGINE_CHARS at a time, cut after
    a space where there is one (levels flow across no cut: only text far longer than
    any paragraph of a document is cut)."""
    if len(text) <= MAX_ENGINE_CHARS:
        return _levels_from_engine(text, base_level)
    levels = bytearray()
    classes: list[str] = []
    first = 0
    while first < len(text):
        cut = len(text)
        if cut - first > MAX_ENGINE_CHARS:
            cut = first + MAX_ENGINE_CHARS
            space = text.rfind(" ", first + MAX_ENGINE_CHARS // 2, cut)
            if space >= 0:
                cut = space + 1
        piece = _levels_from_engine(text[first:cut], base_level)
        levels += piece.levels
        classes += piece.classes or ()
        first = cut
    return ParagraphLevels(base_level or 0, bytes(levels), tuple(classes))


def _levels_from_engine(text: str, base_level: int | None) -> ParagraphLevels:
    if not text:
        return ParagraphLevels(base_level or 0, b"", ())
    base_dir = None if base_level is None else ("R" if base_level else "L")
    encoded = text.encode("utf-8")
    dump = get_display(text, base_dir=base_dir, debug=True)
    paragraph_level, byte_levels, byte_classes = _parse_dump(dump, len(encoded))
    starts = [m.start() for m in _CHAR_START_RX.finditer(encoded)]
    if len(starts) != len(text):
        raise BidiEngineError(f"{len(starts)} characters in the UTF-8 of {len(text)}")
    try:
        levels = bytes(int(byte_levels[i]) for i in starts)
        classes = tuple(BIDI_CLASSES[byte_classes[i]] for i in starts)
    except (KeyError, ValueError) as err:
        raise BidiEngineError(f"python-bidi gave an unknown class or level: {err}") from err
    if max(levels, default=0) > MAX_LEVEL:
        raise BidiEngineError(f"python-bidi gave level {max(levels)}")
    return ParagraphLevels(paragraph_level, levels, classes)


def _parse_dump(dump: object, byte_count: int) -> tuple[int, list[str], list[str]]:
    """(paragraph level, one level and one class per UTF-8 byte) from the debug dump.

    Every field is read after the end of the text field (see the comment at the top),
    and the dump must have exactly the shape `_self_test` proved.

    Raises:
        BidiEngineError: The dump is not of that shape.
    """
    if not isinstance(dump, str) or not dump.startswith(_DUMP_HEAD):
        raise BidiEngineError("python-bidi's debug output does not start with its text")
    text_end = dump.find("\n", len(_DUMP_HEAD))
    if (
        text_end < 0
        or not dump.startswith(_TEXT_END, text_end - len(_TEXT_END))
        or not dump.startswith(_CLASSES_OPEN, text_end)
        or not dump.endswith(_DUMP_TAIL)
    ):
        raise BidiEngineError("python-bidi's debug output has no classes after its text")
    classes_at = text_end + len(_CLASSES_OPEN)
    levels_at = dump.find(_LEVELS_OPEN, classes_at)
    paragraphs_at = dump.find(_PARAGRAPHS_OPEN, max(levels_at, 0))
    if levels_at < 0 or paragraphs_at < 0:
        raise BidiEngineError("python-bidi's debug output has no levels or paragraphs")
    byte_classes = _CLASS_RX.findall(dump, classes_at, levels_at)
    byte_levels = _LEVEL_RX.findall(dump, levels_at, paragraphs_at)
    if len(byte_levels) != byte_count or len(byte_classes) != byte_count:
        raise BidiEngineError(
            f"python-bidi gave {len(byte_levels)} levels and {len(byte_classes)} classes "
            f"for {byte_count} bytes"
        )
    paragraph = _PARAGRAPH_LEVEL_RX.search(dump, paragraphs_at)
    if paragraph is None:
        raise BidiEngineError("python-bidi's debug output has no paragraph level")
    return int(paragraph.group(1)), byte_levels, byte_classes


_engine_problem: str | None = None
_engine_checked = False


def _ensure_engine_works() -> None:
    """Run `_self_test` once; remember its verdict, so a broken engine costs one try."""
    global _engine_checked, _engine_problem
    if not _engine_checked:
        try:
            _self_test()
        except BidiEngineError as err:
            _engine_problem = str(err)
        _engine_checked = True
    if _engine_problem is not None:
        raise BidiEngineError(_engine_problem)


def _self_test() -> None:
    """Prove the dump format on a paragraph whose levels are known (UAX #9 W2, N1, I2)."""
    sample = "a \u05d0\u05d1 12 (\u0627)"
    expected_levels = bytes([0, 0, 1, 1, 1, 2, 2, 1, 1, 1, 1])
    expected_classes = ("L", "WS", "R", "R", "WS", "EN", "EN", "WS", "ON", "AL", "ON")
    try:
        got = _levels_from_engine(sample, None)
        rtl = _levels_from_engine("\u05d0 b", 0)
    except BidiEngineError as err:
        raise BidiEngineError(
            f"python-bidi's debug output changed ({err}); install python-bidi==0.6.12"
        ) from err
    if (
        got.base_level != 0
        or got.levels != expected_levels
        or got.classes != expected_classes
        or rtl.levels != bytes([1, 0, 0])
    ):
        raise BidiEngineError(
            "python-bidi's debug output changed meaning; install python-bidi==0.6.12"
        )
