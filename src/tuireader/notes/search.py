"""Text search for anchoring: nearest exact occurrences, and approximate matching.

Approximate matching measures similarity as `1 - d / max(len(quote), len(match))` where
`d` is the Levenshtein distance. The best match in a region is found with Myers'
bit-parallel algorithm (Python integers are the bit vectors), so a region costs a
handful of integer operations per character, whatever the quote's length. Regions are
a window around where the claim should be, then places suggested by the prefix, the
suffix and pieces of the quote, all within `FUZZY_SEARCH_RADIUS` of that spot: the cost
per note is bounded even on a 20 MB document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from tuireader.notes.model import QuoteSelector

FUZZY_THRESHOLD = 0.75
"""Least similarity (1 - Levenshtein distance / length) for a fuzzy match."""
MIN_FUZZY_LENGTH = 10
"""Shorter quotes are only found exactly: a 1-edit match of a 6-letter quote is noise."""
FUZZY_SEARCH_RADIUS = 1_000_000
"""How far (in characters) from the expected spot fuzzy matching looks for candidates."""
_MAX_KEY_HITS = 32
"""Occurrences of each search key (prefix, suffix, piece of the quote) used as candidates."""
_MAX_REGIONS = 16
"""Candidate regions scored with the edit-distance search, best supported first."""


def occurrences_outward(needle: str, text: str, around: int, limit: int) -> Iterator[int]:
    """Yield up to `limit` (possibly overlapping) occurrences, nearest to `around` first."""
    around = min(max(around, 0), len(text))
    left = text.rfind(needle, 0, around + len(needle) - 1) if around > 0 else -1
    right = text.find(needle, around)
    for _ in range(limit):
        if left < 0 and right < 0:
            return
        if right < 0 or (left >= 0 and around - left <= right - around):
            yield left
            left = text.rfind(needle, 0, left + len(needle) - 1) if left > 0 else -1
        else:
            yield right
            right = text.find(needle, right + 1)


def similarity(a: str, b: str) -> float:
    """Return `1 - levenshtein(a, b) / max(len(a), len(b))` (1.0 for two empty strings)."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    if not a or not b:
        return 0.0
    distance = _distance_by_length(a, b, len(b))[len(b)]
    return 1 - distance / longest


