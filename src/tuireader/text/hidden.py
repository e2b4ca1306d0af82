"""Invisible and deceptive characters: which a text holds, a warning, and visible marks.

Unicode's Default_Ignorable_Code_Point characters draw nothing. Most are harmless where
they belong (ZWNJ in Persian words, RLM in Arabic prose, a variation selector after an
emoji) and an attack where they do not: TAG characters spell text no one sees
(`approved` hiding `not`), a zero-width space inside a word defeats search and review,
bidi overrides make text display in another order than it is stored (Trojan Source,
CVE-2021-42574). `find_hidden` counts the suspicious ones; `hidden_mark` gives every one
of them a visible form, for the reader's "show hidden characters" mode and for names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from typing import NamedTuple

BIDI_FORMATTING = "\u202a-\u202e\u2066-\u2069"
"""LRE RLE PDF LRO RLO, LRI RLI FSI PDI (as a regex class body)."""

_DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
"""Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15.1), as a regex
class body; unassigned code points of it are included, as the property includes them."""

HIDDEN_RE = re.compile(f"[{_DEFAULT_IGNORABLE}]")
"""One invisible character."""
HIDDEN_RUN_RE = re.compile(f"[{_DEFAULT_IGNORABLE}]+")

# The default-ignorables that ordinary text holds by the thousand (ZWNJ and ZWJ in
# Persian or Indic words, bidi marks in Arabic, soft hyphens) are counted by C-level
# scans; only runs that hold one of the rare others are looked at one by one, so a
# 30 MB Persian file costs a regex pass, not a million Python steps.
_RARE = (
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
_ALPHABET = (
    "0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u058f\u05d0-\u05ff"
    "\u1d00-\u1fff\u2c60-\u2c7f\ua640-\ua7ff\ufb00-\ufb4f\uff10-\uff5a"
)


@cache
def _scanners() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The detector's patterns, compiled on first use: not a cost of every start-up."""
    return (
        re.compile(f"[{_RARE}]"),
        re.compile(f"[{_DEFAULT_IGNORABLE}]*[{_RARE}][{_DEFAULT_IGNORABLE}]*"),
        re.compile(f"(?<=[{_ALPHABET}])[\u200c\u200d]+(?=[{_ALPHABET}])"),
    )


_NAMES: dict[str, str] = {
    "\u00ad": "SHY",
    "\u034f": "CGJ",
    "\u061c": "ALM",
    "\u115f": "HF",
    "\u1160": "HF",
    "\u3164": "HF",
    "\uffa0": "HF",
    "\u180e": "MVS",
    "\u180f": "FVS4",
    "\u200b": "ZWSP",
    "\u200c": "ZWNJ",
    "\u200d": "ZWJ",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2060": "WJ",
    "\u2061": "FA",
    "\u2062": "IT",
    "\u2063": "IS",
    "\u2064": "IP",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
    "\ufeff": "ZWNBSP",
}
_NAMES.update({chr(0x180B + k): f"FVS{k + 1}" for k in range(3)})
_NAMES.update({chr(0xFE00 + k): f"VS{k + 1}" for k in range(16)})
_NAMES.update({chr(0xE0100 + k): f"VS{k + 17}" for k in range(240)})

_BIDI_ORDER = ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM")
_BIDI = "\u202a\u202b\u202d\u202e\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_DECEPTIVE_BIDI = frozenset("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")
"""Embeddings, overrides and isolates: they change the order of what follows. PDF and
PDI alone close nothing; the marks LRM, RLM, ALM only settle neutrals."""
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")
_HARMLESS = frozenset("\u00ad\u034f")
"""A soft hyphen is a hyphenation hint; CGJ orders Hebrew marks."""
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
MAX_TAG_TEXT = 60
"""Hidden text quoted in a warning is cut here."""
MAX_RUNS = 20_000
"""Runs of hidden characters looked at in their place; more are counted by kind only
(a file made of millions of them must not take seconds)."""


class HiddenChars(NamedTuple):
    """The suspicious invisible characters of a text, by kind (see `find_hidden`)."""

    tags: int = 0
    """TAG characters (U+E0000-U+E007F) outside an emoji flag sequence."""
    tag_text: str = ""
    """What they spell, runs joined by " ", cut at `MAX_TAG_TEXT`."""
    in_words: tuple[tuple[str, int], ...] = ()
    """Zero-width characters inside words, by name: (("ZWSP", 2), ...)."""
    bidi: tuple[tuple[str, int], ...] = ()
    """Every bidi control, by name, when any embedding, override or isolate is there."""
    other: tuple[tuple[str, int], ...] = ()
    """Other invisible characters out of place: Hangul fillers, invisible operators,
    runs of variation selectors, unassigned ignorables."""

    @property
    def suspicious(self) -> bool:
        """True when there is anything to warn about."""
        return bool(self.tags or self.in_words or self.bidi or self.other)


