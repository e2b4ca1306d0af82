"""Paragraph to sentences ("claims") with exact logical offsets, in linear time.

A sentence ends at a run of terminators (. ! ? ؟ ۔ … ׃, so also "...", "?!", "؟!")
followed by closing quotes or brackets and then a space or the paragraph's end.
Not at a dot inside a token (14.2, v2.1, example.org, U.S.), nor after a known
abbreviation (Mr. e.g. etc.), a single initial (J. Smith, د. أحمد) or a dotted
abbreviation (U.S., أ.د.). The Arabic comma and semicolon (، ؛) never end one.
Two readings of a dot depend on the next word: a clock time ("5 p.m.") ends a
sentence when a capital follows, and a year's era letter ("2019 م.", "1440 هـ.")
always does.

pysbd (rule-based, covering Arabic, Persian, Urdu and English) was measured against
this splitter: it cuts "د. أحمد" and "أ.د." apart, and splits 0.5 MB of Arabic prose
in 2.4 s, where 18 MB must take under 1 s; see `benchmarks/sentences.py`.
"""

from __future__ import annotations

import functools
import re

from tuireader.text.document import BlockKind, Paragraph, Sentence

WHOLE_KINDS = frozenset(
    {
        BlockKind.TITLE,
        BlockKind.METADATA,
        BlockKind.HEADING,
        BlockKind.BOILERPLATE,
        BlockKind.CODE,
        BlockKind.TABLE,
    }
)
"""Paragraphs that are one sentence whatever their punctuation: the caller decides
whether they count as claims. Code and table rows are not prose."""

# A run of terminators (possessive, and not starting inside a run, so that a long
# run of dots followed by a letter is rejected once, not once per dot), closers,
# then a space or the end. U+05C3 is the Hebrew sof pasuq, U+06D4 the Urdu full stop.
_TERMINATORS = ".!?\u061f\u06d4\u2026\u05c3"
_CLOSERS = "\"'\u00bb\u201d\u2019\u203a)\\]}"
_END_RE = re.compile(f"(?<![{_TERMINATORS}])([{_TERMINATORS}]++)[{_CLOSERS}]*+(?=\\s|\\Z)")
_NON_SPACE_RE = re.compile(r"\S")
_DOTTED_ABBREVIATION_RE = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_OPENERS = "\"'(\u00ab\u201c\u2018\u2039[{"
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st vs etc cf al approx dept fig figs gov col lt sgt capt
    cmdr adm rev hon inc ltd corp jan feb mar apr jun jul aug sep sept oct nov dec
    vol vols pp eds
    """.split()
)
"""English abbreviations that are not read as the end of a sentence (casefolded,
without their dot). "etc." at the very end of a sentence is the price."""
_CLOCK_ABBREVIATIONS = frozenset({"a.m", "p.m"})
"""A time of day: the sentence ends when the next word starts with a capital."""
_ERA_LETTERS = frozenset({"\u0645", "\u0647", "\u0647\u0640", "\u0642.\u0645"})
"""Arabic era letters after a year: م (AD), هـ / ه (AH), ق.م (BC)."""
_DIGITS_BEFORE_RE = re.compile(r"\d+\s*$")


@functools.lru_cache(maxsize=4096)
def split_sentences(paragraph: Paragraph) -> tuple[Sentence, ...]:
    """Split a paragraph into sentences with document offsets.

    Each sentence excludes leading and trailing whitespace, and together they cover
    all non-space text of the paragraph. Headings, titles, metadata, boilerplate,
    code and table rows are one sentence each (`WHOLE_KINDS`).

    Args:
        paragraph: The paragraph; its `text` is `Document.text[start:end]` with line
            breaks as spaces.

    Returns:
        The sentences in order; empty for a paragraph with no visible text.
    """
    text = paragraph.text
    base = paragraph.start
    first = _NON_SPACE_RE.search(text)
    if first is None:
        return ()
    last = len(text.rstrip())
    if paragraph.kind in WHOLE_KINDS:
        return (Sentence(base + first.start(), base + last),)

    sentences: list[Sentence] = []
    start = first.start()
    floor = start  # where the previous candidate ended: words never reach back past it
    for match in _END_RE.finditer(text, start):
        if _ends_sentence(text, match, start, floor):
            end = match.end()
            sentences.append(Sentence(base + start, base + end))
            following = _NON_SPACE_RE.search(text, end)
            if following is None:
                return tuple(sentences)
            start = following.start()
        floor = match.end()
    sentences.append(Sentence(base + start, base + last))
    return tuple(sentences)


def _ends_sentence(text: str, match: re.Match[str], start: int, floor: int) -> bool:
    """Whether a terminator run really ends the sentence that began at `start`."""
    if match.group(1) != ".":
        # "...", "?!", "؟" and "…" always end one.
        return True
    position = match.start()
    word = _word_before(text, position, floor)
    if not word:
        return True
    if word.isdigit() and position - len(word) == start:
        # An enumerator opening the sentence: "3. Buy milk."
        return False
    if word in _ERA_LETTERS and _DIGITS_BEFORE_RE.search(text, floor, position - len(word)):
        # "حتى عام 2019 م." is a year, not the initial of a name.
        return True
    if word.casefold() in _CLOCK_ABBREVIATIONS:
        following = _NON_SPACE_RE.search(text, match.end())
        return following is not None and following.group().isupper()
    if word.casefold() in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha() and not word.islower():
        # An initial: "J. Smith", and in scripts without case "د. أحمد" (Dr.).
        return False
    # Single letters joined by dots: "U.S.", "e.g.", "أ.د." (Prof. Dr.).
    return _DOTTED_ABBREVIATION_RE.fullmatch(word) is None


def _word_before(text: str, position: int, floor: int) -> str:
    """The word that ends at `position`, without opening quotes or brackets.

    The search goes back no further than `floor`, so the whole split stays linear.
    """
    space = text.rfind(" ", floor, position)
    # split() also cuts at other whitespace (no-break space, thin space).
    parts = text[max(space + 1, floor) : position].split()
    return parts[-1].lstrip(_OPENERS) if parts else ""
