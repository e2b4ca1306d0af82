"""UAX #9 embedding levels for a whole paragraph, from python-bidi's conformant Rust core."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from bidi import get_display
from tuireader.text.document import Direction

# python-bidi's public `get_display` returns only a string. Its debug mode returns the
# Rust `BidiInfo` as a `{:#?}` dump, holding one class and one level per UTF-8 byte,
# *before* rule L1. It is the only route to levels from a fully conformant engine, but it
# is not an API: the version is pinned in pyproject and `_self_test` proves the format on
# first use, so an upgrade that changes it fails loudly instead of laying out wrongly.
_LEVEL_RX = re.compile(r"Level\(\s*(\d+),")
_CLASS_RX = re.compile(r"^ +([A-Z]+),$", re.MULTILINE)
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
    """Original Bidi_Class of each code point; None when every level already is the
    paragraph's own, so L1 can change none (Latin text without RTL content, Arabic
    prose without digits or Latin)."""


def base_level_of(direction: Direction | None) -> int | None:
    """Map a forced direction to python-bidi's paragraph level (None: rules P2-P3)."""
    if direction is None:
        return None
    return 1 if direction is Direction.RTL else 0


@lru_cache(maxsize=1024)
def resolve_levels(text: str, direction: Direction | None = None) -> ParagraphLevels:
    """Resolve the UAX #9 levels of a whole paragraph.

    Levels come from the whole paragraph, never from a wrapped line: a number that
    starts a line takes its type from the Arabic before it (W2: EN becomes AN).

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
    _ensure_engine_works()
    return _levels_from_engine(text, base_level_of(direction))


def _levels_from_engine(text: str, base_level: int | None) -> ParagraphLevels:
    base_dir = None if base_level is None else ("R" if base_level else "L")
    dump = get_display(text, base_dir=base_dir, debug=True)
    try:
        classes_at = dump.index("original_classes: [")
        levels_at = dump.index("levels: [", classes_at)
        paragraphs_at = dump.index("paragraphs: [", levels_at)
    except (ValueError, AttributeError) as err:
        raise BidiEngineError("python-bidi debug output has no classes/levels") from err
    byte_classes = _CLASS_RX.findall(dump, classes_at, levels_at)
    byte_levels = _LEVEL_RX.findall(dump, levels_at, paragraphs_at)
    encoded = text.encode("utf-8")
    if len(byte_levels) != len(encoded) or len(byte_classes) != len(encoded):
        raise BidiEngineError(
            f"python-bidi gave {len(byte_levels)} levels and {len(byte_classes)} classes "
            f"for {len(encoded)} bytes"
        )
    para_levels = _LEVEL_RX.findall(dump, paragraphs_at)
    starts = [m.start() for m in _CHAR_START_RX.finditer(encoded)]
    levels = bytes(int(byte_levels[i]) for i in starts)
    classes = tuple(byte_classes[i] for i in starts)
    paragraph_level = int(para_levels[0]) if para_levels else (base_level or 0)
    return ParagraphLevels(paragraph_level, levels, classes)


_engine_checked = False


def _ensure_engine_works() -> None:
    global _engine_checked
    if not _engine_checked:
        _self_test()
        _engine_checked = True


def _self_test() -> None:
    """Prove the dump format on a paragraph whose levels are known (UAX #9 W2, N1, I2)."""
    sample = "a \u05d0\u05d1 12 (\u0627)"
    got = _levels_from_engine(sample, None)
    expected_levels = bytes([0, 0, 1, 1, 1, 2, 2, 1, 1, 1, 1])
    expected_classes = ("L", "WS", "R", "R", "WS", "EN", "EN", "WS", "ON", "AL", "ON")
    rtl = _levels_from_engine("\u05d0 b", 0)
    if (
        got.base_level != 0
        or got.levels != expected_levels
        or got.classes != expected_classes
        or rtl.levels != bytes([1, 0, 0])
    ):
        raise BidiEngineError(
            "python-bidi's debug output changed meaning; install python-bidi==0.6.12"
        )