def find_fuzzy(
    quote: QuoteSelector, text: str, expected: int, old: int
) -> tuple[int, int, float] | None:
    """Return `(start, end, similarity)` of the best approximate match of the quote, or None.

    Args:
        expected: where the claim probably starts now (ties go to the nearest match).
        old: where it started when the note was anchored.
    """
    exact = quote.exact
    size = len(exact)
    if size < MIN_FUZZY_LENGTH or not text:
        return None
    # A reworded claim usually stays near where it was: scan a window there first.
    reach = 2 * size + 512
    regions = [(expected - reach, expected + size + reach)]
    if old != expected:
        regions.append((old - reach, old + size + reach))
    best = _best_in_regions(exact, text, regions, expected)
    if best is not None and best[2] >= FUZZY_THRESHOLD:
        return best
    # Then wherever the old context or a piece of the quote says it might have gone.
    slack = size // 3 + 8
    regions = [
        (start - slack, start + size + slack)
        for start in _candidate_starts(quote, text, expected, bucket=max(8, size // 4))
    ]
    wider = _best_in_regions(exact, text, regions, expected)
    if wider is not None and (best is None or wider[2] > best[2]):
        best = wider
    if best is None or best[2] < FUZZY_THRESHOLD:
        return None
    return best


def _candidate_starts(quote: QuoteSelector, text: str, expected: int, bucket: int) -> list[int]:
    """Return likely starts of the claim, most supported first, from exact search keys."""
    exact = quote.exact
    size = len(exact)
    # (key, where the claim starts relative to an occurrence of the key)
    keys: list[tuple[str, int]] = []
    prefix = quote.prefix[-16:]
    if len(prefix) >= 8:
        keys.append((prefix, len(prefix)))
    suffix = quote.suffix[:16]
    if len(suffix) >= 8:
        keys.append((suffix, -size))
    pieces = max(1, min(8, size // 8))
    length = size // pieces
    for index in range(pieces):
        offset = index * length
        keys.append((exact[offset : offset + length], -offset))
    lo = max(0, expected - FUZZY_SEARCH_RADIUS)
    hi = min(len(text), expected + FUZZY_SEARCH_RADIUS)
    area = text[lo:hi]
    votes: Counter[int] = Counter()
    positions: dict[int, int] = {}
    for key, shift in keys:
        for found in occurrences_outward(key, area, expected - lo, _MAX_KEY_HITS):
            start = lo + found + shift
            slot = start // bucket
            votes[slot] += 1
            positions.setdefault(slot, start)
    ranked = sorted(votes, key=lambda slot: (-votes[slot], abs(positions[slot] - expected)))
    return [positions[slot] for slot in ranked[:_MAX_REGIONS]]


def _best_in_regions(
    exact: str, text: str, regions: Sequence[tuple[int, int]], expected: int
) -> tuple[int, int, float] | None:
    best: tuple[int, int, float] | None = None
    for lo, hi in regions:
        lo, hi = max(0, lo), min(len(text), hi)
        if hi - lo <= 0:
            continue
        match = _best_match(exact, text, lo, hi, expected)
        if match is None:
            continue
        if (
            best is None
            or match[2] > best[2]
            or (match[2] == best[2] and abs(match[0] - expected) < abs(best[0] - expected))
        ):
            best = match
    return best


def _best_match(
    exact: str, text: str, lo: int, hi: int, expected: int
) -> tuple[int, int, float] | None:
    """Return the substring of `text[lo:hi]` nearest in edit distance to `exact`."""
    size = len(exact)
    distance, ends = _search_ends(exact, text[lo:hi])
    if distance >= size:
        return None
    end = lo + min(ends, key=lambda end: abs(lo + end - size - expected))
    # Walk back from the end with the pattern reversed and anchored there, to find
    # where the best match starts (Myers' search only reports ends).
    start_lo = max(lo, end - size - distance)
    backwards = _distance_by_length(exact[::-1], text[start_lo:end][::-1], end - start_lo)
    length = min(range(len(backwards)), key=lambda length: (backwards[length], abs(length - size)))
    start = end - length
    if length == 0:
        return None
    return start, end, 1 - backwards[length] / max(size, length)


def _pattern_masks(pattern: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for index, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << index)
    return masks


def _search_ends(pattern: str, text: str) -> tuple[int, list[int]]:
    """Return the least edit distance of `pattern` to any substring of `text`, and each
    end (exclusive) that reaches it (Myers 1999, in Hyyrö's formulation)."""
    best, ends = len(pattern), [0]
    for column, score in enumerate(_myers_scores(pattern, text, anywhere=True), 1):
        if score < best:
            best, ends = score, [column]
        elif score == best:
            ends.append(column)
    return best, ends


def _distance_by_length(pattern: str, text: str, limit: int) -> list[int]:
    """Return `d[k]` = Levenshtein distance of `pattern` to `text[:k]` for k in 0..limit."""
    return [len(pattern), *_myers_scores(pattern, text[:limit], anywhere=False)]


def _myers_scores(pattern: str, text: str, *, anywhere: bool) -> Iterator[int]:
    """Myers' bit-parallel edit distance, one score per character of `text`: of
    `pattern` to the best substring ending there (`anywhere`), or to the whole prefix."""
    size = len(pattern)
    masks = _pattern_masks(pattern)
    full = (1 << size) - 1
    last = 1 << (size - 1)
    # Searching, the top row is all zeros (a match may start anywhere): no carry in.
    # For the whole prefix the top row counts up (d(empty, t[:k]) = k): carry in 1.
    carry = 0 if anywhere else 1
    plus, minus, score = full, 0, size
    for char in text:
        equal = masks.get(char, 0)
        vertical = equal | minus
        horizontal = ((((equal & plus) + plus) ^ plus) | equal) & full
        h_plus = minus | (~(horizontal | plus) & full)
        h_minus = plus & horizontal
        if h_plus & last:
            score += 1
        elif h_minus & last:
            score -= 1
        h_plus = ((h_plus << 1) | carry) & full
        h_minus = (h_minus << 1) & full
        plus = h_minus | (~(vertical | h_plus) & full)
        minus = h_plus & vertical
        yield score
