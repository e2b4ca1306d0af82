"""Arabic shaping (joined letters) with a map from each shaped character to its logical span."""

from __future__ import annotations

import copy
import re
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress
from operator import itemgetter
from typing import NamedTuple

from arabic_reshaper import ArabicReshaper, default_reshaper
from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from arabic_reshaper.letters import LETTERS_ARABIC
from arabic_reshaper.ligatures import LIGATURES

from tuireader.bidi.cache import byte_lru_cache

_ZWJ = "\u200d"


class _Settings(dict[str, object]):
    """The reshaper's settings, answering the two lookups ArabicReshaper makes.

    Its own ConfigParser section costs ~10 us a lookup: five on every call, and one per
    known ligature (300+) on the first, which the first screen of Arabic waits for.
    """

    def getboolean(self, key: str) -> bool:
        return bool(self[key])


def _make_reshaper() -> ArabicReshaper:
    # Ligatures are off: we make the lam-alef ones ourselves (`_join_lam_alef`).
    # arabic-reshaper 3.1 finds ligatures in a copy of the text that still holds ZWJ
    # while its letters no longer do, so a ZWJ before a lam-alef raised IndexError or
    # replaced the wrong letters. Word ligatures (U+FDF2 for Allah, ...) are one code
    # point that fonts draw wider than a cell, and the other two-letter ligatures are
    # missing from most terminal fonts, so those stay off too.
    configuration = _Settings({name: False for name, _ in LIGATURES})
    configuration.update(
        language="Arabic",
        support_ligatures=False,
        # We take harakat out before shaping and put them back ourselves.
        delete_harakat=True,
        shift_harakat_position=False,
        delete_tatweel=False,
        # ZWJ is join-causing (Unicode 23.2): the letters on both sides take their
        # joined forms, and the ZWJ itself is dropped from the output.
        support_zwj=True,
        use_unshaped_instead_of_isolated=False,
    )
    # A copy of the library's own default reshaper (language "Arabic"), its settings
    # replaced: making a new one builds a ConfigParser from its defaults (0.5 ms of
    # start-up) only for us to replace it.
    reshaper = copy.copy(default_reshaper)
    reshaper.configuration = configuration
    return reshaper


_HARAKAT = "".join(chr(c) for c in range(0x0600, 0x0900) if HARAKAT_RE.match(chr(c)))
_WORD_SPLIT_RX = re.compile("([" + re.escape("".join(sorted(LETTERS_ARABIC)) + _HARAKAT) + "]+)")
"""A run of the letters arabic-reshaper joins (ZWJ and tatweel are among them) and
harakat, captured so that `split` keeps it. Any other character breaks joining in
arabic-reshaper, so shaping each run alone is shaping the whole text."""

# Lam in its initial or medial form followed by an alef in its final form, as the
# reshaper leaves them with ligatures off, and the lam-alef ligature that replaces them:
# isolated after an initial lam, final after a medial one (only alef ends the join).
_LAM_ALEF_PAIR_RX = re.compile("[\ufedf\ufee0][\ufe8e\ufe84\ufe88\ufe82]")
_LAM_ALEF = {
    lam + alef: ligature
    for lam, forms in (("\ufedf", 0), ("\ufee0", 1))
    for alef, ligature in zip(
        "\ufe8e\ufe84\ufe88\ufe82",
        ("\ufefb\ufefc", "\ufef7\ufef8", "\ufef9\ufefa", "\ufef5\ufef6"),
        strict=True,
    )
    for ligature in (ligature[forms],)
}


class ShapingError(ValueError):
    """The reshaper's output does not line up with its input."""


