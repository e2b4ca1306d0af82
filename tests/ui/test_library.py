"""The library (issue 11): several documents, one session each, counts kept per document."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.paths import SAMPLE
from tests.ui.waiting import until
from tuireader.text.sources import find_documents
from tuireader.ui.app import ReaderApp, make_library_app
from tuireader.ui.config import AppConfig
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.library_table import LibraryTable

MARKDOWN = "# Second document\n\nThe first claim here. A second claim follows it.\n"
NESTED = "Third document\n\nIn a folder. It holds two claims.\n"


@pytest.fixture
def documents(tmp_path: Path) -> list[Path]:
    """Three documents of different kinds: a .txt file, a .md file and a folder."""
    library = tmp_path / "docs"
    library.mkdir()
    text = library / "a-sample.txt"
    shutil.copy(SAMPLE, text)
    markdown = library / "b-second.md"
    markdown.write_text(MARKDOWN, "utf-8")
    folder = library / "folder"
    folder.mkdir()
    (folder / "c-third.txt").write_text(NESTED, "utf-8")
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    return find_documents([text, markdown, folder])


def library_of(app: ReaderApp) -> LibraryScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, LibraryScreen)
    return screen


async def settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Wait until the library has read every row (the worker never ends by itself)."""
    library = library_of(app)
    for _ in range(400):
        await pilot.pause(0.02)
        rows = library.rows
        if all(r.problem or (r.heading is not None and r.count is not None) for r in rows):
            await pilot.pause()
            return
    pytest.fail("the library never read its rows")


async def reader_of(app: ReaderApp, pilot: Pilot[None], name: str) -> ReaderScreen:
    """Wait until the reader of the document named `name` is on screen (a library reads
    a document on a thread before it opens it)."""
    for _ in range(200):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, ReaderScreen) and screen.session.path.name == name:
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen
    pytest.fail(f"the reader of {name} never opened; the screen is {app.screen}")


