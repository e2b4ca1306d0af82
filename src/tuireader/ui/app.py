"""The Textual app: builds the reader screen, registers themes and remembers choices."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from rich.text import Text
from textual import on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from tuireader.bidi.layout import DEFAULT_OPTIONS, TERMINAL_BIDI, LayoutOptions
from tuireader.resources import data_dir
from tuireader.text.document import STDIN_NAME, Document
from tuireader.text.loading import LoadError, without_controls
from tuireader.ui.config import AppConfig, BidiMode, StateFile
from tuireader.ui.crash import crash_line, crash_report, log_error
from tuireader.ui.ordered_keys import OrderedKeysApp
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.session import DocumentSession, position_key
from tuireader.ui.terminal import exit_soon, terminal_bidi_mode
from tuireader.ui.themes import READER_VARIABLE_DEFAULTS, load_themes
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.outline import OutlinePanel
from tuireader.ui.widgets.toast import use_visual_toasts

if TYPE_CHECKING:
    from textual.command import Provider

    from tuireader.ui.history import InputHistories
    from tuireader.ui.screens.library import LibraryContents, LibraryScreen
    from tuireader.ui.screens.loading import LoadingScreen

DEFAULT_THEME = "tuireader-dark"
CRASH_EXIT_WATCHDOG = 5.0
"""Seconds the process may take to shut down after a crash before it is ended."""
SAVE_POSITION_EVERY = 5.0
"""Seconds between saves of the reading position (and once more on the way out)."""
PROGRESS_EVERY = 0.1
"""Seconds between two updates of the loading view's bytes received."""


__all__ = ["ReaderApp", "make_app", "make_library_app", "position_key", "run_app"]


APP_BINDINGS: list[BindingType] = [
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit tuireader"),
    Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
]
DOCUMENT_BINDINGS: list[BindingType] = [
    # A library's: active only in a reader of one (see check_action). Documents are
    # `)`/`(`, after sentences `]`/`[` and sections `}`/`{`.
    Binding("L", "show_library", "Library", id="library", tooltip="Back to the library"),
    Binding(
        "right_parenthesis",
        "other_document(1)",
        "Next document",
        id="next-document",
        tooltip="Open the library's next document",
    ),
    Binding(
        "left_parenthesis",
        "other_document(-1)",
        "Previous document",
        id="previous-document",
        tooltip="Open the library's previous document",
    ),
]


class _AnywhereKeys(DOMNode):
    """The app's keys as help lists them: a library's keys only for a library."""

    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS


class _DocumentKeys(DOMNode):
    BINDINGS: ClassVar[list[BindingType]] = DOCUMENT_BINDINGS


def _binding_commands() -> type[Provider]:
    """The palette's key commands, imported when the palette first opens, not at
    start-up."""
    from tuireader.ui.commands import BindingCommands

    return BindingCommands


