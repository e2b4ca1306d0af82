"""A whole review by keys alone, at 80x24 in tmux, reading the screen after every step.

Open, search, mark, jump, annotate, review, filter the notes, edit, quit, reopen: what a
reviewer's hands do in a session (issue 13), on a real terminal.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from tests.paths import SAMPLE
from tests.ui.test_tmux import Tmux, user_dirs_env
from tuireader.bidi.layout import DEFAULT_OPTIONS
from tuireader.text.document import Direction
from tuireader.text.structure import load_document
from tuireader.ui.labels import visual_label


def shown(text: str) -> str:
    """Logical Arabic as the screen shows it: shaped, in visual order."""
    return visual_label(text, 0, DEFAULT_OPTIONS, Direction.RTL).plain


def status(screen: str) -> str:
    """The status bar: the screen's last row."""
    return screen.rstrip("\n").split("\n")[-1]


def wait_status(tmux: Tmux, text: str, timeout: float = 20.0) -> str:
    """Wait until the status bar holds `text`; the screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux.screen()
        if text in status(screen):
            return screen
        time.sleep(0.05)
    pytest.fail(f"{text!r} never appeared in the status bar; the screen was:\n{tmux.screen()}")


def settled(tmux: Tmux, quiet: float = 0.3, timeout: float = 10.0) -> str:
    """The screen once it has not changed for `quiet` seconds (after a key whose effect
    shows no particular text, e.g. Esc)."""
    deadline = time.monotonic() + timeout
    last = tmux.screen()
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        screen = tmux.screen()
        if screen != last:
            last, since = screen, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return screen
    return last


def test_a_whole_review_by_keys_alone_at_80x24(tmp_path: Path) -> None:
    article = tmp_path / "summit.txt"
    shutil.copy(SAMPLE, article)
    document = load_document(article)
    assert document.title is not None
    title_start = shown(document.title.split()[0])  # "ماذا", shaped
    third_section = shown(document.sections[2].title)
    notes_file = article.with_name("summit.txt.notes.yaml")
    command = f"env LANG=C.UTF-8 {user_dirs_env(tmp_path)} tuireader --author tester {article}"

    tmux = Tmux(80, 24)
    try:
        # 1. Open: the title (shaped, RTL) in the status bar, no notes yet.
        tmux.start_and_keep(command, tmp_path / "status-1")
        screen = wait_status(tmux, "0 notes · 0 of")
        assert title_start in status(screen) and "? help" in status(screen)
        # The title where the file name was (the notes file's name may follow it).
        assert not status(screen).lstrip().startswith("summit.txt")

        # 2. Search, as `/` does in less: the first hit, and the count.
        tmux.type("/كيم")
        tmux.keys("Enter")
        screen = wait_status(tmux, "hit 1 of")
        hits = int(status(screen).split("hit 1 of ")[1].split()[0])
        assert hits > 5
        tmux.keys("N")
        wait_status(tmux, f"hit {hits} of {hits} · search wrapped")
        tmux.keys("Escape")  # the hits go
        settled(tmux)

        # 3. Mark a place in the second section.
        tmux.keys("g")
        settled(tmux)
        tmux.keys("}", "}")
        settled(tmux)
        tmux.keys("m")
        wait_status(tmux, "m: press a letter")
        tmux.keys("a")
        screen = tmux.wait_for("Mark a set")
        marked_row = screen.split("\n")[0]
        assert shown(document.sections[1].title) in marked_row

        # 4. Jump: the third section by number, then back to the mark, then `''`.
        tmux.keys(":")
        settled(tmux)
        tmux.type("3")
        tmux.keys("Enter")
        screen = settled(tmux)
        assert third_section in screen.split("\n")[0]
        assert third_section in status(screen)  # the section, beside the title
        tmux.keys("'", "a")
        screen = settled(tmux)
        assert screen.split("\n")[0] == marked_row
        tmux.keys("'", "'")
        screen = settled(tmux)
        assert third_section in screen.split("\n")[0]
        tmux.keys("'", "a")
        settled(tmux)

        # 5. Annotate the next sentence: disputed, with a body.
        tmux.keys("]", "a")
        tmux.wait_for("New note")
        tmux.type("Needs a second source")
        tmux.keys("BTab", "BTab", "Down", "Down", "Enter", "C-s")
        screen = wait_status(tmux, "1 note")
        assert "✗" in screen  # the gutter mark beside the claim

        # 6. Review mode: the next claim without a stance gets one key.
        tmux.keys("r")
        wait_status(tmux, "REVIEW · reviewed 1 of")
        tmux.keys("u")
        settled(tmux)
        tmux.keys("1")
        wait_status(tmux, "REVIEW · reviewed 2 of")
        tmux.keys("r")
        wait_status(tmux, "2 notes · 2 of")

        # 7. Filter the notes panel: only the disputed note is left.
        tmux.keys("G")
        screen = settled(tmux)
        assert "100%" in status(screen)
        tmux.keys("l")
        screen = settled(tmux)
        assert "filter: disputed #tag" in screen  # the panel, over the article
        tmux.keys("/")
        screen = settled(tmux)
        # `l` gave the panel the focus: `/` filters the notes, not the article.
        assert not screen.rstrip("\n").split("\n")[-2].startswith(" /")
        tmux.type("disputed")
        screen = tmux.wait_for("1 of 2")
        assert "Needs a second source" in screen
        # 8. Enter: the list; Enter on its one note: its claim, in the article.
        tmux.keys("Enter")
        settled(tmux)
        tmux.keys("Down")
        settled(tmux)
        tmux.keys("Enter")
        screen = settled(tmux)
        # Back from the end to the claim, in the second section, shown mid-screen.
        assert "100%" not in status(screen)
        assert shown(document.sections[1].title) in screen

        # 9. Edit that note: the cursor is after its last word.
        tmux.keys("e")
        screen = tmux.wait_for("Edit note")
        assert "Needs a second source" in screen
        tmux.type(", checked")
        tmux.keys("C-s")
        wait_status(tmux, "2 notes")
        settled(tmux)

        # 10. Quit.
        tmux.keys("q")
        assert tmux.wait_exit(tmp_path / "status-1") == 0
    finally:
        tmux.close()

    notes = yaml.safe_load(notes_file.read_text("utf-8"))["notes"]
    stances = sorted(note["stance"] for note in notes)
    assert stances == ["disputed", "supported"]
    (disputed,) = [note for note in notes if note["stance"] == "disputed"]
    assert disputed["body"] == "Needs a second source, checked"
    assert disputed["author"] == "tester"

    # 11. Reopen: the notes, the counts and the mark are still there.
    tmux = Tmux(80, 24)
    try:
        tmux.start_and_keep(command, tmp_path / "status-2")
        screen = wait_status(tmux, "2 notes · 2 of")
        tmux.keys("g")
        settled(tmux)
        tmux.keys("'", "a")
        screen = settled(tmux)
        assert screen.split("\n")[0] == marked_row
        tmux.keys("C-g")
        screen = tmux.wait_for("Notes file")
        # The full path, folded over rows of the box: its rows' insides, joined.
        rows = [row for row in screen.split("\n") if row.count("│") >= 2]
        inside = "".join(row[row.index("│") + 1 : row.rindex("│")].strip() for row in rows)
        assert str(notes_file) in inside and str(article) in inside
        tmux.keys("Escape")
        settled(tmux)
        tmux.keys("q")
        assert tmux.wait_exit(tmp_path / "status-2") == 0
    finally:
        tmux.close()