def test_a_folder_gives_its_documents_not_its_sub_folders_unless_recursive(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("A", "utf-8")
    (tmp_path / "b.md").write_text("B", "utf-8")
    (tmp_path / "a.txt.notes.yaml").write_text("", "utf-8")
    (tmp_path / ".hidden.txt").write_text("H", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("C", "utf-8")
    names = [p.name for p in find_documents([tmp_path])]
    assert names == ["a.txt", "b.md"]
    names = [p.name for p in find_documents([tmp_path], recursive=True)]
    assert names == ["a.txt", "b.md", "c.txt"]


async def test_three_documents_annotated_in_two_show_their_counts_in_the_library(
    documents: list[Path], app_config: AppConfig
) -> None:
    """Acceptance (issue 11): open three documents of different kinds, annotate in two,
    go back, see the counts; positions and review state are kept per document."""
    app = make_library_app(documents, app_config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        library = library_of(app)
        titles = [library.rows[k].heading for k in library.order]
        assert [h.title if h else None for h in titles] == [
            "ماذا بعد التقارب الكوري الشمالي- الروسي؟",
            "Second document",
            "Third document",
        ]
        assert [library.rows[k].count for k in library.order] == [
            (library.rows[0].count.claims if library.rows[0].count else -1, 0, 0),
            (2, 0, 0),
            (2, 0, 0),
        ]
        # The first document: review mode, two stances.
        await pilot.press("enter")
        reader = await reader_of(app, pilot, documents[0].name)
        await pilot.press("r", "1", "2")
        await pilot.pause()
        assert reader.keeper is not None
        reader.keeper.flush()
        # The next document with `)`: one stance there.
        await pilot.press("right_parenthesis")
        second = await reader_of(app, pilot, documents[1].name)
        await pilot.press("r", "3")
        await pilot.pause()
        assert second.keeper is not None
        second.keeper.flush()
        # Back to the library: the counts of both, none for the third.
        await pilot.press("L")
        # The reader's unmount writes its notes first: on a loaded machine that takes
        # a while, and `settle` may find the rows read before the library is back.
        await until(pilot, lambda: app.screen is library)
        await settle(app, pilot)
        counts = [library.rows[k].count for k in range(3)]
        assert [(c.notes, c.reviewed) if c else None for c in counts] == [
            (2, 2),
            (1, 1),
            (0, 0),
        ]
        assert library.rows[0].opened is not None and library.rows[2].opened is None
        # The first document again: review mode and its place are where they were.
        library.highlight(library.rows[0].session)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ReaderScreen) and again.session is reader.session
        assert again.reviewing
        assert again.cursor is not None


async def test_a_document_opened_again_finds_its_rows_counted_and_its_place(
    documents: list[Path], app_config: AppConfig
) -> None:
    """The session keeps the article's layout: back in the library and in again, the
    rows counted while reading are still counted (no re-estimate, no jump)."""
    app = make_library_app(documents, app_config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        library = library_of(app)
        await pilot.press("enter")
        reader = await reader_of(app, pilot, documents[0].name)
        await pilot.press("space", "space")
        await pilot.pause()
        view = reader.query_one(ArticleView)
        layout, top = view.document_layout, view.top_offset()
        assert layout.width and top > 0
        await pilot.press("L")
        await until(pilot, lambda: app.screen is library)
        await settle(app, pilot)
        library.highlight(library.rows[0].session)
        await pilot.press("enter")
        again = await reader_of(app, pilot, documents[0].name)
        assert again is not reader and again.session is reader.session
        view = again.query_one(ArticleView)
        assert view.document_layout is layout
        assert view.top_offset() == top


async def test_the_library_filters_sorts_and_searches_the_notes_of_every_document(
    documents: list[Path], app_config: AppConfig
) -> None:
    app = make_library_app(documents, app_config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        library = library_of(app)
        await pilot.press("slash", *"second")
        await pilot.pause()
        assert [library.rows[k].session.path.name for k in library.order] == ["b-second.md"]
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(library.order) == 3
        await pilot.press("s", "s")  # name → title → size
        assert library.sort == "size"
        assert library.rows[library.order[0]].session.path.name == "a-sample.txt"
        # A note in the second document, then a search from the library finds it.
        library.highlight(library.rows[1].session)
        await pilot.press("enter")
        await reader_of(app, pilot, "b-second.md")
        await pilot.press("right_square_bracket", "a", *"needs a source")
        await pilot.press("ctrl+s")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.keeper is not None
        reader.keeper.flush()
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"SOURCE", "enter")
        await pilot.pause()
        from tuireader.ui.screens.notes_search import NotesSearchScreen

        search = app.screen
        assert isinstance(search, NotesSearchScreen)
        assert [hit.path.name for hit in search.hits] == ["b-second.md"]
        await pilot.press("enter")
        await reader_of(app, pilot, "b-second.md")


async def test_a_thousand_documents_are_listed_and_their_titles_cached(
    tmp_path: Path, app_config: AppConfig
) -> None:
    """Issue 11: a library of 1,000 documents lists at once (the benchmark times it);
    the second start takes every title from the cache."""
    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(1000):
        (folder / f"doc-{k:04}.txt").write_text(f"Title number {k}\n\nOne claim.\n", "utf-8")
    paths = find_documents([folder])
    assert len(paths) == 1000
    app = make_library_app(paths, app_config)
    async with app.run_test(size=(100, 30)) as pilot:
        library = library_of(app)
        # A screenful first, the rest right after the first frame.
        assert 0 < library.table.row_count <= 1000
        for _ in range(100):
            await pilot.pause(0.02)
            if library.table.row_count == 1000:
                break
        assert library.table.row_count == 1000
        await settle(app, pilot)
        assert library.rows[999].heading is not None
        assert library.rows[999].heading.title == "Title number 999"
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
    again = make_library_app(paths, app_config)
    async with again.run_test(size=(100, 30)) as pilot:
        library = library_of(again)
        for _ in range(200):
            await pilot.pause(0.02)
            if library.rows[0].size is not None:
                break
        assert all(row.heading is not None and row.count is not None for row in library.rows)
        assert isinstance(library.table, LibraryTable)


async def test_one_document_opens_the_reader_and_the_library_keys_do_nothing(
    make_reader: Callable[..., ReaderApp],
) -> None:
    """One file on the command line opens the reader directly, as before the library;
    `L`, `)` and `(` are not active there (nor listed in help)."""
    app = make_reader()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and not app.library
        await pilot.press("L", "right_parenthesis", "left_parenthesis")
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == 1
        assert app.check_action("show_library", ()) is False
