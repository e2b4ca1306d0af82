"""UAX #9 rules L1 and L2 on one row: trailing levels, then the visual order by runs."""

from __future__ import annotations

import re
from collections.abc import MutableSequence, Sequence

from tuireader.bidi.levels import SEPARATORS, TRAILING_RESET


def reset_trailing_levels(
    levels: MutableSequence[int], classes: Sequence[str], base_level: int
) -> None:
    """UAX #9 L1, in place on one line: separators, and whitespace or isolate controls
    before a separator or at the end of the line, go back to the paragraph level."""
    k = len(levels) - 1
    if "S" not in classes and "B" not in classes:
        # No separator inside: only the end of the line can change.
        while k >= 0 and classes[k] in TRAILING_RESET:
            levels[k] = base_level
            k -= 1
        return
    trailing = True
    for k in range(len(levels) - 1, -1, -1):
        cls = classes[k]
        if cls in SEPARATORS:
            levels[k] = base_level
            trailing = True
        elif trailing and cls in TRAILING_RESET:
            levels[k] = base_level
        else:
            trailing = False


def visual_order(levels: Sequence[int]) -> list[int]:
    """UAX #9 L2: the logical indices of one line in visual order, left to right.

    Works on runs of one level (a row has a handful), not on characters."""
    n = len(levels)
    if not n:
        return []
    highest = max(levels)
    if highest == min(levels):
        # One level for the whole row (all Latin, or all Arabic): nothing nests.
        return list(range(n - 1, -1, -1)) if highest % 2 else list(range(n))
    runs = [(m.start(), m.end(), levels[m.start()]) for m in _RUN_RX.finditer(bytes(levels))]
    lowest_odd = min((level for _, _, level in runs if level % 2), default=highest + 1)
    sequence = list(range(len(runs)))
    for level in range(highest, lowest_odd - 1, -1):
        k = 0
        while k < len(sequence):
            if runs[sequence[k]][2] >= level:
                end = k
                while end < len(sequence) and runs[sequence[end]][2] >= level:
                    end += 1
                sequence[k:end] = sequence[k:end][::-1]
                k = end
            else:
                k += 1
    order: list[int] = []
    for run in sequence:
        start, end, level = runs[run]
        # Reversed once for each level from lowest_odd up to its own.
        if max(0, level - lowest_odd + 1) % 2:
            order.extend(range(end - 1, start - 1, -1))
        else:
            order.extend(range(start, end))
    return order


_RUN_RX = re.compile(b"(.)\\1*", re.DOTALL)
"""A run of one level, in a line's levels as bytes."""
