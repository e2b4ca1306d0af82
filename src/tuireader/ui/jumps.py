"""Where a jump goes: the go-to line's words (`50%`, `3`, a search), and marks as kept."""

from __future__ import annotations

import re
from typing import NamedTuple

from tuireader.text.document import Document

MARK_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""Marks are letters, as in less and vim (a digit or a sign is not a mark)."""

PREVIOUS_PLACE = "'"
"""`''`: the place before the last jump (vim's and less's name for it)."""

_PERCENT = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*%\s*")
_NUMBER = re.compile(r"\s*(\d+)\s*")


class GoTo(NamedTuple):
    """What the go-to line asks for: an offset, a search, or a one-line refusal."""

    offset: int | None = None
    """The logical offset to show at the top."""
    search: str | None = None
    """Text to search for (anything that is not a percentage or a section number)."""
    problem: str | None = None
    """Why nothing happens, in one line (a number out of range)."""
    end: bool = False
    """`100%`: the very end (the last screenful), not the row of the last offset."""


def parse_goto(text: str, document: Document) -> GoTo:
    """Read the go-to line: `50%` is that far through the text (as in less, by
    characters), `3` the third section (as the outline lists them, the title not
    counted), anything else a search.

    Digits of any script count (`٣` is 3): the line is typed with an Arabic keyboard
    as often as not.
    """
    ascii_text = _ascii_digits(text)
    percent = _PERCENT.fullmatch(ascii_text)
    if percent is not None:
        value = float(percent.group(1).replace(",", "."))
        if value > 100:
            return GoTo(problem=f"{text.strip()}: a percentage goes from 0% to 100%")
        if value == 100:
            return GoTo(offset=len(document.text), end=True)
        return GoTo(offset=round(len(document.text) * value / 100))
    number = _NUMBER.fullmatch(ascii_text)
    if number is not None:
        count = len(document.sections)
        index = int(number.group(1))
        if not 1 <= index <= count:
            if count == 0:
                return GoTo(problem=f"no section {index}: this document has no sections")
            span = "1" if count == 1 else f"1 to {count}"
            return GoTo(problem=f"no section {index}: the sections are numbered {span}")
        return GoTo(offset=document.sections[index - 1].start)
    if not text.strip():
        return GoTo()
    return GoTo(search=text.strip())


def _ascii_digits(text: str) -> str:
    """Decimal digits of any script as ASCII (`٥٠٪` reads as `50%`)."""
    out = []
    for char in text:
        if char.isdecimal():
            out.append(str(int(char)))
        elif char in "٪﹪％":
            out.append("%")
        else:
            out.append(char)
    return "".join(out)


def marks_from(value: object, length: int) -> dict[str, int]:
    """The marks kept for a document, as read back from the state file: anything that
    is not a letter mapped to an offset inside the text is left out (a hand-edited or
    older file must not break the reader)."""
    if not isinstance(value, dict):
        return {}
    return {
        name: offset
        for name, offset in value.items()
        if isinstance(name, str)
        and name in MARK_LETTERS
        and isinstance(offset, int)
        and not isinstance(offset, bool)
        and 0 <= offset <= length
    }