class ShapedText(NamedTuple):
    """A paragraph after shaping, with the logical span of each shaped character.

    The spans are ranges when nothing moved (4 bytes for any length) and arrays of C
    ints otherwise (4 bytes a character, where a tuple of ints took 36-64).
    """

    text: str
    starts: Sequence[int]
    """starts[j]: offset in the logical text of the first character that text[j] shows."""
    ends: Sequence[int]
    """ends[j]: one past the last logical character that text[j] shows (a lam-alef
    ligature spans two letters, and any harakat between them)."""
    shaping_error: str = ""
    """Why some letters are shown unjoined (the reshaper failed on a word), or "".
    Only the word it failed on is unjoined."""


class _Word(NamedTuple):
    """One run of Arabic letters, shaped, with its spans relative to the run."""

    text: str
    spans: tuple[tuple[int, ...], tuple[int, ...]] | None
    """(starts, ends) of each shaped character, or None when text[j] shows the run's
    character j (no ligature, no dropped ZWJ or haraka): the common case."""
    error: str = ""


def _shaped_size(shaped: ShapedText) -> int:
    """Bytes a cached ShapedText holds: its text (up to 4 bytes a character, as CPython
    stores it) and its two spans."""
    text = shaped.text
    width = 1 if text.isascii() else (4 if max(text, default="a") > "\uffff" else 2)
    # Two arrays of 4-byte ints, grown one item at a time (so over-allocated).
    spans = 0 if isinstance(shaped.starts, range) else 12 * len(shaped.starts)
    return 200 + width * len(text) + spans


SHAPING_CACHE_BYTES = 16 * 1024 * 1024
"""About 1.6 million characters of Arabic (~10 bytes each)."""

WORDS_KEPT = 16_384
"""Shaped words remembered, per generation (two generations: ~10 MB at most). Words
repeat: a megabyte of news holds ~100,000 words but a few ten thousand distinct ones."""


class _WordShapes:
    """A bounded cache of shaped words: a young and an old generation of dicts.

    A lookup is one `dict.get` (in `map`, without a Python call per word); a word found
    in the old generation moves to the young one; when the young one is full it
    becomes the old one. Cheaper per hit than an LRU list, nearly as good at keeping
    the words in use. Used from the event loop and a loading thread without a lock:
    each dict operation is atomic, and a race can only lose an entry (shaped again).
    """

    __slots__ = ("harakat", "old", "young")

    def __init__(self, harakat: bool) -> None:
        self.harakat = harakat
        self.young: dict[str, _Word] = {}
        self.old: dict[str, _Word] = {}

    def shape_all(self, words: list[str]) -> list[_Word]:
        found = list(map(self.young.get, words))
        if None in found:
            young, old = self.young, self.old
            for k, word in enumerate(words):
                if found[k] is None:
                    shaped = old.get(word)
                    if shaped is None:
                        shaped = _shape_word(word, self.harakat)
                    found[k] = young[word] = shaped
            if len(young) > WORDS_KEPT:
                self.old, self.young = young, {}
        return found  # type: ignore[return-value]  # no None is left

    def cache_clear(self) -> None:
        self.young.clear()
        self.old.clear()


_WORDS_WITH_HARAKAT = _WordShapes(True)
_WORDS_WITHOUT_HARAKAT = _WordShapes(False)


def clear_shaping_caches() -> None:
    """Forget every shaped paragraph and word (tests, benchmarks)."""
    shape_text.cache_clear()
    _WORDS_WITH_HARAKAT.cache_clear()
    _WORDS_WITHOUT_HARAKAT.cache_clear()


def _spans(values: Iterable[int]) -> array[int]:
    return array("i", values)


_COUNT = array("i", range(1024))
"""0, 1, 2 ...: a slice of it is a run of offsets made by a memory copy, where an
array built from a range converts every number. Grown to the longest paragraph seen
(up to `_COUNT_MOST`), not built whole at import: 65,536 numbers took 2.6 ms of start-up."""
_COUNT_MOST = 1 << 16


