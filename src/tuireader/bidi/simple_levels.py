"""UAX #9 levels by regular expressions, for the paragraphs prose is made of.

python-bidi's engine is only reachable through a debug dump ~75 times the size of the
text (see `levels`), so most paragraphs are resolved here instead: those whose every
character is a letter (L, R, AL), a digit (EN, AN), a separator or terminator (ES, CS,
ET), a harakah (NSM), a breaking space (WS) or other neutral punctuation (ON). Such a
paragraph has no explicit embedding, override or isolate, so it is one level run and
one isolating run sequence, and rules W1-W7, N1-N2 and I1-I2 become substitutions on a
string of one class letter per character; no Python runs per character.

Left to the engine: any control (bidi formatting, BN such as ZWNJ, tab, separators),
characters outside the blocks below, and bracket pairs (N0) in a paragraph that holds
L, or whose direction is LTR. Without L in an RTL paragraph, N0 gives every bracket the
paragraph's direction, as N1 does to any other neutral, so brackets need no pairing.
A Hypothesis test and the 91,707 lines of BidiCharacterTest.txt pin it to the engine.
"""

from __future__ import annotations

import re
import unicodedata

_LETTER_OF_CLASS = {
    "L": "L",
    "R": "R",
    "AL": "A",
    "EN": "E",
    "AN": "a",
    "ES": "S",
    "CS": "C",
    "ET": "T",
    "NSM": "N",
    "ON": "O",
}
_BLOCKS = ((0x21, 0x7E), (0xA0, 0x52F), (0x590, 0x6FF), (0x750, 0x77F), (0x2010, 0x2027))
_BRACKETS = "()[]{}\u0f3a\u0f3b\u0f3c\u0f3d\u169b\u169c\u2045\u2046\u207d\u207e\u208d\u208e"


def _class_table() -> dict[int, str]:
    table = {
        code: _LETTER_OF_CLASS.get(unicodedata.bidirectional(chr(code)), "X")
        for low, high in _BLOCKS
        for code in range(low, high + 1)
    }
    table.update({ord(char): "B" for char in _BRACKETS})
    # WS only for the spaces a row hangs at its end (not U+2007, a no-break space): L1,
    # which moves trailing whitespace, can then change no level shown.
    table.update({code: "X" for code in range(0x2000, 0x2010)})  # and BN, LRM, RLM
    spaces = (0x20, 0x1680, *range(0x2000, 0x2007), *range(0x2008, 0x200B), 0x205F)
    table.update({code: "W" for code in spaces})
    return table


_CLASSES = _class_table()
"""str.translate table: one letter per Bidi_Class (X: left to the engine, B: bracket)."""
_ENGINE_ONLY_RX = re.compile("[^LRAEaSCTNOWB]")
_FIRST_STRONG_RX = re.compile("[LRA]")
_W1_RX = re.compile("(.)N+")
_W2_RX = re.compile("A[^LR]*")
_W4_EN_RX = re.compile("(?<=E)[SC](?=E)")
_W4_AN_RX = re.compile("(?<=a)C(?=a)")
_W5_RX = re.compile("(?<=E)T+|T+(?=E)")
_W6 = str.maketrans("SCTB", "OOOO")
_W7_RX = re.compile("L[^R]*")
_N1_L_RX = re.compile("(?<=L)[OW]+(?=L)")
_N1_R_RX = re.compile("(?<=[REa])[OW]+(?=[REa])")
_LEVELS = (
    # I1: in an LTR paragraph R goes up one, numbers two; neutrals became L or R.
    bytes.maketrans(b"LREa", b"\x00\x01\x02\x02"),
    # I2: in an RTL paragraph L and numbers go up one.
    bytes.maketrans(b"LREa", b"\x02\x01\x02\x02"),
)


def simple_levels(text: str, base_level: int | None) -> tuple[int, bytes] | None:
    """The paragraph level and the levels (before L1) of a paragraph without controls.

    Args:
        text: One paragraph.
        base_level: 0 or 1 to force the direction, None for rules P2-P3.

    Returns:
        (paragraph level, one level per character), or None when the text holds a
        character this module leaves to the engine.
    """
    classes = text.translate(_CLASSES)
    if _ENGINE_ONLY_RX.search(classes) is not None:
        return None
    if base_level is None:
        first = _FIRST_STRONG_RX.search(classes)
        base_level = 0 if first is None or first.group() == "L" else 1
    if "B" in classes and (base_level == 0 or "L" in classes):
        return None  # N0 would pair the brackets: the engine does
    sos = "R" if base_level else "L"
    # W1: a mark takes the class of what it follows (sos at the start).
    if "N" in classes:
        classes = _W1_RX.sub(lambda match: match.group(1) * len(match.group()), classes)
        if classes.startswith("N"):
            marks = len(classes) - len(classes.lstrip("N"))
            classes = sos * marks + classes[marks:]
    # W2: a European number whose last strong type is AL is an Arabic number.
    if "E" in classes and "A" in classes:
        classes = _W2_RX.sub(lambda match: match.group().replace("E", "a"), classes)
    # W3: AL is R.
    classes = classes.replace("A", "R")
    # W4: one separator between two numbers of one type joins them.
    if "E" in classes:
        classes = _W4_EN_RX.sub("E", classes)
    if "a" in classes:
        classes = _W4_AN_RX.sub("a", classes)
    # W5: terminators next to a European number are part of it.
    if "E" in classes and "T" in classes:
        classes = _W5_RX.sub(lambda match: "E" * len(match.group()), classes)
    # W6: the other separators and terminators are neutral (brackets too, see above).
    classes = classes.translate(_W6)
    # W7: a European number whose last strong type is L (or sos L) is L.
    if "E" in classes:
        if "L" in classes:
            classes = _W7_RX.sub(lambda match: match.group().replace("E", "L"), classes)
        if not base_level:
            first = _FIRST_STRONG_RX.search(classes)
            head = len(classes) if first is None else first.start()
            classes = classes[:head].replace("E", "L") + classes[head:]
    # N1: neutrals between two strong types of one direction take it (numbers count
    # as R); N2: the others take the paragraph's. Only the minority needs a callback.
    if base_level:
        if "L" in classes:
            classes = _N1_L_RX.sub(lambda match: "L" * len(match.group()), classes)
        classes = classes.replace("O", "R").replace("W", "R")
    else:
        padded = f"L{classes}L"  # sos and eos
        padded = _N1_R_RX.sub(lambda match: "R" * len(match.group()), padded)
        classes = padded[1:-1].replace("O", "L").replace("W", "L")
    return base_level, classes.encode("ascii").translate(_LEVELS[base_level])
