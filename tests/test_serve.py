"""`tuireader serve` in a real headless browser: Chromium, driven by Playwright.

The server runs as the user would start it, on 127.0.0.1; the browser opens its page,
and the screen is read back from what the page's websocket received (fed to the pyte
terminal emulator: xterm.js draws on a canvas, which has no text to read). A
screenshot is saved beside the test's files for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.paths import SAMPLE, require_command, user_dirs
from tuireader.serve import is_loopback, serve_command

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_the_server_binds_to_loopback_by_default_and_sessions_send_no_bidi_sequences() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
    # A BDSM sequence on stdout would corrupt textual-serve's packet stream.
    assert serve_command(["a b.txt"]).endswith("'a b.txt' --bidi off")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A `tuireader serve` of a copy of the sample, on a free loopback port."""
    article = tmp_path / "article.txt"
    shutil.copy(SAMPLE, article)
    port = free_port()
    env = {**os.environ, **user_dirs(tmp_path), "TUIREADER_AUTHOR": "browser"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tuireader", "serve", str(article), "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first, first
        assert "only this machine" in server.stdout.readline()
        yield f"http://127.0.0.1:{port}/", article
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()


def wait_until(
    condition: Callable[[], bool], what: str, pause: Callable[[float], None], timeout: float = 20
) -> None:
    """Poll `condition`; `pause` lets the browser's events in (sync Playwright delivers
    them only inside its own calls, never during a `time.sleep`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        pause(100)
    raise AssertionError(f"timed out waiting for {what}: {condition.__doc__ or ''}")


def test_reading_and_annotating_in_a_browser(served: tuple[str, Path], tmp_path: Path) -> None:
    """Issue 12: the article's first rows appear, a key moves the view, and a note added
    in the browser lands in the notes file."""
    chromium = require_command("chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    pyte = pytest.importorskip("pyte")
    url, article = served
    title_row = subprocess.run(
        [sys.executable, "-m", "tuireader", "render", "--width", "0", str(article)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[0]

    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)

    def on_websocket(websocket: object) -> None:
        # The page chooses the terminal's size and sends it in the websocket's URL:
        # size pyte to it before the first frame arrives.
        url = websocket.url  # type: ignore[attr-defined]
        query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
        screen.resize(int(query["height"]), int(query["width"]))

        def received(payload: bytes | str) -> None:
            stream.feed(payload if isinstance(payload, bytes) else payload.encode())

        websocket.on("framereceived", received)  # type: ignore[attr-defined]

    def shown() -> str:
        return "\n".join(screen.display)

    def article_rows() -> str:
        """The screen but its last row: the status bar shows the title too."""
        return "\n".join(screen.display[:-1])

    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.on("websocket", on_websocket)
            page.goto(url)
            # Keys go to xterm.js's hidden text field, as they do once a person clicks in;
            # focused before the app starts, so that the app starts focused (a focus that
            # arrives later is handled after keys already on their way).
            page.focus(".xterm-helper-textarea")
            wait_until(
                lambda: title_row.strip() in shown(),
                "the article's title row",
                page.wait_for_timeout,
            )
            page.screenshot(path=str(tmp_path / "serve.png"))

            page.keyboard.press("G")
            wait_until(
                lambda: title_row.strip() not in article_rows(),
                "the view to move",
                page.wait_for_timeout,
            )

            page.keyboard.press("g")
            page.keyboard.press("]")
            page.keyboard.press("a")
            wait_until(lambda: "ctrl+s save" in shown(), "the note editor", page.wait_for_timeout)
            page.keyboard.type("written in a browser")
            page.keyboard.press("Control+s")
            notes = article.with_name(article.name + ".notes.yaml")
            wait_until(
                lambda: notes.exists() and "written in a browser" in notes.read_text("utf-8"),
                "the note in the notes file",
                page.wait_for_timeout,
            )
            assert "author: browser" in notes.read_text("utf-8")
            page.keyboard.press("q")
        finally:
            browser.close()
