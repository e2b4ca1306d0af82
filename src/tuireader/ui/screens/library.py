"""The library: every document given on the command line, one row each.

The list shows at once with file names; a worker thread then reads what the rows show
(titles from each file's start, the rows on screen first; then the claims, notes and
review of each file), cached by file size and modification time in the state folder.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import Direction
from tuireader.text.normalize import fold_query
from tuireader.ui.labels import visual_label
from tuireader.ui.session import DocumentSession
from tuireader.ui.widgets.bidi_input import BidiInput
from tuireader.ui.widgets.library_table import LibraryTable

if TYPE_CHECKING:
    from tuireader.notes.library import Heading, ReviewCount, SummaryCache

COLUMNS = (
    ("file", "file", 18),
    ("script", "script", 11),
    ("size", "size", 7),
    ("notes", "notes", 5),
    ("reviewed", "reviewed", 11),
    ("opened", "last opened", 16),
)
"""(key, heading, cells) of the columns after the title, which takes the rest."""
FILE_COLUMN_FROM = 120
"""Terminal width from which the file name has a column of its own."""
MIN_TITLE_WIDTH = 16
MAX_TITLE_WIDTH = 60
CACHE_NAME = "library.json"
SORTS = ("name", "title", "size", "notes", "reviewed", "opened")
"""What `s` cycles through."""
BATCH_SECONDS = 0.25
"""The worker hands rows to the screen at most this often."""
FIRST_ROWS = 120
"""Rows listed before the first frame: more than any terminal shows."""
CACHE_SAVE_SECONDS = 5.0
"""The cache is written this often while rows are read, and once they all are."""


class LazyLabel:
    """A cell laid out (shaped, reordered) only when the table first draws it: a
    thousand titles are not laid out before the first frame, only the rows seen."""

    __slots__ = ("_args", "_justify", "_label", "_style")

    def __init__(
        self,
        text: str,
        width: int,
        options: LayoutOptions = DEFAULT_OPTIONS,
        direction: Direction = Direction.LTR,
        style: str = "",
        justify: JustifyMethod | None = None,
    ) -> None:
        self._args = (text, width, options, direction)
        self._style = style
        self._justify = justify
        self._label: Text | None = None

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        # DataTable measures every cell of every new row: answering from the column's
        # width keeps the layout for when the cell is drawn. (Not `__rich__`: Rich casts
        # with it before it measures.)
        width = self._args[1]
        return Measurement(width, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.label()

    def label(self) -> Text:
        """The laid-out cell, made on first use."""
        if self._label is None:
            text, width, options, direction = self._args
            if text.isascii() and text.isprintable():
                # No letter here has a direction to resolve or a shape to join.
                shown = text if len(text) <= width else text[: max(0, width - 1)] + "…"
                self._label = Text(shown, no_wrap=True)
            else:
                self._label = visual_label(text, width, options, direction)
            if self._style:
                self._label.stylize(self._style)
            if self._justify:
                self._label.justify = self._justify
        return self._label


@dataclass
class LibraryRow:
    """What the library knows of one document."""

    session: DocumentSession
    size: int | None = None
    signature: tuple[int, int] | None = None
    heading: Heading | None = None
    count: ReviewCount | None = None
    opened: int | None = None
    problem: str | None = None


class LibraryContents(NamedTuple):
    """What a library lists, as read before the app starts (`read_library`)."""

    rows: list[LibraryRow]
    cache: SummaryCache
    cache_path: Path


def read_library(sessions: Sequence[DocumentSession], state_dir: Path) -> LibraryContents:
    """Each document's size and what the cache knows of it (blocking: before the app
    runs, or from a worker)."""
    from tuireader.notes.library import SummaryCache, beside_notes_path, file_signature

    path = state_dir / CACHE_NAME
    cache = SummaryCache(path)
    rows = []
    for session in sessions:
        row = LibraryRow(session)
        if session.awaits_fetch:
            rows.append(row)  # a URL never fetched: nothing here to read yet
            continue
        signature = file_signature(session.path)
        row.signature = signature
        row.size = signature[0] if signature else None
        row.heading = cache.heading(session.path, signature)
        if row.heading is not None:
            # The notes file's own signature only when a count may be cached: a
            # thousand more stat calls before the first frame otherwise.
            notes = file_signature(beside_notes_path(session.path))
            row.count = cache.count(session.path, signature, notes)
        row.opened = cache.opened(session.path)
        rows.append(row)
    return LibraryContents(rows, cache, path)


class LibraryScreen(Screen[None]):
    """Lists documents; posts `DocumentChosen` for the app to open one."""

    AUTO_FOCUS = "LibraryTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash,f", "filter", "Filter", id="library-filter", tooltip="Filter by title"),
        Binding("s", "cycle_sort", "Sort", id="library-sort", tooltip="Sort by the next column"),
        Binding(
            "n",
            "search_notes",
            "Search notes",
            id="library-search-notes",
            tooltip="Search the notes of every document",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="library-clear-filter",
            tooltip="Show every document again",
            show=False,
        ),
    ]

    class DocumentChosen(Message):
        """Open this document (at `offset`, for a note found by a search)."""

        def __init__(self, session: DocumentSession, offset: int | None = None) -> None:
            super().__init__()
            self.session = session
            self.offset = offset

    def __init__(self, contents: LibraryContents, options: LayoutOptions) -> None:
        """
        Args:
            contents: A row per document, in the command line's order, and the cache.
            options: The app's layout options (titles are laid out like the article).
        """
        super().__init__()
        self.rows = contents.rows
        self.layout_options = options
        self._cache_file = contents.cache_path
        self._cache = contents.cache
        self._by_session = {id(row.session): k for k, row in enumerate(self.rows)}
        self.order: list[int] = list(range(len(self.rows)))
        """Row indexes as listed: sorted and filtered."""
        self.sort = "name"
        self.filter_text = ""
        self._wanted: deque[int] = deque()
        """Rows to read first (those on screen), filled by the event loop."""
        self._stale: set[int] = set()
        """Rows whose counts must be read again (their reader just closed)."""
        self._fill_lock = threading.Lock()
        self._filling = False
        """A worker is reading rows (it takes new wants until none is left)."""
        self._stopping = False
        self._columns = list(COLUMNS)
        self._widths = {key: cells for key, _, cells in COLUMNS}
        self._title_width = MIN_TITLE_WIDTH
        self._left_at = int(time.time())
        """When the library was last left for a reader (readers opened since count)."""
        self._saved_at = time.monotonic()
        self._cache_lock = threading.Lock()
        self._cache_generation = 0
        self._cache_written = 0
        self._shown = (0, 100)
        """Positions of the rows on screen [first, last)."""
        self._dirty: set[int] = set()
        """Rows read while off screen, drawn when scrolled to."""

    # --- Composition -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="library-header")
        yield BidiInput(
            layout_options=self.layout_options,
            placeholder="filter by title or file name",
            id="library-filter",
        )
        table = LibraryTable(cursor_type="row", id="library-table")
        # Fixed widths, fitted to the terminal once: a column measured from its cells
        # would lay out every title before the first frame.
        width = self.app.size.width
        self._columns = [c for c in COLUMNS if c[0] != "file" or width >= FILE_COLUMN_FROM]
        rest = width - sum(cells + 2 for _, _, cells in self._columns) - 4
        self._title_width = min(MAX_TITLE_WIDTH, max(MIN_TITLE_WIDTH, rest))
        table.add_column("title", width=self._title_width, key="title")
        for key, heading, cells in self._columns:
            table.add_column(heading, width=cells, key=key)
        self._sort_rows()
        # The rows a screen can show first; the rest right after the first frame (a
        # thousand rows are measured and laid out by DataTable as they are added).
        table.add_rows([self._cells(self.rows[index]) for index in self.order[:FIRST_ROWS]])
        yield table
        yield Static(
            "Enter open · / filter · s sort · n search notes · ? help · q quit",
            id="library-keys",
        )

    def on_mount(self) -> None:
        self._show_header()
        self.call_after_refresh(self._add_the_rest)
        # After the first frame: the worker's reading competes for the GIL with it.
        self.call_after_refresh(self._start_fill)

    def _add_the_rest(self) -> None:
        """The rows after the first screenful, with what is known of them by now."""
        table = self.table
        rest = self.order[table.row_count :]
        if rest:
            table.add_rows([self._cells(self.rows[index]) for index in rest])

    def on_unmount(self) -> None:
        self._stopping = True
        self._note_opened()
        if self._cache.changed:
            # On the way out, as the positions are: "last opened" is not a guess.
            from tuireader.notes.atomic import write_atomically

            with contextlib.suppress(OSError), self._cache_lock:
                self._cache_file.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self._cache_file, self._cache.content())

    def _note_opened(self) -> list[int]:
        """Rows a reader showed since the library was last on screen."""
        shown = []
        for k, row in enumerate(self.rows):
            opened = row.session.opened_at
            if opened is not None and opened >= self._left_at:
                row.opened = opened
                self._cache.put_opened(row.session.path, opened)
                shown.append(k)
        return shown

    def _start_fill(self) -> None:
        """Read the rows wanted (a worker that ends once nothing is left to read)."""
        with self._fill_lock:
            if self._filling or self._stopping:
                return
            self._filling = True
        self._fill()

    @property
    def table(self) -> LibraryTable:
        return self.query_one(LibraryTable)

    def _rebuild(self) -> None:
        """List the rows again (after a sort or a filter), keeping the cursor's row."""
        table = self.table
        current = self._current_row()
        self._sort_rows()
        table.clear()
        self._dirty.clear()
        table.add_rows([self._cells(self.rows[index]) for index in self.order])
        # DataTable keys rows by the order they were added in: 0, 1, 2, …
        if current is not None and current in self.order:
            table.move_cursor(row=self.order.index(current))
        self._show_header()

    def _current_row(self) -> int | None:
        table = self.table
        if not self.order or table.cursor_row < 0 or table.cursor_row >= len(self.order):
            return None
        return self.order[table.cursor_row]

    def _show_header(self) -> None:
        total = len(self.rows)
        shown = f"{len(self.order)} of {total}" if len(self.order) != total else f"{total}"
        noun = "document" if total == 1 else "documents"
        read = sum(1 for row in self.rows if row.heading is not None or _unread(row))
        reading = f" · reading {read}/{total}" if read < total else ""
        where = f" · filter: {self.filter_text}" if self.filter_text else ""
        line = f"Library · {shown} {noun} · sorted by {self.sort}{where}{reading}"
        self.query_one("#library-header", Static).update(visual_label(line))

    def _cells(self, row: LibraryRow) -> list[LazyLabel]:
        options = self.layout_options
        title: LazyLabel
        session = row.session
        if session.awaits_fetch:
            # Listed at once: fetched only when opened (behind the loading view).
            # What it is first: a narrow column cuts the end of a long URL.
            why = f"not fetched: {session.problem}" if session.problem else None
            why = why or f"not fetched yet: {session.url}"
            title = LazyLabel(why, self._title_width, options, style="dim")
        elif row.problem is not None:
            name = f"{_file_name(session)}: {row.problem}"
            title = LazyLabel(name, self._title_width, options, style="italic")
        elif row.heading is None:
            title = LazyLabel(_file_name(session), self._title_width, options, style="dim")
        else:
            heading = row.heading
            title = LazyLabel(heading.title, self._title_width, options, heading.direction)
        script = ""
        if row.heading is not None:
            script = f"{row.heading.script} {row.heading.direction.value.upper()}"
        count = row.count
        reviewed = f"{count.reviewed} of {count.claims}" if count is not None else ""
        notes = str(count.notes) if count is not None else ""
        widths = self._widths
        cells: dict[str, LazyLabel] = {
            "title": title,
            "file": LazyLabel(_file_name(session), 18, options),
            # Lazy too: DataTable measures every cell of a new row, and measuring a
            # thousand rows of Text cost a fifth of a second.
            "script": LazyLabel(script, widths["script"]),
            "size": LazyLabel(_size(row.size), widths["size"], justify="right"),
            "notes": LazyLabel(notes, widths["notes"], justify="right"),
            "reviewed": LazyLabel(reviewed, widths["reviewed"], justify="right"),
            "opened": LazyLabel(_when(row.opened), widths["opened"]),
        }
        return [cells["title"], *(cells[key] for key, _, _ in self._columns)]

    def _update_row(self, index: int, position: int | None = None) -> None:
        """Show a row's cells again (`position`: where it is listed, -1 for nowhere)."""
        if position is None:
            position = self.order.index(index) if index in self.order else -1
        table = self.table
        if position < 0 or position >= table.row_count:
            return  # not listed (yet): added with what is known then
        cells = self._cells(self.rows[index])
        row_key = table.coordinate_to_cell_key(Coordinate(position, 0)).row_key
        columns = ["title", *(key for key, _, _ in self._columns)]
        for column, value in zip(columns, cells, strict=True):
            table.update_cell(row_key, column, value)

    # --- Sorting and filtering ---------------------------------------------------

    def _sort_rows(self) -> None:
        folded = fold_query(self.filter_text.strip())
        rows = self.rows

        def listed(index: int) -> bool:
            if not folded:
                return True
            row = rows[index]
            title = row.heading.title if row.heading is not None else ""
            return folded in fold_query(f"{title} {_file_name(row.session)}")

        def key(index: int) -> tuple[object, ...]:
            row = rows[index]
            name = _file_name(row.session).casefold()
            if self.sort == "title":
                title = row.heading.title if row.heading is not None else _file_name(row.session)
                return (fold_query(title), name)
            if self.sort == "size":
                return (-(row.size or 0), name)
            if self.sort == "notes":
                return (-(row.count.notes if row.count else -1), name)
            if self.sort == "reviewed":
                done = (
                    row.count.reviewed / row.count.claims if row.count and row.count.claims else -1
                )
                return (-done, name)
            if self.sort == "opened":
                return (-(row.opened or 0), name)
            return (name,)

        self.order = sorted(filter(listed, range(len(rows))), key=key)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._rebuild()

    def action_filter(self) -> None:
        search = self.query_one("#library-filter", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._rebuild()

    @on(Input.Submitted, "#library-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        search = self.query_one("#library-filter", Input)
        search.remove_class("-shown")
        self.table.focus()
        if self.filter_text:
            search.value = ""
            self.filter_text = ""
            self._rebuild()

    # --- Opening -----------------------------------------------------------------

    @on(LibraryTable.RowSelected)
    def _row_selected(self, event: LibraryTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.order):
            row = self.rows[self.order[event.cursor_row]]
            self.post_message(self.DocumentChosen(row.session))

    def neighbour(self, session: DocumentSession, step: int) -> DocumentSession | None:
        """The document listed `step` rows after (before, when negative) `session`."""
        index = self._by_session.get(id(session))
        order = self.order if index in self.order else list(range(len(self.rows)))
        if index is None:
            return None
        position = order.index(index) + step
        if 0 <= position < len(order):
            return self.rows[order[position]].session
        return None

    def highlight(self, session: DocumentSession) -> None:
        """Put the cursor on a document's row (`)` and `(` from a reader)."""
        index = self._by_session.get(id(session))
        if index is not None and index in self.order:
            self.table.move_cursor(row=self.order.index(index))

    def on_screen_suspend(self) -> None:
        self._left_at = int(time.time())

    def on_screen_resume(self) -> None:
        """Back from readers: their documents' notes and "last opened" have changed
        (and a URL's row, fetched now or failed)."""
        opened = self._note_opened()
        for k in opened:
            self._stale.add(k)
            self._wanted.appendleft(k)
            self._update_row(k)
        for k, row in enumerate(self.rows):
            if row.session.url is not None and k not in opened:
                self._update_row(k)
        self._left_at = int(time.time())
        self.call_after_refresh(self._start_fill)

    # --- Reading what the rows show ----------------------------------------------

    @on(LibraryTable.RowsShown)
    def _rows_shown(self, event: LibraryTable.RowsShown) -> None:
        self._shown = (event.first, event.last)
        seen = self.order[event.first : event.last]
        for position, index in enumerate(seen, start=event.first):
            if index in self._dirty:
                self._dirty.discard(index)
                self._update_row(index, position)
        for index in reversed(seen):
            row = self.rows[index]
            if row.heading is None or row.count is None:
                self._wanted.appendleft(index)
        self._start_fill()

    # exit_on_error=False: a row that fails is one row's problem (`row.problem`); the
    # app quitting mid-read is no error at all.
    @work(thread=True, group="library", exit_on_error=False)
    def _fill(self) -> None:
        """Titles and counts of the rows on screen first, then the titles of the
        others, then their counts; hand the rows to the screen in batches."""
        from tuireader.notes.library import count_review, file_signature, read_heading
        from tuireader.text.loading import LoadError

        data_dir = self.rows[0].session.data_dir if self.rows else Path()
        done: list[int] = []
        last = time.monotonic()

        def hand_over(force: bool = False) -> None:
            nonlocal last
            if done and (force or time.monotonic() - last > BATCH_SECONDS):
                batch = list(done)
                done.clear()
                self.app.call_from_thread(self._rows_read, batch)
                last = time.monotonic()

        def next_row(counts: bool) -> tuple[int, bool] | None:
            """The next row to read, and whether to count it too (a row on screen,
            or every row once all titles are read)."""
            while self._wanted:
                index = self._wanted.popleft()
                row = self.rows[index]
                if not _unread(row) and (
                    row.heading is None or row.count is None or index in self._stale
                ):
                    return index, True
            for index in self.order:
                row = self.rows[index]
                if not _unread(row) and (row.count is None if counts else row.heading is None):
                    return index, counts
            return None

        counts = False
        while not self._stopping:
            found = next_row(counts)
            if found is None and not counts:
                counts = True
                continue
            if found is None:
                hand_over(force=True)
                with self._fill_lock:
                    # Wants added before this are seen here; after it, they start a
                    # new worker.
                    found = next_row(counts)
                    if found is None:
                        self._filling = False
                if found is None:
                    # Outside the lock: the event loop takes it (`_start_fill`).
                    self.app.call_from_thread(self._all_read)
                    return
            index, count = found
            row = self.rows[index]
            stale = index in self._stale
            self._stale.discard(index)
            try:
                if stale or row.signature is None:
                    # A URL fetched since (its snapshot's file) or fetched anew
                    # (--refresh): its title is read again.
                    signature = file_signature(row.session.path)
                    if signature != row.signature:
                        row.signature, row.heading = signature, None
                        row.size = signature[0] if signature else None
                if row.heading is None:
                    row.heading = read_heading(row.session.path)
                if count and (row.count is None or stale):
                    row.count = count_review(row.session.path, data_dir)
            except LoadError as err:
                row.problem = str(err).split(": ", 1)[-1]
            except Exception as err:  # noqa: BLE001 - a bug in a reader: one row, not all
                row.problem = f"{type(err).__name__}: {err}"
            done.append(index)
            hand_over()
        with self._fill_lock:
            self._filling = False

    def _rows_read(self, indexes: list[int]) -> None:
        """Rows the worker read (on the event loop: the cache changes only here)."""
        if not self.is_attached:
            return
        cache = self._cache
        positions = {index: position for position, index in enumerate(self.order)}
        for index in indexes:
            row = self.rows[index]
            signature = row.signature
            if signature is not None:
                if row.heading is not None:
                    cache.put_heading(row.session.path, signature, row.heading)
                if row.count is not None:
                    notes = _notes_signature(row.session.path)
                    cache.put_count(row.session.path, signature, notes, row.count)
            position = positions.get(index, -1)
            first, last = self._shown
            if first <= position < last:
                self._update_row(index, position)
            else:
                # Drawn when scrolled to: each update redraws every row on screen
                # (DataTable's render cache goes with any change).
                self._dirty.add(index)
        self._show_header()
        now = time.monotonic()
        if cache.changed and (not self._filling or now - self._saved_at > CACHE_SAVE_SECONDS):
            self._saved_at = now
            self._save_cache(cache.content())

    def _all_read(self) -> None:
        """Every row is read: the cache is written now, not after the next interval."""
        if self._cache.changed:
            self._saved_at = time.monotonic()
            self._save_cache(self._cache.content())

    def _save_cache(self, content: bytes) -> None:
        path = self._cache_file
        self._cache_generation += 1
        generation = self._cache_generation

        def write() -> None:
            from tuireader.notes.atomic import write_atomically

            with self._cache_lock:
                if generation < self._cache_written:
                    return  # a newer one is on disk already
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_atomically(path, content)
                except OSError:
                    return  # a cache: the next start reads the files again
                self._cache_written = generation

        self.run_worker(write, thread=True, group="library-cache", exit_on_error=False)

    # --- Notes of every document -------------------------------------------------

    def action_search_notes(self) -> None:
        from tuireader.ui.screens.notes_search import NotesSearchScreen

        sessions = [row.session for row in self.rows if not _unread(row)]

        def chosen(result: tuple[DocumentSession, int] | None) -> None:
            if result is not None:
                session, offset = result
                self.highlight(session)
                self.post_message(self.DocumentChosen(session, offset))

        with_notes = [row.session for row in self.rows if row.count and row.count.notes]
        search = NotesSearchScreen(sessions, self.layout_options, with_notes)
        self.app.push_screen(search, chosen)


def _file_name(session: DocumentSession) -> str:
    """What the file column shows: a URL whole (its snapshot's file is `page.html`)."""
    return session.url if session.url is not None else session.path.name


def _unread(row: LibraryRow) -> bool:
    """A row with nothing to read: its file failed, or it is a URL not fetched yet."""
    return row.problem is not None or row.session.awaits_fetch


def _notes_signature(path: Path) -> tuple[int, int] | None:
    from tuireader.notes.library import beside_notes_path, file_signature

    return file_signature(beside_notes_path(path))


def _size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"


def _when(moment: int | None) -> str:
    if moment is None:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(moment))
