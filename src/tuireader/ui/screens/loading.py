"""What shows while a document is read or fetched on a worker thread.

A web page, a Word or EPUB file, a URL and a pipe take from a tenth of a second to
many seconds before the reader can show them (the extractor, the network, the
producer). The app starts at once on this screen, the app's worker reads the document
(`ReaderApp.read_then_open`, the library's way too), and the reader replaces this
screen when the document is read. Only `q` acts meanwhile (the app checks every other
action away): a key meant for the article would otherwise meet this screen instead.
Over a library, Esc goes back to it too (a slow server holds one row, not the list).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tuireader.text.loading import without_controls
from tuireader.ui.session import DocumentSession

LOADING_TITLE = "Loading…"


class LoadingScreen(Screen[None]):
    """ "Loading…", the file name or URL, and for a URL the bytes received so far."""

    DEFAULT_CSS = """
    LoadingScreen {
        align: center middle;
    }
    LoadingScreen > Static {
        width: auto;
        max-width: 100%;
        height: auto;
    }
    LoadingScreen #loading-title {
        text-style: bold;
    }
    LoadingScreen #loading-progress, LoadingScreen #loading-hint {
        color: $foreground-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "go_back",
            "Back",
            id="loading-back",
            tooltip="Stop reading this document and go back to the library",
        ),
    ]

    class Cancelled(Message):
        """Esc over a library: the app lets the reading go and shows the library."""

        def __init__(self, loading: LoadingScreen) -> None:
            super().__init__()
            self.loading = loading

        @property
        def control(self) -> LoadingScreen:
            return self.loading

    def __init__(self, session: DocumentSession, *, can_go_back: bool = False) -> None:
        """
        Args:
            session: The document being read.
            can_go_back: Esc goes back (to the library the view lies over).
        """
        super().__init__()
        self.session = session
        self.can_go_back = can_go_back
        self.title = LOADING_TITLE

    def compose(self) -> ComposeResult:
        # Text, not markup: a file name or URL may hold "[".
        yield Static(LOADING_TITLE, id="loading-title", markup=False)
        yield Static(without_controls(self.session.source), id="loading-name", markup=False)
        yield Static(self._first_step(), id="loading-progress", markup=False)
        hint = "Esc back to the library · q quits" if self.can_go_back else "q quits"
        yield Static(hint, id="loading-hint", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_back":
            return self.can_go_back
        return super().check_action(action, parameters)

    def action_go_back(self) -> None:
        self.post_message(self.Cancelled(self))

    def _first_step(self) -> str:
        if self.session.url is not None:
            return "connecting…"
        if self.session.piped:
            return "waiting for standard input…"
        try:
            return f"reading {_size(self.session.path.stat().st_size)}…"
        except OSError:
            return "reading…"  # the worker says why, in one line

    def show_progress(self, received: int, length: int | None) -> None:
        """A URL's body or a pipe arrives: bytes so far, of the announced length if
        any (a pipe announces none)."""
        text = f"{_size(received)} received"
        if length:
            text += f" of {_size(length)} ({min(100, received * 100 // length)}%)"
            if received >= length:
                text += " · reading the page…"
        try:
            progress = self.query_one("#loading-progress", Static)
        except NoMatches:
            return  # a pipe's first bytes can come before the view is composed
        progress.update(text)


def _size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"