class ReaderApp(OrderedKeysApp):
    """Reads one document, or a library of them; `make_app` builds it.

    The app routes between screens and owns what every document shares (settings,
    the positions file, themes); each document's own state is its `DocumentSession`.
    """

    # The reader is the default screen, and Textual loads a screen's CSS_PATH only for
    # screens it pushes: the app loads the reader's files.
    CSS_PATH = [
        "app.tcss",
        "screens/reader.tcss",
        "widgets/article_view.tcss",
        "screens/review.tcss",
    ]
    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {_binding_commands}
    # Below 100 columns the outline is hidden, below 140 the notes panel (`o` and `l`
    # lay them over the article).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (140, "-full")]

    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS, *DOCUMENT_BINDINGS]

    def __init__(
        self,
        sessions: Sequence[DocumentSession],
        config: AppConfig,
        positions: StateFile,
        *,
        library: LibraryContents | None = None,
    ) -> None:
        """
        Args:
            sessions: One per document; the first is read (its reader opens at once
                unless `library`).
            config: Folders and command-line choices.
            positions: The remembered positions the sessions share.
            library: Start on the library screen, listing these rows.
        """
        self.sessions = list(sessions)
        self.config = config
        self.library = library is not None
        self._library_contents = library
        self.layout_options: LayoutOptions = layout_options(config)
        self.settings = StateFile(config.config_dir / "settings.json")
        self._positions = positions
        self.after_first_frame: list[Callable[[], object]] = []
        """Called once the first frame is out (`run_app` resumes garbage collection)."""
        self._remember_theme = False
        self._histories: InputHistories | None = None
        self._warned: set[str] = set()
        self.crash_report: str | None = None
        """The one line to print after an unhandled exception ended the app."""
        self.exit_line: str | None = None
        """The one line to print when the document could not be read (status 2)."""
        self._loading: DocumentSession | None = None
        """The session a worker reads while the loading view shows (a lone document, or
        a library's URL, web page, Word or EPUB file)."""
        self._loading_view: Screen[object] | None = None
        """The loading view, left beneath the reader that replaced it."""
        super().__init__()
        use_visual_toasts()  # toasts in visual order too (issue 10)
        if library:
            # A library's stylesheet only for a library: a plain start does not parse it.
            self.css_path.append(Path(__file__).parent / "screens" / "library.tcss")
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

    @property
    def session(self) -> DocumentSession:
        """The session of the reader on screen (else the first)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReaderScreen):
                return screen.session
        return self.sessions[0]

    @property
    def document(self) -> Document:
        """The document of the reader on screen (as far as it is read)."""
        document = self.session.document
        assert document is not None
        return document

    def get_default_screen(self) -> Screen[None]:
        # The default screen rather than one pushed in on_mount: it is composed with the
        # app, and the first frame is the article's (or the library's), not an empty
        # screen's.
        if self._library_contents is not None:
            from tuireader.ui.screens.library import LibraryScreen

            return LibraryScreen(self._library_contents, self.layout_options)
        session = self.sessions[0]
        if session.document is None:
            # A web page, Word, EPUB or URL: the loading view at once, read by a worker.
            from tuireader.ui.screens.loading import LoadingScreen

            self._loading = session
            return LoadingScreen(session)
        return self._reader_for(session)

    def _reader_for(self, session: DocumentSession) -> ReaderScreen:
        session.opened()
        return ReaderScreen(session)

    def on_mount(self) -> None:
        for callback in self.after_first_frame:
            self.screen.call_after_refresh(callback)
        if self._loading is not None:
            if self._loading.piped:
                # A pipe's reading is mostly waiting for its producer: at once, so that
                # a short pipe's text is read while Textual draws (`cat a.txt |
                # tuireader` paints no later than when the CLI read it first).
                self._read_then_open(self._loading)
            else:
                # After the loading view's first frame: the reading competes for the GIL.
                self.screen.call_after_refresh(self._read_then_open, self._loading)
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
        self._remember_theme = True
        if self.config.theme == self.theme:
            # `--theme NAME` is a choice too (issue 13): remembered as the palette's is.
            self.watch_theme(self.theme)

    def _signalled(self, sig: int) -> None:
        """SIGTERM or SIGHUP: save everything now, then quit as `q` does (with a
        watchdog: see `exit_soon`)."""
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.save_now()
        self._flush_notes()
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
            if isinstance(screen, ReaderScreen):
                try:
                    screen.save_now()
                except Exception as err:  # noqa: BLE001 - the last resort goes on
                    notes_problem = f"{type(err).__name__}: {err}"
        try:
            self._flush_notes()
        except Exception as err:  # noqa: BLE001 - the last resort goes on
            notes_problem = notes_problem or f"{type(err).__name__}: {err}"
        with contextlib.suppress(Exception):
            self._save_position(now=True)
            self._positions.flush()
        return crash_report(error, self.config.state_dir, notes_problem=notes_problem)

    def action_command_palette(self) -> None:
        """Textual's, with its palette made safe (see `ReaderCommandPalette`)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            from tuireader.ui.commands import ReaderCommandPalette

            self.push_screen(ReaderCommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's theme picker, in the safe palette (see `ReaderCommandPalette`)."""
        from textual.theme import ThemeProvider

        from tuireader.ui.commands import ReaderCommandPalette

        self.push_screen(
            ReaderCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…")
        )

    def pop_screen(self) -> AwaitComplete:
        """Textual's, but popping the last screen does nothing instead of raising
        ScreenStackError: two keys can both dismiss one screen (Enter Enter in the
        command palette, once), and the second finds nothing left to close. The loading
        view a reader was pushed over counts as nothing."""
        if len(self.screen_stack) <= 1 or (
            len(self.screen_stack) == 2 and self.screen_stack[0] is self._loading_view
        ):
            return AwaitComplete(asyncio.sleep(0)).call_next(self)
        return super().pop_screen()

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

    # --- Routing between the library and readers ---------------------------------

    def _flush_notes(self) -> None:
        """Write every session's queued notes (a reader not on screen has none open)."""
        for session in self.sessions:
            if session.keeper is not None:
                session.keeper.flush()

    @on(ReaderScreen.DocumentFailed)
    def _document_failed(self, event: ReaderScreen.DocumentFailed) -> None:
        """The rest of a long file could not be read: alone, the app ends with the
        line (as for a file that cannot be opened); in a library, back to the list."""
        if not self.library:
            # Text, not markup: a file name may hold "[" (Rich would read a tag).
            self.exit(None, 2, Text(without_controls(f"tuireader: {event.problem}")))
            return
        self._warn(event.problem)
        self.action_show_library()

    @on(ReaderScreen.LogProblem)
    def _log_problem(self, event: ReaderScreen.LogProblem) -> None:
        where = log_error(event.error, self.config.state_dir)
        self._warn(f"{event.what} ({where})")

    def on_library_screen_document_chosen(self, event: LibraryScreen.DocumentChosen) -> None:
        # By name, not @on: the library's module (DataTable…) is imported only for a
        # library, never on a plain start.
        event.session.jump_to = event.offset
        self.open_session(event.session)

    def open_session(self, session: DocumentSession) -> None:
        """Show a session's reader: over the library (read first, on a thread, if the
        library has not read it yet: behind the loading view when that is slow);
        alone, in place of the loading view."""
        if session is self._loading:
            if session.document is None:
                return
            self._loading = None
            if not self.library:
                # Pushed over the loading view, which stays beneath, never shown again
                # (`pop_screen` does not uncover it): Textual's switch_screen from the
                # default screen mounts the reader before composing it (NoMatches).
                self._loading_view = self.screen
                self.push_screen(self._reader_for(session))
            else:
                # The loading view was pushed over the library: the reader takes its
                # place, and `L` goes back to the library.
                self.switch_screen(self._reader_for(session))
            return
        if not self.library:
            return
        if isinstance(self.screen, ReaderScreen):
            if self.screen.session is session:
                return
            self._leave_reader()
        if session.document is None:
            if session.slow_to_read:
                # A URL (the network), a web page, Word or EPUB file (the extractor):
                # the loading view, as for one such document alone; Esc goes back.
                from tuireader.ui.screens.loading import LoadingScreen

                self._loading = session
                self.push_screen(LoadingScreen(session, can_go_back=True))
            self._read_then_open(session)
            return
        self.push_screen(self._reader_for(session))

    def _read_then_open(self, session: DocumentSession) -> None:
        """Read (or fetch, or take from a pipe) a session's document on a worker, then
        open its reader: the one way a library's document and a lone web page, Word,
        EPUB file, URL or pipe are read once the app runs.

        The reading itself runs on a daemon thread the worker waits for: the extractor,
        a stalled server or a producer that never ends cannot be interrupted, and `q`
        (which cancels the worker) must not wait for any of them before the process
        ends (a thread worker runs in asyncio's default executor, which the event
        loop's shutdown joins).
        """

        def read() -> None:
            worker = get_current_worker()
            done = threading.Event()
            failure: list[Exception] = []
            shown = [0.0]

            def progress(received: int, length: int | None) -> None:
                if worker.is_cancelled:
                    raise _Abandoned
                now = time.monotonic()
                if now - shown[0] >= PROGRESS_EVERY or received == length:
                    shown[0] = now
                    self.call_from_thread(self._show_progress, session, received, length)

            def run() -> None:
                try:
                    session.read(progress)
                except Exception as err:  # noqa: BLE001 - handed to the worker below
                    failure.append(err)
                finally:
                    done.set()

            threading.Thread(target=run, daemon=True, name="tuireader-read").start()
            while not done.wait(0.05):
                if worker.is_cancelled:
                    return  # quitting, or another document chosen: let it be
            if worker.is_cancelled or (failure and isinstance(failure[0], _Abandoned)):
                return
            if not failure:
                self.call_from_thread(self._read_done, session, worker)
                return
            err = failure[0]
            if isinstance(err, LoadError):
                problem = str(err)
            else:  # a bug in a reader: one line, and the traceback in the log
                where = log_error(err, self.config.state_dir)
                problem = f"{session.source} could not be read ({where})"
            self.call_from_thread(self._cannot_read, session, problem)

        self.run_worker(read, thread=True, group="open", exclusive=True, exit_on_error=False)

    def _read_done(self, session: DocumentSession, worker: Worker[None]) -> None:
        """The worker read a session's document: open it, unless the loading view was
        left meanwhile (Esc back to the library while the call was on its way)."""
        if not worker.is_cancelled:
            self.open_session(session)

    def _show_progress(self, session: DocumentSession, received: int, length: int | None) -> None:
        from tuireader.ui.screens.loading import LoadingScreen

        screen = self.screen
        if session is self._loading and isinstance(screen, LoadingScreen):
            screen.show_progress(received, length)

    def _cannot_read(self, session: DocumentSession, problem: str) -> None:
        """A document could not be read: in a library, back to the list with a toast
        (the URL can be tried again); alone, the app ends at once with status 2 and the
        line on standard error, as `less` does for a file it cannot open (`run_app`
        prints `exit_line`)."""
        if session is self._loading:
            self._loading = None
            if not self.library:
                self.exit_line = without_controls(f"tuireader: {problem}")
                self.exit(None, 2)
                return
            self._leave_loading_view()
        self._warn(problem)

    def on_loading_screen_cancelled(self, event: LoadingScreen.Cancelled) -> None:
        """Esc on a library's loading view: the reading is let go (its thread ends
        with the fetch's next chunk, or its timeout), the library is back."""
        # By name, not @on: the loading module is imported only when a view shows.
        if self._loading is None or not self.library:
            return
        self.workers.cancel_group(self, "open")
        self._loading = None
        self._leave_loading_view()

    def _leave_loading_view(self) -> None:
        from tuireader.ui.screens.loading import LoadingScreen

        if isinstance(self.screen, LoadingScreen) and len(self.screen_stack) > 1:
            self.pop_screen()

    def _leave_reader(self) -> None:
        """Close the reader on screen: its notes are written (as it unmounts), its
        place is kept in its session."""
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            self._save_position()
            screen.session.jump_to = None
            self.pop_screen()

    def action_show_library(self) -> None:
        """`L`: back to the library (the reader's state stays in its session)."""
        self._leave_reader()

    def action_other_document(self, step: int) -> None:
        """`)` and `(`: the next or previous document of the library, as listed."""
        from tuireader.ui.screens.library import LibraryScreen

        screen = self.screen
        library = self.screen_stack[0]
        if not isinstance(screen, ReaderScreen) or not isinstance(library, LibraryScreen):
            return
        following = library.neighbour(screen.session, step)
        if following is None:
            self.notify("No more documents that way.", timeout=2)
            return
        library.highlight(following)
        self.open_session(following)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._loading is not None:
            # The loading view: only `q` (and ctrl+q) act; any other key is ignored,
            # never kept for the reader (it would land in a screen it was not meant for).
            return action == "quit"
        if action in ("show_library", "other_document"):
            # Only from a reader of a library, never from over a dialog or the editor.
            return self.library and isinstance(self.screen, ReaderScreen)
        return super().check_action(action, parameters)

    def _save_position(self, *, now: bool = False) -> None:
        """Save the remembered values of every document: on a thread while the app
        runs (see `_save_state`), `now` on the way out."""
        changed = [session.save_position() for session in self.sessions]
        if any(changed):
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
        screens = [s for s in self.screen_stack if isinstance(s, ReaderScreen)]
        screen = screens[-1] if screens else None
        if isinstance(screen, ReaderScreen):
            screen.quit_when_saved(self.exit)
        else:
            self.exit()

    def action_help(self) -> None:
        from tuireader.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(help_groups(library=self.library)))