def _counting(start: int, stop: int) -> array[int]:
    """array("i", range(start, stop)), fast."""
    global _COUNT  # noqa: PLW0603 - replaced whole, so a reader in another thread is safe
    count = _COUNT
    if stop > len(count) and stop <= _COUNT_MOST:
        count = _COUNT = count + array("i", range(len(count), min(2 * stop, _COUNT_MOST)))
    if stop <= len(count):
        return count[start:stop]
    return array("i", range(start, stop))


@byte_lru_cache(SHAPING_CACHE_BYTES, _shaped_size)
def shape_text(text: str, *, join: bool = True, harakat: bool = True) -> ShapedText:
    """Shape a logical paragraph for a terminal.

    Each run of Arabic letters is shaped once (a bounded cache of words): joining
    never crosses a space, a digit or any other character, and the same words come
    back again and again. A run the reshaper fails on is shown unjoined, alone.

    Args:
        text: The logical text (not reordered: shaping must see logical order).
        join: Use presentation forms so Arabic letters join.
        harakat: Keep the diacritics; with False they are removed.

    Returns:
        The shaped text, still in logical order, and its map to logical offsets.
    """
    parts = _WORD_SPLIT_RX.split(text) if join else [text]
    if len(parts) == 1:
        if harakat or HARAKAT_RE.search(text) is None:
            return ShapedText(text, range(len(text)), range(1, len(text) + 1))
        kept = [i for i, ch in enumerate(text) if not HARAKAT_RE.match(ch)]
        return ShapedText("".join(text[i] for i in kept), _spans(kept), _spans(i + 1 for i in kept))
    words = parts[1::2]
    shaped = (_WORDS_WITH_HARAKAT if harakat else _WORDS_WITHOUT_HARAKAT).shape_all(words)
    # Where each part starts in the logical text: parts alternate other text, word.
    logical = list(accumulate(map(len, parts), initial=0))
    parts[1::2] = map(itemgetter(0), shaped)
    out = "".join(parts)
    # No Python per word: spans are None (falsy) where nothing moved, errors "".
    moved = list(compress(range(len(shaped)), map(itemgetter(1), shaped)))
    errors = list(filter(None, map(itemgetter(2), shaped)))
    error = ""
    if errors:
        error = f"Arabic shaping failed in {len(errors)} word(s) ({errors[0]}), shown unjoined"
    if not moved:
        return ShapedText(out, range(len(out)), range(1, len(out) + 1), error)
    starts: array[int] = array("i")
    ends: array[int] = array("i")
    done = 0  # logical offset up to which starts and ends are written
    for k in moved:
        word_start = logical[2 * k + 1]
        starts += _counting(done, word_start)
        ends += _counting(done + 1, word_start + 1)
        word_starts, word_ends = shaped[k].spans  # type: ignore[misc]
        starts.extend(map(word_start.__add__, word_starts))
        ends.extend(map(word_start.__add__, word_ends))
        done = word_start + len(words[k])
    starts += _counting(done, len(text))
    ends += _counting(done + 1, len(text) + 1)
    if len(starts) != len(out):
        raise AssertionError(f"spans of {len(starts)} for {len(out)} shaped characters")
    return ShapedText(out, starts, ends, error)


