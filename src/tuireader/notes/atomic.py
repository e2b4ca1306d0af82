"""Replace a file atomically: a crash leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def write_atomically(path: Path, content: bytes) -> None:
    """Replace `path` with `content` so a crash leaves the old file or the new one, whole.

    The temporary file sits in the same folder (`os.replace` is atomic only within one
    file system), is flushed and fsynced before the rename, and takes the old file's
    permissions (or the umask's defaults for a new file). The folder is fsynced after,
    where the platform allows, so the rename itself survives a power cut.
    """
    folder = path.parent
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    # os.urandom, as secrets.token_hex does, without importing secrets (and with it
    # hmac, random and OpenSSL) into every start-up.
    temporary = folder / f".{path.name}.{os.urandom(4).hex()}.tmp"
    # os.open with O_EXCL rather than mkstemp: mkstemp's 0600 would make every new
    # notes file private, whatever the user's umask says.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    # Windows cannot open a directory; some file systems refuse fsync on one.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