class _Abandoned(Exception):
    """Ends a fetch whose worker was cancelled (the app quits)."""


def help_groups(*, library: bool = False) -> list[tuple[str, type[DOMNode]]]:
    """What the help lists: a title and the class whose bindings it shows, per group
    (a library's keys only for a library).

    The README's key tables are checked against these (tests/ui/test_key_tables.py).
    """
    from tuireader.ui.screens.note_editor import NoteEditor, StanceChooser
    from tuireader.ui.screens.reader_keys import NotesKeys, ReaderKeys, ReviewKeys
    from tuireader.ui.widgets.goto_bar import GoToBar
    from tuireader.ui.widgets.notes_panel import NotesPanel
    from tuireader.ui.widgets.search_bar import SearchBar

    groups: list[tuple[str, type[DOMNode]]] = [("Anywhere", _AnywhereKeys)]
    if library:
        from tuireader.ui.screens.library import LibraryScreen

        groups += [("Library", LibraryScreen), ("Between documents", _DocumentKeys)]
    return [
        *groups,
        ("Reader", ReaderKeys),
        ("Notes", NotesKeys),
        ("Review", ReviewKeys),
        ("Article", ArticleView),
        ("Outline", OutlinePanel),
        ("Search line", SearchBar),
        ("Go-to line", GoToBar),
        ("Notes panel", NotesPanel),
        ("Note editor", NoteEditor),
        ("Stance chooser", StanceChooser),
    ]


