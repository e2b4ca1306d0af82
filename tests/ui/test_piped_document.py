"""A document read from standard input keeps its notes in the data folder, by its text."""

from __future__ import annotations

from tuireader.text.document import STDIN_NAME, text_sha256
from tuireader.text.formats import read_document
from tuireader.ui.app import make_app
from tuireader.ui.config import AppConfig


async def test_piped_document_notes_go_to_the_data_folder_keyed_by_its_text(
    app_config: AppConfig,
) -> None:
    document = read_document("عنوان\n\nنص مقال قادم من أنبوب.\n".encode(), name=STDIN_NAME)
    assert document.piped
    app = make_app(document, None, app_config)
    path = app.notes_path_for(document)
    assert path.parent == app_config.data_dir / "notes"
    assert path.name == f"stdin-{text_sha256(document.text)[:12]}.notes.yaml"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.document.name == STDIN_NAME


def test_a_file_is_not_piped() -> None:
    assert not read_document(b"text", name="a.txt", path="a.txt").piped
