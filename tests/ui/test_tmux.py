"""A person at a real terminal: tuireader in tmux, driven by key presses, read off the screen."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.paths import SAMPLE, require_command, user_dirs
from tuireader.text.claims import iter_claims
from tuireader.text.structure import load_document


def user_dirs_env(tmp_path: Path) -> str:
    """`env` settings that keep the app's folders under tmp_path."""
    return " ".join(f"{name}={folder}" for name, folder in user_dirs(tmp_path).items())


def assert_exits_after_hangup(pid: int) -> None:
    """The app whose terminal went away (SIGHUP) must be gone within 10 s."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("tuireader was still running 10 s after its terminal went away")


class Tmux:
    """One detached tmux session on a private socket."""

    def __init__(self, width: int, height: int) -> None:
        self.binary = require_command("tmux")
        self.socket = f"tuireader-test-{uuid.uuid4().hex[:8]}"
        self.size = (width, height)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [self.binary, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def start(self, command: str) -> None:
        # A detached session takes tmux's default size whatever -x and -y say; resize
        # the window first, then start the command in it at the right size.
        width, height = self.size
        self.run("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), "sleep 600")
        self.run("set-option", "-t", "t", "status", "off")
        self.run("resize-window", "-t", "t", "-x", str(width), "-y", str(height))
        # COLUMNS and LINES from the test's own environment would win over the pane's size.
        self.run("respawn-pane", "-k", "-t", "t", f"env -u COLUMNS -u LINES {command}")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        pytest.fail(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def start_and_keep(self, command: str, status: Path) -> None:
        """Start a command that writes its exit status to `status` when it ends, and
        leave its last screen in the pane.

        Without it tmux closed the session, and then its server, as soon as the app
        quit, and a capture-pane racing the exit failed with "no server running"
        (test_annotating_a_claim_with_real_key_presses, about once in five runs; tmux's
        own remain-on-exit sometimes never reported the status of a dead pane).
        """
        self.start(f"sh -c '{command}; echo $? > {status}; exec sleep 600'")

    def wait_exit(self, status: Path, timeout: float = 20.0) -> int:
        """Wait until a command started with `start_and_keep` has ended; its status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if status.is_file() and status.read_text("ascii").strip():
                return int(status.read_text("ascii"))
            time.sleep(0.05)
        pytest.fail(f"the command never ended; the screen was:\n{self.screen()}")

    def history(self) -> str:
        """The screen and every row scrolled off it."""
        return self.run("capture-pane", "-p", "-S", "-", "-t", "t")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "t", "-l", text)

    def close(self) -> None:
        subprocess.run(
            [self.binary, "-L", self.socket, "kill-server"], capture_output=True, check=False
        )


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(100, 30)
    yield session
    session.close()


def test_annotating_a_claim_with_real_key_presses(tmux: Tmux, tmp_path: Path) -> None:
    """Acceptance (notes #5): select the third sentence with `]`, press `a`, type, save
    with ctrl+s, quit, and find the note in the YAML file beside the article."""
    article = tmp_path / "summit.txt"
    shutil.copy(SAMPLE, article)
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} tuireader --author tester {article}", status)
    tmux.wait_for("? help")
    # Every key at once, as a fast typist or batched input over SSH sends them: each is
    # handled against the state the ones before it made (issue 9), so the text lands in
    # the editor that `a` opens, and the focus moves before the arrows arrive.
    tmux.type("]]]a")
    tmux.type("Needs a second source")
    # To the stance chooser as anyone can, whatever their terminal does with alt:
    # shift+tab twice (body, tags, stances), down twice from "No stance", enter.
    tmux.keys("BTab", "BTab", "Down", "Down", "Enter", "C-s")
    tmux.wait_for("notes saved")
    tmux.keys("q")
    assert tmux.wait_exit(status) == 0

    data = yaml.safe_load(article.with_name("summit.txt.notes.yaml").read_text("utf-8"))
    (note,) = data["notes"]
    third = list(iter_claims(load_document(article)))[2]
    assert note["target"]["exact"] == article.read_text("utf-8")[third.start : third.end]
    assert note["body"] == "Needs a second source"
    assert note["stance"] == "disputed"
    assert note["author"] == "tester"


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_the_sample_reads_right_at_80x24_and_160x50(tmp_path: Path, size: tuple[int, int]) -> None:
    """What a person sees: the title's first word at the right edge of its row, joined
    letters, the status bar with the help key, and the outline when there is room."""
    session = Tmux(*size)
    try:
        home = user_dirs_env(tmp_path)
        session.start(f"env LANG=C.UTF-8 {home} tuireader --notes {tmp_path}/n.yaml")
        screen = session.wait_for("? help")
        title_row = screen.split("\n")[0]
        # "ماذا", joined, is the title's first word: the rightmost of its row, with only
        # the margin between it and the outline's border or the screen's edge (capture-pane
        # drops trailing spaces).
        assert re.search(r"ﺍﺫﺎﻣ {0,4}(╭|$)", title_row), title_row
        if size[0] >= 100:
            assert "Outline" in screen and "ﺔﻤﻘﻟﺍ ﺩﺎﻘﻌﻧﺍ ﻥﺎﻜﻣ" in screen
        else:
            assert "Outline" not in screen
    finally:
        session.close()


