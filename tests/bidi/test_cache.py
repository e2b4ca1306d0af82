"""The byte-bounded LRU cache in front of levels, shaping and layout."""

from __future__ import annotations

import functools
import gc
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import pytest

from tuireader.bidi.cache import ByteBoundedLRU, byte_lru_cache
from tuireader.bidi.layout import _rows_size, layout_text
from tuireader.bidi.levels import _levels_size, resolve_levels
from tuireader.bidi.shaping import _shaped_size, shape_text
from tuireader.text.document import Direction

T = TypeVar("T")


def test_the_cache_keeps_its_entries_under_its_byte_budget() -> None:
    cache: ByteBoundedLRU[str] = ByteBoundedLRU(10_000, len)
    for k in range(100):
        cache.put(k, "x" * 900)
        assert cache.info().bytes <= 10_000
    assert cache.info().entries == 10
    assert cache.get(99) == (True, "x" * 900)
    assert cache.get(0) == (False, None)


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: ByteBoundedLRU[str] = ByteBoundedLRU(3_000, len)
    for k in range(3):
        cache.put(k, "x" * 850)
    cache.get(0)
    cache.put(3, "x" * 850)
    assert cache.get(1) == (False, None)
    assert cache.get(0)[0] and cache.get(2)[0] and cache.get(3)[0]


def test_an_entry_heavier_than_the_whole_budget_is_returned_but_not_kept() -> None:
    calls: list[str] = []

    @byte_lru_cache(1_000, len)
    def echo(text: str) -> str:
        calls.append(text)
        return text

    big = "y" * 5_000
    assert echo(big) == big and echo(big) == big
    assert calls == [big, big]
    assert echo("small") == "small" and echo("small") == "small"
    assert calls == [big, big, "small"]
    assert echo.cache_info().entries == 1


def test_keyword_arguments_are_part_of_the_key() -> None:
    @byte_lru_cache(1_000, len)
    def join(text: str, *, twice: bool = False) -> str:
        return text * 2 if twice else text

    assert join("a") == "a"
    assert join("a", twice=True) == "aa"
    assert join("a") == "a"


def test_the_caches_hold_at_most_their_budget_after_a_huge_document() -> None:
    """Issue 9: a 16 MB line held 2.5 GB in entry-bounded caches."""
    unit = "قال الوزير إن الخطة (2019-2020) نجحت، وذكر Reuters أن 40% من المشاريع انتهت. "
    paragraph = unit * (16_384 // len(unit))
    for k in range(40):
        layout_text(paragraph, k * 20_000, Direction.RTL, 80)
        resolve_levels(paragraph + str(k), Direction.RTL)
    for cached in (layout_text, resolve_levels, shape_text):
        info = cached.cache_info()
        assert info.bytes <= info.max_bytes


SAMPLES = {
    "arabic": "عقدت اللجنة اجتماعها في ١٢ مارس وصوّتت على نشر التقرير «كاملًا» بعد نقاشٍ طويل. ",
    "mixed": "قال الوزير إن الخطة (2019-2020) نجحت، وذكر Reuters أن 40% من المشاريع انتهت. ",
    "latin": "The committee met on 12 March 2024 and voted (7-2) to publish the report. ",
    "wide": "日本語の文章です。" * 3 + "\U0001f600 ",
}


def _held(call: Callable[[], T]) -> tuple[T, int]:
    """What a call returns, and the bytes still allocated for it afterwards."""
    call()  # once first: tables that fill on first sight of a character are not its own
    gc.collect()
    tracemalloc.start()
    try:
        value = call()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return value, held


@pytest.mark.parametrize("name", SAMPLES)
def test_the_size_estimates_are_close_to_what_an_entry_holds(name: str) -> None:
    """A byte bound is only as good as its estimate: within 1.5x of tracemalloc's
    count for the longest paragraph a document holds, in each script."""
    text = (SAMPLES[name] * 400)[:16_384]
    direction = Direction.LTR if name in ("latin", "wide") else Direction.RTL
    resolve_levels(text, direction)
    shape_text(text)
    levels, held = _held(lambda: resolve_levels.__wrapped__(text, direction))
    assert held <= 1.5 * _levels_size(levels)
    shaped, held = _held(lambda: shape_text.__wrapped__(text))
    assert held <= 1.5 * _shaped_size(shaped)
    for width in (80, 0):
        rows, held = _held(
            functools.partial(layout_text.__wrapped__, text, 10**6, direction, width)
        )
        assert held <= 1.5 * _rows_size(rows)
