"""A paragraph's base direction from its first strong character (UAX #9 rules P2-P3)."""

from __future__ import annotations

import functools
import re
import unicodedata

from tuireader.text.document import Direction

_STOP_CLASSES = frozenset({"L", "R", "AL", "LRI", "RLI", "FSI", "PDI"})
"""Bidi classes that P2 looks at: strong characters and isolate boundaries."""
_ISOLATE_INITIATORS = frozenset({"LRI", "RLI", "FSI"})
_ISOLATE_BOUNDARY_RE = re.compile("[\u2066-\u2069]")
_FAST_PREFIX = 64
"""Characters scanned one by one before switching to a regex: nearly every paragraph
resolves on its first few characters, and the regex costs ~20 ms to build."""


def paragraph_direction(text: str, default: Direction) -> Direction:
    """The base direction of a paragraph (UAX #9 P2-P3).

    The first character of bidi class L gives LTR, R or AL give RTL. Characters
    between an isolate initiator (LRI, RLI, FSI) and its matching PDI are skipped.

    Args:
        text: The paragraph's logical text.
        default: The direction when there is no strong character.

    Returns:
        The paragraph's direction.
    """
    found = first_strong_direction(text)
    return default if found is None else found


def first_strong_direction(text: str) -> Direction | None:
    """Like `paragraph_direction`, but None when the text has no strong character.

    Args:
        text: The paragraph's logical text.

    Returns:
        The direction of the first strong character outside isolates, if any.
    """
    bidirectional = unicodedata.bidirectional
    if text:
        # Most paragraphs start with a letter: decide without the loop.
        first = bidirectional(text[0])
        if first == "L":
            return Direction.LTR
        if first in ("R", "AL"):
            return Direction.RTL
    depth = 0
    for char in text[:_FAST_PREFIX]:
        found = _step(bidirectional(char), depth)
        if isinstance(found, Direction):
            return found
        depth = found
    if len(text) <= _FAST_PREFIX:
        return None
    # Long runs of digits, punctuation or isolated text: jump between the
    # characters that matter instead of looking at each one in Python.
    stop_re = _stop_regex()
    position = _FAST_PREFIX
    while True:
        match = (stop_re if depth == 0 else _ISOLATE_BOUNDARY_RE).search(text, position)
        if match is None:
            return None
        position = match.end()
        found = _step(bidirectional(match.group()), depth)
        if isinstance(found, Direction):
            return found
        depth = found


def _step(bidi_class: str, depth: int) -> Direction | int:
    """One character of P2: a direction when it decides, else the isolate depth."""
    if bidi_class in _ISOLATE_INITIATORS:
        return depth + 1
    if bidi_class == "PDI":
        # An unmatched PDI (depth 0) is ignored: UAX #9 BD9.
        return max(depth - 1, 0)
    if depth == 0:
        if bidi_class == "L":
            return Direction.LTR
        if bidi_class in ("R", "AL"):
            return Direction.RTL
    return depth


@functools.cache
def _stop_regex() -> re.Pattern[str]:
    """A regex for the next character whose class is in `_STOP_CLASSES`.

    The class is built from this Python's Unicode database for the BMP. Astral
    characters all stop and are looked up one by one: one huge range keeps the
    regex compiled as a fast table, while hundreds of astral ranges make it slow.
    """
    bidirectional = unicodedata.bidirectional
    ranges: list[str] = []
    start: int | None = None
    for code in range(0x10000):
        stops = bidirectional(chr(code)) in _STOP_CLASSES
        if stops and start is None:
            start = code
        elif not stops and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{code - 1:04x}")
            start = None
    if start is not None:
        ranges.append(f"\\u{start:04x}-\\uffff")
    return re.compile("[" + "".join(ranges) + "\\U00010000-\\U0010ffff]")
