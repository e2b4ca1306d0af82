"""Keys that arrive in a burst are handled one after another, each against the state the
one before it made."""

from __future__ import annotations

from collections import deque
from time import monotonic

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.timer import Timer

KEY_SETTLE_LIMIT = 0.25
"""Seconds a key waits for the one before it to settle before it goes anyway: a widget
that never settles slows keys down, it never swallows them."""

KEY_SETTLE_POLL = 0.001
"""Seconds between two looks at whether the app has settled."""


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
