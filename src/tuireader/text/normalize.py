"""Search folding: fold a text and a query alike, and map hits back to original offsets."""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import chain, compress, repeat

# Bidi controls and zero-width characters: invisible, so a query never contains them on
# purpose. ZWNJ sits inside Persian words (می‌خواهم) and must not split a match. Tatweel
# only stretches a joined letter.
_DROPPED_CHARS = frozenset(
    "\u00ad"  # soft hyphen
    "\u061c"  # ARABIC LETTER MARK
    "\u0640"  # tatweel
    "\u200b\u200c\u200d\u200e\u200f"  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2060"  # word joiner
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # BOM / zero-width no-break space
)

# Quranic annotation signs are dropped whatever their category (U+06DD is a format char
# that encloses an ayah number, U+06DE and U+06E9 are symbols).
_QURANIC_SIGNS = range(0x06D6, 0x06EE)

# Blocks whose nonspacing marks are vowels, points or accents rather than letters.
# Indic and Thai marks are deliberately absent: there a mark is a vowel of the word.
_MARK_BLOCKS = (
    range(0x0300, 0x0370),  # combining diacritics: é, ñ, ǖ after NFD
    range(0x0591, 0x05C8),  # Hebrew points and cantillation (maqaf, paseq: Po/Pd, kept)
    range(0x0610, 0x061B),  # Arabic honorific signs
    range(0x064B, 0x0660),  # harakat, tanween, shadda, sukun, hamza above/below
    range(0x0670, 0x0671),  # superscript alef
    range(0x0898, 0x0900),  # Arabic Extended-A/B Quranic marks
    range(0x1AB0, 0x1B00),  # combining diacritics extended
    range(0x1DC0, 0x1E00),  # combining diacritics supplement
    range(0x20D0, 0x2100),  # combining marks for symbols
    range(0xFE00, 0xFE10),  # variation selectors
    range(0xFE20, 0xFE30),  # combining half marks
)

# Compatibility forms worth NFKC: Arabic and Hebrew presentation forms (text pasted from
# PDFs: ﻻ is "لا") and full-width Latin. NFKC everywhere would also turn ½ into "1⁄2".
_COMPAT_BLOCKS = (range(0xFB00, 0xFE00), range(0xFE70, 0xFF00), range(0xFF00, 0xFFF0))

# Letters a reader treats as one when searching: hamza seats, alef maqsura, taa marbuta,
# and the Persian/Urdu forms of yaa, kaf and haa. Applied after NFD has already split
# أ إ آ ؤ ئ ۀ ۂ into a base and a dropped hamza/madda; listed too so the table reads whole.
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",  # alef wasla
        "ٲ": "ا",
        "ٳ": "ا",
        "ٵ": "ا",
        "ى": "ي",  # alef maqsura
        "ی": "ي",  # Farsi yeh
        "ئ": "ي",
        "ٸ": "ي",
        "ؤ": "و",
        "ٶ": "و",
        "ک": "ك",  # keheh
        "ة": "ه",  # taa marbuta
        "ۃ": "ه",
        "ہ": "ه",  # heh goal
        "ۂ": "ه",
        "ھ": "ه",  # heh doachashmee
        "ە": "ه",  # ae
        "ۀ": "ه",
    }
)

