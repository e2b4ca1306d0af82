"""Unicode's own bidi conformance data (BidiCharacterTest.txt) through our layout path."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from bidi.mirror import MIRRORED

from tests.paths import shared_file
from tuireader.bidi.layout import LayoutOptions, layout_text
from tuireader.bidi.levels import REMOVED_BY_X9, resolve_levels
from tuireader.bidi.reorder import reset_trailing_levels
from tuireader.text.document import Direction

# The data tests UAX #9 alone: no shaping, no line breaking, marks where L2 puts them
# (it has no rule L3), and no alignment padding.
PURE_UAX9 = LayoutOptions(join=False, harakat=True, align=False, marks_after_base=False)
DIRECTIONS = {0: Direction.LTR, 1: Direction.RTL, 2: None}


@dataclass(frozen=True, slots=True)
class Case:
    line_number: int
    text: str
    direction: Direction | None
    paragraph_level: int
    levels: list[str]
    order: list[int]


def read_cases() -> Iterator[Case]:
    path = shared_file("unicode", "BidiCharacterTest.txt")
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split(";")
            yield Case(
                number,
                "".join(chr(int(code, 16)) for code in fields[0].split()),
                DIRECTIONS[int(fields[1])],
                int(fields[2]),
                fields[3].split(),
                [int(index) for index in fields[4].split()],
            )


def test_every_line_of_bidi_character_test_gets_levels_order_and_mirroring_right() -> None:
    """Levels after L1, the visual order and L4 mirroring for all 91,707 lines.

    Every line applies: the file's format characters are compared through the levels,
    and only left out of the order check because a terminal row never shows them.
    """
    failures: list[str] = []
    count = 0
    for case in read_cases():
        count += 1
        problem = check_case(case)
        if problem:
            failures.append(f"line {case.line_number}: {problem}")
    assert count == 91_707
    assert failures == [], f"{len(failures)} failures, first: {failures[:5]}"


def check_case(case: Case) -> str | None:
    resolved = resolve_levels(case.text, case.direction)
    if resolved.base_level != case.paragraph_level:
        return f"paragraph level {resolved.base_level}"
    classes = resolved.classes or ["L"] * len(case.text)
    kept = [i for i, cls in enumerate(classes) if cls not in REMOVED_BY_X9]
    levels = [resolved.levels[i] for i in kept]
    reset_trailing_levels(levels, [classes[i] for i in kept], resolved.base_level)
    got_levels = ["x"] * len(case.text)
    for k, i in enumerate(kept):
        got_levels[i] = str(levels[k])
    if got_levels != case.levels:
        return f"levels {got_levels}"

    direction = Direction.RTL if resolved.base_level else Direction.LTR
    (row,) = layout_text(case.text, 0, direction, 0, PURE_UAX9)
    shown = [i for i in case.order if unicodedata.category(case.text[i]) != "Cf"]
    got_order = [glyph.start for glyph in row.glyphs]
    if got_order != shown:
        return f"order {got_order}, expected {shown}"
    for glyph in row.glyphs:
        char = case.text[glyph.start]
        mirrored = int(case.levels[glyph.start]) % 2 == 1 and unicodedata.mirrored(char)
        expected = MIRRORED.get(char, char) if mirrored else char
        if glyph.text != expected:
            return f"mirroring of U+{ord(char):04X}: {glyph.text!r}"
    return None


def test_mirror_table_is_an_involution_of_bidi_mirrored_characters() -> None:
    for char, mirror in MIRRORED.items():
        assert unicodedata.mirrored(char)
        assert MIRRORED[mirror] == char
