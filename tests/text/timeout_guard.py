"""A guard that fails a test when a call does not finish, instead of hanging the run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

GENEROUS_SECONDS = 10.0
"""Far above the expected time: the guard tests termination, not speed."""


def finishes(call: Callable[[], T], seconds: float = GENEROUS_SECONDS) -> T:
    """Run `call` in a thread and return its result, failing if it runs too long.

    Args:
        call: What to run.
        seconds: How long to wait for it.

    Returns:
        What `call` returned; its exception is raised here.
    """
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(call())
        except BaseException as err:  # handed to the test thread below
            errors.append(err)

    # A daemon thread: if the call hangs, the test fails and the run still ends.
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"did not finish within {seconds} s"
    if errors:
        raise errors[0]
    return results[0]
