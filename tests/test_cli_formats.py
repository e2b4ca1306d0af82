"""The command line on other formats and on standard input (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.text.formats.builders import arabic_docx, three_chapter_epub

PAGE = Path(__file__).parent / "text" / "data" / "html" / "en_news.html"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m tuireader` in a new session: no controlling terminal, as in cron or CI."""
    return subprocess.run(
        [sys.executable, "-m", "tuireader", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
        start_new_session=True,
    )


def test_outline_of_a_page_on_standard_input_has_its_title_and_sections() -> None:
    result = run_cli("outline", "-", stdin=PAGE.read_bytes())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "Port expansion stalls as costs double"
    assert "  - What the audit found" in lines


def test_outline_of_plain_text_on_standard_input_finds_its_structure() -> None:
    text = "The title\n\nA paragraph that says something, at some length.\n\nSection\n\nMore text."
    result = run_cli("outline", "--json", "-", stdin=text.encode())
    assert json.loads(result.stdout)["title"] == "The title"


def test_render_of_plain_text_on_standard_input_is_still_one_paragraph_per_line() -> None:
    result = run_cli("render", "--json", "--width", "0", "-", stdin=b"one\ntwo\n")
    assert [p["kind"] for p in json.loads(result.stdout)["paragraphs"]] == ["paragraph"] * 2


def test_render_of_word_and_epub_files(tmp_path: Path) -> None:
    for name, data in (("r.docx", arabic_docx()), ("b.epub", three_chapter_epub())):
        path = tmp_path / name
        path.write_bytes(data)
        result = run_cli("outline", str(path))
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().splitlines()[0] in ("تقرير عن جودة المياه", "رحلة سلمى")


def test_a_corrupt_word_file_is_one_line_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 broken")
    result = run_cli("outline", str(path))
    assert result.returncode == 2
    assert result.stdout == b""
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith("tuireader: ") and "broken.docx: not a valid" in line


def test_a_pipe_with_no_terminal_for_the_keys_is_one_line_on_stderr() -> None:
    result = run_cli(stdin=b"Some text to read.\n")
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert "no terminal for the keys" in line


def test_notes_of_piped_text_are_looked_up_in_the_data_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "notes", "-"],
        input="عنوان\n\nنص قادم من أنبوب.\n".encode(),
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.decode().splitlines()
    assert "no notes yet for <stdin>" in line
    assert str(tmp_path / "data" / "tuireader" / "notes" / "stdin-") in line


def test_a_pipe_is_not_the_document_under_textual_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """textual-serve's sessions read their web driver's packets from a stdin pipe."""
    from tuireader import cli

    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert not cli._stdin_is_the_document(None)
    assert cli._stdin_is_the_document("-")
