"""Where the app keeps its files, and the small YAML files it remembers things in."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Literal, NamedTuple

import platformdirs

from tuireader.notes.atomic import write_atomically

BidiMode = Literal["app", "terminal", "off"]

CursorMovement = Literal["visual", "logical"]
"""What left and right do in a text field on RTL text: move the way the arrow points
(LibreOffice, browsers: the default), or through the logical order (right = forwards)."""

CURSOR_MOVEMENT_SETTING = "cursor_movement"
"""The key of `CursorMovement` in settings.json."""


def cursor_movement_of(settings: dict[str, object]) -> CursorMovement:
    """The remembered `CursorMovement`: "logical" if settings.json says so, else visual."""
    return "logical" if settings.get(CURSOR_MOVEMENT_SETTING) == "logical" else "visual"


APP_NAME = "tuireader"


class AppConfig(NamedTuple):
    """Everything `make_app` needs besides the document: folders and command-line choices.

    A NamedTuple like the core's small values (see `tuireader.text.document`)."""

    config_dir: Path
    """Remembered choices (the theme): platformdirs' user config dir."""
    state_dir: Path
    """Reading positions: platformdirs' user state dir."""
    data_dir: Path
    """Notes for documents whose own folder is not writable: platformdirs' user data dir."""
    cache_dir: Path
    """What can be rebuilt at any time (the validated themes): platformdirs' user cache
    dir."""
    theme: str | None = None
    """A theme asked for on the command line; None uses the remembered one."""
    bidi: BidiMode = "app"
    """Who reorders: the app (default), the terminal (logical rows), or the app without
    sending any mode sequences to the terminal."""
    author: str | None = None
    """The name written on new notes; None takes it from the environment."""

    @classmethod
    def from_environment(
        cls, *, theme: str | None = None, bidi: BidiMode = "app", author: str | None = None
    ) -> AppConfig:
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME)),
            theme=theme,
            bidi=bidi,
            author=author,
        )


COPY_CITATION = "copy_citation"
"""settings.json key: `y` adds a citation line (title, section, file or URL) to the text
it copies. On unless set to `false`."""


def copy_citation(settings: Mapping[str, object]) -> bool:
    """Whether copied text gets its citation line (anything but `false` means yes)."""
    return settings.get(COPY_CITATION) is not False


class StateFile:
    """A small mapping the app keeps in a JSON file, written atomically.

    JSON, not YAML: these files are the app's own memory, not the user's work, and
    reading them must not cost start-up the import of a YAML parser.

    A file that cannot be read — whatever the reason: not JSON, nested too deep for the
    parser, not UTF-8, not an object, too big, a FIFO, a folder or a symbolic link at
    that path — is ignored (the app uses its defaults) and never overwritten, renamed or
    waited on: `problem` says why, `notice` says it to the user, and `save` does
    nothing, so whoever broke it can still look at it or mend it.
    """

    MAX_BYTES = 4 * 1024 * 1024

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        """Why the file could not be read (then it is never written); None when it
        was read or does not exist."""
        self.save_problem: str | None = None
        """Why the last save failed (it is tried again on the next)."""
        self.data: dict[str, object] = {}
        self._lock = threading.Lock()
        self._made = 0
        self._written = 0
        try:
            raw = _read_regular_file(path, self.MAX_BYTES)
            loaded = json.loads(raw.decode("utf-8"))
        except FileNotFoundError:
            return
        except OSError as err:
            self.problem = _os_reason(err)
            return
        except Exception as err:  # noqa: BLE001 - RecursionError, MemoryError, UnicodeError…
            # Whatever the parser raises on whatever bytes: the file is not ours to read.
            reason = str(err).splitlines()[0][:80] if str(err) else ""
            self.problem = f"{type(err).__name__}: {reason}" if reason else type(err).__name__
            return
        if isinstance(loaded, dict):
            self.data = {str(key): value for key, value in loaded.items()}
        else:
            self.problem = f"a JSON {type(loaded).__name__}, not an object"

    @property
    def notice(self) -> str | None:
        """One line for the user when the file could not be read."""
        if self.problem is None:
            return None
        return f"{self.path.name} could not be read ({self.problem}); using defaults"

    def save(self) -> None:
        """Write the data now (on the way out)."""
        job = self.save_job()
        if job is not None:
            job()

    def flush(self) -> None:
        """Write now if a save made earlier has not reached the disk (on the way out:
        a thread's job might not finish before the process ends)."""
        with self._lock:
            pending = self._made > self._written
        if pending:
            self.save()

    def save_job(self) -> Callable[[], None] | None:
        """The data as it is now, and a job that writes it, for a thread: the write
        syncs to disk, which on a slow disk takes long enough to stall the screen.
        Jobs may finish in any order; an older one never replaces a newer one's
        file. None when nothing may be written (`problem`)."""
        if self.problem is not None:
            return None
        content = json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True)
        self._made += 1
        return partial(self._write, content.encode("utf-8"), self._made)

    def _write(self, content: bytes, generation: int) -> None:
        with self._lock:
            if generation <= self._written:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self.path, content)
            except OSError as err:
                self.save_problem = f"{self.path.name} could not be saved ({_os_reason(err)})"
            else:
                self.save_problem = None
                self._written = generation


def _read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, read without following a symbolic link and without
    waiting on a FIFO (O_NONBLOCK).

    Raises:
        OSError: Not a regular file, a symbolic link (ELOOP), too big, or unreadable.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"over {limit // (1024 * 1024)} MiB")
    return data


def _os_reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "a symbolic link"
    return err.strerror or type(err).__name__
