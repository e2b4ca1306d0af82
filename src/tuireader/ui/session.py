"""One open document's state in one owner: the document session.

The app holds a session per document it was given (one, or a library's worth); a
reader screen is built around one session and reads and writes its state there, so
that going back to the library and opening the document again finds the document,
the reading position, the review and the notes as they were. A session is plain
Python: it does blocking file work when asked (from a worker thread) and never
touches the screen.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tuireader.bidi.document_layout import DocumentLayouts
from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.text.document import STDIN_NAME, Document, text_sha256
from tuireader.text.loading import LoadError
from tuireader.text.sources import load_source

if TYPE_CHECKING:
    from concurrent.futures import Future

    from tuireader.text.fetch import Progress
    from tuireader.ui.config import StateFile
    from tuireader.ui.notes_keeper import NotesKeeper, NotesState


PIPED_NOTICE = "piped: notes in the data folder"
"""The status bar's word on a piped document: it has no folder for its notes beside it."""


class LoadState(Enum):
    """How much of the document a session holds."""

    NOT_READ = "not read"
    START = "start"
    """The beginning of a long plain-text file; the rest is being read."""
    WHOLE = "whole"
    FAILED = "failed"


def position_key(text: str) -> str:
    """A document's key among remembered positions: its text's CRC-32 and length.

    Not the SHA-256 the notes file keeps: a reading position needs no resistance to
    forgery, and hashlib's import (OpenSSL) is not worth a millisecond of every start.
    """
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}-{len(data):x}"


