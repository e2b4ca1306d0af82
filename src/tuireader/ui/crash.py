"""The last resort: a crash log in the state folder, and one line that names it."""

from __future__ import annotations

import os
import platform
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from tuireader import __version__
from tuireader.text.loading import without_controls


def write_crash_log(state_dir: Path, error: BaseException, now: datetime | None = None) -> Path:
    """Write the traceback of `error` to `crash-YYYYmmdd-HHMMSS.log` in the state folder
    (or the temporary folder when that cannot be written), readable by its owner only:
    a traceback can quote the document and the notes.

    Returns:
        The path written.

    Raises:
        OSError: Neither folder could be written.
    """
    import textual

    now = now or datetime.now()
    header = (
        f"tuireader {__version__}, Textual {textual.__version__}, "
        f"Python {platform.python_version()} on {platform.platform()}\n"
        f"{now.isoformat(timespec='seconds')}\n\n"
    )
    content = (header + "".join(traceback.format_exception(error))).encode("utf-8", "replace")
    problem: OSError | None = None
    for folder in (state_dir, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return _write_new(folder, f"crash-{now:%Y%m%d-%H%M%S}", content)
        except OSError as err:
            problem = err
    assert problem is not None
    raise problem


def _write_new(folder: Path, stem: str, content: bytes) -> Path:
    """A file that did not exist before (O_EXCL: never another crash's log, never
    through a symlink someone left at that name)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for number in range(100):
        path = folder / (f"{stem}.log" if number == 0 else f"{stem}-{number}.log")
        try:
            descriptor = os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        return path
    raise FileExistsError(folder / f"{stem}.log")


def crash_line(
    error: BaseException,
    log: Path | None,
    *,
    log_problem: str | None = None,
    notes_problem: str | None = None,
) -> str:
    """The one line the user sees after a crash: what happened, whether the notes are
    safe, and where the details are.

    Args:
        error: What ended the app.
        log: The crash log, if it could be written.
        log_problem: Why it could not be written.
        notes_problem: Why the notes could not all be saved (None: they were).
    """
    kind = type(error).__name__
    notes = "notes saved" if notes_problem is None else f"notes NOT all saved: {notes_problem}"
    where = f"details in {log}" if log is not None else f"no crash log ({log_problem})"
    line = f"tuireader: stopped by an internal error ({kind}); {notes}; {where}"
    return without_controls(" ".join(line.split()))


def crash_report(error: BaseException, state_dir: Path, *, notes_problem: str | None = None) -> str:
    """Write the crash log for `error`; the line to print."""
    log, log_problem = _try_crash_log(error, state_dir)
    return crash_line(error, log, log_problem=log_problem, notes_problem=notes_problem)


def log_error(error: BaseException, state_dir: Path) -> str:
    """Write the crash log of an error the app survives; where the details are, as
    words for a message ("details in …" or "no crash log (…)")."""
    log, log_problem = _try_crash_log(error, state_dir)
    where = f"details in {log}" if log is not None else f"no crash log ({log_problem})"
    return without_controls(" ".join(where.split()))


def _try_crash_log(error: BaseException, state_dir: Path) -> tuple[Path | None, str | None]:
    try:
        return write_crash_log(state_dir, error), None
    except OSError as err:
        return None, err.strerror or str(err)
