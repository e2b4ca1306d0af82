"""The bytes the app writes to a real pseudo-terminal: mode sequences, and nothing hostile."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.paths import SAMPLE, user_dirs
from tuireader.ui.terminal import BDSM_EXPLICIT, BDSM_IMPLICIT, SCP_DEFAULT, SCP_LTR

ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"
HOSTILE = (
    b"Title\n\nA paragraph that tries \x1b]52;c;aGVsbG8=\x07 the clipboard, "
    b"\x1b]0;pwned\x07 the title, \x1bP+q544e\x1b\\ a query and \x1b[6n a report.\n"
)


class Session:
    """`tuireader` on the child side of a pty, 100x30, as a terminal would run it."""

    def __init__(self, tmp_path: Path, *args: str, program: Sequence[str] = ()) -> None:
        """`program` runs instead of `python -m tuireader` (a script that breaks it)."""
        master, child = pty.openpty()
        os.set_blocking(master, False)
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = dict(
            os.environ,
            TERM="xterm-256color",
            LANG="C.UTF-8",
            **user_dirs(tmp_path),
        )
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [*(program or (sys.executable, "-m", "tuireader")), *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            start_new_session=True,
        )
        os.close(child)
        self.master = master
        self.output = bytearray()

    def read(self, until: bytes | None = None, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return  # the child closed the terminal
                if not chunk:
                    return
                self.output += chunk
            if until is not None and until in self.output:
                return
            if until is None and self.process.poll() is not None and not ready:
                return
        if until is not None:
            pytest.fail(f"{until!r} never came; got {bytes(self.output[-300:])!r}")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def finish(self) -> int:
        self.read(None)
        code = self.process.wait(timeout=20)
        self.close()
        return code

    def close(self) -> None:
        """Never leave the app running, even when a test failed half-way."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[Callable[..., Session]]:
    """Start sessions that are killed at the end of the test, whatever happened."""
    started: list[Session] = []

    def start(*args: str, program: Sequence[str] = ()) -> Session:
        session = Session(tmp_path, *args, program=program)
        started.append(session)
        return session

    yield start
    for session in started:
        session.close()


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_bytes(HOSTILE)
    return path


def test_mode_sequences_wrap_the_alternate_screen_and_q_restores_them(
    sessions: Callable[..., Session],
) -> None:
    session = sessions(str(SAMPLE))
    session.read(until=b"help")
    session.send(b"q")
    assert session.finish() == 0
    out = bytes(session.output)
    start = (BDSM_EXPLICIT + SCP_LTR).encode()
    reset = (SCP_DEFAULT + BDSM_IMPLICIT).encode()
    assert out.index(start) < out.index(ALT_SCREEN_ON)
    assert out.rindex(ALT_SCREEN_OFF) < out.rindex(reset)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_quits_cleanly_and_restores_the_terminal(
    sessions: Callable[..., Session], sig: int
) -> None:
    session = sessions(str(SAMPLE))
    session.read(until=b"help")
    session.process.send_signal(sig)
    session.finish()
    out = bytes(session.output)
    assert out.rindex(ALT_SCREEN_OFF) < out.rindex((SCP_DEFAULT + BDSM_IMPLICIT).encode())
    assert b"Traceback" not in out


def test_bidi_off_sends_no_mode_sequences(sessions: Callable[..., Session]) -> None:
    session = sessions(str(SAMPLE), "--bidi", "off")
    session.read(until=b"help")
    session.send(b"q")
    session.finish()
    assert BDSM_EXPLICIT.encode() not in session.output
    assert SCP_LTR.encode() not in session.output


def test_no_byte_of_a_hostile_documents_escapes_reaches_the_terminal(
    sessions: Callable[..., Session], hostile_file: Path
) -> None:
    session = sessions(str(hostile_file))
    session.read(until=b"help")
    session.send(b"G")
    time.sleep(0.3)
    session.send(b"q")
    session.finish()
    out = bytes(session.output)
    for sequence in (b"\x1b]52", b"\x1b]0;pwned", b"\x1bP+q", b"\x1b[6n"):
        assert sequence not in out
    # Textual's own pointer-shape sequence (OSC 22) ends in BEL; no other BEL may come.
    assert b"\x07" not in re.sub(rb"\x1b\]22;[a-z-]*\x07", b"", out)
    assert "␛]52;c;aGVsbG8=␇".encode() in out  # shown, harmlessly, as text


