"""The Textual app: builds the reader screen, registers themes and remembers choices."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen

from tuireader.bidi.layout import DEFAULT_OPTIONS, TERMINAL_BIDI, LayoutOptions
from tuireader.resources import data_dir
from tuireader.text.document import Document, text_sha256
from tuireader.text.loading import LoadError, without_controls
from tuireader.text.structure import load_document, load_document_end, load_document_start
from tuireader.ui.commands import BindingCommands, ReaderCommandPalette
from tuireader.ui.config import AppConfig, BidiMode, StateFile
from tuireader.ui.crash import crash_line, crash_report, log_error
from tuireader.ui.ordered_keys import OrderedKeysApp
from tuireader.ui.screens.annotator import AnnotatorScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.screens.review import ReviewScreen
from tuireader.ui.terminal import exit_soon, terminal_bidi_mode
from tuireader.ui.themes import READER_VARIABLE_DEFAULTS, load_themes
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.outline import OutlinePanel
from tuireader.ui.widgets.toast import use_visual_toasts

if TYPE_CHECKING:
    from tuireader.ui.history import InputHistories

DEFAULT_THEME = "tuireader-dark"
CRASH_EXIT_WATCHDOG = 5.0
"""Seconds the process may take to shut down after a crash before it is ended."""
SAVE_POSITION_EVERY = 5.0
"""Seconds between saves of the reading position (and once more on the way out)."""


class ReaderApp(OrderedKeysApp):
    """Reads one document; `make_app` builds it."""

    # The reader is the default screen, and Textual loads a screen's CSS_PATH only for
    # screens it pushes: the app loads the reader's files.
    CSS_PATH = [
        "app.tcss",
        "screens/reader.tcss",
        "widgets/article_view.tcss",
        "screens/annotator.tcss",
    ]
    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {BindingCommands}
    # Below 100 columns the outline is hidden, below 140 the notes panel (`o` and `l`
    # lay them over the article).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (140, "-full")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit tuireader"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
    ]

    def __init__(self, document: Document, config: AppConfig, notes_path: Path | None) -> None:
        self.document = document
        self.config = config
        self.notes_path = notes_path
        self.layout_options: LayoutOptions = (
            TERMINAL_BIDI if config.bidi == "terminal" else DEFAULT_OPTIONS
        )
        self.settings = StateFile(config.config_dir / "settings.json")
        self._positions = StateFile(config.state_dir / "positions.json")
        self._document_key = position_key(document.text) if document.complete else None
        self._remembered: dict[str, object] = {}
        self.after_first_frame: list[Callable[[], object]] = []
        """Called once the first frame is out (`run_app` resumes garbage collection)."""
        self._remember_theme = False
        self._histories: InputHistories | None = None
        self._warned: set[str] = set()
        self.crash_report: str | None = None
        """The one line to print after an unhandled exception ended the app."""
        super().__init__()
        use_visual_toasts()  # toasts in visual order too (issue 10)
        if self.no_color:
            self._attributes_only()
        themes, self.theme_problems = load_themes(
            data_dir("themes"), config.cache_dir / "themes.json"
        )
        for theme in themes:
            self.register_theme(theme)
        self.theme = self._initial_theme()

    def _attributes_only(self) -> None:
        """NO_COLOR: Textual turns colours into greys (its `Monochrome` filter), which a
        256-colour terminal gets as colours all the same. Drop every colour instead and
        keep the attributes: hits and the claim cursor are bold and reversed too, so
        they still show (README, Themes). Textual's filters are private: see
        docs/upstream.md."""
        from textual.filter import Monochrome, NoColor

        self._filters = [f for f in self._filters if not isinstance(f, Monochrome | NoColor)]
        self._filters.append(NoColor())

    def _initial_theme(self) -> str:
        wanted = self.config.theme or self.settings.data.get("theme")
        if isinstance(wanted, str) and wanted in self.available_themes:
            return wanted
        if self.config.theme:
            self.theme_problems.append(f"no theme named {self.config.theme!r}")
        return DEFAULT_THEME

    def refresh_css(self, animate: bool = True) -> None:
        if not self.screen_stack:
            # The theme chosen in __init__ takes effect here, before any screen exists
            # and before any CSS is parsed: new variables are all it needs. Textual
            # would parse every stylesheet now, and again as the screen mounts (~5 ms).
            self.stylesheet.set_variables(self.get_css_variables())
            return
        super().refresh_css(animate)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(READER_VARIABLE_DEFAULTS)

    def get_default_screen(self) -> Screen[None]:
        # The default screen rather than one pushed in on_mount: it is composed with the
        # app, and the first frame is the article's, not an empty screen's.
        return ReviewScreen(
            self.document,
            self.layout_options,
            notes_path=self.notes_path_for,
            author=self.config.author,
        )

    def on_mount(self) -> None:
        for callback in self.after_first_frame:
            self.screen.call_after_refresh(callback)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # A closed SSH session or a `kill` quits like `q` does: state is saved.
            loop.add_signal_handler(sig, self._signalled, sig)
        for problem in self.theme_problems:
            self.notify(problem, severity="warning")
        for state in (self.settings, self._positions):
            if state.notice:
                self._warn(state.notice)
        self.set_interval(SAVE_POSITION_EVERY, self._save_position)
        if not self.document.complete:
            # After the first frame: reading 18 MB on a thread still competes for the
            # GIL with painting the screen that the start of the file already fills.
            # (The screen's refresh, which the first frame is; the app's own can come
            # much later: in one timing harness, only at exit.)
            self.screen.call_after_refresh(self._read_whole_document)
        self._remember_theme = True
        if self.config.theme == self.theme:
            # `--theme NAME` is a choice too (issue 13): remembered as the palette's is.
            self.watch_theme(self.theme)

    def _signalled(self, sig: int) -> None:
        """SIGTERM or SIGHUP: save everything now, then quit as `q` does (with a
        watchdog: see `exit_soon`)."""
        for screen in self.screen_stack:
            if isinstance(screen, AnnotatorScreen):
                screen.save_now()
        self._save_position(now=True)
        self._positions.flush()
        if self._histories is not None:
            self._histories.state.flush()
        exit_soon(128 + sig)
        self.exit(return_code=128 + sig)

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort for an unhandled exception, without the traceback on
        screen: save every note and draft, write the traceback to a crash log, and
        leave one line for `run_app` to print once the terminal is restored (Textual's
        own shutdown leaves the alternate screen; `terminal_bidi_mode` resets BDSM).

        What Textual's `App._handle_exception` does besides rendering the traceback is
        kept: the return code 1, the first exception kept for `run_test` to raise again,
        and closing the message loop. (docs/upstream.md; pinned by tests/ui/test_crash.py.)
        """
        if self.crash_report is None:
            if not self.is_headless:
                # Should saving or shutting down hang as well, the process still ends,
                # with its line (the final one if saving got that far).
                exit_soon(
                    1,
                    delay=CRASH_EXIT_WATCHDOG,
                    last_words=lambda: (
                        self.crash_report
                        or crash_line(error, None, log_problem="it hung", notes_problem="it hung")
                    ),
                )
            self.crash_report = self._save_after_crash(error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def _save_after_crash(self, error: Exception) -> str:
        """Save what can be saved, write the crash log; the line that says so."""
        notes_problem = None
        for screen in list(self.screen_stack):
            if isinstance(screen, AnnotatorScreen):
                try:
                    screen.save_now()
                except Exception as err:  # noqa: BLE001 - the last resort goes on
                    notes_problem = f"{type(err).__name__}: {err}"
        with contextlib.suppress(Exception):
            self._save_position(now=True)
            self._positions.flush()
        return crash_report(error, self.config.state_dir, notes_problem=notes_problem)

    def action_command_palette(self) -> None:
        """Textual's, with its palette made safe (see `ReaderCommandPalette`)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(ReaderCommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's theme picker, in the safe palette (see `ReaderCommandPalette`)."""
        from textual.theme import ThemeProvider

        self.push_screen(
            ReaderCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…")
        )

    def pop_screen(self) -> AwaitComplete:
        """Textual's, but popping the last screen does nothing instead of raising
        ScreenStackError: two keys can both dismiss one screen (Enter Enter in the
        command palette, once), and the second finds nothing left to close."""
        if len(self.screen_stack) <= 1:
            return AwaitComplete(asyncio.sleep(0)).call_next(self)
        return super().pop_screen()

    @work(thread=True, exclusive=True, group="document")
    def _read_whole_document(self) -> None:
        """The first screen came from the start of a long file; read the rest."""
        path = self.document.path
        assert path is not None
        try:
            whole = load_document(path)
        except LoadError as err:
            # Text, not markup: a file name may hold "[" (Rich would read a tag).
            line = Text(without_controls(f"tuireader: {err}"))
            self.call_from_thread(self.exit, None, 2, line)
            return
        except Exception as err:  # noqa: BLE001 - MemoryError, a bug in the loader…
            # The start stays readable: say so, with a crash log, rather than end.
            where = log_error(err, self.config.state_dir)
            self.call_from_thread(self._warn, f"The rest of the file could not be read ({where})")
            return
        self.call_from_thread(self._whole_document_read, whole)

    def _whole_document_read(self, whole: Document) -> None:
        if not self.is_running or not self.screen_stack:
            return  # read as the app was quitting
        self.document = whole
        self._document_key = position_key(whole.text)
        screen = self.screen_stack[0]
        if isinstance(screen, ReaderScreen) and screen.is_attached:
            screen.replace_document(whole)

    def document_end(self) -> Document | None:
        """The end of the open long file, to show before the rest is read (None when
        the file is whole already, or its end cannot be read on its own)."""
        path = self.document.path
        if self.document.complete or path is None:
            return None
        try:
            return load_document_end(path)
        except LoadError:
            return None

    def on_unmount(self) -> None:
        self._save_position(now=True)
        self._positions.flush()
        self.settings.flush()
        if self._histories is not None:
            self._histories.state.flush()

    @property
    def histories(self) -> InputHistories:
        """The inputs' histories (search, notes filter, tags), read on first use: most
        sessions start without searching."""
        if self._histories is None:
            from tuireader.ui.history import InputHistories

            state = StateFile(self.config.state_dir / "history.json")
            self._histories = InputHistories(state, self._save_state)
            if state.notice:
                self._warn(state.notice)
        return self._histories

    def watch_app_focus(self, focus: bool) -> None:
        # In a browser (textual-serve) the page can blur the app before anything has
        # focus; Textual then restores nothing when focus comes back, and every key of
        # the article is dead. Give the focus to the screen's own choice again.
        screen = self.screen
        if focus and screen.focused is None and screen.AUTO_FOCUS:
            with contextlib.suppress(NoMatches):
                screen.query_one(screen.AUTO_FOCUS).focus()

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme and self.settings.data.get("theme") != theme:
            self.settings.data["theme"] = theme
            self._save_state(self.settings)

    # --- Reading position -------------------------------------------------------

    def restored_offset(self) -> int:
        """Where the reader left this document last time (0 for a new one)."""
        offset = self.remembered("offset")
        return min(max(0, offset), len(self.document.text)) if isinstance(offset, int) else 0

    def notes_path_for(self, document: Document) -> Path:
        """The notes file: --notes, else beside the article (or in the data folder)."""
        if self.notes_path is not None:
            return self.notes_path
        # Imported here, on first use: the notes store brings YAML, which the first
        # screen does not need.
        from tuireader.notes.store import default_notes_path

        return default_notes_path(
            document.path, text_sha256(document.text), data_dir=self.config.data_dir
        )

    def remembered(self, name: str) -> object:
        """A value remembered for this document ("offset", "review", "cursor")."""
        if self._document_key is None:
            return None
        entry = self._positions.data.get(self._document_key)
        return entry.get(name) if isinstance(entry, dict) else None

    def remember(self, **values: object) -> None:
        """Remember values for this document; saved every few seconds and on exit."""
        self._remembered.update(values)

    def _save_position(self, *, now: bool = False) -> None:
        """Save the remembered values of this document: on a thread while the app runs
        (see `_save_state`), `now` on the way out."""
        if not self._remembered or self._document_key is None:
            return
        old = self._positions.data.get(self._document_key)
        entry = dict(old) if isinstance(old, dict) else {}
        entry.update(self._remembered, name=self.document.name)
        if entry != old:
            self._positions.data[self._document_key] = entry
            if now:
                self._positions.save()
            else:
                self._save_state(self._positions)

    def _save_state(self, state: StateFile) -> None:
        """Write a state file on a thread (file-system work never runs on the event
        loop: an fsync on a slow disk would stall the screen), then say if it failed."""
        job = state.save_job()
        if job is None:
            return

        def write() -> None:
            job()
            self.call_from_thread(self._warn_once, state.save_problem)

        self.run_worker(write, thread=True, group="state", exit_on_error=False)

    def _warn(self, message: str) -> None:
        """A one-line warning toast; the text is shown as it is (no markup), controls
        as placeholders (a file name or an error can hold either)."""
        self.notify(without_controls(message), severity="warning", markup=False, timeout=8)

    def _warn_once(self, message: str | None) -> None:
        if message and message not in self._warned:
            self._warned.add(message)
            self._warn(message)

    # --- Actions ----------------------------------------------------------------

    async def action_quit(self) -> None:
        """`q`, ctrl+q and the palette's Quit: a note not saved yet is tried once more,
        and the analyst asked, before the app goes (signals quit at once: `_signalled`)."""
        screen = self.screen_stack[0] if self.screen_stack else None
        if isinstance(screen, AnnotatorScreen):
            screen.quit_when_saved(self.exit)
        else:
            self.exit()

    def action_help(self) -> None:
        from tuireader.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(help_groups()))


