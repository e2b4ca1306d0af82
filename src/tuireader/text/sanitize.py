"""The one sanitiser for text that reaches a terminal: control characters as placeholders.

Two uses, one table:

- `replace_controls` (the loader, labels, text fields): one character for one, so the
  offsets of a document stay those of its decoded text. Bidi controls are kept: the
  layout honours them and never sends them.
- `terminal_safe` (every line the CLI prints, names and paths the app shows): the same
  placeholders, and also bidi formatting characters and TAG characters as visible
  marks (`⌜RLO⌝`, `⌜TAG:not⌝`): nothing lays this text out, so a terminal that does
  bidi itself would obey them, and TAG characters would hide text.

JSON and YAML output stay exact: `escape_json` writes what `terminal_safe` would change
as `\\uXXXX` escapes, which are not raw bytes (see `tuireader.notes.report` for YAML).
"""

from __future__ import annotations

import re
from functools import cache

from tuireader.text.hidden import BIDI_FORMATTING, hidden_mark, tag_run_mark

# Control Pictures for C0 (U+2400 + code) and DEL (U+2421). C1 has no pictures, so
# it gets U+FFFD, the usual "something was here" sign. One character for one, so
# that offsets in the sanitised text line up with the decoded text.
PLACEHOLDERS: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
PLACEHOLDERS[0x7F] = "\u2421"
PLACEHOLDERS.update({code: "\ufffd" for code in range(0x80, 0xA0)})
PLACEHOLDERS.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
_LINE_PLACEHOLDERS = {
    **PLACEHOLDERS,
    0x2028: "\u2424",  # LINE SEPARATOR: SYMBOL FOR NEWLINE, as on one line
    0x2029: "\u2424",
}
del PLACEHOLDERS[ord("\n")], PLACEHOLDERS[ord("\t")]

CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 but \\t and \\n, DEL, C1 (also as the code points U+0080-U+009F that UTF-8
encodes them as), and lone surrogates (a file name or stdin read with
surrogateescape; the terminal writer would crash on them)."""

# What `terminal_safe` changes, all in one class (one scan finds nothing in the
# common case): the controls, line and paragraph separators, bidi formatting, TAGs.
_TERMINAL_RE = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029{BIDI_FORMATTING}\U000e0000-\U000e007f]+"
)
_LINE_RE = re.compile("[\n\t]")
_JSON = (
    f"[\x7f-\x9f\ud800-\udfff\u2028\u2029\u200e\u200f\u061c{BIDI_FORMATTING}\U000e0000-\U000e007f]"
)
"""What `escape_json` escapes; compiled by re's cache on the first JSON written, not at
import (reading a document never needs it)."""


def replace_controls(text: str) -> tuple[str, int]:
    """Replace terminal control characters one for one with visible placeholders.

    C0 (but \\n and \\t) as Control Pictures (ESC shows as "␛", BEL as "␇"), DEL as
    "␡", C1 and lone surrogates as U+FFFD.

    Args:
        text: Any text; its length is kept.

    Returns:
        The text with placeholders and how many characters were replaced.
    """
    if CONTROL_RE.search(text) is None:
        return text, 0
    count = len(CONTROL_RE.findall(text))
    if count * 20 > len(text):
        # Dense controls: one C-level pass beats a Python call per match.
        return text.translate(PLACEHOLDERS), count
    return CONTROL_RE.sub(_placeholder, text), count


def without_controls(text: str) -> str:
    """The text with control characters as visible placeholders, one for one (for text
    shown in the UI that did not come through the loader: notes, pastes, labels)."""
    return replace_controls(text)[0]


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """Text that can be written to a terminal as is: nothing in it is an instruction.

    Control characters become placeholders (as `replace_controls`), line and
    paragraph separators "␤", bidi formatting characters marks such as "⌜RLO⌝" and
    runs of TAG characters the text they hide ("⌜TAG:not⌝").

    Args:
        text: Anything: a file name, a note's body, an error message, a report.
        one_line: Also show newlines and tabs as "␊" and "␉": for a name or a message
            that must stay one line.

    Returns:
        The safe text.
    """
    if _TERMINAL_RE.search(text) is not None:
        text = _TERMINAL_RE.sub(_marks, text)
    if one_line and ("\n" in text or "\t" in text):
        text = _LINE_RE.sub(lambda match: chr(0x2400 + ord(match.group())), text)
    return text


def escape_json(dumped: str) -> str:
    """Escape in dumped JSON what `terminal_safe` would change, as `\\uXXXX`.

    `json.dumps(ensure_ascii=False)` escapes C0 but writes DEL, C1, lone surrogates,
    separators, bidi and TAG characters raw. They can only be inside strings, where an
    escape means the same character: the data stays exact, the bytes inert.
    """
    if re.search(_JSON, dumped) is None:
        return dumped
    # One C-level pass: a document of millions of TAG characters is no slower.
    return dumped.translate(_json_table())


def _placeholder(match: re.Match[str]) -> str:
    return PLACEHOLDERS[ord(match.group())]


def _marks(match: re.Match[str]) -> str:
    run = match.group()
    parts: list[str] = []
    tags: list[str] = []
    for char in run:
        if "\U000e0000" <= char <= "\U000e007f":
            tags.append(char)
            continue
        if tags:
            parts.append(tag_run_mark("".join(tags)))
            tags = []
        code = ord(char)
        placeholder = _LINE_PLACEHOLDERS.get(code)
        parts.append(placeholder if placeholder is not None else hidden_mark(char))
    if tags:
        parts.append(tag_run_mark("".join(tags)))
    return "".join(parts)


@cache
def _json_table() -> dict[int, str]:
    codes = [
        *range(0x7F, 0xA0),
        *range(0xD800, 0xE000),
        0x2028,
        0x2029,
        0x200E,
        0x200F,
        0x061C,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xE0000, 0xE0080),
    ]
    return {code: _json_escape(code) for code in codes}


def _json_escape(code: int) -> str:
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"