def layout_options(config: AppConfig) -> LayoutOptions:
    """How the app lays text out: `--bidi terminal` sends logical, unshaped rows."""
    return TERMINAL_BIDI if config.bidi == "terminal" else DEFAULT_OPTIONS


def make_app(
    document_path: str | Path | Document | BinaryIO,
    notes_path: str | Path | None = None,
    config: AppConfig | None = None,
    *,
    refresh: bool = False,
) -> ReaderApp:
    """Build the app for a document: the one way the CLI and every test make it.

    A plain-text or Markdown file's start is read here, before the first frame; a web
    page, Word or EPUB file, a URL or a pipe is read by a worker while the app shows a
    loading view (`ReaderApp._read_then_open`).

    Args:
        document_path: The article (a path, or an http(s) URL as a str), a pipe it
            arrives on (standard input, opened for binary reading; the app reads it to
            its end and closes it), or a Document already read.
        notes_path: Its notes file; by default `<article>.notes.yaml` beside it, or a
            file in the data folder when that folder cannot be written.
        config: Folders and choices; by default the platform's folders.
        refresh: Fetch a URL again even when its snapshot is kept.

    Raises:
        LoadError: A plain-text document cannot be read (one line, for the user).
    """
    from tuireader.text.snapshots import is_url

    config = config or AppConfig.from_environment()
    positions = StateFile(config.state_dir / "positions.json")
    url = None
    pipe = None
    if isinstance(document_path, Document):
        read: Document | None = document_path
        path = Path(document_path.path or document_path.name)
    elif isinstance(document_path, str) and is_url(document_path):
        # The snapshot's page file once fetched (`DocumentSession.read`).
        read, path, url = None, Path(document_path), document_path
    elif isinstance(document_path, str | Path):
        read, path = None, Path(document_path)
    else:
        # Standard input, like a URL: read by the worker behind the loading view.
        read, path, pipe = None, Path(STDIN_NAME), document_path
    session = DocumentSession(
        path,
        positions=positions,
        data_dir=config.data_dir,
        notes_path=Path(notes_path) if notes_path else None,
        options=layout_options(config),
        author=config.author,
        document=read,
        url=url,
        refresh=refresh,
        pipe=pipe,
    )
    if read is None and session.reads_at_once:
        # A long plain-text file shows its start at once; the reader reads the rest.
        session.read()
    return ReaderApp([session], config, positions)


