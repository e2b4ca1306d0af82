"""Stance keys in the note editor that work in every terminal: alt+N sent as ESC+digit,
and bare digits on the stance chooser (issue 10)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.message import Message

from tests.paths import SAMPLE
from tests.ui.test_note_editor import Host, make_editor
from tests.ui.test_tmux import Tmux, user_dirs_env
from tuireader.notes.stance import Stance
from tuireader.ui.ordered_keys import read_escape_digit_as_alt
from tuireader.ui.screens.note_editor import NoteDraft


def parsed(data: str) -> list[Message]:
    """What Textual's own terminal parser makes of these bytes (then end of input)."""
    parser = XTermParser()
    return [*parser.feed(data), *parser.feed("")]


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(100, 30)
    yield session
    session.close()


def test_textual_alone_reads_escape_digit_as_a_macos_option_character() -> None:
    """The upstream behaviour the workaround is for, in a fresh interpreter (the
    workaround changes Textual's table for the whole process): when this fails, Textual
    changed, and `read_escape_digit_as_alt` may be unneeded."""
    script = (
        "from textual._xterm_parser import XTermParser\n"
        "p = XTermParser()\n"
        "keys = [*p.feed('\\x1b1'), *p.feed('\\x1b2'), *p.feed('')]\n"
        "print(*[(e.key, e.character) for e in keys])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["('inverted_exclamation_mark',", "'¡')", "('trade_mark_sign',", "'™')"]


def test_escape_digit_is_alt_digit_once_the_app_reads_it_so() -> None:
    read_escape_digit_as_alt()
    keys = [
        (event.key, event.character)
        for event in parsed("\x1b1\x1b0")
        if isinstance(event, events.Key)
    ]
    # No character, so no text field types a digit; two in one burst stay two.
    assert keys == [("alt+1", None), ("alt+0", None)]
    # ESC followed by a letter was already alt+letter.
    assert [(e.key) for e in parsed("\x1ba") if isinstance(e, events.Key)] == ["alt+a"]


async def feed_terminal(app: App[None], data: str) -> None:
    for event in parsed(data):
        app.post_message(event)


async def test_escape_digit_from_the_terminal_chooses_the_stance_in_the_body() -> None:
    read_escape_digit_as_alt()
    host = Host(make_editor())
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("o", "k")
        await feed_terminal(host, "\x1b2")
        await pilot.pause()
        assert host.editor.current_draft() == NoteDraft(Stance.DISPUTED, (), "ok")
        await feed_terminal(host, "\x1b0")
        await pilot.pause()
        assert host.editor.current_draft() == NoteDraft(None, (), "ok")


async def test_escape_digit_in_the_tags_chooses_the_stance_and_types_nothing() -> None:
    read_escape_digit_as_alt()
    host = Host(make_editor())
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("shift+tab", "a")
        await feed_terminal(host, "\x1b5")
        await pilot.pause()
        assert host.editor.current_draft() == NoteDraft(Stance.OPINION, ("a",), "")


async def test_bare_digits_choose_the_stance_on_the_chooser() -> None:
    host = Host(make_editor(NoteDraft(None, (), "body")))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("shift+tab", "shift+tab", "3")
        assert host.editor.current_draft() == NoteDraft(Stance.UNVERIFIED, (), "body")
        await pilot.press("1")
        assert host.editor.current_draft().stance is Stance.SUPPORTED
        await pilot.press("0")
        assert host.editor.current_draft().stance is None
        # Back in the body a digit is text again.
        await pilot.press("tab", "tab", "4")
        assert host.editor.current_draft() == NoteDraft(None, (), "body4")


def test_alt_digit_from_tmux_chooses_the_stance(tmux: Tmux, tmp_path: Path) -> None:
    """tmux `send-keys M-2` writes ESC 2 to the app, as a terminal's alt+2 does."""
    article = tmp_path / "summit.txt"
    shutil.copy(SAMPLE, article)
    status = tmp_path / "status"
    home = user_dirs_env(tmp_path)
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} tuireader --author tester {article}", status)
    tmux.wait_for("? help")
    tmux.type("]a")
    tmux.wait_for("ctrl+s save")
    tmux.type("checked")
    tmux.keys("M-2")
    tmux.wait_for("checked")
    tmux.keys("C-s")
    tmux.wait_for("notes saved")
    tmux.keys("q")
    assert tmux.wait_exit(status) == 0
    data = yaml.safe_load(article.with_name("summit.txt.notes.yaml").read_text("utf-8"))
    (note,) = data["notes"]
    assert note["stance"] == "disputed"
    assert note["body"] == "checked"
