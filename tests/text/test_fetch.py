"""URLs: fetched from a server on 127.0.0.1 started by each test, kept as a snapshot,
read offline afterwards; every failure is one line. Never the network."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tuireader.cli import main
from tuireader.notes.model import new_note
from tuireader.notes.store import NotesStore, default_notes_path
from tuireader.text import fetch
from tuireader.text.document import text_sha256
from tuireader.text.fetch import FetchError, open_url
from tuireader.text.snapshots import find_snapshot, read_page_source
from tuireader.text.structure import load_document

ARTICLE = "عنوان المقال\n\nقال الوزير إن الاقتصاد نما بنسبة ٣٪ هذا العام.\n"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder, private to the test (platformdirs reads XDG_DATA_HOME)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "tuireader"


@pytest.fixture
def httpserver() -> Iterator[HTTPServer]:
    """A server of this test's own on 127.0.0.1 (pytest-httpserver's fixture is shared
    by the session, and some tests stop theirs to read offline)."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        if server.is_running():
            server.stop()


def serve_text(server: HTTPServer, path: str, text: str, charset: str = "utf-8") -> str:
    server.expect_request(path).respond_with_data(
        text.encode(charset), content_type=f"text/plain; charset={charset}"
    )
    return server.url_for(path)


def test_a_fetched_page_opens_with_its_url_as_name_and_its_text(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    url = serve_text(httpserver, "/article", ARTICLE)
    page = open_url(url, data_dir)
    document = load_document(page)
    assert document.name == url
    assert document.url == url
    assert document.fetched is not None and document.fetched.endswith("Z")
    assert "الاقتصاد نما" in document.text
    assert page.parent.parent == data_dir / "pages"


def test_the_snapshot_reopens_with_the_server_stopped(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    url = serve_text(httpserver, "/article", ARTICLE)
    first = open_url(url, data_dir)
    httpserver.stop()
    again = open_url(url, data_dir)
    assert again == first
    assert "الاقتصاد نما" in load_document(again).text


def test_refresh_with_the_server_stopped_fails_in_one_line_and_keeps_the_snapshot(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    url = serve_text(httpserver, "/article", ARTICLE)
    page = open_url(url, data_dir)
    kept = page.read_bytes()
    httpserver.stop()
    with pytest.raises(FetchError, match="cannot connect") as caught:
        open_url(url, data_dir, refresh=True, timeout=2)
    assert "\n" not in str(caught.value)
    assert page.read_bytes() == kept


def test_redirects_are_followed_and_the_final_url_is_recorded(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    target = serve_text(httpserver, "/final", ARTICLE)
    httpserver.expect_request("/start").respond_with_data(
        "", status=302, headers={"Location": "/middle"}
    )
    httpserver.expect_request("/middle").respond_with_data(
        "", status=301, headers={"Location": "/final"}
    )
    page = open_url(httpserver.url_for("/start"), data_dir)
    source = read_page_source(page)
    assert source is not None
    assert source.url == httpserver.url_for("/start")
    assert source.final_url == target


def test_more_than_five_redirects_is_an_error(httpserver: HTTPServer, data_dir: Path) -> None:
    for hop in range(7):
        httpserver.expect_request(f"/{hop}").respond_with_data(
            "", status=302, headers={"Location": f"/{hop + 1}"}
        )
    with pytest.raises(FetchError, match="more than 5 redirects"):
        open_url(httpserver.url_for("/0"), data_dir)


def test_a_redirect_to_another_scheme_is_refused(httpserver: HTTPServer, data_dir: Path) -> None:
    httpserver.expect_request("/a").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(FetchError, match="not http"):
        open_url(httpserver.url_for("/a"), data_dir)


def test_not_found_is_one_line_with_the_status(httpserver: HTTPServer, data_dir: Path) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    url = httpserver.url_for("/gone")
    with pytest.raises(FetchError) as caught:
        open_url(url, data_dir)
    assert str(caught.value) == f"{url}: HTTP 404 NOT FOUND"
    assert find_snapshot(data_dir, url) is None


def test_a_server_that_does_not_answer_times_out(httpserver: HTTPServer, data_dir: Path) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response(ARTICLE, content_type="text/plain")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchError, match="timed out"):
        open_url(httpserver.url_for("/slow"), data_dir, timeout=0.2)


def test_a_body_that_drips_past_the_deadline_is_refused(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    def drip(_request: Request) -> Response:
        def parts() -> Iterator[bytes]:
            for _ in range(6):
                yield b"x" * 10
                time.sleep(0.15)

        return Response(parts(), content_type="text/plain")

    httpserver.expect_request("/drip").respond_with_handler(drip)
    with pytest.raises(FetchError, match="too slow"):
        open_url(httpserver.url_for("/drip"), data_dir, deadline=0.3)


def test_an_announced_length_over_the_cap_is_refused_before_reading(
    httpserver: HTTPServer, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    httpserver.expect_request("/big").respond_with_data(b"a" * 5000, content_type="text/plain")
    with pytest.raises(FetchError, match="too large"):
        open_url(httpserver.url_for("/big"), data_dir)


def test_a_streamed_body_over_the_cap_is_refused(httpserver: HTTPServer, data_dir: Path) -> None:
    chunk = b"a" * (1024 * 1024)

    def endless(_request: Request) -> Response:
        return Response(
            (chunk for _ in range(fetch.MAX_BYTES // len(chunk) + 2)),
            content_type="text/plain",
        )

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(FetchError, match="too large"):
        open_url(httpserver.url_for("/stream"), data_dir)


def test_a_gzip_bomb_is_refused_once_decompressed_past_the_cap(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    bomb = gzip.compress(b"\0" * (fetch.MAX_BYTES + 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"}
    )
    url = httpserver.url_for("/bomb")
    with pytest.raises(FetchError, match="once decompressed"):
        open_url(url, data_dir)
    assert find_snapshot(data_dir, url) is None


def test_a_gzipped_page_is_kept_decompressed(httpserver: HTTPServer, data_dir: Path) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(ARTICLE.encode()),
        content_type="text/plain; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )
    page = open_url(httpserver.url_for("/gz"), data_dir)
    assert page.read_text(encoding="utf-8") == ARTICLE


def test_a_wrong_content_type_is_refused(httpserver: HTTPServer, data_dir: Path) -> None:
    httpserver.expect_request("/img").respond_with_data(b"\x89PNG", content_type="image/png")
    with pytest.raises(FetchError, match=r"not a document we can read \(image/png\)"):
        open_url(httpserver.url_for("/img"), data_dir)


def test_a_charset_named_only_in_the_header_decodes_the_page(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    text = ARTICLE.replace("٣٪", "3%")  # Windows-1256 has no Arabic-Indic digits
    url = serve_text(httpserver, "/cp1256", text, charset="windows-1256")
    document = load_document(open_url(url, data_dir))
    assert "قال الوزير إن الاقتصاد نما" in document.text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/a.txt", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("https:///nohost", "no host"),
    ],
)
def test_urls_that_are_not_http_are_refused(url: str, message: str, data_dir: Path) -> None:
    with pytest.raises(FetchError, match=message):
        open_url(url, data_dir)


def test_terminal_escapes_in_a_url_never_reach_the_error(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    httpserver.expect_request("/x").respond_with_data("", status=500)
    with pytest.raises(FetchError, match="not a valid URL") as caught:
        open_url(httpserver.url_for("/x") + "?\x1b]52;c;aGk=\x07", data_dir)
    assert "\x1b" not in str(caught.value)
    assert "\x07" not in str(caught.value)


def test_the_notes_file_records_the_url_and_the_fetch_time(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    url = serve_text(httpserver, "/article", ARTICLE)
    document = load_document(open_url(url, data_dir))
    path = default_notes_path(document.path, text_sha256(document.text), data_dir=data_dir)
    store = NotesStore.open(path, document)
    start = document.text.index("قال")
    store.add(new_note(document, start, start + 10, body="مصدر؟", author="a"))
    saved = path.read_text(encoding="utf-8")
    assert f"url: {url}" in saved
    assert f"fetched: '{document.fetched}'" in saved
    assert NotesStore.open(path, document).document_info is not None


def test_cli_renders_a_url_and_reports_its_notes_offline(
    httpserver: HTTPServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = serve_text(httpserver, "/article", ARTICLE)
    assert main(["render", url, "--width", "40"]) == 0
    assert capsys.readouterr().out.strip()
    httpserver.stop()
    assert main(["notes", url, "--format", "json"]) in (0, 2)
    err = capsys.readouterr().err
    assert "never opened" not in err
    assert main(["render", url, "--width", "40"]) == 0


def test_cli_notes_of_a_url_never_opened_says_so_in_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", "https://example.invalid/a"]) == 2
    err = capsys.readouterr().err.strip()
    assert "never opened" in err
    assert len(err.splitlines()) == 1


def test_a_source_file_that_is_not_ours_is_ignored(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    for content in ("not json", "[]", json.dumps({"url": 1}), json.dumps({"file": "../x"})):
        (tmp_path / "source.json").write_text(content, encoding="utf-8")
        assert read_page_source(page) is None
        assert load_document(page).name == "page.txt"
