"""Arabic shaping (joined letters) with a map from each shaped character to its logical span."""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from arabic_reshaper.ligatures import LIGATURES

from tuireader.bidi.cache import byte_lru_cache

# Only the lam-alef ligatures are on: every Arabic font has them, and they are what a
# reader expects. Word ligatures (U+FDF2 for Allah, ...) are one code point that fonts
# draw wider than a cell, and the other two-letter ligatures are missing from most
# terminal fonts, so both stay off.
_LAM_ALEF = frozenset(
    {
        "ARABIC LIGATURE LAM WITH ALEF",
        "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE",
        "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW",
        "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE",
    }
)


class _Settings(dict[str, object]):
    """The reshaper's settings, answering the two lookups ArabicReshaper makes.

    Its own ConfigParser section costs ~10 us a lookup: five on every call, and one per
    known ligature (300+) on the first, which the first screen of Arabic waits for.
    """

    def getboolean(self, key: str) -> bool:
        return bool(self[key])


def _make_reshaper() -> ArabicReshaper:
    configuration = _Settings({name: name in _LAM_ALEF for name, _ in LIGATURES})
    configuration.update(
        language="Arabic",
        support_ligatures=True,
        # We take harakat out before shaping and put them back ourselves.
        delete_harakat=True,
        shift_harakat_position=False,
        delete_tatweel=False,
        support_zwj=True,
        use_unshaped_instead_of_isolated=False,
    )
    reshaper = ArabicReshaper(configuration=configuration)
    reshaper.configuration = configuration
    return reshaper


_ARABIC_LETTER_RX = re.compile("[\u0620-\u06ff\u0750-\u077f\u0870-\u08ff]")
_ZWJ = "\u200d"
_LAM_ALEF_FORM_RX = re.compile("[\ufef5-\ufefc]")


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
    """Why the letters are shown unjoined (the reshaper failed on this paragraph), or ""."""


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


def _spans(values: Iterable[int]) -> array[int]:
    return array("i", values)


@byte_lru_cache(SHAPING_CACHE_BYTES, _shaped_size)
def shape_text(text: str, *, join: bool = True, harakat: bool = True) -> ShapedText:
    """Shape a logical paragraph for a terminal.

    Args:
        text: The logical text (not reordered: shaping must see logical order).
        join: Use presentation forms so Arabic letters join.
        harakat: Keep the diacritics; with False they are removed.

    Returns:
        The shaped text, still in logical order, and its map to logical offsets.
    """
    if not join or not _ARABIC_LETTER_RX.search(text):
        if harakat:
            return ShapedText(text, range(len(text)), range(1, len(text) + 1))
        kept = [i for i, ch in enumerate(text) if not HARAKAT_RE.match(ch)]
        return ShapedText("".join(text[i] for i in kept), _spans(kept), _spans(i + 1 for i in kept))
    # Harakat never change how letters join (arabic-reshaper skips them too), so the
    # letters are shaped alone and each haraka goes back after the glyph of its letter.
    # arabic-reshaper's own placement of harakat shifts when it drops a ZWJ.
    if HARAKAT_RE.search(text) is None:
        letters: Sequence[int] = range(len(text))
        bare = text
    else:
        letters = [i for i, ch in enumerate(text) if not HARAKAT_RE.match(ch)]
        bare = "".join(text[i] for i in letters)
    error = ""
    try:
        shaped = _RESHAPER.reshape(bare)
        firsts, lasts = _align(bare, shaped)
    except Exception as err:  # Any failure: this paragraph unjoined.
        # Unjoined letters are still the right letters in the right order; never let a
        # surprise from the reshaper cost the user the paragraph. (arabic-reshaper 3.1
        # raises IndexError for a ZWJ before a lam-alef ligature.)
        error = f"Arabic shaping failed ({type(err).__name__}), letters shown unjoined"
        shaped = bare.replace(_ZWJ, "")
        firsts = [k for k, ch in enumerate(bare) if ch != _ZWJ]
        lasts = [k + 1 for k in firsts]
    if bare is text:
        return ShapedText(shaped, _spans(firsts), _spans(lasts), error)
    if not harakat:
        return ShapedText(
            shaped,
            _spans(letters[first] for first in firsts),
            _spans(letters[last - 1] + 1 for last in lasts),
            error,
        )
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Each glyph carries the harakat up to the next glyph's first letter (a dropped ZWJ
    # passes its harakat to the glyph before it).
    bounds = [letters[first] for first in firsts] + [len(text)]
    _add_harakat(text, 0, bounds[0], out, starts, ends)
    for k, char in enumerate(shaped):
        first, last = firsts[k], lasts[k]
        out.append(char)
        starts.append(letters[first])
        ends.append(letters[last - 1] + 1)
        if bounds[k + 1] - letters[first] > last - first:  # some harakat in between
            _add_harakat(text, letters[first], bounds[k + 1], out, starts, ends)
    return ShapedText("".join(out), _spans(starts), _spans(ends), error)


