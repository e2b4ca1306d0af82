"""The status bar, the details view (ctrl+g), the gutter marks and the empty notes panel."""

from __future__ import annotations

from pathlib import Path

from tests.paths import SAMPLE
from tests.ui.conftest import MakeReader
from tests.ui.waiting import reader_screen, settle
from tuireader.bidi.layout import DEFAULT_OPTIONS
from tuireader.text.document import Direction
from tuireader.ui.app import ReaderApp, make_app
from tuireader.ui.config import AppConfig
from tuireader.ui.labels import visual_label
from tuireader.ui.screens.details import DetailsScreen
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.notes_panel import EMPTY_HINT, NO_MATCH_HINT, NotesPanel
from tuireader.ui.widgets.status_bar import StatusBar

TITLE = "ماذا بعد التقارب الكوري الشمالي- الروسي؟"


def status_row(app: ReaderApp) -> str:
    """The status bar as drawn: one row of cells."""
    return reader_screen(app).query_one(StatusBar).render().plain


def visual(text: str, width: int = 0) -> str:
    return visual_label(text, width, DEFAULT_OPTIONS, Direction.RTL).plain


class TestStatusBar:
    """Title, section, position, counts and the notes file's state, fitted to the row."""

    async def test_the_title_section_counts_and_position_at_160_columns(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            await pilot.press("right_curly_bracket")
            await settle(pilot)
            row = status_row(app)
            assert len(row) == 160
            # The title and the section in visual order (shaped, reordered), as the
            # article shows them: never the file name.
            section = app.document.sections[0].title
            assert row.startswith(f" {visual(TITLE)} › {visual(section)}")
            assert "summit.txt" not in row.split("notes:")[0]
            claims = reader_screen(app).review.claim_count
            assert f"0 notes · 0 of {claims} reviewed" in row
            assert "notes: summit.txt.notes.yaml" in row
            assert row.rstrip().endswith("%  ? help")

    async def test_at_80_columns_everything_fits_and_the_title_is_cut_at_its_end(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            row = status_row(app)
            assert len(row) == 80
            assert "? help" in row and "0%" in row and "0 notes" in row
            # The title keeps its logical start; in an RTL row "…" is on the left.
            title = row[1 : row.index("  ")]
            assert title.startswith("…") and visual(TITLE).endswith(title[1:])

    async def test_what_is_not_saved_outranks_counts_when_the_row_is_narrow(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            status = reader_screen(app).query_one(StatusBar)
            status.notes = "1 note pending: disk full — retrying"
            status.notes_alert = True
            status.notice = "decoded as windows-1256 (not UTF-8)"
            await pilot.pause()
            row = status_row(app)
            assert len(row) == 80
            assert "1 note pending: disk full" in row and "% " in row and "? help" in row
            assert "0 notes" not in row  # dropped first

    async def test_read_only_notes_say_so_at_80_columns(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        article.with_name("summit.txt.notes.yaml").write_bytes(b"notes: [ this is not yaml\n")
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            row = status_row(app)
            assert len(row) == 80
            assert "notes read-only: " in row and "0%" in row and "? help" in row

    async def test_review_progress_counts_stances(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            await pilot.press("r", "1", "2", "r")
            await settle(pilot)
            claims = reader_screen(app).review.claim_count
            assert f"2 notes · 2 of {claims} reviewed" in status_row(app)

    async def test_notes_kept_in_the_data_folder_say_so_not_their_hashed_name(
        self, app_config: AppConfig
    ) -> None:
        app = make_app(SAMPLE, None, app_config)  # the sample's notes: data folder
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            row = status_row(app)
            assert "notes: data folder" in row
            assert ".notes.yaml" not in row


class TestDetails:
    """ctrl+g, like less's `=`: every path in full, the title and the counts."""

    async def test_ctrl_g_shows_full_paths_and_escape_closes(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+g")
            await settle(pilot)
            assert isinstance(app.screen, DetailsScreen)
            facts = dict(app.screen.facts)
            assert facts["File"] == str(article)
            assert facts["Notes file"] == str(article.with_name("summit.txt.notes.yaml"))
            assert facts["Encoding"] == "utf-8"
            assert str(facts["Title"]).strip() == visual(TITLE)
            assert (
                facts["Counts"]
                == f"0 notes · 0 of {reader_screen(app).review.claim_count} reviewed"
            )
            assert facts["Size"] == f"{article.stat().st_size:,} bytes on disk"
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, DetailsScreen)


class TestGutter:
    """Gutter marks beside the text column, with a count for several notes on a row."""

    async def test_two_notes_on_one_row_show_a_count_beside_the_text(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            # Both panels hidden: the column is centred in a wide pane.
            await pilot.press("o", "l", "r", "1", "2", "r")
            await settle(pilot)
            view = reader_screen(app).query_one(ArticleView)
            rows = [view.render_line(y).text.rstrip() for y in range(12)]
            marked = [row for row in rows if row.endswith(("✓", "✗", "2"))]
            assert any(row.endswith(" 2") for row in marked), rows
            assert any(row.endswith(" ✓") for row in marked), rows
            for row in marked:
                # One space between the text (RTL rows start on the right) and the mark.
                assert row[-2] == " " and row[-3] != " ", row
            # Every mark in one column, right of the text column.
            assert len({len(row) for row in marked}) == 1
            assert len(marked[0]) < view.size.width - 10


class TestEmptyNotesPanel:
    """An empty panel says how to add a note; an empty filter result says so."""

    async def test_empty_panel_hints_at_the_keys_then_the_list_replaces_it(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            panel = reader_screen(app).query_one(NotesPanel)
            hint = panel.query_one("#notes-empty")
            assert hint.display and str(hint.render()) == EMPTY_HINT
            assert "a writes a note" in EMPTY_HINT
            await pilot.press("r", "1", "r")
            await settle(pilot)
            assert not hint.display
            panel.action_focus_filter()
            await pilot.press(*"opinion")
            await pilot.pause()
            assert hint.display and str(hint.render()) == NO_MATCH_HINT
