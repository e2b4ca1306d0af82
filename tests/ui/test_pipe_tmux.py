"""Pipes, like less: the document from standard input, the keys from the terminal (issue 11)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import SAMPLE
from tests.ui.test_tmux import Tmux, user_dirs_env

pytestmark = pytest.mark.tmux

PAGE = Path(__file__).parent.parent / "text" / "data" / "html" / "en_news.html"


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(80, 24)
    yield session
    session.close()


def _script(folder: Path, command: str) -> Path:
    """The pipeline in a file: `start_and_keep` quotes its command in single quotes."""
    script = folder / "run.sh"
    script.write_text(command + "\n", encoding="utf-8")
    return script


@pytest.mark.parametrize(
    "how", ["cat {file} | tuireader", "tuireader - < {file}"], ids=["pipe", "dash"]
)
def test_piped_article_scrolls_and_quits_with_keys(tmux: Tmux, tmp_path: Path, how: str) -> None:
    """`cmd | tuireader` used to open the sample with dead keys (issue 11)."""
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    script = _script(tmp_path, how.format(file=shlex.quote(str(SAMPLE))))
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} sh {script}", status)
    first = tmux.wait_for("? help")
    # The status bar names the document by its title; where its notes go says it is piped.
    assert "piped: notes in the data folder" in first
    assert " 0%" in first
    tmux.keys("G")
    tmux.wait_for("100%")
    tmux.keys("q")
    assert tmux.wait_exit(status) == 0


def test_piped_web_page_shows_its_article(tmux: Tmux, tmp_path: Path) -> None:
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    script = _script(tmp_path, f"cat {shlex.quote(str(PAGE))} | tuireader")
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} sh {script}", status)
    screen = tmux.wait_for("Port expansion stalls as costs double")
    assert "<html" not in screen and "Subscribe now" not in screen
    tmux.keys("q")
    assert tmux.wait_exit(status) == 0


def test_a_slow_producer_shows_its_bytes_then_the_article(tmux: Tmux, tmp_path: Path) -> None:
    """The app reads the pipe behind its loading view (issue 11): the first frame does
    not wait for the producer to end."""
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    fifo = tmp_path / "producer"
    os.mkfifo(fifo)
    script = _script(tmp_path, f"cat {shlex.quote(str(fifo))} | tuireader")
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} sh {script}", status)
    body = PAGE.read_bytes()
    with fifo.open("wb") as producer:  # opens once `cat` does
        producer.write(body[:2000])
        producer.flush()
        screen = tmux.wait_for("2 kB received")
        assert "Loading…" in screen and "<stdin>" in screen
        producer.write(body[2000:])
    tmux.wait_for("Port expansion stalls as costs double")
    tmux.keys("q")
    assert tmux.wait_exit(status) == 0


def test_a_binary_pipe_leaves_one_line_and_status_2(tmux: Tmux, tmp_path: Path) -> None:
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    script = _script(tmp_path, "printf 'abc\\000def' | tuireader")
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} sh {script}", status)
    assert tmux.wait_exit(status) == 2
    joined = tmux.run("capture-pane", "-p", "-J", "-t", "t")  # -J: wrapped rows as one
    lines = [line for line in joined.splitlines() if line.strip()]
    assert lines == ["tuireader: <stdin>: binary file, not text (NUL byte at offset 3)"]


def test_q_ends_the_process_while_the_producer_stalls(tmux: Tmux, tmp_path: Path) -> None:
    """A producer that never ends must not hold the quit: the thread blocked reading
    the pipe is left behind (issue 11)."""
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    fifo = tmp_path / "producer"
    os.mkfifo(fifo)
    script = _script(tmp_path, f"tuireader - < {shlex.quote(str(fifo))}")
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} sh {script}", status)
    with fifo.open("wb") as producer:  # opens once the shell opens the other end
        producer.write(b"A first line, and then nothing for ever\n")
        producer.flush()
        tmux.wait_for("received")
        tmux.keys("q")
        # The producer still holds the pipe open: the app never saw its end.
        assert tmux.wait_exit(status) == 0


def test_dash_at_a_terminal_reads_it_to_ctrl_d_then_takes_the_keys(
    tmux: Tmux, tmp_path: Path
) -> None:
    """`tuireader -` typed at a terminal: the text is typed first, as `cat` takes it
    (one ctrl+D ends it, not two)."""
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} tuireader -", status)
    tmux.type("Typed title\n\nA typed paragraph.\n")
    tmux.keys("C-d")
    tmux.wait_for("piped: notes in the data folder")
    tmux.keys("q")
    assert tmux.wait_exit(status) == 0
