"""A lone CR is a line break inside its paragraph, not a paragraph break (issue 13)."""

from __future__ import annotations

import pytest

from tuireader.text.claims import iter_claims
from tuireader.text.loading import decode_text
from tuireader.text.structure import parse_plain

TITLE = "A short title\n\n"


def paragraphs(raw: bytes) -> list[str]:
    document = parse_plain(decode_text(raw, "t.txt"), "t.txt")
    return [p.text for p in document.paragraphs]


@pytest.mark.parametrize(
    ("raw", "text", "breaks"),
    [
        (b"one\rtwo\nthree", "one\ntwo\nthree", (3,)),
        (b"one\rtwo\r\nthree", "one\ntwo\nthree", (3,)),
        (b"one\r\ntwo\r\n", "one\ntwo\n", ()),  # CRLF stays one break
        (b"one\rtwo\rthree", "one\ntwo\nthree", ()),  # CR line ends (classic Mac)
        (b"one\r\r\ntwo", "one\ntwo", ()),  # a CRLF file converted twice
        (b"\tone\rtwo\n", "        one\ntwo\n", (11,)),  # offsets after tabs expand
        ("e\u0301\rx\n".encode(), "\u00e9\nx\n", (1,)),  # and after NFC
    ],
)
def test_the_loader_keeps_the_offsets_of_lone_crs(
    raw: bytes, text: str, breaks: tuple[int, ...]
) -> None:
    decoded = decode_text(raw, "t.txt")
    assert decoded.text == text
    assert decoded.line_breaks == breaks


def test_a_lone_cr_does_not_split_a_paragraph() -> None:
    raw = TITLE + "The minister said so.\rHe repeated it on Friday.\nAnother line here.\n"
    assert paragraphs(raw.encode()) == [
        "A short title",
        "The minister said so. He repeated it on Friday.",
        "Another line here.",
    ]


def test_a_lone_cr_in_a_block_of_its_own_keeps_one_paragraph_and_its_claims() -> None:
    raw = TITLE + "قال الوزير ذلك.\rوكرره يوم الجمعة.\n\nEnd of it.\n"
    document = parse_plain(decode_text(raw.encode(), "t.txt"), "t.txt")
    body = document.paragraphs[1]
    assert body.text == "قال الوزير ذلك. وكرره يوم الجمعة."
    assert document.text[body.start : body.end] == "قال الوزير ذلك.\nوكرره يوم الجمعة."
    claims = [document.text[c.start : c.end] for c in iter_claims(document)]
    assert claims[:2] == ["قال الوزير ذلك.", "وكرره يوم الجمعة."]


def test_crlf_lines_are_still_one_paragraph_each() -> None:
    raw = TITLE.replace("\n", "\r\n") + "First line.\r\nSecond line.\r\n"
    assert paragraphs(raw.encode()) == ["A short title", "First line.", "Second line."]


def test_a_cr_only_file_has_one_paragraph_per_line() -> None:
    raw = TITLE.replace("\n", "\r") + "First line.\rSecond line.\r"
    assert paragraphs(raw.encode()) == ["A short title", "First line.", "Second line."]
