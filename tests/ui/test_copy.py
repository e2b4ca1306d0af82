"""Copy as text, not as glyphs (issue 10): `y` and the article's mouse selection."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from textual.geometry import Offset
from textual.pilot import Pilot
from textual.selection import Selection

from tests.ui.conftest import MakeReader
from tests.ui.rtl_documents import ARABIC, write_case
from tuireader.ui.app import ReaderApp
from tuireader.ui.config import AppConfig
from tuireader.ui.widgets.article_view import ArticleView

CLAIM = ARABIC.notes[0][0]
"""The second sentence of the Arabic article: `]` twice puts the cursor on it."""


def no_presentation_forms(text: str) -> bool:
    return not any(
        unicodedata.decomposition(char).startswith(("<initial>", "<medial>", "<final>"))
        or unicodedata.decomposition(char).startswith("<isolated>")
        for char in text
    )


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


async def test_y_copies_the_claim_as_logical_text_with_its_citation(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    article = write_case(ARABIC, tmp_path)
    app = make_reader(article)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "y")
        await pilot.pause()
        copied = app.clipboard
        assert copied == (f"{CLAIM}\n— تقرير الاقتصاد الأسبوعي, § الأسواق العالمية, {article}")
        assert no_presentation_forms(copied)
        (toast,) = [n.message for n in app._notifications if n.message.startswith("Copied")]
        assert "with its citation" in toast and "وقال وزير" in toast


async def test_the_citation_setting_off_copies_the_text_alone(
    make_reader: MakeReader, app_config: AppConfig, tmp_path: Path
) -> None:
    app_config.config_dir.mkdir(parents=True)
    settings = app_config.config_dir / "settings.json"
    settings.write_text(json.dumps({"copy_citation": False}), encoding="utf-8")
    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "y")
        await pilot.pause()
        assert app.clipboard == CLAIM


async def test_y_without_a_cursor_copies_the_claim_at_the_reading_position(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        first = ARABIC.article.split("\n\n")[2].split(". ")[0] + "."
        assert app.clipboard.splitlines()[0] == first


def article_of(app: ReaderApp) -> ArticleView:
    return app.screen_stack[0].query_one(ArticleView)


def row_of(view: ArticleView, offset: int) -> tuple[int, int, int]:
    """(row on screen, logical start, logical end) of the row that shows `offset`."""
    layout = view._layout
    for row in range(layout.total_rows):
        index, within = layout.locate(row)
        lines = layout.lines(index)
        if within >= len(lines):
            continue  # the blank row between paragraphs
        line = lines[within]
        if line.start <= offset < line.end:
            return row, line.start, line.end
    raise AssertionError("offset not laid out")


async def test_a_selected_rtl_row_copies_its_logical_text_not_its_glyphs(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = article_of(app)
        row, start, end = row_of(view, app.document.text.index(CLAIM))
        app.screen.selections = {view: Selection(Offset(0, row), Offset(200, row))}
        await pilot.pause()
        selected = app.screen.get_selected_text()
        assert selected == app.document.text[start:end].strip()
        # The row is drawn in the selection style, in presentation forms.
        drawn = "".join(segment.text for segment in view.render_line(row - view._top))
        assert not no_presentation_forms(drawn)
        await pilot.press("ctrl+c")  # Textual's own copy key copies the same text
        await pilot.pause()
        assert app.clipboard == selected
        app.copy_to_clipboard("")
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == selected


async def test_part_of_an_rtl_row_copies_the_words_under_the_cells(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """The right end of an RTL row is its logical start: cells there copy the first
    words of the row, in the order they are stored."""
    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = article_of(app)
        row, start, _ = row_of(view, app.document.text.index("ارتفعت"))
        text = "".join(segment.text for segment in view.render_line(row - view._top))
        # The gutter sits on the side where RTL rows start: the text ends before its mark.
        end = len(text.rstrip().rstrip("✓✗?§~•0123456789").rstrip())
        width = len("ارتفعت أسعار")
        app.screen.selections = {view: Selection(Offset(end - width, row), Offset(end, row))}
        assert app.screen.get_selected_text() == "ارتفعت أسعار"


async def test_dragging_the_mouse_over_arabic_copies_logical_text(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = article_of(app)
        row, _, _ = row_of(view, app.document.text.index("ارتفعت"))
        y = row - view._top
        await pilot.mouse_down(view, offset=(78, y))
        await pilot.hover(view, offset=(40, y))
        await pilot.mouse_up(view, offset=(40, y))
        await pilot.pause()
        selected = app.screen.get_selected_text()
        assert selected and selected in ARABIC.article
        assert no_presentation_forms(selected)


async def test_only_the_article_can_be_selected_with_the_mouse(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """Everything else on screen is drawn as glyphs in visual order (status bar,
    outline, dialogs, toasts): a selection there would copy glyphs, so there is none."""
    from tuireader.ui.widgets.status_bar import StatusBar

    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        status = app.screen.query_one(StatusBar)
        await pilot.mouse_down(status, offset=(1, 0))
        await pilot.hover(status, offset=(30, 0))
        await pilot.mouse_up(status, offset=(30, 0))
        await pilot.pause()
        assert not app.screen.get_selected_text()
