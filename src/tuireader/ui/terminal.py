"""Escape sequences that tell a bidi-capable terminal who reorders, sent around the app."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TextIO

from tuireader.ui.config import BidiMode

# ECMA-48 BDSM and SCP, as the Terminal BiDi specification uses them. "Explicit" mode
# (BDSM reset, CSI 8 l) means the application reorders: a terminal that does bidi
# (VTE/GNOME Terminal, mintty) would otherwise reverse our visual rows again. SCP 1
# makes paragraphs left-to-right, so the terminal does not right-align them itself.
BDSM_EXPLICIT = "\x1b[8l"
BDSM_IMPLICIT = "\x1b[8h"
SCP_LTR = "\x1b[1 k"
SCP_DEFAULT = "\x1b[0 k"

_SEQUENCES: dict[BidiMode, tuple[str, str]] = {
    "app": (BDSM_EXPLICIT + SCP_LTR, SCP_DEFAULT + BDSM_IMPLICIT),
    # The terminal reorders: make sure it does (implicit is its default, so nothing
    # needs restoring afterwards).
    "terminal": (BDSM_IMPLICIT, ""),
    "off": ("", ""),
}


def bidi_sequences(mode: BidiMode) -> tuple[str, str]:
    """(sent before the alternate screen, sent after leaving it) for a bidi mode."""
    return _SEQUENCES[mode]


def _write(stream: TextIO, text: str) -> None:
    if not text:
        return
    # After SIGHUP the terminal may be gone; there is nobody left to restore for.
    with contextlib.suppress(OSError, ValueError):
        stream.write(text)
        stream.flush()


def exit_soon(code: int, delay: float = 2.0, last_words: Callable[[], str] | None = None) -> None:
    """End the process in `delay` seconds unless it has ended by then.

    After SIGHUP the terminal may be gone, and Textual's shutdown then blocks for ever
    on its writer thread (its queue fills when the writes fail). Whatever must be saved
    is saved before this is called; the watchdog only makes sure nothing hangs.

    Args:
        code: The exit status.
        delay: Seconds to wait.
        last_words: Gives a line for standard error before the end (a crash's report,
            as it stands by then).
    """

    def _end() -> None:
        time.sleep(delay)
        if last_words is not None and sys.__stderr__ is not None:
            _write(sys.__stderr__, last_words() + "\n")
        os._exit(code)

    threading.Thread(target=_end, daemon=True, name="exit-watchdog").start()


@contextlib.contextmanager
def terminal_bidi_mode(mode: BidiMode, stream: TextIO) -> Iterator[None]:
    """Send the start sequences now and the reset on the way out, whatever the way.

    SIGTERM and SIGHUP become SystemExit until the app installs its own handlers (it
    quits cleanly on them), so even a signal during start-up restores the terminal.
    """
    start, end = bidi_sequences(mode)

    def _exit(signum: int, frame: FrameType | None) -> None:
        exit_soon(128 + signum)
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, _exit) for sig in (signal.SIGTERM, signal.SIGHUP)}
    _write(stream, start)
    try:
        yield
    finally:
        _write(stream, end)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