# In the width string each original char becomes chr(number of folded chars), except
# whitespace, which gets this code so that runs can be collapsed before building the map.
_SPACE_CODE = "\xff"
_SPACE_CODE_TO_ONE = bytes(range(255)) + b"\x01"
_SPACE_RUN = re.compile(" {2,}")
# A whitespace char after another one, with only dropped chars between, folds to nothing.
_EXTRA_SPACE = re.compile(_SPACE_CODE + "[\x00" + _SPACE_CODE + "]+")
_EXPANDING = re.compile("[\x02-\xfe]")


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A text folded for search, with the way back to original offsets."""

    text: str
    """The folded text, which folded queries are matched against."""
    origin: array[int]
    """`origin[i]` is the original offset of folded char `i`; non-decreasing, and one
    final sentinel `len(original)`. An array, not a tuple: 4 bytes per char, not 36."""


def _is_dropped(ch: str) -> bool:
    """Whether `ch` folds to nothing: invisible, or a mark that search ignores."""
    code = ord(ch)
    if ch in _DROPPED_CHARS or code in _QURANIC_SIGNS:
        return True
    return unicodedata.category(ch) in ("Mn", "Me") and any(code in b for b in _MARK_BLOCKS)


@cache
def _fold_char(ch: str) -> str:
    """The folded form of one char: empty, one char, or several (ß → ss, ﻻ → لا)."""
    if _is_dropped(ch):
        return ""
    if ch.isspace():
        return " "
    digit = unicodedata.decimal(ch, -1)
    if digit >= 0:
        return str(digit)
    code = ord(ch)
    if any(code in block for block in _COMPAT_BLOCKS):
        compat = unicodedata.normalize("NFKC", ch)
        if compat != ch:
            # No edge or double spaces, so a whitespace run in the text stays one run
            # (ﷺ has inner spaces; ﹰ, an isolated fathatan, is a space and a mark).
            return " ".join("".join(map(_fold_char, compat)).split())
    folded = ch.casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    bare = "".join(c for c in decomposed if not _is_dropped(c))
    # Only keep the decomposition when it shed a mark: NFD would otherwise split Hangul
    # syllables into jamo and change letters that have nothing to strip.
    if bare != decomposed:
        folded = bare
    return folded.translate(_LETTERS)


def _width_code(ch: str) -> str:
    """The char's entry in the width string (see `_SPACE_CODE`)."""
    folded = _fold_char(ch)
    return _SPACE_CODE if folded == " " else chr(len(folded))


class _LazyTable(dict[int, str]):
    """A `str.translate` table that fills itself, so the work is per distinct char."""

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: int) -> str:
        value = self[key] = self._compute(chr(key))
        return value


# Shared by every call: a document has a few hundred distinct chars, and the tables only
# ever grow by the chars seen.
_FOLD_TABLE = _LazyTable(_fold_char)
_WIDTH_TABLE = _LazyTable(_width_code)


def fold_text(text: str) -> FoldedText:
    """Fold a whole document for search, keeping each folded char's original offset.

    Everything per char runs in C (`str.translate`, `re`, `itertools`): 18 MB of Arabic
    folds in about a second and a half.
    """
    folded = _SPACE_RUN.sub(" ", text.translate(_FOLD_TABLE))
    widths = _EXTRA_SPACE.sub(_keep_first_space, text.translate(_WIDTH_TABLE))
    counts = widths.encode("latin-1")
    indexes = range(len(text))
    if _EXPANDING.search(widths) is None:
        # Every char folds to zero or one char: the map is the indexes of the kept ones.
        origin = array("I", compress(indexes, counts))
    else:
        counts = counts.translate(_SPACE_CODE_TO_ONE)
        origin = array("I", chain.from_iterable(map(repeat, indexes, counts)))
    origin.append(len(text))
    assert len(origin) == len(folded) + 1, "width string and folded text disagree"
    return FoldedText(folded, origin)


def _keep_first_space(run: re.Match[str]) -> str:
    """Zero the width of every whitespace char in a run after the first."""
    return _SPACE_CODE + run.group()[1:].replace(_SPACE_CODE, "\x00")


def fold_query(query: str) -> str:
    """Fold a query the way `fold_text` folds a document."""
    return _SPACE_RUN.sub(" ", query.translate(_FOLD_TABLE))


def find_matches(query: str, folded: FoldedText) -> list[tuple[int, int]]:
    """Find the query in a folded document.

    Returns:
        Non-overlapping `(start, end)` offsets into the original text, in order. `end`
        runs up to the next folded char, so it covers the harakat, points and invisible
        chars after the last matched letter: the highlight takes the whole letter.
        An empty (or all-marks) query matches nothing.
    """
    needle = fold_query(query)
    if not needle:
        return []
    text, origin = folded.text, folded.origin
    hits: list[tuple[int, int]] = []
    covered = 0
    pos = text.find(needle)
    while pos >= 0:
        after = pos + len(needle)
        start = origin[pos]
        # A hit can end inside one char's expansion ("s" in the "ss" of ß): cover the whole
        # char. The sentinel, len(original), stops the scan.
        last = origin[after - 1]
        while origin[after] == last:
            after += 1
        end = origin[after]
        # Two hits inside one expanded char map to the same original range: keep the first.
        if start >= covered:
            hits.append((start, end))
            covered = end
        pos = text.find(needle, pos + len(needle))
    return hits
