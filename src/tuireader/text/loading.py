"""Bytes to clean logical text: encoding detection, newlines, NFC and control characters."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from typing import NamedTuple

from tuireader.text.document import BidiControls
from tuireader.text.hidden import HIDDEN_RE, HiddenChars, find_hidden, hidden_notice
from tuireader.text.sanitize import CONTROL_RE, replace_controls, terminal_safe, without_controls

__all__ = [
    "MAX_BYTES",
    "DecodedText",
    "LoadError",
    "count_bidi_controls",
    "decode_text",
    "read_bytes",
    "replace_controls",
    "sanitize_text",
    "without_controls",
]

MAX_BYTES = 256 * 1024 * 1024
"""Refuse files larger than this: an article is never that big, and the whole file
is held in memory several times over (bytes, text, layout)."""

_OTHER_NEWLINES = ("\x85", "\u2028", "\u2029", "\x0b", "\x0c")
"""NEL, LINE and PARAGRAPH SEPARATOR, and the vertical tab and form feed: mandatory
breaks (UAX #14 BK) and whitespace, not control pictures; a file of spaces and form
feeds holds no claim."""

_CRS_BEFORE_LF_RE = re.compile("\r+\n")
_LINE_SEPARATOR_RE = re.compile("\u2028")

_EMBEDDINGS = "\u202a\u202b"  # LRE RLE
_OVERRIDES = "\u202d\u202e"  # LRO RLO
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI
_MARKS = "\u200e\u200f\u061c"  # LRM RLM ALM
_BIDI = "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
"""The bidi controls `count_bidi_controls` counts; compiled by re's cache on first use,
not at import: plain text without controls never needs it (`_SPECIAL_RE` says so)."""
# Controls and every invisible character (bidi controls among them) in one class: a
# single scan over megabytes finds none of them in the common case.
_SPECIAL_RE = re.compile(f"{CONTROL_RE.pattern}|{HIDDEN_RE.pattern}")

# UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)

# Bytes that plain text never holds, even text with stray escape sequences: C0 but
# NUL (checked first), BEL, BS, TAB, LF, VT, FF, CR and ESC.
_BINARY_BYTES = bytes([*range(0x01, 0x07), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_BINARY_BYTE_RE = re.compile(b"[" + re.escape(_BINARY_BYTES) + b"]")


class LoadError(Exception):
    """A user error: str(err) is ONE line for stderr.

    For example "article.txt: not a text file (NUL byte at offset 12)". The message is
    made safe for a terminal here, where it is made: it names files, and a file name
    can hold anything (an OSC 52 sequence that writes the clipboard, a newline).
    """

    def __init__(self, message: str) -> None:
        super().__init__(terminal_safe(message, one_line=True))


class DecodedText(NamedTuple):
    """A file's text after decoding and sanitising, with what the user should know."""

    text: str
    """Decoded, newlines normalised to \\n, NFC, controls replaced, tabs expanded."""
    encoding: str
    """The encoding it was read in, e.g. "utf-8", "utf-16", "windows-1256"."""
    notices: tuple[str, ...]
    """One-line messages for the user."""
    bidi_controls: BidiControls
    """How many explicit bidi formatting characters `text` holds."""
    hidden: HiddenChars = HiddenChars()
    """The invisible characters out of place in `text` (see `find_hidden`)."""
    line_breaks: tuple[int, ...] = ()
    """Offsets of the "\\n"s of `text` that were a lone CR in a text whose lines end in
    LF or CRLF: a line break inside a line, which does not end its paragraph."""


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """Read a whole file, or its first `limit + 1` bytes when it is longer.

    Args:
        path: The file to read.
        limit: Read no more than one byte past this; a file longer than `MAX_BYTES` is
            refused, one longer than a smaller limit is cut (the caller compares).

    Returns:
        Its bytes.

    Raises:
        LoadError: It is missing, a directory, unreadable or larger than `MAX_BYTES`.
    """
    shown = os.fspath(path)
    try:
        if stat.S_ISDIR(os.stat(path).st_mode):
            raise LoadError(f"{shown}: is a directory, not a file")
        with open(path, "rb") as file:
            # One byte more than allowed tells "too large" apart from "exactly at the
            # limit" without trusting st_size (pipes and /proc files report 0).
            data = file.read(min(limit, MAX_BYTES) + 1)
    except FileNotFoundError:
        raise LoadError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise LoadError(f"{shown}: is a directory, not a file") from None
    except PermissionError:
        raise LoadError(f"{shown}: permission denied") from None
    except OSError as err:
        raise LoadError(f"{shown}: cannot read ({err.strerror or err})") from None
    if len(data) > MAX_BYTES:
        raise LoadError(f"{shown}: too large (over {MAX_BYTES // (1024 * 1024)} MiB)")
    return data


def decode_text(data: bytes, name: str, encoding: str | None = None) -> DecodedText:
    """Decode a file's bytes and sanitise the text.

    Byte order marks decide first (UTF-8, UTF-16, UTF-32), then UTF-8 itself, then a
    declared encoding (an HTTP charset, an HTML `<meta>`) when the bytes decode in it,
    else a legacy encoding that fits confidently (Windows-1256 and ISO-8859-6 for
    Arabic, Windows-1255 for Hebrew, then charset-normalizer).

    Args:
        data: The file's bytes.
        name: What to call the file in error messages.
        encoding: The encoding the bytes declare, if any; one Python does not know,
            or that does not fit the bytes, is passed over for detection (with a notice).

    Returns:
        The sanitised text, its encoding and notices for the user.

    Raises:
        LoadError: The bytes are binary, or not text in any encoding that fits.
    """
    notices: list[str] = []
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as err:
                offset = err.start + len(bom)
                raise LoadError(
                    f"{name}: not valid {label.upper()} (bad data at offset {offset})"
                ) from None
            encoding = label
            break
    else:
        _refuse_binary(data, name)
        try:
            # Valid UTF-8 wins even over a declared charset: servers and <meta> tags
            # often say ISO-8859-1 for UTF-8, while legacy text is almost never valid
            # UTF-8 by accident.
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as err:
            declared = _decode_declared(data, encoding, notices) if encoding else None
            if declared is not None:
                text, encoding = declared
            else:
                # Imported only for a file that is not UTF-8: its code-page tables and
                # patterns are not worth a millisecond of every other start.
                from tuireader.text.legacy_encodings import decode_legacy

                bad = err.start
                found = decode_legacy(data, bad)
                if found is None:
                    raise LoadError(
                        f"{name}: not valid UTF-8 (first bad byte 0x{data[bad]:02x} at "
                        f"offset {bad}) and no other encoding fits"
                    ) from None
                text, encoding = found
    if encoding not in ("utf-8", "ascii", "us-ascii"):
        notices.append(f"decoded as {encoding} (not UTF-8)")

    text, line_breaks = _normalize(text)
    if _SPECIAL_RE.search(text) is None:
        # The common case: one scan shows there is neither a control character to
        # replace nor a bidi control to count.
        replaced, controls, hidden = 0, BidiControls(), HiddenChars()
    else:
        text, replaced = replace_controls(text)
        controls = count_bidi_controls(text)
        hidden = find_hidden(text)
    if not text.strip():
        text, replaced, controls, hidden = "", 0, BidiControls(), HiddenChars()
        line_breaks = ()
        notices.append("empty file")
    if replaced:
        plural = "s" if replaced != 1 else ""
        notices.append(f"replaced {replaced} control character{plural}")
    notice = hidden_notice(hidden)
    if notice:
        notices.append(notice)
    return DecodedText(text, encoding, tuple(notices), controls, hidden, line_breaks)


def _decode_declared(data: bytes, declared: str, notices: list[str]) -> tuple[str, str] | None:
    """Decode in a declared encoding, or None (and a notice) when it does not fit."""
    import codecs

    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        notices.append(f"unknown declared charset {declared!r} ignored")
        return None
    if codec == "utf-8":
        return None  # not UTF-8 after all: detection, with its precise error
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        notices.append(f"the bytes are not {codec} as declared; charset detected instead")
        return None


def sanitize_text(text: str) -> tuple[str, int]:
    """Make decoded text safe and regular to show.

    Newlines (CRLF, CR, NEL, U+2028, U+2029, VT, FF) become "\\n", tabs expand to stops of 8,
    the text is NFC, and terminal control characters become visible placeholders
    one for one: C0 (but \\n and \\t) as Control Pictures (ESC shows as "␛"), DEL as
    "␡", C1 and lone surrogates as U+FFFD. Bidi controls are kept.

    Args:
        text: Decoded text, e.g. from a file or stdin.

    Returns:
        The clean text and how many characters were replaced by placeholders.
    """
    return replace_controls(_normalize(text)[0])


def count_bidi_controls(text: str) -> BidiControls:
    """Count the explicit bidi formatting characters in a text.

    Args:
        text: Any text.

    Returns:
        The counts of embeddings, overrides, isolates and marks.
    """
    if re.search(_BIDI, text) is None:
        return BidiControls()
    return BidiControls(
        embeddings=sum(text.count(char) for char in _EMBEDDINGS),
        overrides=sum(text.count(char) for char in _OVERRIDES),
        isolates=sum(text.count(char) for char in _ISOLATES),
        marks=sum(text.count(char) for char in _MARKS),
    )


def _normalize(text: str) -> tuple[str, tuple[int, ...]]:
    """Newlines to "\\n", tabs to spaces, NFC: the steps that may change the length.

    A CR ends a line in a text whose lines end in CR (classic Mac OS). In a text whose
    lines end in LF or CRLF, a CR alone is a line break inside a line (issue 13: it
    split a paragraph in two): it becomes "\\n" too, and its offset is returned, so
    that the structure keeps its paragraph whole. CRs right before an LF ("\\r\\r\\n",
    a CRLF file converted twice) are part of that line's end.

    Returns:
        The text, and the offsets of its line breaks that were a lone CR.
    """
    # Each step first checks cheaply whether it has anything to do: most files have
    # no CR, no tab and are NFC already. str.replace is several times faster than
    # a regex substitution on megabytes.
    lone_cr = False
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:  # rare: the scan costs what the old replace("\r", "\n") did
            text = _CRS_BEFORE_LF_RE.sub("\n", text)  # "\r\r\n" is "\r\n" by now
            lone_cr = "\n" in text
            if not lone_cr:
                text = text.replace("\r", "\n")
    for separator in _OTHER_NEWLINES:
        if separator in text:
            text = text.replace(separator, "\n")
    if lone_cr:
        # Marked with LINE SEPARATOR (all replaced above, so each one now is a lone
        # CR), which the steps below keep as it is, one character for one.
        text = text.replace("\r", "\u2028")
    if "\t" in text:
        text = text.expandtabs(8)
    # normalize() returns its argument untouched when the quick check says NFC.
    text = unicodedata.normalize("NFC", text)
    if not lone_cr:
        return text, ()
    breaks = tuple(found.start() for found in _LINE_SEPARATOR_RE.finditer(text))
    return text.replace("\u2028", "\n"), breaks


def _refuse_binary(data: bytes, name: str) -> None:
    nul = data.find(b"\x00")
    if nul >= 0:
        raise LoadError(f"{name}: binary file, not text (NUL byte at offset {nul})")
    binary = len(data) - len(data.translate(None, _BINARY_BYTES))
    # A few stray control bytes are text with junk in it (shown as placeholders);
    # one byte in ten is not text at all.
    if binary >= 4 and binary * 10 > len(data):
        found = _BINARY_BYTE_RE.search(data)
        offset = found.start() if found else 0
        raise LoadError(
            f"{name}: binary file, not text (control byte 0x{data[offset]:02x} at offset {offset})"
        )