def help_groups() -> list[tuple[str, type[DOMNode]]]:
    """What the help lists: a title and the class whose bindings it shows, per group.

    The README's key tables are checked against these (tests/ui/test_key_tables.py).
    """
    from tuireader.ui.screens.note_editor import NoteEditor, StanceChooser
    from tuireader.ui.widgets.goto_bar import GoToBar
    from tuireader.ui.widgets.notes_panel import NotesPanel
    from tuireader.ui.widgets.search_bar import SearchBar

    return [
        ("Anywhere", ReaderApp),
        ("Reader", ReaderScreen),
        ("Notes", AnnotatorScreen),
        ("Review", ReviewScreen),
        ("Article", ArticleView),
        ("Outline", OutlinePanel),
        ("Search line", SearchBar),
        ("Go-to line", GoToBar),
        ("Notes panel", NotesPanel),
        ("Note editor", NoteEditor),
        ("Stance chooser", StanceChooser),
    ]


def position_key(text: str) -> str:
    """A document's key among remembered positions: its text's CRC-32 and length.

    Not the SHA-256 the notes file keeps: a reading position needs no resistance to
    forgery, and hashlib's import (OpenSSL) is not worth a millisecond of every start.
    """
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}-{len(data):x}"


def make_app(
    document_path: str | Path | Document,
    notes_path: str | Path | None = None,
    config: AppConfig | None = None,
) -> ReaderApp:
    """Build the app for a document: the one way the CLI and every test make it.

    Args:
        document_path: The article, or a Document already read (from standard input).
        notes_path: Its notes file; by default `<article>.notes.yaml` beside it, or a
            file in the data folder when that folder cannot be written.
        config: Folders and choices; by default the platform's folders.

    Raises:
        LoadError: The document cannot be read (one line, for the user).
    """
    config = config or AppConfig.from_environment()
    # A long plain-text file shows its start at once; the app reads the rest.
    if isinstance(document_path, Document):
        document = document_path
    else:
        document = load_document_start(document_path)
    return ReaderApp(document, config, Path(notes_path) if notes_path else None)


