"""URLs in a library (issue 11): listed at once, fetched only when opened, behind the
loading view; a URL that fails returns to the library with its one line. Every server
is the test's own, on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from textual.widgets import Static
from werkzeug import Request, Response

from tests.ui.waiting import until
from tuireader import cli
from tuireader.text.fetch import open_url
from tuireader.ui.app import ReaderApp, make_library_app
from tuireader.ui.config import AppConfig
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.loading import LoadingScreen
from tuireader.ui.screens.reader import ReaderScreen

ARTICLE = "Harbour news\n\nThe port reopened on Monday. Ships queued for days.\n"
LOCAL = "Local notes\n\nA file beside the URL. It holds two claims.\n"


@pytest.fixture
def local_file(tmp_path: Path) -> Path:
    path = tmp_path / "local.txt"
    path.write_text(LOCAL, "utf-8")
    return path


def serve(server: HTTPServer, path: str = "/article") -> str:
    server.expect_request(path).respond_with_data(
        ARTICLE.encode(), content_type="text/plain; charset=utf-8"
    )
    return server.url_for(path)


def library_of(app: ReaderApp) -> LibraryScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, LibraryScreen)
    return screen


def title_cell(library: LibraryScreen, url: str) -> str:
    """The title the URL's row shows."""
    row = next(row for row in library.rows if row.session.url == url)
    cells = library._cells(row)
    return cells[0].label().plain


async def open_row(app: ReaderApp, pilot: object, url: str) -> None:
    """Put the cursor on the URL's row and press Enter."""
    library = library_of(app)
    session = next(row.session for row in library.rows if row.session.url == url)
    library.highlight(session)
    await pilot.press("enter")  # type: ignore[attr-defined]


async def test_a_url_is_listed_at_once_and_fetched_when_opened(
    httpserver: HTTPServer, local_file: Path, app_config: AppConfig
) -> None:
    url = serve(httpserver)
    app = make_library_app([local_file, url], app_config)
    assert httpserver.log == []  # nothing fetched before the library shows
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        library = library_of(app)
        assert len(library.rows) == 2
        assert title_cell(library, url) == f"not fetched yet: {url}"
        await until(pilot, lambda: library.rows[0].heading is not None)
        assert httpserver.log == []  # the library's reading leaves URLs alone
        await open_row(app, pilot, url)
        await until(pilot, lambda: isinstance(app.screen, LoadingScreen | ReaderScreen))
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.document.title == "Harbour news"
        assert len(httpserver.log) == 1
        session = app.sessions[1]
        assert session.path.parent.parent == app_config.data_dir / "pages"
        await pilot.press("L")
        await until(pilot, lambda: app.screen is library)
        # Back in the library, the row shows the page's title, read from its snapshot.
        await until(pilot, lambda: library.rows[1].heading is not None)
        heading = library.rows[1].heading
        assert heading is not None and heading.title == "Harbour news"


async def test_a_kept_snapshot_gives_the_row_its_title_without_fetching(
    httpserver: HTTPServer, local_file: Path, app_config: AppConfig
) -> None:
    url = serve(httpserver)
    open_url(url, app_config.data_dir)
    httpserver.stop()  # offline from here on
    app = make_library_app([url, local_file], app_config)
    async with app.run_test(size=(200, 30)) as pilot:
        library = library_of(app)
        await until(pilot, lambda: all(row.heading is not None for row in library.rows))
        assert library.rows[0].heading is not None
        assert library.rows[0].heading.title == "Harbour news"
        await open_row(app, pilot, url)
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.document.title == "Harbour news"


async def test_refresh_lists_the_kept_title_and_fetches_anew_when_opened(
    httpserver: HTTPServer, local_file: Path, app_config: AppConfig
) -> None:
    url = serve(httpserver)
    open_url(url, app_config.data_dir)
    httpserver.clear()
    httpserver.expect_request("/article").respond_with_data(
        b"Harbour news, updated\n\nThe port closed again.\n",
        content_type="text/plain; charset=utf-8",
    )
    app = make_library_app([url, local_file], app_config, refresh=True)
    async with app.run_test(size=(200, 30)) as pilot:
        library = library_of(app)
        await until(pilot, lambda: library.rows[0].heading is not None)
        assert library.rows[0].heading is not None
        assert library.rows[0].heading.title == "Harbour news"  # the kept snapshot's
        assert httpserver.log == []
        await open_row(app, pilot, url)
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.document.title == "Harbour news, updated"
        assert len(httpserver.log) == 1
        await pilot.press("L")
        # The row reads its title again from the new snapshot.
        await until(
            pilot,
            lambda: (
                library.rows[0].heading is not None
                and library.rows[0].heading.title == "Harbour news, updated"
            ),
        )


async def test_a_dead_url_returns_to_the_library_with_its_one_line(
    httpserver: HTTPServer, local_file: Path, app_config: AppConfig
) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    url = httpserver.url_for("/gone")
    app = make_library_app([local_file, url], app_config)
    async with app.run_test(size=(200, 30)) as pilot:
        library = library_of(app)
        await open_row(app, pilot, url)
        await until(pilot, lambda: len(httpserver.log) == 1 and app.screen is library)
        await until(pilot, lambda: bool(app._notifications))
        messages = [n.message for n in app._notifications]
        assert f"{url}: HTTP 404 NOT FOUND" in messages
        assert app.is_running
        assert title_cell(library, url) == f"not fetched: {url}: HTTP 404 NOT FOUND"
        # The library is still usable: the file opens.
        library.highlight(library.rows[0].session)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.document.title == "Local notes"


async def test_escape_leaves_a_stalled_fetch_for_the_library(
    httpserver: HTTPServer, local_file: Path, app_config: AppConfig
) -> None:
    release = threading.Event()

    def stall(request: Request) -> Response:
        release.wait(30)
        return Response(ARTICLE, content_type="text/plain")

    httpserver.expect_request("/slow").respond_with_handler(stall)
    url = httpserver.url_for("/slow")
    app = make_library_app([local_file, url], app_config)
    try:
        async with app.run_test(size=(200, 30)) as pilot:
            library = library_of(app)
            await open_row(app, pilot, url)
            await until(pilot, lambda: isinstance(app.screen, LoadingScreen))
            hint = str(app.screen.query_one("#loading-hint", Static).render())
            assert hint == "Esc back to the library · q quits"
            loading = app.screen
            await pilot.press("question_mark", "L")  # ignored while loading
            assert app.screen is loading
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is library)
            release.set()  # the fetch ends, and must not open the reader now
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            assert app.screen is library
    finally:
        release.set()


def test_the_command_line_keeps_a_librarys_urls_for_the_app_to_fetch(
    httpserver: HTTPServer, local_file: Path
) -> None:
    url = serve(httpserver)
    found = cli._library_or_file([str(local_file), url, str(local_file)], recursive=False)
    assert found == [local_file, url]
    assert httpserver.log == []


def test_a_library_url_of_another_scheme_is_one_line(
    local_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([str(local_file), "ftp://example.invalid/a"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ftp://example.invalid/a" in err


def test_notes_across_files_and_a_url_read_the_urls_snapshot(
    httpserver: HTTPServer, local_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tuireader notes FILE… URL` (no UI) reports from the snapshot, offline."""
    url = serve(httpserver)
    open_url(url, tmp_path / "data" / "tuireader")  # the data folder of user_dirs(tmp_path)
    httpserver.stop()
    assert cli.main(["notes", str(local_file), url, "--format", "json"]) == 0
    documents = json.loads(capsys.readouterr().out)["documents"]
    assert [d["document"]["title"] for d in documents] == ["Local notes", "Harbour news"]