def make_library_app(
    paths: Sequence[Path | str], config: AppConfig | None = None, *, refresh: bool = False
) -> ReaderApp:
    """Build the app on a library of documents: nothing is read before the list shows.

    Args:
        paths: The documents, in the order given (the library sorts them): files, and
            http(s) URLs as str. A URL is listed by its kept snapshot (its title), or
            as not fetched yet; opening it fetches it (or reads the snapshot) behind
            the loading view.
        config: Folders and choices; by default the platform's folders.
        refresh: Fetch a URL again when it is opened, even when its snapshot is kept.
    """
    from tuireader.text.snapshots import find_snapshot

    config = config or AppConfig.from_environment()
    positions = StateFile(config.state_dir / "positions.json")
    sessions = []
    for path in paths:
        url = snapshot = None
        if isinstance(path, str):
            url = path
            snapshot = find_snapshot(config.data_dir, url)
        sessions.append(
            DocumentSession(
                Path(path) if snapshot is None else snapshot,
                positions=positions,
                data_dir=config.data_dir,
                options=layout_options(config),
                author=config.author,
                url=url,
                refresh=refresh,
                fetched=snapshot is not None,
            )
        )
    from tuireader.ui.screens.library import read_library

    # Before the app runs, as `make_app` reads its document: sizes and what the cache
    # knows, so the first frame lists every row as it will stay.
    contents = read_library(sessions, config.state_dir)
    return ReaderApp(sessions, config, positions, library=contents)


def run_app(
    document_path: str | Path | Document | BinaryIO | Sequence[Path | str],
    *,
    notes_path: str | Path | None = None,
    theme: str | None = None,
    bidi: BidiMode = "app",
    author: str | None = None,
    refresh: bool = False,
) -> int:
    """Run the reader full screen (a library for a list of documents); returns the
    exit status."""
    config = AppConfig.from_environment(theme=theme, bidi=bidi, author=author)
    try:
        if isinstance(document_path, list | tuple):
            app = make_library_app(document_path, config, refresh=refresh)
        else:
            app = make_app(document_path, notes_path, config, refresh=refresh)  # type: ignore[arg-type]
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
    elif app.exit_line is not None:
        print(app.exit_line, file=sys.stderr)
    return int(app.return_code or 0)


def resume_collection() -> None:
    """Garbage collection back on after start-up (the CLI turns it off before importing
    Textual). What start-up made (modules, classes, styles: ~40,000 objects, nearly all
    kept) is frozen first, so that no later full collection walks it again: one would
    take ~8 ms, a stutter while scrolling."""
    gc.freeze()
    gc.enable()
