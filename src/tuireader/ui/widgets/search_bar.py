"""The search line: a query box that shows the query as the article would (`BidiInput`)."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.ui.history import History, recall_history
from tuireader.ui.widgets.bidi_input import BidiInput


class SearchBar(Horizontal):
    """Hidden until `/`; Enter searches, Escape closes and clears the hits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Close search",
            id="search-cancel",
            tooltip="Clear the search",
            show=False,
        ),
    ]

    class Submitted(Message):
        def __init__(self, search_bar: SearchBar, query: str) -> None:
            super().__init__()
            self.search_bar = search_bar
            self.query = query

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    class Cancelled(Message):
        def __init__(self, search_bar: SearchBar) -> None:
            super().__init__()
            self.search_bar = search_bar

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    def __init__(
        self,
        options: LayoutOptions = DEFAULT_OPTIONS,
        *,
        history: History | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
    ) -> None:
        super().__init__(id=id)
        self.layout_options = options
        self.history = history if history is not None else History()
        """Queries searched for, recalled with ↑/↓ (the app keeps them between sessions)."""

    def compose(self) -> ComposeResult:
        yield Label("/", id="search-prompt")
        yield BidiInput(
            layout_options=self.layout_options,
            placeholder="search (Arabic folds hamza, harakat, digits)",
            id="search-input",
        )

    def open(self) -> None:
        self.display = True
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()
        else:
            # Mounted a moment ago and not composed yet: focus it once it is.
            self.call_after_refresh(self.open)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Like `/` in less: the line closes, the hits stay, `n` and `N` move."""
        event.stop()
        self.display = False
        self.history.add(event.value)
        self.post_message(self.Submitted(self, event.value))

    def on_key(self, event: events.Key) -> None:
        """↑/↓ in the line recall earlier queries (here, not in the input: the input
        class is the editor's to replace)."""
        if event.key in ("up", "down"):
            recall_history(self.history, self.query_one("#search-input", Input), event)

    def action_cancel(self) -> None:
        for line in self.query(Input):
            line.value = ""
        self.history.reset()
        self.display = False
        self.post_message(self.Cancelled(self))