def hidden_name(char: str) -> str:
    """A short name for an invisible character: "ZWSP", "RLO", "VS16", else "U+XXXX"."""
    name = _NAMES.get(char)
    if name is not None:
        return name
    code = ord(char)
    if 0xE0020 <= code <= 0xE007E:
        return f"TAG {chr(code - 0xE0000)}"
    return f"U+{code:04X}"


def hidden_mark(char: str) -> str:
    """The visible form of one invisible character, e.g. "⌜ZWSP⌝".

    The corner brackets are not mirrored in RTL runs (Bidi_Mirrored=No), so a mark
    reads the same in any paragraph.
    """
    return f"\u231c{hidden_name(char)}\u231d"


def tag_run_mark(run: str) -> str:
    """The visible form of a run of TAG characters: the text they spell, "⌜TAG:not⌝"."""
    return f"\u231cTAG:{tag_text(run)}\u231d"


def tag_text(run: str) -> str:
    """The ASCII a run of TAG characters spells ("?" for a tag that is no character)."""
    return "".join(
        chr(ord(char) - 0xE0000) if "\U000e0020" <= char <= "\U000e007e" else "?"
        for char in run
        if char != _CANCEL_TAG and char != "\U000e0001"
    )


_TAG_RUN_RE = re.compile("[\U000e0000-\U000e007f]+")


def mark_tag_runs(text: str) -> str:
    """The text with each run of TAG characters as its visible mark ("⌜TAG:not⌝"),
    but for emoji flags (🏴 + tags + CANCEL TAG). For labels, which show text from
    files others write (a note's body) and have no "show hidden characters" mode."""
    if "\U000e0000" > max(text, default="\x00"):
        return text

    def mark(match: re.Match[str]) -> str:
        start = match.start()
        run = match.group()
        if start and text[start - 1] == _BLACK_FLAG and run.endswith(_CANCEL_TAG):
            return run
        return tag_run_mark(run)

    return _TAG_RUN_RE.sub(mark, text)


def find_hidden(text: str) -> HiddenChars:
    """Count the invisible characters of a text that are out of place.

    Not counted: a soft hyphen or CGJ anywhere; zero-width characters between words;
    ZWJ and ZWNJ in a word of a script that joins (Arabic, Indic ...); ZWSP in a
    script written without spaces (Thai, CJK ...); one variation selector after a
    character; bidi controls when only marks (LRM, RLM, ALM) are there; the TAG
    characters of an emoji flag (🏴 + tags + CANCEL TAG).

    Args:
        text: Any text (a document's, after the loader).

    Returns:
        The counts; `HiddenChars()` when there is nothing to warn about.
    """
    if HIDDEN_RE.search(text) is None:
        return HiddenChars()
    tags = 0
    spelled: list[str] = []
    in_words: Counter[str] = Counter()
    other: Counter[str] = Counter()
    rare_re, rare_run_re, joiners_re = _scanners()
    joiners = "".join(joiners_re.findall(text))
    for char in "\u200c\u200d":
        if char in joiners:
            in_words[_NAMES[char]] += joiners.count(char)
    rare = rare_re.search(text)
    first = rare.start() if rare else len(text)
    while first and HIDDEN_RE.match(text, first - 1):
        first -= 1  # from the start of the run the rare character is in
    rest = len(text)
    for number, match in enumerate(rare_run_re.finditer(text, first) if rare else ()):
        start, end = match.span()
        if number == MAX_RUNS:
            rest = start
            break
        run = match.group()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        inside = _is_word_char(before) and _is_word_char(after)
        tag_runs = _TAG_RUN_RE.findall(run)
        if tag_runs and not (before == _BLACK_FLAG and run.endswith(_CANCEL_TAG)):
            tags += sum(len(tag_run) for tag_run in tag_runs)
            spelled.append(tag_text("".join(tag_runs)[: MAX_TAG_TEXT * 2]))
        selectors: Counter[str] = Counter()
        # By distinct character: a run of millions of one character is one step.
        for char, count in Counter(run).items():
            code = ord(char)
            if char in _BIDI or 0xE0000 <= code <= 0xE007F:
                continue  # bidi controls are counted over the whole text, tags above
            if char in _ZERO_WIDTH:
                if inside and not _zero_width_belongs(char, before, after):
                    in_words[_NAMES[char]] += count
            elif 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
                selectors[_NAMES[char]] += count
            elif 0x180B <= code <= 0x180F:
                if not _is_mongolian(before):
                    other[_NAMES[char]] += count
            elif char not in _HARMLESS:
                other[hidden_name(char)] += count
        if selectors.total() > 1 or (selectors and (not before or before.isspace())):
            # One selector picks a glyph of the character before it; a run of them
            # is how data is smuggled behind an emoji.
            other.update(selectors)
    if rest < len(text):
        # A text made to be slow (millions of hidden characters, each in its own
        # run): the rest is counted by kind, without looking at each one's place.
        for char, count in Counter(rare_re.findall(text, rest)).items():
            code = ord(char)
            if 0xE0000 <= code <= 0xE007F:
                tags += count
            elif char in _ZERO_WIDTH:
                in_words[_NAMES[char]] += count
            elif char not in _BIDI:
                other[hidden_name(char)] += count
    bidi: Counter[str] = Counter()
    if any(char in text for char in _DECEPTIVE_BIDI):
        for char in _BIDI:
            count = text.count(char)
            if count:
                bidi[_NAMES[char]] = count
    joined = " ".join(spelled)
    if len(joined) > MAX_TAG_TEXT:
        joined = joined[: MAX_TAG_TEXT - 1] + "…"
    return HiddenChars(
        tags=tags,
        tag_text=joined,
        in_words=tuple(sorted(in_words.items(), key=lambda item: (-item[1], item[0]))),
        bidi=tuple(sorted(bidi.items(), key=lambda item: (-item[1], _BIDI_ORDER.index(item[0])))),
        other=tuple(sorted(other.items(), key=lambda item: (-item[1], item[0]))),
    )


