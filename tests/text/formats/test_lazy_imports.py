"""Tests that a format's library is imported only when a document of that format is read:
a plain-text start pays for no HTML parser (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data"
HEAVY = ("lxml", "trafilatura", "docx", "ebooklib", "readability", "htmldate", "justext")


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    return {name.split(".")[0] for name in result.stdout.split()}


@pytest.mark.parametrize("article", ["en_article.txt", "ar_article.md"])
def test_reading_plain_text_or_markdown_imports_no_format_library(article: str) -> None:
    loaded = _modules_after(
        "from tuireader.text.structure import load_document\n"
        f"load_document({str(DATA / article)!r})\n"
        "import tuireader.ui.app, tuireader.cli"
    )
    assert loaded.isdisjoint(HEAVY)


def test_rendering_a_text_file_imports_no_format_library() -> None:
    loaded = _modules_after(
        "import contextlib, io\n"
        "from tuireader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['render', '--width', '40', {str(DATA / 'en_article.txt')!r}])"
    )
    assert loaded.isdisjoint(HEAVY)


def test_reading_a_web_page_imports_the_extractor() -> None:
    loaded = _modules_after(
        "from tuireader.text.structure import load_document\n"
        f"load_document({str(DATA / 'html' / 'en_news.html')!r})"
    )
    assert {"lxml", "trafilatura"} <= loaded
    assert loaded.isdisjoint({"docx", "ebooklib"})


def test_reading_a_word_file_imports_python_docx_but_not_the_extractor(tmp_path: Path) -> None:
    from tests.text.formats.builders import english_docx

    path = tmp_path / "memo.docx"
    path.write_bytes(english_docx())
    loaded = _modules_after(
        f"from tuireader.text.structure import load_document\nload_document({str(path)!r})"
    )
    assert "docx" in loaded
    assert loaded.isdisjoint({"trafilatura", "ebooklib", "readability"})
