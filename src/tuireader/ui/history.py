"""Input histories (the search line, the notes filter, the editor's tags): ↑/↓ as in a
shell, kept between sessions in the state folder."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal

from tuireader.text.loading import without_controls
from tuireader.ui.config import StateFile

if TYPE_CHECKING:
    from textual import events
    from textual.widgets import Input

HistoryKind = Literal["search", "filter", "tags"]

HISTORY_LIMIT = 100
"""Entries kept per history, the newest; older ones fall off."""
ENTRY_LIMIT = 1000
"""Characters kept of one entry: a history is for recalling queries, not documents."""


class History:
    """The entries of one input, oldest first, and where ↑/↓ have got to.

    As in bash or zsh: ↑ shows older entries, ↓ newer ones, and going down past the
    newest gives back what was being typed before the first ↑ (the draft). An entry
    used again moves to the end instead of being kept twice.
    """

    def __init__(
        self,
        entries: Iterable[str] = (),
        *,
        limit: int = HISTORY_LIMIT,
        on_change: Callable[[History], None] | None = None,
    ) -> None:
        self.limit = limit
        self.on_change = on_change
        """Called after `add` changed the entries (the owner saves them)."""
        self._entries: list[str] = []
        for entry in entries:
            clean = _clean(entry)
            if clean:
                self._remember(clean)
        self._position: int | None = None
        """Index of the entry shown, or None when the draft is shown."""
        self._draft = ""

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def older(self, current: str) -> str | None:
        """The entry before the one shown (↑), or None when there is none.

        Args:
            current: What the input holds now: kept as the draft on the first ↑.
        """
        if not self._entries:
            return None
        if self._position is None:
            self._draft = current
            self._position = len(self._entries)
        if self._position == 0:
            return None
        self._position -= 1
        return self._entries[self._position]

    def newer(self) -> str | None:
        """The entry after the one shown (↓); past the newest, the draft; None when the
        draft is shown already."""
        if self._position is None:
            return None
        self._position += 1
        if self._position >= len(self._entries):
            self._position = None
            return self._draft
        return self._entries[self._position]

    def add(self, entry: str) -> None:
        """Keep an entry that was used (Enter), and start ↑/↓ afresh."""
        self.reset()
        clean = _clean(entry)
        if not clean or (self._entries and self._entries[-1] == clean):
            return
        self._remember(clean)
        if self.on_change is not None:
            self.on_change(self)

    def reset(self) -> None:
        """Forget where ↑/↓ have got to (the input was closed)."""
        self._position = None
        self._draft = ""

    def _remember(self, entry: str) -> None:
        if entry in self._entries:
            self._entries.remove(entry)
        self._entries.append(entry)
        del self._entries[: -self.limit]


class InputHistories:
    """Every input's history, in one JSON file of the state folder (`history.json`).

    A `StateFile`: written atomically, and a file that cannot be read is ignored (the
    histories start empty) and never overwritten; `notice` says so once. What the file
    holds is checked entry by entry: a value that is not a list of strings is dropped,
    entries are cut to `ENTRY_LIMIT` characters and lists to `HISTORY_LIMIT` entries.
    """

    def __init__(self, state: StateFile, save: Callable[[StateFile], None]) -> None:
        """Args:
        state: The file (read already).
        save: Writes it (the app does so on a thread).
        """
        self.state = state
        self._save = save
        self._histories: dict[str, History] = {}

    @property
    def notice(self) -> str | None:
        return self.state.notice

    def get(self, kind: HistoryKind) -> History:
        history = self._histories.get(kind)
        if history is None:
            stored = self.state.data.get(kind)
            entries = [e for e in stored if isinstance(e, str)] if isinstance(stored, list) else []
            history = History(entries, on_change=lambda changed: self._changed(kind, changed))
            self._histories[kind] = history
        return history

    def _changed(self, kind: HistoryKind, history: History) -> None:
        self.state.data[kind] = list(history.entries)
        self._save(self.state)


def _clean(entry: str) -> str:
    """One line, no control characters, at most `ENTRY_LIMIT` characters."""
    return without_controls(entry.replace("\n", " "))[:ENTRY_LIMIT].strip()


def recall_history(history: History, line: Input, key: events.Key) -> bool:
    """Handle ↑ (older) or ↓ (newer) for an input, when it has the focus.

    Called from the input's parent (a key the input does not use bubbles up to it), so
    that any Input subclass gets a history without being changed. The key is stopped
    only when the input has the focus: ↑/↓ elsewhere keep their own meaning.

    Returns:
        False when there was nothing to recall (↓ on the draft, ↑ on the oldest entry
        or with no history), so the parent may give the key another meaning.
    """
    if not line.has_focus:
        return False
    key.stop()
    key.prevent_default()
    recalled = history.older(line.value) if key.key == "up" else history.newer()
    if recalled is None:
        return False
    line.value = recalled
    line.cursor_position = len(recalled)
    return True
