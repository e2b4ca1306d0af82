"""A web page, Word or EPUB file, or a URL is read by a worker while the app shows a
loading view (issue 11: start-up never waits for the extractor or the network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from textual.widgets import Static
from werkzeug import Request, Response

from tests.ui.waiting import until, until_read
from tuireader.text.document import Document
from tuireader.ui.app import ReaderApp, make_app
from tuireader.ui.config import AppConfig
from tuireader.ui.screens.help import HelpScreen
from tuireader.ui.screens.loading import LoadingScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.session import DocumentSession

PAGE = Path(__file__).parent.parent / "text" / "data" / "html" / "en_news.html"
PAGE_TITLE = "Port expansion stalls as costs double"


def shown(app: ReaderApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """A slow reader: `DocumentSession.read` waits until the test opens the gate."""
    opened = threading.Event()
    read = DocumentSession.read

    def slow_read(self: DocumentSession, *args: object, **kwargs: object) -> Document:
        opened.wait(30)
        return read(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DocumentSession, "read", slow_read)
    yield opened
    opened.set()  # a reader the test left waiting ends


async def test_a_slow_document_shows_the_loading_view_then_the_reader(
    gate: threading.Event, app_config: AppConfig
) -> None:
    app = make_app(PAGE, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        assert shown(app, "#loading-title") == "Loading…"
        assert shown(app, "#loading-name") == str(PAGE)
        assert shown(app, "#loading-progress") == "reading 4 kB…"
        gate.set()
        await until_read(pilot)
        assert app.document.title == PAGE_TITLE


async def test_a_web_page_is_read_by_the_worker_not_before_the_app_starts(
    app_config: AppConfig,
) -> None:
    app = make_app(PAGE, None, app_config)
    assert app.sessions[0].document is None
    async with app.run_test(size=(80, 24)) as pilot:
        await until_read(pilot)
        assert app.document.title == PAGE_TITLE
        await pilot.press("j", "G")  # the reader has the keys now
        assert isinstance(app.screen, ReaderScreen)


def test_plain_text_is_still_read_before_the_first_frame(
    app_config: AppConfig, tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nA paragraph.\n", encoding="utf-8")
    app = make_app(path, None, app_config)
    assert app.sessions[0].document is not None


async def test_keys_during_loading_are_ignored_and_the_reader_gets_later_ones(
    gate: threading.Event, app_config: AppConfig
) -> None:
    app = make_app(PAGE, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark", "ctrl+p", "j", "slash", "x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        gate.set()
        await until_read(pilot)
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_q_quits_while_the_document_is_still_loading(
    gate: threading.Event, app_config: AppConfig
) -> None:
    app = make_app(PAGE, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 0
    assert app.exit_line is None


async def test_a_file_that_cannot_be_read_ends_the_app_with_one_line(
    app_config: AppConfig, tmp_path: Path
) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    app = make_app(path, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 2
    assert app.exit_line is not None
    assert app.exit_line.startswith("tuireader: ")
    assert "broken.docx" in app.exit_line
    assert "\n" not in app.exit_line


async def test_a_url_shows_its_progress_then_the_page(
    httpserver: HTTPServer, app_config: AppConfig
) -> None:
    body = PAGE.read_bytes()
    body += b"<!--" + b" " * (300_000 - len(body)) + b"-->"  # several chunks
    half = threading.Event()

    def chunks() -> Iterator[bytes]:
        yield body[:150_000]
        half.wait(30)  # the rest once the test has seen the progress
        yield body[150_000:]

    def handler(request: Request) -> Response:
        return Response(
            chunks(),
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))},
        )

    httpserver.expect_request("/page").respond_with_handler(handler)
    url = httpserver.url_for("/page")
    app = make_app(url, None, app_config)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            assert shown(app, "#loading-name") == url
            await until(pilot, lambda: "received of 300 kB" in shown(app, "#loading-progress"))
            half.set()
            await until_read(pilot)
            assert app.document.title == PAGE_TITLE
            assert app.sessions[0].path.parent.parent == app_config.data_dir / "pages"
    finally:
        half.set()


async def test_a_url_that_fails_ends_the_app_with_its_one_line(
    httpserver: HTTPServer, app_config: AppConfig
) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    url = httpserver.url_for("/gone")
    app = make_app(url, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 2
    assert app.exit_line == f"tuireader: {url}: HTTP 404 NOT FOUND"
