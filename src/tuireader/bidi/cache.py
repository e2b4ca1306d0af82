"""A least-recently-used cache bounded by the bytes its entries hold, not by their count."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_KWARGS_MARK = object()
"""Separates positional from keyword arguments in a key, as functools.lru_cache does."""


class CacheInfo(NamedTuple):
    """What `functools.lru_cache` reports, plus the bytes held."""

    hits: int
    misses: int
    entries: int
    bytes: int
    max_bytes: int


class ByteBoundedLRU(Generic[R]):
    """An LRU mapping whose entries together weigh at most `max_bytes`.

    An entry-count bound is no bound at all when entries range from 10 bytes to 10 MB:
    `functools.lru_cache(maxsize=2048)` over laid-out paragraphs held 2.5 GB for one
    16 MB line. Each entry's weight is an estimate (`size_of`), cheap to compute and
    calibrated against tracemalloc in the tests; an entry heavier than the whole budget
    is returned but never kept.
    """

    __slots__ = ("_entries", "_hits", "_lock", "_misses", "_total", "max_bytes", "size_of")

    def __init__(self, max_bytes: int, size_of: Callable[[R], int]) -> None:
        self.max_bytes = max_bytes
        self.size_of = size_of
        self._entries: OrderedDict[Hashable, tuple[R, int]] = OrderedDict()
        self._total = 0
        self._hits = 0
        self._misses = 0
        # The app lays out on its event loop and loads documents on a thread; a lock
        # keeps a lookup and its move-to-end, or an insert and its evictions, together.
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bool, R | None]:
        """(True, value) and the entry made the most recent, or (False, None)."""
        # No lock on a hit (each OrderedDict call is atomic under the GIL): the one
        # race, an eviction between the two calls, only skips the move to the end.
        found = self._entries.get(key)
        if found is None:
            self._misses += 1
            return False, None
        try:
            self._entries.move_to_end(key)
        except KeyError:
            pass
        self._hits += 1
        return True, found[0]

    def put(self, key: Hashable, value: R, key_bytes: int = 0) -> None:
        """Keep `value`, evicting the least recently used entries to stay in budget.

        `key_bytes` is what the key holds that nothing else may (a string made only
        for the call)."""
        weight = self.size_of(value) + key_bytes + 100  # the node and the tuples
        if weight > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._total -= old[1]
            self._entries[key] = (value, weight)
            self._total += weight
            while self._total > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._total -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = 0
            self._hits = self._misses = 0

    def info(self) -> CacheInfo:
        return CacheInfo(self._hits, self._misses, len(self._entries), self._total, self.max_bytes)


class _Cached(Generic[P, R]):
    """A function with a ByteBoundedLRU in front, with lru_cache's helpers."""

    def __init__(self, function: Callable[P, R], cache: ByteBoundedLRU[R]) -> None:
        self.__wrapped__ = function
        self.cache = cache
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key: Hashable = (*args, _KWARGS_MARK, *kwargs.items()) if kwargs else args
        # `ByteBoundedLRU.get`, inlined: a hit is the common case of every drawn row.
        cache = self.cache
        found = cache._entries.get(key)
        if found is not None:
            try:
                cache._entries.move_to_end(key)
            except KeyError:
                pass
            cache._hits += 1
            return found[0]
        cache._misses += 1
        result = self.__wrapped__(*args, **kwargs)
        # A key's strings may be made for the call (a label): count them as held.
        self.cache.put(key, result, sum(len(a) for a in args if isinstance(a, str)))
        return result

    def cache_clear(self) -> None:
        self.cache.clear()

    def cache_info(self) -> CacheInfo:
        return self.cache.info()


def byte_lru_cache(
    max_bytes: int, size_of: Callable[[R], int]
) -> Callable[[Callable[P, R]], _Cached[P, R]]:
    """Decorate a function whose arguments are hashable, like `functools.lru_cache`,
    but bounded by the estimated bytes of the results kept.

    Args:
        max_bytes: The budget of the whole cache.
        size_of: An estimate of the bytes one result holds (beyond what is shared).
    """

    def decorate(function: Callable[P, R]) -> _Cached[P, R]:
        return _Cached(function, ByteBoundedLRU(max_bytes, size_of))

    return decorate
