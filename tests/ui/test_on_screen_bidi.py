"""Issue 10: every string the app draws is shaped and in visual order, on every screen.

The invariant, read off the screen the terminal would get (the compositor's strips,
every layer: dialogs, toasts, overlays): no Arabic letter in its base (unshaped) form,
which a terminal draws alone, and no RTL word in logical order, which reads backwards.
Checked for Arabic, Persian and Hebrew documents and notes (file names in those
scripts too), at 80x24 and 160x50, with `--bidi app`, over every screen and dialog.
The text fields the user types into (note body, tags, search line, filter) are
included: they are the bidi editor's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.notifications import Notification
from textual.pilot import Pilot
from textual.widgets import Input

from tests.ui.conftest import MakeReader
from tests.ui.rtl_documents import (
    ARABIC,
    CASES,
    RtlCase,
    base_arabic_letters,
    rtl_words,
    words_in_logical_order,
    words_in_visual_order,
    write_case,
)
from tests.ui.test_library import settle as settle_library
from tuireader.ui.app import ReaderApp, make_library_app
from tuireader.ui.config import AppConfig
from tuireader.ui.screens.notes_flow import quit_question
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.widgets.notes_panel import NotesPanel
from tuireader.ui.widgets.toast import VisualToast


def screen_rows(app: ReaderApp) -> list[str]:
    """The text of each row the terminal gets."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def assert_visual(app: ReaderApp, case: RtlCase, where: str) -> str:
    """The invariant on the current screen; returns the screen's text."""
    rows = screen_rows(app)
    screen = "\n".join(rows)
    unshaped = [(y, row) for y, row in enumerate(rows) if base_arabic_letters(row)]
    assert not unshaped, f"{where}: unshaped letters on row {unshaped[0][0]}:\n{screen}"
    backwards = words_in_logical_order(rows, rtl_words(case))
    assert not backwards, f"{where}: {backwards} in logical order:\n{screen}"
    assert words_in_visual_order(rows, rtl_words(case)), f"{where}: no RTL text:\n{screen}"
    return screen


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()


async def notes_loaded(pilot: Pilot[None]) -> ReaderScreen:
    app = pilot.app
    screen = app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    await app.workers.wait_for_complete()
    for _ in range(200):
        if screen.keeper is not None and screen.notes:
            break
        await pilot.pause(0.02)
    assert screen.notes, "the notes never loaded"
    await settle(pilot)
    return screen


Step = Callable[[Pilot[None]], Awaitable[None]]


def keys(*names: str) -> Step:
    async def press(pilot: Pilot[None]) -> None:
        await pilot.press(*names)
        await settle(pilot)

    return press


def filter_notes(query: str) -> Step:
    async def type_filter(pilot: Pilot[None]) -> None:
        panel = pilot.app.screen.query_one(NotesPanel)
        panel.query_one("#notes-filter", Input).value = query
        await settle(pilot)

    return type_filter


def ask_to_quit(problem: str) -> Step:
    async def push(pilot: Pilot[None]) -> None:
        pilot.app.push_screen(quit_question(f"1 note is not saved yet: {problem}.\nQuit anyway?"))
        await settle(pilot)

    return push


