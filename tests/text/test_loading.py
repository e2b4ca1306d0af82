"""Tests for decoding and sanitising: encodings, bad input, controls and bidi controls."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.paths import SAMPLE
from tuireader.text import loading
from tuireader.text.document import BidiControls
from tuireader.text.loading import (
    LoadError,
    count_bidi_controls,
    decode_text,
    read_bytes,
    replace_controls,
    sanitize_text,
)
from tuireader.text.structure import load_document

SEED = SAMPLE
ARABIC_PARAGRAPHS = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
# Terminal controls that must never reach the screen: C0 but \n and \t, DEL, C1.
FORBIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

ARABIC = "قال المتحدث إن المحادثات ستستأنف الأسبوع المقبل في القاهرة."
HEBREW = "עיריית ירושלים הודיעה היום על פתיחת קו רכבת קלה חדש בין השכונות."
FRENCH = (
    "Le président a déclaré mercredi que la réforme des retraites serait présentée à "
    "l'Assemblée avant l'été. Selon lui, les négociations avec les syndicats ont été "
    "« très constructives », même si plusieurs désaccords subsistent sur l'âge légal."
)


# --- encodings ---------------------------------------------------------------------


def test_utf8_decodes_without_notices() -> None:
    decoded = decode_text(ARABIC.encode(), "a.txt")
    assert (decoded.text, decoded.encoding, decoded.notices) == (ARABIC, "utf-8", ())


def test_utf8_byte_order_mark_is_dropped() -> None:
    decoded = decode_text(b"\xef\xbb\xbf" + ARABIC.encode(), "a.txt")
    assert decoded.text == ARABIC
    assert decoded.encoding == "utf-8"
    assert decoded.notices == ()


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [
        ("utf-16-le", "utf-16"),
        ("utf-16-be", "utf-16"),
        ("utf-32-le", "utf-32"),
        ("utf-32-be", "utf-32"),
    ],
)
def test_utf16_and_utf32_are_read_by_their_byte_order_mark(codec: str, encoding: str) -> None:
    decoded = decode_text(("\ufeff" + ARABIC + "\nEnglish").encode(codec), "a.txt")
    assert decoded.text == ARABIC + "\nEnglish"
    assert decoded.encoding == encoding
    assert decoded.notices == (f"decoded as {encoding} (not UTF-8)",)


def test_truncated_utf16_is_refused_with_offset() -> None:
    data = ("\ufeff" + ARABIC).encode("utf-16-le") + b"\x41"
    with pytest.raises(LoadError, match=r"^a\.txt: not valid UTF-16 \(bad data at offset \d+\)$"):
        decode_text(data, "a.txt")


@pytest.mark.parametrize("paragraph", ARABIC_PARAGRAPHS)
def test_windows_1256_arabic_decodes_to_the_right_text(paragraph: str) -> None:
    decoded = decode_text(paragraph.encode("cp1256"), "a.txt")
    assert decoded.text == paragraph
    assert decoded.encoding == "windows-1256"
    assert decoded.notices == ("decoded as windows-1256 (not UTF-8)",)


def test_whole_windows_1256_article_decodes_to_the_right_text() -> None:
    article = SEED.read_text(encoding="utf-8")
    decoded = decode_text(article.encode("cp1256"), "a.txt")
    assert decoded.text == article
    assert decoded.encoding == "windows-1256"


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    "paragraph", [p for p in ARABIC_PARAGRAPHS if _encodable(p, "iso8859_6")] + [ARABIC]
)
def test_iso_8859_6_arabic_decodes_to_the_right_text(paragraph: str) -> None:
    decoded = decode_text(paragraph.encode("iso8859_6"), "a.txt")
    assert decoded.text == paragraph
    assert decoded.encoding == "iso-8859-6"


def test_windows_1255_hebrew_decodes_to_the_right_text() -> None:
    decoded = decode_text(HEBREW.encode("cp1255"), "h.txt")
    assert decoded.text == HEBREW
    assert decoded.notices == ("decoded as windows-1255 (not UTF-8)",)


def test_windows_1252_french_decodes_through_charset_normalizer() -> None:
    decoded = decode_text(FRENCH.encode("cp1252"), "f.txt")
    assert decoded.text == FRENCH
    assert decoded.encoding == "windows-1252"


def test_mostly_utf8_arabic_with_one_bad_byte_is_refused_not_mojibake() -> None:
    good = SEED.read_bytes()
    data = good[:1234] + b"\xff" + good[1234:]
    with pytest.raises(LoadError) as caught:
        decode_text(data, "broken.txt")
    assert str(caught.value) == (
        "broken.txt: not valid UTF-8 (first bad byte 0xff at offset 1234) "
        "and no other encoding fits"
    )


def test_ascii_with_one_stray_byte_is_refused_when_no_encoding_is_sure() -> None:
    with pytest.raises(LoadError, match=r"^b\.txt: not valid UTF-8 .*offset 12\)"):
        decode_text(b"hello world \xff more text", "b.txt")


# --- binary and empty input --------------------------------------------------------


def test_nul_byte_means_binary(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    path.write_bytes(b"PK\x03\x04 some text \x00 more")
    with pytest.raises(LoadError) as caught:
        load_document(path)
    assert str(caught.value) == f"{path}: binary file, not text (NUL byte at offset 15)"


def test_many_control_bytes_mean_binary() -> None:
    data = bytes(range(1, 7)) * 50 + b"text"
    with pytest.raises(LoadError, match=r"^blob: binary file, not text \(control byte 0x01"):
        decode_text(data, "blob")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \r\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_or_whitespace_file_gives_empty_text_and_a_notice(data: bytes) -> None:
    decoded = decode_text(data, "empty.txt")
    assert decoded.text == ""
    assert "empty file" in decoded.notices


# --- newlines, NFC, tabs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("a\x85b", "a\nb"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("e\u0301", "\u00e9"),
        ("\u0627\u0653", "\u0622"),
        ("a\tb", "a       b"),
        ("\tx\n12\ty", "        x\n12      y"),
    ],
)
def test_sanitize_normalises_newlines_nfc_and_tabs(raw: str, clean: str) -> None:
    assert sanitize_text(raw) == (clean, 0)


# --- control characters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown", "count"),
    [
        ("\x1b]52;c;SGVsbG8=\x07", "\u241b]52;c;SGVsbG8=\u2407", 2),
        ("\x1b[2J\x1b[31mred", "\u241b[2J\u241b[31mred", 2),
        ("\x1bP+q544e\x1b\\", "\u241bP+q544e\u241b\\", 2),
        ("nul\x00 del\x7f", "nul\u2400 del\u2421", 2),
        ("c1 \x9b31m", "c1 \ufffd31m", 1),
        ("bell\x07 bs\x08 vt\x0b ff\x0c", "bell\u2407 bs\u2408 vt\n ff\n", 2),
        ("lone \udcff surrogate", "lone \ufffd surrogate", 1),
        ("tab\tand\nnewline", "tab     and\nnewline", 0),
    ],
)
def test_controls_become_visible_placeholders(raw: str, shown: str, count: int) -> None:
    assert sanitize_text(raw) == (shown, count)


def test_decoded_file_with_escape_sequences_has_placeholders_and_a_notice() -> None:
    data = "title\x1b]0;pwned\x07\nbody \x1b[2J\x9b".encode()
    decoded = decode_text(data, "e.txt")
    assert FORBIDDEN_RE.search(decoded.text) is None
    assert "\u241b]0;pwned\u2407" in decoded.text
    assert "replaced 4 control characters" in decoded.notices


def test_many_dense_controls_are_all_replaced() -> None:
    text, count = replace_controls("\x1ba" * 1000)
    assert count == 1000
    assert text == "\u241ba" * 1000


@given(st.text())
def test_sanitize_never_leaves_a_control_character(text: str) -> None:
    clean, _ = sanitize_text(text)
    assert FORBIDDEN_RE.search(clean) is None
    assert "\r" not in clean and "\t" not in clean
    assert unicodedata.is_normalized("NFC", clean)


@given(st.text())
def test_replacing_controls_keeps_the_length_and_counts_each_one(text: str) -> None:
    clean, count = replace_controls(text)
    assert len(clean) == len(text)
    assert count == sum(a != b for a, b in zip(text, clean, strict=True))
    assert FORBIDDEN_RE.search(clean) is None


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_cleanly_or_raise_a_one_line_load_error(data: bytes) -> None:
    try:
        decoded = decode_text(data, "fuzz.bin")
    except LoadError as err:
        assert "\n" not in str(err)
        assert str(err).startswith("fuzz.bin: ")
    else:
        assert FORBIDDEN_RE.search(decoded.text) is None


# --- bidi controls -----------------------------------------------------------------


def test_bidi_controls_are_kept_counted_and_flagged() -> None:
    text = "abc \u202e cba \u202c \u2067مرحبا\u2069 \u202b x \u202c \u200f\u200e"
    decoded = decode_text(text.encode(), "trojan.txt")
    assert decoded.text == text
    assert decoded.bidi_controls == BidiControls(embeddings=1, overrides=1, isolates=1, marks=2)
    assert decoded.notices == (
        "hidden characters: 8 bidi controls (2 PDF, 1 RLE, 1 RLO, 1 RLI, 1 PDI, 1 LRM, "
        "1 RLM): the text may not read as it is stored",
    )


def test_bidi_marks_alone_are_counted_but_not_flagged() -> None:
    decoded = decode_text("\u200fمرحبا \u061c 2024\u200e".encode(), "marks.txt")
    assert decoded.bidi_controls == BidiControls(marks=3)
    assert not decoded.bidi_controls.suspicious
    assert decoded.notices == ()


def test_counting_bidi_controls_of_plain_text_finds_none() -> None:
    assert count_bidi_controls(ARABIC) == BidiControls()


# --- files -------------------------------------------------------------------------


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(LoadError, match="^" + re.escape(f"{missing}: no such file") + "$"):
        load_document(missing)


def test_directory_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a directory, not a file$"):
        load_document(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_a_load_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    with pytest.raises(LoadError, match="permission denied$"):
        read_bytes(locked)


def test_file_over_the_size_limit_is_a_load_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "MAX_BYTES", 10)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 11)
    with pytest.raises(LoadError, match="too large"):
        read_bytes(big)
    big.write_bytes(b"x" * 10)
    assert read_bytes(big) == b"x" * 10


# --- names and hidden characters (issue 9) -------------------------------------------


def test_a_load_error_names_a_hostile_file_in_one_inert_line(tmp_path: Path) -> None:
    """Issue 9: "no such file: <name>" wrote an OSC 52 sequence to the terminal."""
    missing = tmp_path / "\x1b]52;c;aGVsbG8=\x07\nnext"
    with pytest.raises(LoadError) as caught:
        load_document(missing)
    assert str(caught.value).endswith("␛]52;c;aGVsbG8=␇␊next: no such file")


def test_a_document_name_is_made_safe_for_the_status_bar(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b[31m\u202e.txt"
    path.write_text("text")
    assert load_document(path).name == "a␛[31m⌜RLO⌝.txt"


def test_hidden_characters_get_a_notice_that_names_them() -> None:
    decoded = decode_text("approved\U000e006e\U000e006f\U000e0074 pass\u200bword".encode(), "h")
    assert decoded.hidden.tags == 3
    assert decoded.notices == (
        "hidden characters: 3 TAG characters (hidden text «not»), 1 zero-width character "
        "inside words (1 ZWSP): the text may not read as it is stored",
    )


def test_markdown_entities_that_hide_text_are_counted_too(tmp_path: Path) -> None:
    path = tmp_path / "entities.md"
    path.write_text("approved&#xE006E;&#xE006F;&#xE0074; it\n")
    document = load_document(path)
    assert document.hidden.tag_text == "not"
    assert any("3 TAG characters" in notice for notice in document.notices)


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b" \t\x0b\x0c \n \r\n\xc2\xa0\xe2\x80\x83\n"])
def test_an_empty_or_whitespace_only_file_holds_no_claim(tmp_path: Path, raw: bytes) -> None:
    """Issue 13: vertical tabs and form feeds were drawn as control pictures and made
    a claim of a file with nothing to read."""
    from tuireader.text.claims import iter_claims
    from tuireader.text.structure import load_document

    path = tmp_path / "blank.txt"
    path.write_bytes(raw)
    document = load_document(path)
    assert list(iter_claims(document)) == []
    assert document.paragraphs == ()
