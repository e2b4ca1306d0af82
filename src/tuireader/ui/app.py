"""The Textual app: builds the reader screen, registers themes and remembers choices."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from tuireader.bidi.layout import DEFAULT_OPTIONS, TERMINAL_BIDI, LayoutOptions
from tuireader.resources import data_dir
from tuireader.text.document import Document
from tuireader.text.structure import load_document
from tuireader.ui.commands import BindingCommands
from tuireader.ui.config import AppConfig, BidiMode, YamlMapping, document_key
from tuireader.ui.screens.help import HelpScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.terminal import terminal_bidi_mode
from tuireader.ui.themes import READER_VARIABLE_DEFAULTS, load_themes
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.outline import OutlinePanel
from tuireader.ui.widgets.search_bar import SearchBar

DEFAULT_THEME = "tuireader-dark"
SAVE_POSITION_EVERY = 5.0
"""Seconds between saves of the reading position (and once more on the way out)."""


class ReaderApp(App[None]):
    """Reads one document; `make_app` builds it."""

    CSS_PATH = "app.tcss"
    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {BindingCommands}
    # Below 100 columns the outline is hidden (`o` lays it over the article).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit tuireader"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
    ]

    def __init__(self, document: Document, config: AppConfig) -> None:
        self.document = document
        self.config = config
        self.layout_options: LayoutOptions = (
            TERMINAL_BIDI if config.bidi == "terminal" else DEFAULT_OPTIONS
        )
        self.settings = YamlMapping(config.config_dir / "settings.yaml")
        self._positions = YamlMapping(config.state_dir / "positions.yaml")
        self._document_key = document_key(document.text)
        self._offset: int | None = None
        self._remember_theme = False
        super().__init__()
        themes, self.theme_problems = load_themes(data_dir("themes"))
        for theme in themes:
            self.register_theme(theme)
        self.theme = self._initial_theme()

    def _initial_theme(self) -> str:
        wanted = self.config.theme or self.settings.data.get("theme")
        if isinstance(wanted, str) and wanted in self.available_themes:
            return wanted
        if self.config.theme:
            self.theme_problems.append(f"no theme named {self.config.theme!r}")
        return DEFAULT_THEME

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(READER_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        # Pushed rather than returned by get_default_screen: Textual loads a screen's
        # CSS_PATH only for screens it pushes.
        self.push_screen(ReaderScreen(self.document, self.layout_options))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # A closed SSH session or a `kill` quits like `q` does: state is saved.
            loop.add_signal_handler(sig, self.exit)
        for problem in self.theme_problems:
            self.notify(problem, severity="warning")
        self.set_interval(SAVE_POSITION_EVERY, self._save_position)
        self._remember_theme = True

    def on_unmount(self) -> None:
        self._save_position()

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme and self.settings.data.get("theme") != theme:
            self.settings.data["theme"] = theme
            self.settings.save()

    # --- Reading position -------------------------------------------------------

    def restored_offset(self) -> int:
        """Where the reader left this document last time (0 for a new one)."""
        value = self._positions.data.get(self._document_key)
        offset = value.get("offset") if isinstance(value, dict) else None
        if isinstance(offset, int):
            return min(max(0, offset), len(self.document.text))
        return 0

    def remember_offset(self, offset: int) -> None:
        self._offset = offset

    def _save_position(self) -> None:
        if self._offset is None:
            return
        entry = {"offset": self._offset, "name": self.document.name}
        if self._positions.data.get(self._document_key) != entry:
            self._positions.data[self._document_key] = entry
            self._positions.save()

    # --- Actions ----------------------------------------------------------------

    def action_help(self) -> None:
        groups: list[tuple[str, type[DOMNode]]] = [
            ("Anywhere", ReaderApp),
            ("Reader", ReaderScreen),
            ("Article", ArticleView),
            ("Outline", OutlinePanel),
            ("Search line", SearchBar),
        ]
        self.push_screen(HelpScreen(groups))


def make_app(
    document_path: str | Path, notes_path: str | Path | None = None, config: AppConfig | None = None
) -> ReaderApp:
    """Build the app for a document: the one way the CLI and every test make it.

    Raises:
        LoadError: The document cannot be read (one line, for the user).
    """
    document = load_document(document_path)
    return ReaderApp(document, config or AppConfig.from_environment())


def run_app(
    document_path: str | Path,
    *,
    notes_path: str | Path | None = None,
    theme: str | None = None,
    bidi: BidiMode = "app",
) -> int:
    """Run the reader full screen; returns the exit status."""
    app = make_app(document_path, notes_path, AppConfig.from_environment(theme=theme, bidi=bidi))
    with terminal_bidi_mode(bidi, sys.__stdout__ or sys.stdout):
        app.run()
    return int(app.return_code or 0)
