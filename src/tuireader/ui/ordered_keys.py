"""Keys that arrive in a burst are handled one after another, each against the state the
one before it made."""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import NamedTuple

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual.app import App
from textual.screen import Screen
from textual.timer import Timer

KEY_SETTLE_LIMIT = 0.25
"""Seconds a key waits for the one before it to settle before it goes anyway: a widget
that never settles slows keys down, it never swallows them."""

KEY_SETTLE_POLL = 0.001
"""Seconds between two looks at whether the app has settled."""


class _KeyName(NamedTuple):
    """Stands in for a `textual.keys.Keys` member in Textual's key table: the parser
    only reads `.value`, and Keys has no member for alt+digit."""

    value: str


def read_escape_digit_as_alt() -> None:
    """Make ESC followed by a digit the key alt+digit.

    Terminals send alt+1 as ESC 1 (xterm's metaSendsEscape, tmux, most Linux terminals,
    iTerm2's "Esc+"). Textual 8 maps ESC+digit to the characters macOS's Option key types
    (ESC 1 → "¡", ESC 2 → "™", ESC 4 → "¢"), for WezTerm on macOS, so alt+digit never
    arrives and those characters are typed into text fields instead. Removing the entries
    is not enough: the parser then waits ESCDELAY for more, turns ESC 1 into alt+1 with
    the character "1" (which a text field types), and, when another ESC follows within
    that time (two alt keys in one burst), into "^" and "1". So each entry becomes the
    key alt+digit with no character, at once. Option+digit on WezTerm then is alt+digit
    too, which is what was pressed. A reach into Textual's key table (docs/upstream.md),
    pinned by tests/ui/test_stance_keys.py.
    """
    table = ANSI_SEQUENCES_KEYS
    if isinstance(table, dict):  # typed as a Mapping; a frozen one would fail the test
        for digit in "0123456789":
            table[f"\x1b{digit}"] = (_KeyName(f"alt+{digit}"),)


_PERSON = (
    events.Key,
    events.Paste,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
)


class OrderedKeysApp(App[None]):
    """An App that hands a key to its target only once the previous key has settled.

    Textual forwards each key to the widget focused when the app *reads* it, and runs
    bindings when the key comes back up to the app. Keys read in one burst (a paste of
    keys over SSH, tmux's send-keys, a fast typist) all go to the widget that had the
    focus before the first: `/kim` scrolled the article with `k` instead of typing into
    the search line that `/` opens, `//` asked a search line that was not composed yet
    for its Input, and Enter Enter in the command palette dismissed it twice. Here a
    key (or a paste) waits until every message the previous one caused has been
    handled — all queues empty, every new widget and screen mounted — so it meets the
    focus and the screens that key made.
    """

    def __init__(self) -> None:
        super().__init__()
        read_escape_digit_as_alt()
        self._held_input: deque[events.Key | events.Paste] = deque()
        self._released_input: set[int] = set()
        self._held_since = 0.0
        self._settle_timer: Timer | None = None
        self.input_count = 0
        """Keys, pastes, clicks and mouse-wheel turns so far: what the person did (a
        scroll before any of them is the app's own, e.g. a restored position)."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _PERSON) and not event.is_forwarded:
            self.input_count += 1
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if id(event) in self._released_input:
                self._released_input.discard(id(event))
            elif self._held_input or not self._settled():
                self._hold(event)
                return
        await super().on_event(event)

    def _hold(self, event: events.Key | events.Paste) -> None:
        if not self._held_input:
            self._held_since = monotonic()
        self._held_input.append(event)
        if self._settle_timer is None:
            self._settle_timer = self.set_interval(KEY_SETTLE_POLL, self._release_one)

    def _release_one(self) -> None:
        """Hand the first held key back to the app's queue once the app has settled
        (or waited long enough); the app's `on_event` then lets it through."""
        if not self._held_input or not self.is_running:
            self._stop_settle_timer()
            return
        if not self._settled() and monotonic() - self._held_since < KEY_SETTLE_LIMIT:
            return
        event = self._held_input.popleft()
        self._released_input.add(id(event))
        self.post_message(event)
        self._held_since = monotonic()
        if not self._held_input:
            self._stop_settle_timer()

    def _stop_settle_timer(self) -> None:
        if self._settle_timer is not None:
            self._settle_timer.stop()
            self._settle_timer = None

    def _settled(self) -> bool:
        """Nothing left to do for the keys so far: no message waits in any queue (the
        app's included), no callback waits for the next frame, and every widget and
        screen made is mounted."""
        if not self._message_queue.empty() or self._released_input:
            return False
        for node in list(self._registry):
            if node._closing or node._closed:
                continue
            if not node.is_mounted or node._next_callbacks or not node._message_queue.empty():
                return False
            if isinstance(node, Screen) and node._callbacks:
                return False  # `call_after_refresh` callbacks wait for the next frame
        return True