def test_a_long_file_is_read_whole_without_a_key_press(tmux: Tmux, tmp_path: Path) -> None:
    """Over 64 KiB the start shows first; the rest is read after the first frame with
    no key pressed, and then the notes open."""
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join([SAMPLE.read_text("utf-8").strip()] * 20), encoding="utf-8")
    tmux.start(f"env LANG=C.UTF-8 {user_dirs_env(tmp_path)} tuireader {path}")
    tmux.wait_for("? help")
    tmux.wait_for("notes: long.txt.notes.yaml")


def test_the_app_exits_when_its_terminal_goes_away(tmp_path: Path) -> None:
    """A dropped SSH session: tmux's server dies, the app gets SIGHUP and no terminal to
    write to. It must save and exit, not hang in Textual's shutdown (it once did)."""
    session = Tmux(100, 30)
    home = user_dirs_env(tmp_path)
    session.start(f"env LANG=C.UTF-8 {home} tuireader --notes {tmp_path}/n.yaml")
    pid = int(session.run("display-message", "-p", "-t", "t", "#{pane_pid}").strip())
    session.wait_for("? help")
    session.close()
    assert_exits_after_hangup(pid)


def test_a_crash_leaves_one_line_a_crash_log_and_a_failure_status(
    tmux: Tmux, tmp_path: Path
) -> None:
    """Issue 9: an action that raises, in a real terminal. The screen shows no traceback,
    only one line naming the crash log; the exit status is not 0; the note saved
    before the crash is kept."""
    script = tmp_path / "crashing.py"
    script.write_text(
        "import sys\n"
        "from tuireader.cli import main\n"
        "from tuireader.ui.screens.reader import ReaderScreen\n"
        "def fail(screen):\n"
        "    raise RuntimeError('an injected bug')\n"
        "ReaderScreen.action_toggle_outline = fail\n"
        "sys.exit(main(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    notes = tmp_path / "n.yaml"
    home = user_dirs_env(tmp_path)
    python = shutil.which("python") or "python3"
    status = tmp_path / "status"
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} {python} {script} --notes {notes}", status)
    tmux.wait_for("? help")
    tmux.type("r1")
    tmux.wait_for("notes saved")
    tmux.type("o")
    assert tmux.wait_exit(status) == 1
    # The one line, wrapped by the terminal at 100 columns.
    rows = [row for row in tmux.history().splitlines() if row.strip()]
    (log,) = (tmp_path / "state" / "tuireader").glob("crash-*.log")
    line = "".join(rows)
    assert line.startswith("tuireader: stopped by an internal error (RuntimeError); notes saved")
    assert line.endswith(log.name) and line.count("tuireader:") == 1
    assert "Traceback" not in tmux.history()
    assert "RuntimeError: an injected bug" in log.read_text("utf-8")
    assert yaml.safe_load(notes.read_text("utf-8"))["notes"][0]["stance"] == "supported"


def test_no_color_sends_attributes_only(tmux: Tmux, tmp_path: Path) -> None:
    """NO_COLOR (issue 13): no colour of any kind reaches the terminal, not even the
    greys Textual's own monochrome filter sends; the claim cursor and search hits
    still show, as bold and reverse."""
    home = user_dirs_env(tmp_path)
    tmux.start(f"env LANG=C.UTF-8 NO_COLOR=1 {home} tuireader {SAMPLE}")
    tmux.wait_for("? help")
    tmux.keys("]", "/")
    tmux.type("كيم")
    tmux.keys("Enter")
    tmux.wait_for("hit 1 of")
    screen = tmux.run("capture-pane", "-p", "-e", "-t", "t")
    parameters = [
        int(number)
        for match in re.finditer(r"\x1b\[([0-9;]*)m", screen)
        for number in match.group(1).split(";")
        if number
    ]
    colours = {38, 48, *range(30, 38), *range(40, 48), *range(90, 98), *range(100, 108)}
    assert not colours & set(parameters)
    assert {1, 7} <= set(parameters)  # bold and reverse still mark what matters