class DocumentSession:
    """A document, its load state, its layouts, its notes keeper, its reading position
    and review.

    Remembered values ("offset", "review", "cursor", "opened") are kept by the
    document's text, not its path (a moved file keeps its place), in the app's
    positions file, which every session shares.
    """

    def __init__(
        self,
        path: Path,
        *,
        positions: StateFile,
        data_dir: Path,
        notes_path: Path | None = None,
        options: LayoutOptions = DEFAULT_OPTIONS,
        author: str | None = None,
        document: Document | None = None,
        url: str | None = None,
        refresh: bool = False,
        fetched: bool = False,
        pipe: BinaryIO | None = None,
    ) -> None:
        """
        Args:
            path: The document's file (for a URL, its snapshot's once fetched).
            positions: The app's remembered positions, shared by every session.
            data_dir: Where notes go when the document's folder cannot be written.
            notes_path: A notes file chosen on the command line (one document only).
            options: The app's layout options.
            author: The name on new notes.
            document: The document, when it was read already (the first screen's).
            url: An http(s) URL: `read` fetches it first (or opens its snapshot).
            refresh: Fetch the URL again even when a snapshot exists.
            fetched: For a URL, `path` is its kept snapshot's page already (a library
                lists it by the snapshot's title before `read` opens it).
            pipe: A pipe the document arrives on (standard input): `read` reads it to
                its end, once. Like a URL, it is read by a worker behind the loading
                view, the bytes counted as they come.
        """
        self.path = path
        self.url = url
        """The URL the document comes from, when it was given as one."""
        self._refresh = refresh
        self._fetched = url is None or fetched
        self.pipe = pipe
        """The pipe the document is read from, until it is read."""
        self.piped = pipe is not None
        """Whether the document comes from a pipe (it has no file)."""
        self.options = options
        """How every view of this document lays it out (`--bidi terminal`, say)."""
        self.author = author
        self.document: Document | None = None
        """What is read so far: the start of a long file, then the whole."""
        self.problem: str | None = None
        """Why the document could not be read, in one line."""
        self.layouts = DocumentLayouts()
        """Its rows at each width a reader showed it (the article view's): a reader
        opened again finds them counted."""
        self.keeper: NotesKeeper | None = None
        """The notes, while a reader shows the document (see `open_notes`)."""
        self.notes_loaded: Future[None] | None = None
        """Done once the keeper has read the notes file."""
        self.notes_state: NotesState | None = None
        """The notes as last loaded or saved (kept when the reader closes)."""
        self.review_counts: tuple[int, int | None] | None = None
        """(reviewed claims, claims) as the reader last counted them."""
        self.jump_to: int | None = None
        """A logical offset to open at, once (a note found from the library)."""
        self.opened_at: int | None = None
        """When a reader last showed the document in this run (seconds since the epoch)."""
        self.data_dir = data_dir
        """Where notes go when the document's folder cannot be written."""
        self._notes_path = notes_path
        self._positions = positions
        self._key: str | None = None
        self._remembered: dict[str, object] = {}
        if document is not None:
            self.set_document(document)

    # --- The document ----------------------------------------------------------

    @property
    def name(self) -> str:
        return self.document.name if self.document is not None else self.path.name

    @property
    def source(self) -> str:
        """Where the document comes from, as the user named it: the URL, else the path
        ("<stdin>" for a pipe)."""
        if self.url is not None:
            return self.url
        return STDIN_NAME if self.piped else str(self.path)

    @property
    def awaits_fetch(self) -> bool:
        """A URL whose page is not here: nothing to list or read before `read` fetches
        it."""
        return not self._fetched

    @property
    def slow_to_read(self) -> bool:
        """Whether `read` goes behind the loading view, as far as the name tells
        (no file is looked at: the event loop asks): a URL, a pipe, a web page, a Word
        or EPUB file."""
        if self.url is not None or self.piped:
            return True
        from tuireader.text.formats import Format, detect_format

        return detect_format(b"", self.path.name) not in (Format.PLAIN, Format.MARKDOWN)

    @property
    def reads_at_once(self) -> bool:
        """Whether `read` is quick enough to run before the first frame: a plain-text
        or Markdown file (only its start, when long). A web page, a Word or EPUB file
        (an extractor runs over the whole), a URL (the network) and a pipe (its
        producer) are read by a worker while a loading view shows."""
        if self.url is not None or self.piped:
            return False
        from tuireader.text.formats import Format, detect_format
        from tuireader.text.snapshots import read_page_source

        if read_page_source(self.path) is not None:
            return False  # a page's snapshot: read by its Content-Type, whole
        return detect_format(b"", self.path.name) in (Format.PLAIN, Format.MARKDOWN)

    @property
    def state(self) -> LoadState:
        if self.problem is not None:
            return LoadState.FAILED
        if self.document is None:
            return LoadState.NOT_READ
        return LoadState.WHOLE if self.document.complete else LoadState.START

    def set_document(self, document: Document) -> None:
        """Hold a newly read document (the start, or the whole once read)."""
        self.document = document
        self.problem = None
        if document.complete:
            self._key = position_key(document.text)

    def read(self, progress: Progress | None = None) -> Document:
        """Read the document's start (the whole, unless it is a long plain-text file);
        a URL is fetched first, unless its snapshot is kept (see `text.fetch`).

        Blocking: call it from a worker, or before the app runs.

        Args:
            progress: Told of a URL's or a pipe's bytes as they arrive.

        Raises:
            LoadError: The file cannot be read, the URL fetched or the pipe read (or it
                holds no document); `problem` says why.
        """
        try:
            if self.piped:
                document = self._read_pipe(progress)
            else:
                if self.url is not None:
                    from tuireader.text.fetch import open_url

                    self.path = open_url(
                        self.url, self.data_dir, refresh=self._refresh, progress=progress
                    )
                    self._refresh = False  # fetched: reading again opens the new snapshot
                    self._fetched = True
                document = load_source(self.path, start_only=True)
        except LoadError as err:
            self.problem = str(err)
            raise
        self.set_document(document)
        return document

    def _read_pipe(self, progress: Progress | None) -> Document:
        """The pipe's document: its bytes to the end, then the format they sniff as."""
        import dataclasses

        from tuireader.text.formats import read_document
        from tuireader.text.sources import read_stream

        pipe = self.pipe
        if pipe is None:
            raise LoadError(f"{STDIN_NAME}: read already")  # a pipe is read once
        self.pipe = None
        try:
            data = read_stream(pipe, STDIN_NAME, progress=progress)
        finally:
            pipe.close()
        document = read_document(data, name=STDIN_NAME)
        return dataclasses.replace(document, notices=(*document.notices, PIPED_NOTICE))

    def read_whole(self) -> Document:
        """Read the whole document (blocking; from a worker). It is not held yet: the
        reader holds it with `set_document` once it shows it.

        Raises:
            LoadError: The file cannot be read.
        """
        return load_source(self.path)

    def read_end(self) -> Document | None:
        """The end of a long file, to show before the rest is read (None when the
        file is whole already, or its end cannot be read on its own)."""
        from tuireader.text.structure import load_document_end

        if self.document is None or self.document.complete:
            return None
        try:
            return load_document_end(self.path)
        except LoadError:
            return None

    # --- Notes -------------------------------------------------------------------

    def notes_path(self) -> Path:
        """The notes file: --notes, else beside the article (or in the data folder)."""
        if self._notes_path is not None:
            return self._notes_path
        assert self.document is not None
        # Imported here, on first use: the notes store brings YAML, which the first
        # screen does not need.
        from tuireader.notes.store import default_notes_path

        return default_notes_path(
            self.document.path, text_sha256(self.document.text), data_dir=self.data_dir
        )

    def open_notes(self, publish: Callable[[NotesState], None]) -> NotesKeeper:
        """The notes keeper of the whole document, made and opened on first use.

        Args:
            publish: Called on the notes thread after each load and save.
        """
        if self.keeper is None:
            from tuireader.ui.notes_keeper import NotesKeeper

            assert self.document is not None and self.document.complete
            self.keeper = NotesKeeper(self.document, self.notes_path(), publish=publish)
            self.notes_loaded = self.keeper.open()
        return self.keeper

    def close_notes(self) -> None:
        """Write what is queued and let the keeper go (the reader closed): the next
        reader of this session opens the notes again, from the file."""
        if self.keeper is not None:
            self.keeper.close()
            self.notes_state = self.keeper.state
            self.keeper = None
            self.notes_loaded = None

    # --- Reading position and review -------------------------------------------

    def restored_offset(self) -> int:
        """Where to open: a note found from the library, else where the reader left
        this document last time (0 for a new one)."""
        length = len(self.document.text) if self.document is not None else 0
        if self.jump_to is not None:
            offset: object = self.jump_to
        else:
            offset = self.remembered("offset")
        return min(max(0, offset), length) if isinstance(offset, int) else 0

    def remembered(self, name: str) -> object:
        """A value remembered for this document ("offset", "review", "cursor", …) as
        the positions file had it when last saved (`save_position`): a long file's
        start must not take values remembered before its key was known."""
        if self._key is None:
            return None
        entry = self._positions.data.get(self._key)
        return entry.get(name) if isinstance(entry, dict) else None

    def remember(self, **values: object) -> None:
        """Remember values for this document; saved every few seconds and on exit."""
        self._remembered.update(values)

    def opened(self) -> None:
        """A reader shows this document now (the library's "last opened")."""
        self.opened_at = int(time.time())

    def save_position(self) -> bool:
        """Put the remembered values into the positions file's data; True when that
        changed something (the app writes the file, on a thread)."""
        if not self._remembered or self._key is None or self.document is None:
            return False
        old = self._positions.data.get(self._key)
        entry = dict(old) if isinstance(old, dict) else {}
        entry.update(self._remembered, name=self.document.name)
        if entry == old:
            return False
        self._positions.data[self._key] = entry
        return True
