"""Replace a file atomically: a crash leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"


class UnsafeReplace(OSError):
    """Replacing the file would follow a link or hand it to another owner; nothing written."""


def temporary_name(path: Path) -> Path:
    """Return a fresh temporary name beside `path`: `.<name>.<pid>-<random>.tmp`.

    The pid lets a later save tell a crashed writer's leftover from a live one.
    """
    # os.urandom, as secrets.token_hex does, without importing secrets (and with it
    # hmac, random and OpenSSL) into every start-up.
    return path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}{TEMPORARY_SUFFIX}")


def write_atomically(
    path: Path, content: bytes, *, mode: int | None = None, mode_wins: bool = False
) -> None:
    """Replace `path` with `content` so a crash leaves the old file or the new one, whole.

    The temporary file sits in the same folder (`os.replace` is atomic only within one
    file system), never follows a symlink (O_NOFOLLOW | O_EXCL), and has its final mode
    and owner before a byte is written: the old file's mode, else `mode`, else the
    umask's default; the old file's owner and group where the process may set them. It
    is flushed and fsynced before the rename; the folder is fsynced after, where the
    platform allows, so the rename itself survives a power cut.

    Args:
        mode: the permissions of a new file.
        mode_wins: `mode` applies to an existing file too (a drafts file always takes
            its notes file's mode, even when the notes file was made private later).

    Raises:
        UnsafeReplace: when `path` is not a regular file (a symlink, a FIFO...), or the
            old file's owner or group could not be kept (saving would take it away from
            its owner, or from its group's members): nothing is written.
        OSError: when writing failed; the old file is untouched, no temporary file stays.
    """
    folder = path.parent
    try:
        old: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise UnsafeReplace(errno.EPERM, f"{path.name} is not a regular file; not replaced")
    final_mode = stat.S_IMODE(old.st_mode) if old is not None else mode
    if mode_wins and mode is not None:
        final_mode = mode
    temporary = temporary_name(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    # Created no more open than the final mode (the umask may narrow it), then set
    # exactly: no moment exists where a copy of a private file is readable by others.
    descriptor = os.open(temporary, flags, 0o666 if final_mode is None else final_mode & 0o777)
    try:
        try:
            if final_mode is not None and hasattr(os, "fchmod"):
                os.fchmod(descriptor, final_mode)
            if old is not None:
                _keep_owner(descriptor, old, path)
            while content:
                written = os.write(descriptor, content)
                content = content[written:]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


def _keep_owner(descriptor: int, old: os.stat_result, path: Path) -> None:
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows has no owners to keep
        return
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) == (old.st_uid, old.st_gid):
        return
    try:
        os.fchown(descriptor, old.st_uid, old.st_gid)
        return
    except PermissionError:
        pass
    if mine.st_uid != old.st_uid:
        # Replacing would make us the owner and the old owner a stranger to their own
        # notes (DESIGN: never take a file from another user). Refuse; the note stays
        # pending in the session that tried.
        raise UnsafeReplace(
            errno.EPERM,
            f"{path.name} belongs to user {old.st_uid}: saving would take it over; "
            "ask its owner, or save to a copy",
        )
    # Same owner, another group we are not in: the group keeps its access only if the
    # new group or the others have every right it had.
    group_bits, other_bits = (old.st_mode >> 3) & 0o7, old.st_mode & 0o7
    if group_bits & ~other_bits:
        raise UnsafeReplace(
            errno.EPERM,
            f"{path.name} belongs to group {old.st_gid}, which this user cannot keep: "
            "saving would lock its members out",
        )


def _fsync_folder(folder: Path) -> None:
    # Windows cannot open a directory; some file systems refuse fsync on one.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