def hidden_notice(hidden: HiddenChars) -> str | None:
    """The warning for a text's hidden characters: every kind, with its counts.

    For example "hidden characters: 3 TAG characters (hidden text «not»), 2 zero-width
    characters inside words (2 ZWSP), 2 bidi controls (1 RLO, 1 PDF): the text may not
    read as it is stored".

    Returns:
        One line for the user, or None when there is nothing to warn about.
    """
    if not hidden.suspicious:
        return None
    parts: list[str] = []
    if hidden.tags:
        parts.append(f"{_count(hidden.tags, 'TAG character')} (hidden text «{hidden.tag_text}»)")
    for counts, kind in (
        (hidden.in_words, "zero-width character{} inside words"),
        (hidden.bidi, "bidi control{}"),
        (hidden.other, "other invisible character{}"),
    ):
        if counts:
            total = sum(count for _, count in counts)
            names = ", ".join(f"{count} {name}" for name, count in counts)
            parts.append(f"{total} {kind.format('' if total == 1 else 's')} ({names})")
    return "hidden characters: " + ", ".join(parts) + ": the text may not read as it is stored"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _is_word_char(char: str) -> bool:
    return bool(char) and (char.isalnum() or unicodedata.category(char)[0] == "M")


def _zero_width_belongs(char: str, before: str, after: str) -> bool:
    """Whether a zero-width character inside a word does a job there."""
    if char in "\u200c\u200d":
        # Joiners shape joining and Indic scripts; in alphabets they do nothing.
        return not (_is_alphabet(before) and _is_alphabet(after))
    if char == "\u200b":
        return _is_spaceless(before) or _is_spaceless(after)
    if char == "\u180e":
        return _is_mongolian(before) or _is_mongolian(after)
    return False


def _is_alphabet(char: str) -> bool:
    """Latin, Greek, Cyrillic, Armenian, Hebrew: scripts where ZWJ/ZWNJ change nothing."""
    code = ord(char)
    return (
        code < 0x0600
        or 0x1D00 <= code < 0x2000
        or 0x2C60 <= code < 0x2C80
        or 0xA640 <= code < 0xA800
        or 0xFB00 <= code < 0xFB50
        or 0xFF00 <= code < 0xFF60
    )


def _is_spaceless(char: str) -> bool:
    """Scripts written without spaces, where ZWSP marks the word breaks."""
    code = ord(char)
    return (
        0x0E00 <= code < 0x1000
        or 0x1000 <= code < 0x10A0
        or 0x1780 <= code < 0x1800
        or 0x1950 <= code < 0x1AB0
        or 0x2E80 <= code < 0xA000
        or 0xF900 <= code < 0xFB00
        or code >= 0x20000
    )


def _is_mongolian(char: str) -> bool:
    return bool(char) and 0x1800 <= ord(char) < 0x18B0