def test_a_missing_file_is_one_line_before_any_screen(
    sessions: Callable[..., Session], tmp_path: Path
) -> None:
    session = sessions(str(tmp_path / "nope.txt"))
    assert session.finish() == 2
    out = bytes(session.output)
    assert ALT_SCREEN_ON not in out
    assert out.strip().count(b"\n") == 0 and b"nope.txt" in out


def test_sighup_with_the_editor_open_keeps_the_typed_text_as_a_draft(
    sessions: Callable[..., Session], tmp_path: Path
) -> None:
    """An SSH drop in the middle of a note: the text is in the drafts file."""
    article = tmp_path / "summit.txt"
    article.write_bytes(SAMPLE.read_bytes())
    session = sessions(str(article))
    session.read(until=b"help")
    session.send(b"]")
    time.sleep(0.2)
    session.send(b"a")
    session.read(until=b"ctrl+s save")
    session.send("نص لم يحفظ بعد".encode())
    time.sleep(0.2)
    session.process.send_signal(signal.SIGHUP)
    session.finish()
    drafts = tmp_path / "summit.txt.notes.yaml.drafts.yaml"
    assert "نص لم يحفظ بعد" in drafts.read_text(encoding="utf-8")


def test_a_bad_byte_past_the_start_of_a_long_file_ends_the_app_with_one_line(
    sessions: Callable[..., Session], tmp_path: Path
) -> None:
    """The start of a long file is shown at once; when the rest turns out not to be
    text, the app leaves the screen, says why in one line, and exits with status 2."""
    chunk = (SAMPLE.read_bytes() + b"\n\n") * 40
    path = tmp_path / "long.txt"
    path.write_bytes(chunk + b"\xff" + chunk)
    session = sessions(str(path))
    assert session.finish() == 2
    out = bytes(session.output)
    tail = out[out.rindex(ALT_SCREEN_OFF) :]
    assert b"not valid UTF-8" in tail and b"Traceback" not in out


def test_a_crash_restores_the_terminal_and_says_one_line(
    sessions: Callable[..., Session], tmp_path: Path
) -> None:
    """Issue 9: the alternate screen is left and BDSM restored after a crash too, and
    what is left on the terminal is one line, no traceback."""
    script = tmp_path / "crashing.py"
    script.write_text(
        "import sys\n"
        "from tuireader.cli import main\n"
        "from tuireader.ui.app import ReaderApp\n"
        "def fail(app):\n"
        "    raise RuntimeError('an injected bug')\n"
        "ReaderApp.action_help = fail\n"
        "sys.exit(main(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    session = sessions(
        str(SAMPLE), "--notes", str(tmp_path / "n.yaml"), program=[sys.executable, str(script)]
    )
    session.read(until=b"help")
    session.send(b"?")
    assert session.finish() == 1
    out = bytes(session.output)
    reset = (SCP_DEFAULT + BDSM_IMPLICIT).encode()
    assert out.rindex(ALT_SCREEN_OFF) < out.rindex(reset)
    tail = out[out.rindex(ALT_SCREEN_OFF) :].replace(reset, b"")
    lines = [line for line in tail.split(b"\r\n") if line.strip(b"\x1b[?25h\r\n ")]
    assert len(lines) == 1, lines
    assert b"stopped by an internal error (RuntimeError); notes saved; details in " in lines[0]
    assert b"Traceback" not in out
    (log,) = (tmp_path / "state" / "tuireader").glob("crash-*.log")
    assert "RuntimeError: an injected bug" in log.read_text("utf-8")


def test_the_exit_watchdog_says_its_last_words(tmp_path: Path) -> None:
    """After a crash whose shutdown hangs, the process still ends, with its one line."""
    code = (
        "import time\n"
        "from tuireader.ui.terminal import exit_soon\n"
        "exit_soon(3, delay=0.2, last_words=lambda: 'the last line')\n"
        "time.sleep(30)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=False
    )
    assert (done.returncode, done.stderr) == (3, "the last line\n")
