"""Waiting in Pilot tests for a document a worker reads (web pages, Word, EPUB, URLs)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tuireader.ui.app import ReaderApp
from tuireader.ui.screens.reader import ReaderScreen

WAIT_LIMIT = 30.0
"""Seconds a test waits for a worker before failing (a loaded machine is slow)."""


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let the app run until `condition` holds (fails after `WAIT_LIMIT` seconds)."""
    step = 0.02
    for _ in range(int(WAIT_LIMIT / step)):
        if condition():
            return
        await pilot.pause(step)
    raise AssertionError("the app did not get there in time")


async def until_read(pilot: Pilot[None]) -> None:
    """Wait until the reader replaced the loading view, then until it settled."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
    await pilot.pause()


def reader_screen(app: ReaderApp) -> ReaderScreen:
    """The reader at the bottom of the stack (dialogs may lie over it)."""
    screen = app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    return screen


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the notes thread and the workers, then for what they posted."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await pilot.pause()
    keeper = reader_screen(app).keeper
    if keeper is not None:
        keeper.flush()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