def _add_harakat(
    text: str, start: int, stop: int, out: list[str], starts: list[int], ends: list[int]
) -> None:
    """Append the harakat found in text[start:stop] (those carried by one glyph)."""
    for k in range(start, stop):
        if HARAKAT_RE.match(text[k]):
            out.append(text[k])
            starts.append(k)
            ends.append(k + 1)


def _letters_size(letters: str) -> int:
    return 60 + 4 * len(letters)


@byte_lru_cache(1024 * 1024, _letters_size)
def _letters_of(form: str) -> str:
    """The logical letters a presentation form stands for (U+FEFB → lam, alef)."""
    if "\ufb50" <= form <= "\ufdff" or "\ufe70" <= form <= "\ufeff":
        return unicodedata.normalize("NFKC", form)
    return form


def _align(logical: str, shaped: str) -> tuple[list[int], list[int]]:
    """The span [first, last) of letters that each shaped character shows, as two
    lists in the order of `shaped`.

    arabic-reshaper gives no map, but without harakat its output is predictable: each
    character is the logical one or a presentation form of it, a lam-alef ligature
    stands for two letters, and ZWJ is dropped (it only served the joining).
    """
    if _ZWJ not in logical and not _LAM_ALEF_FORM_RX.search(logical):
        # The common case: only lam-alef ligatures change the length, so everything
        # between two of them is one character for one (ranges: no loop in Python).
        firsts: list[int] = []
        lasts: list[int] = []
        i = previous = 0
        for match in _LAM_ALEF_FORM_RX.finditer(shaped):
            run = match.start() - previous
            firsts += range(i, i + run)
            lasts += range(i + 1, i + run + 1)
            i += run
            firsts.append(i)
            lasts.append(i + 2)
            i += 2
            previous = match.start() + 1
        run = len(shaped) - previous
        firsts += range(i, i + run)
        lasts += range(i + 1, i + run + 1)
        if i + run != len(logical):
            raise ShapingError(f"shaped text does not follow {logical!r}")
        return firsts, lasts
    return _align_letter_by_letter(logical, shaped)


def _align_letter_by_letter(logical: str, shaped: str) -> tuple[list[int], list[int]]:
    """`_align` for text with joiners or ligatures of its own: compare every letter."""
    firsts: list[int] = []
    lasts: list[int] = []
    n = len(logical)
    i = 0
    for ch in shaped:
        letters = ch if i < n and logical[i] == ch else _letters_of(ch)
        while i < n and logical[i] == _ZWJ and letters[0] != _ZWJ:
            i += 1
        if logical[i : i + len(letters)] != letters:
            raise ShapingError(f"shaped text does not follow {logical!r} at {i}")
        firsts.append(i)
        i += len(letters)
        lasts.append(i)
    if logical[i:].strip(_ZWJ):
        raise ShapingError(f"shaped text stops early in {logical!r}")
    return firsts, lasts


_RESHAPER = _make_reshaper()
