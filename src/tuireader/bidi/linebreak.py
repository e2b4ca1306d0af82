"""Where a row may end: UAX #14 line breaking, tailored to prose and fast on whole paragraphs.

The break opportunities are found by three regular expressions over the paragraph (one
character per display cluster), never character by character in Python. They follow
UAX #14 where it matters for prose in Arabic, Persian, Hebrew and Latin scripts:

- a row may end after a run of breaking spaces (LB18), or after a hyphen, dash or slash
  inside a word (LB21, the default LB31 after HY, BA and SY);
- no-break spaces (U+00A0, U+202F, U+2007) and the non-breaking hyphen U+2011 are not
  spaces but glue (LB12), and a word joiner (U+2060, U+FEFF) glues on both sides (LB11);
- a hyphen, dash or slash before digits of any script (ASCII, Arabic-Indic, Persian ...)
  glues (LB25): ``2019-2020``, ``٢٠١٩-٢٠٢٠``, ``1/2``; so does one after a space, a sign
  rather than a hyphen (LB20.1: ``-5``, ``-word``);
- closing punctuation (CL, CP, EX, IS, SY, a final quote such as ``»`` or ``”``) stays
  with the word before it, even after spaces (LB13, LB15b): ``كلمة ؟`` and ``« mot »``
  do not break before ``؟`` or ``»``;
- opening punctuation (OP, an initial quote such as ``«`` or ``“``) stays with the word
  after it, even before spaces (LB14, LB15a).

A ZWSP is a break opportunity (LB8), so is a word right after ``!``, ``?`` or ``؟``
(LB31), and a wide (East Asian) character may start or end a row (LB31 between
ideographs).

The tailoring, where UAX #14 (as the `uniseg` package implements it) breaks and we do
not: before an em dash (B2); after an en or em dash before digits, which keeps
``2019–2020`` whole; after a slash before digits (``a/2``); between closing and opening punctuation
(``](``, ``,(``) and before currency or percent signs without a space; after spaces that
start a paragraph; around Thai and other dictionary-broken scripts (SA), emoji
modifiers and regional indicators (not handled). Where we break and it does not: after
a hyphen before a currency sign or an opening bracket. `benchmarks/linebreak.py`
counts the agreement on our corpora and on random text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from operator import itemgetter

SPACES = " \t\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000"
"""Breaking spaces (SP and the space separators of class BA): they hang at a row's end.
No-break spaces (U+00A0, U+202F, U+2007) are not among them."""

NO_BREAK_BEFORE = (
    "!),.-/:;?\\]}\u00bb\u037e\u0589\u05c6\u060c\u060d\u061b\u061d-\u061f\u06d4"
    "\u07f8\u07f9\u0f0d-\u0f11\u0f14\u0f3b\u0f3d\u169c\u1802\u1803\u1808\u1809"
    "\u1944\u1945\u2019\u201d\u203a\u2044\u2046\u2060\u207e\u208e\u2309\u230b\u232a"
    "\u2762\u2763\u2769\u276b\u276d\u276f\u2771\u2773\u2775\u27c6\u27e7\u27e9\u27eb"
    "\u27ed\u27ef\u2984\u2986\u2988\u298a\u298c\u298e\u2990\u2992\u2994\u2996\u2998"
    "\u29d9\u29db\u29fd\u2cf9\u2cfe\u2e03\u2e05\u2e0a\u2e0d\u2e1d\u2e21\u2e23\u2e25"
    "\u2e27\u2e29\u2e2e\u2e53\u2e54\u2e56\u2e58\u2e5a\u2e5c\u3001\u3002\u3009\u300b"
    "\u300d\u300f\u3011\u3015\u3017\u3019\u301b\u301e\u301f\ufe10-\ufe12\ufe15\ufe16"
    "\ufe18\ufe36\ufe38\ufe3a\ufe3c\ufe3e\ufe40\ufe42\ufe44\ufe48\ufe50\ufe52\ufe56"
    "\ufe57\ufe5a\ufe5c\ufe5e\u200b\ufeff\uff01\uff09\uff0c\uff0e\uff1f\uff3d\uff5d\uff60"
    "\uff61\uff63\uff64"
)
"""Characters no row may start with: UAX #14 classes CL, CP, EX, IS, SY (LB13), WJ
(LB11), ZW (LB7) and final quotes (LB15b), as a regex class; a test checks it against
`uniseg`."""

OPENERS = (
    "(\\[{\u00a1\u00ab\u00bf\u0f3a\u0f3c\u169b\u2018\u201a-\u201c\u201e\u201f\u2039"
    "\u2045\u207d\u208d\u2308\u230a\u2329\u2768\u276a\u276c\u276e\u2770\u2772\u2774"
    "\u27c5\u27e6\u27e8\u27ea\u27ec\u27ee\u2983\u2985\u2987\u2989\u298b\u298d\u298f"
    "\u2991\u2993\u2995\u2997\u29d8\u29da\u29fc\u2e02\u2e04\u2e09\u2e0c\u2e18\u2e1c"
    "\u2e20\u2e22\u2e24\u2e26\u2e28\u2e42\u2e55\u2e57\u2e59\u2e5b\u3008\u300a\u300c"
    "\u300e\u3010\u3014\u3016\u3018\u301a\u301d\ufe17\ufe35\ufe37\ufe39\ufe3b\ufe3d"
    "\ufe3f\ufe41\ufe43\ufe47\ufe59\ufe5b\ufe5d\uff08\uff3b\uff5b\uff5f\uff62"
)
"""Characters no row may end with: UAX #14 class OP (LB14) and initial quotes (LB15a),
as a regex class."""

HYPHENS = "\\-\u2010\u2013\u2014"
"""A row may end after these inside a word: hyphen-minus, hyphen, en and em dash."""

GLUE = "\u00a0\u034f\u2007\u2011\u202f"
"""No-break spaces, the non-breaking hyphen and the grapheme joiner (class GL)."""

QUOTES = "\"'\u00ab\u00bb\u2018\u2019\u201b\u201c\u201d\u201f\u2039\u203a"
"""Quotation marks (class QU): no break on either side but at spaces (LB19)."""

EXCLAMATIONS = "!?\u05c6\u061b\u061d-\u061f\u06d4"
"""Class EX in the scripts of prose: a word may follow them with no space (LB31)."""

_HEBREW_LETTERS = "\u05d0-\u05ea\u05ef-\u05f2\ufb1d-\ufb4f"
# LB21: nothing breaks before a hyphen or a BA character such as "|" or a soft hyphen
# (nor before a space or a closer: the look-ahead all branches share below).
_NOT_AFTER_HYPHEN = f"{HYPHENS}{GLUE}{QUOTES}|\u00ad\\d"

# Each big class (closers, openers) is written once: compiling one costs ~0.2 ms of
# start-up, the whole module's regexes 2 ms when the closers were written four times.
_AFTER_SPACES_RX = re.compile(
    # The look-behind comes after the first space, so that the regex engine can skip
    # to the next space instead of trying it at every character.
    f"[{SPACES}](?<=[^{SPACES}{OPENERS}][{SPACES}])[{SPACES}]*(?=[^{SPACES}{NO_BREAK_BEFORE}])"
)
"""A run of spaces that a row may end with: not after an opener, not before a closer."""
_AFTER_HYPHEN_RX = re.compile(
    # LB20.1: a hyphen after a space or glue is a sign (-5, -word): no break after it.
    f"(?:(?<=[^{SPACES}{GLUE}\u200b][{HYPHENS}])(?![{_NOT_AFTER_HYPHEN}])"
    # LB21b: no break between a slash and a Hebrew letter.
    f"|(?<=[^{SPACES}{GLUE}\u200b]/)(?![{_NOT_AFTER_HYPHEN}/{_HEBREW_LETTERS}])"
    # LB8: after a zero-width space.
    "|(?<=\u200b))"
    # None of the three before a space or a closer.
    f"(?=[^{SPACES}{NO_BREAK_BEFORE}])"
    # LB31: after ! ? ؟ ؛ when a word or an opener follows with no space.
    f"|(?<=[{EXCLAMATIONS}])(?=[^\\W_]|[(\\[{{\u00a1\u00bf])"
)
"""Just after a hyphen, dash or slash inside a word and not before a digit, a zero-width
space, or an exclamation or question mark that a word follows."""
_HYPHEN_RX = re.compile(f"[{HYPHENS}/\u200b{EXCLAMATIONS}]")
_SPAN = re.Match.span


def break_opportunities(text: str) -> list[tuple[int, int]]:
    """Where rows may end, for text of one character per display cluster.

    Returns:
        (visible_end, next_start) for each opportunity in order: a row may end with
        text[:visible_end] shown and the next row start at next_start (the spaces
        between them hang, unshown). The end of the text is not included.
    """
    # A match's span is (visible_end, next_start): no Python call per match.
    spaces = list(map(_SPAN, _AFTER_SPACES_RX.finditer(text)))
    if not _HYPHEN_RX.search(text):
        return spaces
    hyphens = list(map(_SPAN, _AFTER_HYPHEN_RX.finditer(text)))
    return sorted(spaces + hyphens) if hyphens else spaces


def wide_opportunities(text: str, widths: Sequence[int]) -> list[tuple[int, int]]:
    """Extra opportunities around wide characters (LB31 between ideographs): before
    one unless after a space or an opener or it is a closer itself (。), after one
    unless before a closer or a space."""
    found = []
    n = len(text)
    for j, width in enumerate(widths):
        if width != 2:
            continue
        before = text[j - 1] if j else ""
        if (
            j
            and before not in _SPACE_SET
            and before not in _OPENER_SET
            and text[j] not in _NO_BREAK_SET
        ):
            found.append((j, j))
        after = text[j + 1] if j + 1 < n else ""
        if after and after not in _SPACE_SET and after not in _NO_BREAK_SET:
            found.append((j + 1, j + 1))
    return found


def _expand(char_class: str) -> frozenset[str]:
    """The characters of a regex class body such as "a-c\\-d" (ranges and escapes)."""
    literals: list[str | None] = []  # None marks a range's "-"
    k = 0
    while k < len(char_class):
        if char_class[k] == "\\":
            literals.append(char_class[k + 1])
            k += 2
        else:
            literals.append(None if char_class[k] == "-" else char_class[k])
            k += 1
    out: set[str] = set()
    for k, literal in enumerate(literals):
        if literal is None:
            low, high = literals[k - 1], literals[k + 1]
            assert low is not None and high is not None
            out.update(chr(c) for c in range(ord(low), ord(high) + 1))
        else:
            out.add(literal)
    return frozenset(out)


_SPACE_SET = _expand(SPACES)
_SPACE_CHARS = "".join(sorted(_SPACE_SET))
_OPENER_SET = _expand(OPENERS)
_NO_BREAK_SET = _expand(NO_BREAK_BEFORE)


def trailing_spaces(text: str) -> int:
    """How many breaking spaces end the text."""
    return len(text) - len(text.rstrip(_SPACE_CHARS))


def wrap_clusters(
    text: str, widths: Sequence[int] | None, width: int
) -> list[tuple[int, int, int]]:
    """Greedy wrap of clusters at break opportunities.

    Args:
        text: One character per cluster (its base), for the break rules.
        widths: Cells of each cluster, or None when each is one cell.
        width: Cells per row; 0 means no wrapping.

    Returns:
        (first, last, next_first) per row: clusters [first, last) are shown, those up
        to next_first hang (spaces), and the next row starts at next_first.
    """
    n = len(text)
    if n == 0:
        return []
    end = n - trailing_spaces(text)
    if width <= 0:
        return [(0, end, n)]
    cells: Sequence[int] = range(n + 1) if widths is None else list(accumulate(widths, initial=0))
    if cells[end] <= width:
        return [(0, end, n)]
    chances = break_opportunities(text)
    if widths is not None and 2 in widths:
        chances = sorted(set(chances + wide_opportunities(text, widths)))
    starts = list(map(itemgetter(1), chances))
    visible = map(itemgetter(0), chances)
    reach = list(visible if widths is None else map(cells.__getitem__, visible))
    rows: list[tuple[int, int, int]] = []
    first = 0
    k = 0  # the first opportunity after `first`
    while True:
        limit = cells[first] + width
        if cells[end] <= limit:
            rows.append((first, end, n))
            return rows
        while k < len(starts) and starts[k] <= first:
            k += 1
        fits = bisect_right(reach, limit, k) - 1
        if fits >= k and chances[fits][0] > first:
            rows.append((first, chances[fits][0], starts[fits]))
            first = starts[fits]
            continue
        # The next word is wider than the row: break it at the row's edge (after
        # any zero-width clusters that still fit), one cluster at least.
        cut = max(bisect_right(cells, limit, first) - 1, first + 1)
        rows.append((first, cut, cut))
        first = cut