def tour(case: RtlCase, wide: bool) -> list[tuple[str, Step, str]]:
    """(where, step, text that must then be on screen) over every screen and dialog."""
    tag = case.notes[0][2][0]
    search_word = case.notes[1][0].split()[1]
    panel = [] if wide else [("notes panel", keys("l"), "filter:")]
    return [
        ("reader", keys(), "? help"),
        ("outline overlay", keys("o"), "Outline" if not wide else "? help"),
        ("outline closed", keys("o"), "? help"),
        *panel,
        ("notes filter", filter_notes(f"#{tag}"), "1 of 2"),
        ("notes filter cleared", filter_notes(""), "filter:"),
        *([] if wide else [("notes panel closed", keys("l"), "? help")]),
        ("claim cursor", keys("right_square_bracket", "right_square_bracket"), "? help"),
        ("copy toast", keys("y"), "Copied the claim"),
        ("delete confirmation", keys("d"), "Delete the note on"),
        ("delete declined", keys("n"), "? help"),
        ("note editor with a conflict", keys("e"), "body by"),
        ("discard question", keys("x", "escape"), "Discard your changes?"),
        ("editor discarded", keys("y"), "? help"),
        ("help", keys("question_mark"), "keys"),
        ("help closed", keys("escape"), "? help"),
        ("command palette", keys("ctrl+p"), "Annotate (a)"),
        ("palette search", keys(*"note"), "note"),
        ("palette closed", keys("escape"), "? help"),
        ("search hits", keys("slash", *search_word, "enter"), "hit 1 of"),
        ("search cleared", keys("escape"), "? help"),
        ("details", keys("ctrl+g"), "Details"),
        ("details closed", keys("escape"), "? help"),
        ("go-to line, typed", keys("colon", *search_word), ":"),
        ("go-to line searched", keys("enter"), "? help"),
        ("review", keys("r"), "reviewed"),
        ("review stance", keys("1"), "reviewed"),
        ("review off", keys("r"), "? help"),
        ("quit question", ask_to_quit(case.file_name), "Quit anyway?"),
        ("quit declined", keys("escape"), "? help"),
    ]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
@pytest.mark.parametrize("case", CASES, ids=[case.language for case in CASES])
async def test_no_screen_shows_unshaped_letters_or_a_word_backwards(
    make_reader: MakeReader, tmp_path: Path, case: RtlCase, size: tuple[int, int]
) -> None:
    article = write_case(case, tmp_path)
    app = make_reader(article, bidi="app")
    wide = size[0] >= 140
    async with app.run_test(size=size, notifications=True) as pilot:
        await notes_loaded(pilot)
        for where, step, expected in tour(case, wide):
            await step(pilot)
            for _ in range(100):
                # Under load a toast or the palette's hits can take a few frames more.
                if expected in "\n".join(screen_rows(app)):
                    break
                await pilot.pause(0.02)
            screen = assert_visual(app, case, where)
            assert expected in screen, f"{where}: {expected!r} not on screen:\n{screen}"


async def test_a_toast_is_laid_out_and_survives_a_message_that_is_not_markup(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await notes_loaded(pilot)
        app.notify(f"could not read [/b] {ARABIC.file_name}", severity="warning")
        await settle(pilot)
        screen = assert_visual(app, ARABIC, "toast")
        assert "could not read [/b]" in screen
        assert app.is_running


async def test_a_toast_whose_notification_expired_on_its_way_still_goes_away(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """On a loaded machine a notification can expire between Textual's check and its
    toast: Textual 8.2 then timed the toast with a negative delay, a timer that looped
    for ever (a CI run hung on it). Ours lives a millisecond and goes."""
    app = make_reader(write_case(ARABIC, tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        late = Notification(ARABIC.file_name, timeout=1.0, raised_at=time.time() - 5)
        await app.screen.mount(VisualToast(late))
        # Bounded: with the endless timer Pilot never sees the app idle again.
        await asyncio.wait_for(pilot.pause(0.2), timeout=10)
        assert not app.screen.query(VisualToast)
        assert app.is_running


async def test_the_library_and_its_notes_search_lay_out_every_title_and_typed_word(
    app_config: AppConfig, tmp_path: Path
) -> None:
    """The library lists titles, filters by typed words and searches every document's
    notes: all of it through the same layout (issue 10 over the screens of issue 11)."""
    paths = []
    for case in CASES:
        folder = tmp_path / case.language
        folder.mkdir()
        paths.append(write_case(case, folder))
    app = make_library_app(paths, app_config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle_library(app, pilot)
        for case in CASES:
            assert_visual(app, case, f"library ({case.language})")
        word = ARABIC.notes[0][0].split()[1]
        await pilot.press("f", *word)
        await settle(pilot)
        assert_visual(app, ARABIC, "library filter, typed")
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*word)
        await settle(pilot)
        assert_visual(app, ARABIC, "notes of every document, typed")
        await pilot.press("enter")
        for _ in range(100):
            if "1 of" in "\n".join(screen_rows(app)) or "hit" in "\n".join(screen_rows(app)):
                break
            await pilot.pause(0.02)
        assert_visual(app, ARABIC, "notes of every document, searched")
