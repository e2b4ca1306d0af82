"""A pipe is read by the app's worker behind the loading view, as a URL is fetched
(issue 11): a slow producer shows its bytes as they come, `q` quits while it stalls,
and a pipe that holds no document ends the app with one line and status 2."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from textual.widgets import Static

from tests.ui.waiting import until, until_read
from tuireader.text import loading
from tuireader.text.document import STDIN_NAME, text_sha256
from tuireader.ui.app import ReaderApp, make_app
from tuireader.ui.config import AppConfig
from tuireader.ui.screens.loading import LoadingScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.session import PIPED_NOTICE

PAGE = Path(__file__).parent.parent / "text" / "data" / "html" / "en_news.html"
PAGE_TITLE = "Port expansion stalls as costs double"
TEXT = "عنوان المقال\n\nقال الوزير إن الاقتصاد نما. وأضاف أن الأسعار استقرت.\n"


class Pipe:
    """An os.pipe: the app reads `reader`, the test writes (or stalls) on the other end."""

    def __init__(self) -> None:
        read_end, self._write_end = os.pipe()
        self.reader: BinaryIO = open(read_end, "rb", buffering=0)  # noqa: SIM115
        self._closed = False
        self._lock = threading.Lock()

    def write(self, data: bytes, *, then_close: bool = False) -> None:
        """Write on a thread (a pipe's buffer holds 64 kB, and the app reads it), and
        close the pipe after it when told: the producer ends."""

        def write() -> None:
            view = memoryview(data)
            # OSError: the app stopped reading (over the cap) and closed its end.
            with contextlib.suppress(OSError):
                while view:
                    view = view[os.write(self._write_end, view) :]
            if then_close:
                self.close()

        threading.Thread(target=write, daemon=True).start()

    def write_all(self, data: bytes) -> None:
        self.write(data, then_close=True)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                os.close(self._write_end)


@pytest.fixture
def pipe() -> Iterator[Pipe]:
    made = Pipe()
    yield made
    made.close()  # a reader the test left waiting ends


def shown(app: ReaderApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_piped_web_page_shows_its_bytes_then_the_article(
    pipe: Pipe, app_config: AppConfig
) -> None:
    body = PAGE.read_bytes()
    app = make_app(pipe.reader, None, app_config)
    assert app.sessions[0].document is None  # nothing read before the app runs
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        assert shown(app, "#loading-name") == STDIN_NAME
        assert shown(app, "#loading-progress") == "waiting for standard input…"
        pipe.write(body[:1000])  # the producer is slow: half a page, then nothing
        await until(pilot, lambda: shown(app, "#loading-progress") == "1 kB received")
        assert isinstance(app.screen, LoadingScreen)
        pipe.write_all(body[1000:])
        await until_read(pilot)
        assert app.document.title == PAGE_TITLE
        assert "Subscribe now" not in app.document.text  # the extractor ran
        assert PIPED_NOTICE in app.document.notices
        await pilot.press("j", "G")  # the reader has the keys
        assert isinstance(app.screen, ReaderScreen)


async def test_piped_plain_text_opens_with_its_notes_in_the_data_folder(
    pipe: Pipe, app_config: AppConfig
) -> None:
    pipe.write_all(TEXT.encode())
    app = make_app(pipe.reader, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_read(pilot)
        session = app.sessions[0]
        assert app.document.title == "عنوان المقال"
        assert app.document.piped and session.name == STDIN_NAME
        assert PIPED_NOTICE in app.document.notices
        notes = session.notes_path()
        assert notes.parent == app_config.data_dir / "notes"
        assert notes.name == f"stdin-{text_sha256(app.document.text)[:12]}.notes.yaml"


async def test_an_empty_pipe_is_an_empty_document_not_an_error(
    pipe: Pipe, app_config: AppConfig
) -> None:
    pipe.close()
    app = make_app(pipe.reader, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_read(pilot)
        assert app.document.text == ""
        assert PIPED_NOTICE in app.document.notices


async def test_q_quits_at_once_while_the_producer_stalls(pipe: Pipe, app_config: AppConfig) -> None:
    pipe.write(b"The start of a text that never ends\n")
    app = make_app(pipe.reader, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "received" in shown(app, "#loading-progress"))
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 0
    assert app.exit_line is None


async def test_a_pipe_over_the_cap_ends_the_app_with_one_line_and_status_2(
    pipe: Pipe, app_config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "MAX_BYTES", 3 * 2**20)  # 256 MiB is a lot for a test
    pipe.write_all(b"text line\n" * (400 * 1024))
    app = make_app(pipe.reader, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 2
    assert app.exit_line == "tuireader: <stdin>: too large (over 3 MiB)"


async def test_a_binary_pipe_ends_the_app_with_one_line_and_status_2(
    pipe: Pipe, app_config: AppConfig
) -> None:
    pipe.write_all(bytes(range(256)) * 64)
    app = make_app(pipe.reader, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 2
    assert app.exit_line is not None
    assert app.exit_line.startswith("tuireader: <stdin>: ") and "\n" not in app.exit_line


class _FailingPipe:
    """A pipe whose read fails (EIO: the producer's terminal went away, say)."""

    def read(self, size: int = -1) -> bytes:
        raise OSError(5, "Input/output error")

    def close(self) -> None:
        pass


async def test_a_pipe_that_cannot_be_read_ends_the_app_with_one_line(
    app_config: AppConfig,
) -> None:
    app = make_app(_FailingPipe(), None, app_config)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 2
    assert app.exit_line == "tuireader: <stdin>: cannot read (Input/output error)"