def _shape_word(word: str, harakat: bool) -> _Word:
    """Shape one run of Arabic letters and harakat; never raises.

    Harakat never change how letters join (arabic-reshaper skips them too), so the
    letters are shaped alone and each haraka goes back after the glyph of its letter.
    """
    if HARAKAT_RE.search(word) is None:
        letters: Sequence[int] = range(len(word))
        bare = word
    else:
        letters = [i for i, ch in enumerate(word) if not HARAKAT_RE.match(ch)]
        bare = "".join(word[i] for i in letters)
    error = ""
    try:
        shaped, firsts, lasts = _join(bare)
    except Exception as err:  # Any failure: this word unjoined, never the paragraph.
        # Unjoined letters are still the right letters in the right order; never let a
        # surprise from the reshaper cost the user more than this word.
        error = type(err).__name__
        shaped = bare.replace(_ZWJ, "")
        firsts = [k for k, ch in enumerate(bare) if ch != _ZWJ]
        lasts = [k + 1 for k in firsts]
    if bare is word and len(shaped) == len(word):
        return _Word(shaped, None, error)  # one glyph per letter, nothing moved
    if bare is word or not harakat:
        starts = [letters[first] for first in firsts]
        ends = [letters[last - 1] + 1 for last in lasts]
        out = shaped
    else:
        chars: list[str] = []
        starts = []
        ends = []
        # Each glyph carries the harakat up to the next glyph's first letter (a dropped
        # ZWJ passes its harakat to the glyph before it).
        bounds = [letters[first] for first in firsts] + [len(word)]
        _add_harakat(word, 0, bounds[0], chars, starts, ends)
        for k, char in enumerate(shaped):
            first, last = firsts[k], lasts[k]
            chars.append(char)
            starts.append(letters[first])
            ends.append(letters[last - 1] + 1)
            if bounds[k + 1] - letters[first] > last - first:  # some harakat in between
                _add_harakat(word, letters[first], bounds[k + 1], chars, starts, ends)
        out = "".join(chars)
    if len(out) == len(word):
        # Nothing merged or dropped: character j shows the word's character j.
        return _Word(out, None, error)
    return _Word(out, (tuple(starts), tuple(ends)), error)


def _add_harakat(
    text: str, start: int, stop: int, out: list[str], starts: list[int], ends: list[int]
) -> None:
    """Append the harakat found in text[start:stop] (those carried by one glyph)."""
    for k in range(start, stop):
        if HARAKAT_RE.match(text[k]):
            out.append(text[k])
            starts.append(k)
            ends.append(k + 1)


def _join(bare: str) -> tuple[str, list[int], list[int]]:
    """Join the letters of a run without harakat: the shaped text, and for each shaped
    character the span [first, last) of `bare` it shows.

    arabic-reshaper (ligatures off) gives one presentation form per letter and drops
    every ZWJ; the lam-alef ligatures are then made here, from the forms it chose.

    Raises:
        ShapingError: The reshaper's output is not one form of each letter.
    """
    if not bare:  # harakat alone
        return "", [], []
    shaped = _RESHAPER.reshape(bare)
    if _ZWJ in bare:
        firsts = [k for k, ch in enumerate(bare) if ch != _ZWJ]
        letters = bare.replace(_ZWJ, "")
    else:
        firsts = list(range(len(bare)))
        letters = bare
    # Each output character must be a form of its letter (a table lookup in C, where
    # NFKC twice cost more than the reshaping of a short word).
    if len(shaped) != len(letters) or shaped.translate(_LETTER_OF_FORM) != letters:
        raise ShapingError(f"shaped text does not follow {bare!r}")
    lasts = [k + 1 for k in firsts]
    if "\u0644" in letters:
        shaped = _join_lam_alef(shaped, firsts, lasts)
    return shaped, firsts, lasts


def _join_lam_alef(shaped: str, firsts: list[int], lasts: list[int]) -> str:
    """Replace each joined lam + alef by its ligature, in place in the spans.

    Only a lam and an alef next to each other in the text make a ligature: with a ZWJ
    between them they stay two joined letters (ZWJ asks for joining, not a ligature).
    """
    for match in reversed(list(_LAM_ALEF_PAIR_RX.finditer(shaped))):
        j = match.start()
        if firsts[j + 1] != lasts[j]:
            continue
        shaped = shaped[:j] + _LAM_ALEF[match.group()] + shaped[j + 2 :]
        lasts[j] = lasts[j + 1]
        del firsts[j + 1], lasts[j + 1]
    return shaped


_RESHAPER = _make_reshaper()
_LETTER_OF_FORM = {
    ord(form): letter for letter, forms in LETTERS_ARABIC.items() for form in forms if form
}
"""str.translate table: each presentation form the reshaper may give back to its letter."""
