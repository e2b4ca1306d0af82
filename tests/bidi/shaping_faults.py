"""A reshaper that fails on one word, for tests of how far a shaping failure reaches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

from tuireader.bidi import shaping
from tuireader.bidi.layout import layout_text
from tuireader.bidi.shaping import clear_shaping_caches


@contextmanager
def reshaper_failing_on(word: str) -> Iterator[None]:
    """arabic-reshaper raises for one run of letters (harakat removed), as 3.1 did for
    a ZWJ before a lam-alef; the caches are empty on entry and on exit."""
    real = shaping._RESHAPER.reshape

    def reshape(text: str) -> str:
        if text == word:
            raise IndexError("list index out of range")
        shaped: str = real(text)
        return shaped

    clear_shaping_caches()
    layout_text.cache_clear()
    try:
        with patch.object(shaping._RESHAPER, "reshape", reshape):
            yield
    finally:
        clear_shaping_caches()
        layout_text.cache_clear()
