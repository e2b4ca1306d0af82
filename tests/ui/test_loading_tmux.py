"""A web page opens behind a loading view in a real terminal; a file that cannot be
read ends the app with one line on standard error and status 2 (issue 11)."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.test_tmux import Tmux, user_dirs_env

pytestmark = pytest.mark.tmux

PAGE = Path(__file__).parent.parent / "text" / "data" / "html" / "en_news.html"


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(80, 24)
    yield session
    session.close()


def test_a_web_page_file_opens_at_80x24_and_quits(tmux: Tmux, tmp_path: Path) -> None:
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} tuireader {shlex.quote(str(PAGE))}", status)
    screen = tmux.wait_for("Port expansion stalls as costs double")
    assert "<html" not in screen and "Loading…" not in screen
    tmux.keys("G")
    tmux.wait_for("100%")
    tmux.keys("q")
    assert tmux.wait_exit(status) == 0


def test_a_file_that_cannot_be_read_leaves_one_line_and_status_2(
    tmux: Tmux, tmp_path: Path
) -> None:
    home = user_dirs_env(tmp_path)
    status = tmp_path / "status"
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    # Textual draws on standard error: the line is read from the terminal it returns to.
    tmux.start_and_keep(f"env LANG=C.UTF-8 {home} tuireader {shlex.quote(str(broken))}", status)
    assert tmux.wait_exit(status) == 2
    joined = tmux.run("capture-pane", "-p", "-J", "-t", "t")  # -J: wrapped rows as one
    lines = [line for line in joined.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("tuireader: ") and "broken.epub" in lines[0]
