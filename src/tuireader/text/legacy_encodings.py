"""Decoding text that is not UTF-8: legacy Arabic and Hebrew code pages, then a careful guess."""

from __future__ import annotations

import re

_HIGH_BYTES = bytes(range(0x80, 0x100))

# Legacy single-byte encodings tried before charset-normalizer, each with the
# script its letters must mostly be in. It alone tells cp1256 from ISO-8859-6 from
# cp1255 reliably on short text (charset-normalizer may name any of them).
_LEGACY_CANDIDATES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("cp1256", "windows-1256", re.compile("[\u0600-\u06ff]")),
    ("iso8859_6", "iso-8859-6", re.compile("[\u0600-\u06ff]")),
    ("cp1255", "windows-1255", re.compile("[\u05d0-\u05ea\u05f0-\u05f4]")),
    ("iso8859_8", "iso-8859-8", re.compile("[\u05d0-\u05ea]")),
)
# Non-ASCII characters that a legacy Arabic or Hebrew text legitimately holds
# besides its letters; they count neither for nor against an encoding.
_NEUTRAL_NON_ASCII_RE = re.compile(
    "[\u00a0\u00ab\u00bb\u00b0\u00d7\u00f7\u20ac\u20aa\u2013\u2014\u2018\u2019"
    "\u201a\u201c\u201d\u201e\u2022\u2026\u200c\u200d\u200e\u200f\u0591-\u05c7]"
)
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
_ASCII_LETTER_RE = re.compile("[A-Za-z]")
_SAMPLE_BYTES = 64 * 1024
"""How much of a file the encoding guesses look at (a window, for speed)."""
_MIN_SCRIPT_SHARE = 0.9
"""Share of the non-ASCII letters that must be in the encoding's script."""
_MAX_CHAOS = 0.1
"""charset-normalizer's mess ratio above which its guess is not trusted; guesses
within this much of the best compete with it."""
_MIN_COHERENCE_LEAD = 0.04
"""How far charset-normalizer's best guess must lead any guess that reads differently."""
# Code pages people actually wrote articles in. charset-normalizer also proposes
# rarities (cp1006, hp_roman8, mac_*, EBCDIC) that fit short text by accident.
_ALLOWED_CODEC_RE = re.compile(
    r"cp125\d|iso8859_\d+|latin_1|koi8_[ru]|cp866|cp874|tis_620|gb18030|gbk|gb2312"
    r"|big5|big5hkscs|cp932|shift_jis|euc_jp|cp949|euc_kr"
)


def decode_legacy(data: bytes, bad_offset: int) -> tuple[str, str] | None:
    """Decode bytes that are not UTF-8 in the one legacy encoding that fits, if any.

    Args:
        data: The file's bytes.
        bad_offset: Where UTF-8 decoding first failed.

    Returns:
        The text and the encoding's usual name (e.g. "windows-1256"), or None when
        no encoding fits confidently; never mojibake.
    """
    window = data[max(0, bad_offset - _SAMPLE_BYTES) : bad_offset + _SAMPLE_BYTES]
    if _mostly_utf8(window):
        # UTF-8 with a few broken bytes: any single-byte decoding would turn all its
        # good non-ASCII text into mojibake.
        return None
    found = _decode_known_script(data)
    if found is None:
        found = _decode_with_charset_normalizer(data)
    return found


def _mostly_utf8(data: bytes) -> bool:
    """True when valid UTF-8 multi-byte characters outnumber invalid bytes."""
    lenient = data.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd") - data.count("\ufffd".encode())
    ascii_bytes = len(data.translate(None, _HIGH_BYTES))
    valid_non_ascii = len(lenient) - ascii_bytes - replaced
    return valid_non_ascii >= replaced


def _decode_known_script(data: bytes) -> tuple[str, str] | None:
    """Try the legacy Arabic and Hebrew encodings; the best plausible one wins."""
    sample = data[:_SAMPLE_BYTES]
    best: tuple[float, int, str, str] | None = None
    for codec, label, script_re in _LEGACY_CANDIDATES:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        in_script = len(script_re.findall(text))
        non_ascii = len(_NON_ASCII_RE.findall(text)) - len(_NEUTRAL_NON_ASCII_RE.findall(text))
        ascii_letters = len(_ASCII_LETTER_RE.findall(text))
        if in_script < 3 or in_script * 10 < (in_script + ascii_letters) * 3:
            # Too little of the script to judge, or an English text with a stray
            # byte: a lone "ے" from 0xFF would be a guess, not a decoding.
            continue
        share = in_script / max(non_ascii, 1)
        if share < _MIN_SCRIPT_SHARE:
            continue
        # "ال" (the Arabic article) is the commonest bigram; the wrong Arabic code
        # page maps it to other letters. Ties keep the earlier, commoner encoding.
        article = text.count("\u0627\u0644")
        if best is None or (share, article) > (best[0], best[1]):
            best = (share, article, codec, label)
    if best is None:
        return None
    _, _, codec, label = best
    try:
        return data.decode(codec), label
    except UnicodeDecodeError:
        return None


def _decode_with_charset_normalizer(data: bytes) -> tuple[str, str] | None:
    # Imported here: it costs tens of milliseconds at start-up and almost every
    # file is UTF-8.
    from charset_normalizer import from_bytes

    matches = sorted(
        (m for m in from_bytes(data) if _ALLOWED_CODEC_RE.fullmatch(m.encoding)),
        key=lambda m: (m.chaos, -m.coherence),
    )
    if not matches or matches[0].chaos > _MAX_CHAOS:
        return None
    best = matches[0]
    sample = data[:_SAMPLE_BYTES]
    best_sample = sample.decode(best.encoding, errors="replace")
    for other in matches[1:]:
        if other.chaos > best.chaos + _MAX_CHAOS:
            break
        if sample.decode(other.encoding, errors="replace") == best_sample:
            continue
        # Short text decodes cleanly in many code pages; only a clear lead in
        # charset-normalizer's language coherence makes a guess a decoding.
        if best.coherence - other.coherence < _MIN_COHERENCE_LEAD:
            return None
        break
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if re.search("[\x80-\x9f]", text):
        # C1 controls mean the guess mapped bytes to nothing printable.
        return None
    return text, _encoding_label(best.encoding)


def _encoding_label(codec: str) -> str:
    """Python's codec name as people know it: cp1252 → windows-1252."""
    if re.fullmatch(r"cp125\d", codec):
        return "windows-" + codec[2:]
    iso = re.fullmatch(r"iso8859_(\d+)", codec)
    if iso:
        return f"iso-8859-{iso.group(1)}"
    if codec == "latin_1":
        return "iso-8859-1"
    return codec.replace("_", "-")