def run_app(
    document_path: str | Path | Document,
    *,
    notes_path: str | Path | None = None,
    theme: str | None = None,
    bidi: BidiMode = "app",
    author: str | None = None,
) -> int:
    """Run the reader full screen; returns the exit status."""
    config = AppConfig.from_environment(theme=theme, bidi=bidi, author=author)
    try:
        app = make_app(document_path, notes_path, config)
        app.after_first_frame.append(resume_collection)
        with terminal_bidi_mode(bidi, sys.__stdout__ or sys.stdout):
            app.run()
    except LoadError:
        raise
    except Exception as error:
        # Outside Textual's handlers (building the app, or Textual itself failing):
        # the same one line and crash log, never a traceback. Notes are saved by the
        # screens' unmount when the app got that far.
        print(crash_report(error, config.state_dir), file=sys.stderr)
        return 1
    if app.crash_report is not None:
        print(app.crash_report, file=sys.stderr)
    return int(app.return_code or 0)


def resume_collection() -> None:
    """Garbage collection back on after start-up (the CLI turns it off before importing
    Textual). What start-up made (modules, classes, styles: ~40,000 objects, nearly all
    kept) is frozen first, so that no later full collection walks it again: one would
    take ~8 ms, a stutter while scrolling."""
    gc.freeze()
    gc.enable()
