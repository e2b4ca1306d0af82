"""Only regular files, where they claim to be: checks, non-blocking opens, locks, leftovers.

A notes path is user data in a folder others may write: it can be a symlink (to a file
that must not be overwritten, or to nowhere: writing would create it and its folders),
a FIFO (reading blocks forever), a device or a socket. Every open here is one that
cannot block or follow a link to write, and every refusal is one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from tuireader.notes.atomic import TEMPORARY_SUFFIX
from tuireader.notes.errors import NotesLocked

STALE_TEMPORARY_SECONDS = 600
"""A temporary file older than this is a crashed save's leftover, whoever made it."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegular(OSError):
    """The path is not a regular file (a FIFO, device, socket, folder); never opened."""


def kind_of(mode: int) -> str:
    """Return what a file of this `st_mode` is, in words: `a FIFO (named pipe)`..."""
    for test, name in _KINDS:
        if test(mode):
            return name
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def unsafe_path_reason(path: Path) -> str | None:
    """Return why `path` must not be written (one line), or None when it may be.

    It may be written when it is a regular file, or absent in a folder that exists.
    A symlink is never written through, even to a regular file (it may point at a file
    that is not a notes file, or to nowhere); a missing folder is never created.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        return f"cannot inspect {path.name}: {error.strerror or error}"
    if info is None:
        if not path.parent.is_dir():
            return f"the folder {path.parent} does not exist (notes never create folders)"
        return None
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.readlink(path)
        except OSError:  # pragma: no cover - it was a link a moment ago
            target = "?"
        dangling = "" if path.exists() else ", which does not exist"
        return (
            f"{path.name} is a symbolic link to {target}{dangling}: notes are never "
            "written through a link; open the file it points to instead"
        )
    if not stat.S_ISREG(info.st_mode):
        return f"{path.name} is {kind_of(info.st_mode)}, not a regular file"
    return None


def open_regular(path: Path) -> int:
    """Open a file for reading without ever blocking, and only if it is a regular file.

    A symlink to a regular file may be read (it is only never written through).

    Raises:
        FileNotFoundError: when there is no file.
        NotRegular: when it is a FIFO, device, socket or folder (one-line message).
        OSError: when it cannot be opened.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        # Refused before open: opening a device can rewind a tape, a FIFO could block.
        raise NotRegular(errno.EINVAL, f"{path.name} is {kind_of(info.st_mode)}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    # Checked again on what was opened: the name may have been swapped meanwhile.
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        raise NotRegular(errno.EINVAL, f"{path.name} is {kind_of(info.st_mode)}")
    return descriptor


def lock_path(path: Path) -> Path:
    """Return the lock file of `path`: `.<name>.lock` beside it (hidden, as git's are)."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def hold_lock(path: Path, timeout: float, *, mode: int | None = None) -> Iterator[None]:
    """Hold the lock of `path` (an OS lock on `lock_path(path)`) for a read-merge-write.

    flock / LockFileEx: the OS drops it when its process dies, so a crashed session
    never blocks the next one; the lock file stays (empty). While held, it names its
    holder (pid, host, user), so a session that waits too long can say who it waits for.

    Raises:
        NotesLocked: when another process held it for `timeout` seconds.
        NotRegular, OSError: when the lock file is not a regular file or cannot be made.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield from _hold_filelock(path, timeout)
        return
    lock = lock_path(path)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        descriptor = os.open(lock, flags, 0o666 if mode is None else mode)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegular(errno.ELOOP, f"{lock.name} is a symbolic link") from error
        raise
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, f"{lock.name} is {kind_of(info.st_mode)}")
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise NotesLocked(_locked_message(path, timeout, descriptor)) from None
                time.sleep(delay)
                # A save holds the lock for milliseconds: poll often at first.
                delay = min(delay * 2, 0.02)
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, _holder().encode("utf-8", "replace"), 0)
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _hold_filelock(path: Path, timeout: float) -> Iterator[None]:  # pragma: no cover
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(path)), timeout=timeout, poll_interval=0.002)
    try:
        lock.acquire()
    except Timeout as error:
        raise NotesLocked(_locked_message(path, timeout, None)) from error
    try:
        yield
    finally:
        lock.release()


def _holder() -> str:
    try:
        import getpass

        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "?"
    return f"pid {os.getpid()} on {socket.gethostname()}, user {user}\n"


def _locked_message(path: Path, timeout: float, descriptor: int | None) -> str:
    holder = ""
    if descriptor is not None:
        with contextlib.suppress(OSError):
            holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip()
    holder = " ".join(holder.split())
    who = f" ({holder})" if holder else ""
    return f"{path.name} is locked by another session{who}, still after {timeout:g} s"


_TEMPORARY = re.compile(r"\.(?P<pid>\d+)-[0-9a-f]{8}" + re.escape(TEMPORARY_SUFFIX) + "$")


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files a crashed save of `path` left beside it; return them.

    A leftover is `.<name>.<pid>-<random>.tmp`, a regular file of ours, whose writer
    (by pid, on this host) is gone or that is older than `STALE_TEMPORARY_SECONDS`.
    Call it while holding the lock: a live writer on this host keeps its pid alive.
    """
    prefix = f".{path.name}."
    removed = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    now = time.time()
    for name in names:
        if not name.startswith(prefix):
            continue
        match = _TEMPORARY.fullmatch(name[len(prefix) - 1 :])
        if match is None:
            continue
        candidate = path.parent / name
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue
        if _alive(int(match["pid"])) and now - info.st_mtime < STALE_TEMPORARY_SECONDS:
            continue
        with contextlib.suppress(OSError):
            os.unlink(candidate)
            removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        # Our own leftover (a save that failed without cleaning up): not in progress,
        # since a store is used from one thread at a time.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
