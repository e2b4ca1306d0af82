"""Keys as a burst: all queued at once, as batched input over SSH delivers them.

`Pilot.press` waits for the app to go idle after each key, so it never shows what a
burst does; these helpers queue every key first and only then wait.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.geometry import Size
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot


def key_event(key: str) -> events.Key:
    """The event for `key` ("a", "slash", "/", "ctrl+p", "ب"), made as `Pilot.press`
    makes it (Textual's `App._press_keys`)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        name = _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        char: str | None = unicodedata.lookup(name)
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def burst(app: App[Any], *keys: str) -> None:
    """Queue every key on the app at once, in order (wait with `pilot.pause()`)."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)


def resize(app: App[Any], width: int, height: int) -> None:
    """Queue a terminal resize as `Pilot.resize_terminal` does, without its wait: it
    can arrive in the middle of a burst of keys."""
    size = Size(width, height)
    if isinstance(app._driver, HeadlessDriver):
        app._driver._size = size
    app.post_message(events.Resize(size, size))


async def until(pilot: Pilot[Any], done: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `done()` holds or `timeout` seconds pass.

    A burst is handled in order but not in a fixed time: on a loaded machine a fixed
    pause ends before the last key is. The test's assertions then say what is wrong.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        try:
            if done():
                return
        except Exception:  # noqa: BLE001 - not there yet (a screen still composing)
            continue
