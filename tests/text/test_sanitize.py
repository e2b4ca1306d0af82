"""The terminal sanitiser and the hidden-character detector (issue 9)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.text.hidden import (
    HIDDEN_RE,
    MAX_RUNS,
    HiddenChars,
    find_hidden,
    hidden_mark,
    hidden_notice,
    mark_tag_runs,
    tag_text,
)
from tuireader.text.sanitize import escape_json, replace_controls, terminal_safe

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
NOT = "\U000e006e\U000e006f\U000e0074"


# --- terminal_safe -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]52;c;aGVsbG8=\x07", "␛]52;c;aGVsbG8=␇"),
        ("\x1b[2J", "␛[2J"),
        ("\x9b31m \x85", "\ufffd31m \ufffd"),
        ("lone \udcff", "lone \ufffd"),
        ("del\x7f", "del␡"),
        ("a\u2028b\u2029c", "a␤b␤c"),
        ("\u202etxt.exe", "⌜RLO⌝txt.exe"),
        ("x\u2066y\u2069", "x⌜LRI⌝y⌜PDI⌝"),
        (f"approved{NOT}", "approved⌜TAG:not⌝"),
        ("two\nlines\tand tab", "two\nlines\tand tab"),
        ("العربية \u200f ok", "العربية \u200f ok"),
    ],
)
def test_terminal_safe_shows_every_control_as_a_placeholder_or_mark(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown


def test_one_line_text_shows_newlines_and_tabs_too() -> None:
    assert terminal_safe("a\nb\tc\rd", one_line=True) == "a␊b␉c␍d"


@given(st.text())
def test_terminal_safe_never_leaves_a_control_and_one_line_has_no_newline(text: str) -> None:
    assert FORBIDDEN.search(terminal_safe(text)) is None
    line = terminal_safe(text, one_line=True)
    assert FORBIDDEN.search(line) is None and "\n" not in line
    assert "\u2028" not in line and "\u2029" not in line
    terminal_safe(text).encode("utf-8")  # a strict UTF-8 terminal writer accepts it


@given(st.text())
def test_replace_controls_is_one_for_one(text: str) -> None:
    assert len(replace_controls(text)[0]) == len(text)


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_escaped_json_holds_the_same_data_and_nothing_a_terminal_obeys(value: object) -> None:
    dumped = escape_json(json.dumps(value, ensure_ascii=False))
    assert json.loads(dumped) == value
    assert terminal_safe(dumped) == dumped


# --- find_hidden ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("plain text, العربية", HiddenChars()),
        (f"approved{NOT} the plan", HiddenChars(tags=3, tag_text="not")),
        ("pass\u200bword", HiddenChars(in_words=(("ZWSP", 1),))),
        ("a\u2060b c\ufeffd", HiddenChars(in_words=(("WJ", 1), ("ZWNBSP", 1)))),
        ("Latin jo\u200din\u200cer", HiddenChars(in_words=(("ZWJ", 1), ("ZWNJ", 1)))),
        ("a word\u200b and\u200b", HiddenChars()),  # between words: a break hint
        ("می\u200cخواهم", HiddenChars()),  # Persian ZWNJ does a job
        ("क्\u200dष", HiddenChars()),  # Devanagari ZWJ
        ("ภาษา\u200bไทย", HiddenChars()),  # Thai words parted by ZWSP
        ("soft\u00adhyphen", HiddenChars()),
        ("\u200fمرحبا 2024\u200e", HiddenChars()),  # marks alone
        ("a \u202eevil\u202c b", HiddenChars(bidi=(("RLO", 1), ("PDF", 1)))),
        ("\u2067x\u2069 \u200f", HiddenChars(bidi=(("RLI", 1), ("PDI", 1), ("RLM", 1)))),
        ("❤\ufe0f one selector", HiddenChars()),
        (
            "❤\ufe0f\U000e0100\U000e0101 smuggled",
            HiddenChars(other=(("VS16", 1), ("VS17", 1), ("VS18", 1))),
        ),
        (" \ufe0f", HiddenChars(other=(("VS16", 1),))),
        ("filler\u3164name", HiddenChars(other=(("HF", 1),))),
        ("f\u2061x", HiddenChars(other=(("FA", 1),))),
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f flag", HiddenChars()),
    ],
)
def test_find_hidden_counts_only_what_is_out_of_place(text: str, found: HiddenChars) -> None:
    assert find_hidden(text) == found


def test_hidden_text_of_tags_is_quoted_and_cut() -> None:
    spelled = "".join(chr(0xE0000 + ord(char)) for char in "x" * 100)
    found = find_hidden(f"a{spelled}b")
    assert found.tags == 100
    assert found.tag_text == "x" * 59 + "…"
    assert tag_text("\U000e001b\U000e0041") == "?A"  # a tag for ESC spells no ESC


def test_the_warning_names_every_kind_with_its_counts() -> None:
    text = f"approved{NOT} pass\u200bwo\u200brd \u202eevil\u202c \u2067x\u2069 fill\u3164er"
    assert hidden_notice(find_hidden(text)) == (
        "hidden characters: 3 TAG characters (hidden text «not»), "
        "2 zero-width characters inside words (2 ZWSP), "
        "4 bidi controls (1 RLO, 1 PDF, 1 RLI, 1 PDI), "
        "1 other invisible character (1 HF): the text may not read as it is stored"
    )
    assert hidden_notice(HiddenChars()) is None


@pytest.mark.parametrize(
    ("char", "mark"),
    [
        ("\u200b", "⌜ZWSP⌝"),
        ("\u202e", "⌜RLO⌝"),
        ("\ufe0f", "⌜VS16⌝"),
        ("\U000e0100", "⌜VS17⌝"),
        ("\U000e0061", "⌜TAG a⌝"),
        ("\U000e0200", "⌜U+E0200⌝"),
    ],
)
def test_every_invisible_character_has_a_visible_mark(char: str, mark: str) -> None:
    assert HIDDEN_RE.fullmatch(char)
    assert hidden_mark(char) == mark


@given(st.text())
def test_find_hidden_never_fails(text: str) -> None:
    found = find_hidden(text)
    assert isinstance(found, HiddenChars)
    notice = hidden_notice(found)
    assert notice is None or terminal_safe(notice, one_line=True) == notice


def test_our_own_source_holds_no_control_bidi_or_tag_character() -> None:
    """Trojan Source applies to us too: escapes ("\\u202e"), never the characters."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    forbidden = re.compile(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
    )
    for path in [*root.glob("src/**/*.py"), *root.glob("tests/**/*.py")]:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            found = forbidden.search(line)
            assert found is None, f"{path}:{number}: U+{ord(found.group()):04X}"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"approved{NOT} it", "approved⌜TAG:not⌝ it"),
        ("flag 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", None),
        ("العربية", None),
    ],
)
def test_labels_show_what_tag_characters_spell_but_keep_flags(text: str, shown: str | None) -> None:
    assert mark_tag_runs(text) == (text if shown is None else shown)


def test_past_the_detailed_runs_hidden_characters_are_still_all_counted() -> None:
    """A text made of a hidden character per word is counted whole (by kind past
    MAX_RUNS), so a file made to be slow is not also under-reported."""
    runs = MAX_RUNS + 5000
    found = find_hidden(f"a\u200b{NOT}" * runs)
    assert found.in_words == (("ZWSP", runs),)
    assert found.tags == 3 * runs
    assert find_hidden("x" + "\u200b" * 100_000 + "y").in_words == (("ZWSP", 100_000),)
