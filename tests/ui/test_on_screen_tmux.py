"""Issue 10 at a real terminal: the on-screen invariant and `y`'s OSC 52, in tmux."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.ui.rtl_documents import (
    ARABIC,
    CASES,
    RtlCase,
    base_arabic_letters,
    rtl_words,
    words_in_logical_order,
    words_in_visual_order,
    write_case,
)
from tests.ui.test_tmux import Tmux, user_dirs_env


def assert_visual(screen: str, case: RtlCase, where: str) -> None:
    rows = screen.split("\n")
    unshaped = [row for row in rows if base_arabic_letters(row)]
    assert not unshaped, f"{where}: unshaped letters in {unshaped[0]!r}:\n{screen}"
    backwards = words_in_logical_order(rows, rtl_words(case))
    assert not backwards, f"{where}: {backwards} in logical order:\n{screen}"
    assert words_in_visual_order(rows, rtl_words(case)), f"{where}: no RTL text:\n{screen}"


def settled(session: Tmux, text: str) -> str:
    """The screen once `text` is on it and it stopped changing (a toast slid in)."""
    screen = session.wait_for(text)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        time.sleep(0.15)
        again = session.screen()
        if again == screen:
            return screen
        screen = again
    return screen


# Screens without a text field holding RTL text: Textual's own fields (the editor's,
# the filter's, the search line's) are covered by the Pilot test, which can find and
# exclude them while they draw logical text (EXCLUDED there, see its module doc).
TOUR: list[tuple[str, str, str]] = [
    ("reader", "", "? help"),
    ("outline", "o", "Outline"),
    ("outline closed", "o", "? help"),
    ("notes panel", "l", "filter:"),
    ("notes panel closed", "l", "? help"),
    ("claim cursor and copy toast", "]]y", "Copied the claim"),
    ("delete confirmation", "d", "Delete the note on"),
    ("delete declined", "n", "? help"),
    ("help", "?", "keys"),
    ("help closed", "q", "? help"),
    ("review", "r1", "reviewed"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.language for case in CASES])
def test_a_terminal_gets_no_unshaped_letter_and_no_word_backwards(
    case: RtlCase, tmp_path: Path
) -> None:
    session = Tmux(80, 24)
    try:
        article = write_case(case, tmp_path)
        session.start(f"env LANG=C.UTF-8 {user_dirs_env(tmp_path)} tuireader --bidi app {article}")
        session.wait_for("? help")
        for where, keys, expected in TOUR:
            if keys:
                session.type(keys)
            assert_visual(settled(session, expected), case, where)
    finally:
        session.close()


def test_y_sends_the_claims_logical_text_by_osc_52(tmp_path: Path) -> None:
    """Acceptance (issue 10): tmux with set-clipboard on turns the app's OSC 52 into a
    paste buffer; the buffer is the claim's logical text and its citation line."""
    session = Tmux(100, 30)
    try:
        article = write_case(ARABIC, tmp_path)
        session.start("sleep 600")
        session.run("set-option", "-g", "set-clipboard", "on")
        session.run(
            "respawn-pane",
            "-k",
            "-t",
            "t",
            f"env -u COLUMNS -u LINES LANG=C.UTF-8 {user_dirs_env(tmp_path)} tuireader {article}",
        )
        session.wait_for("? help")
        session.type("]]y")
        session.wait_for("Copied the claim")
        buffer = ""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not buffer:
            try:
                buffer = session.run("show-buffer")
            except subprocess.CalledProcessError:
                time.sleep(0.1)
        claim = ARABIC.notes[0][0]
        assert buffer == f"{claim}\n— تقرير الاقتصاد الأسبوعي, § الأسواق العالمية, {article}"
    finally:
        session.close()
