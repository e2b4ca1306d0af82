"""Documents of every format in the reader: piped text (notes in the data folder, by its
text), web pages, Word and EPUB files (notes beside them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.waiting import until_read
from tuireader.text.document import STDIN_NAME, text_sha256
from tuireader.text.formats import read_document
from tuireader.ui.app import make_app
from tuireader.ui.config import AppConfig

PAGES = Path(__file__).parent.parent / "text" / "data" / "html"


async def test_piped_document_notes_go_to_the_data_folder_keyed_by_its_text(
    app_config: AppConfig,
) -> None:
    document = read_document("عنوان\n\nنص مقال قادم من أنبوب.\n".encode(), name=STDIN_NAME)
    assert document.piped
    app = make_app(document, None, app_config)
    path = app.sessions[0].notes_path()
    assert path.parent == app_config.data_dir / "notes"
    assert path.name == f"stdin-{text_sha256(document.text)[:12]}.notes.yaml"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.sessions[0].name == STDIN_NAME


def test_a_file_is_not_piped() -> None:
    assert not read_document(b"text", name="a.txt", path="a.txt").piped


@pytest.mark.parametrize("kind", ["html", "docx", "epub"])
async def test_web_page_word_and_epub_files_open_in_the_reader(
    kind: str, app_config: AppConfig, tmp_path: Path
) -> None:
    from tests.text.formats.builders import arabic_docx, three_chapter_epub

    data = {
        "html": (PAGES / "ar_news.html").read_bytes(),
        "docx": arabic_docx(),
        "epub": three_chapter_epub(),
    }[kind]
    path = tmp_path / f"article.{kind}"
    path.write_bytes(data)
    app = make_app(path, None, app_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_read(pilot)
        await pilot.press("j", "j", "G")
        await pilot.pause()
        assert app.document.title in (
            "ارتفاع أسعار القمح يهدد الأمن الغذائي في المنطقة",
            "تقرير عن جودة المياه",
            "رحلة سلمى",
        )
        assert app.document.path == str(path)
        assert app.sessions[0].notes_path() == tmp_path / f"article.{kind}.notes.yaml"
