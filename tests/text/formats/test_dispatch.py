"""Tests of `read_document`'s choice of format: Content-Type, extension, sniffing."""

from __future__ import annotations

import pytest

from tuireader.text.document import BlockKind
from tuireader.text.formats import (
    Format,
    MediaType,
    detect_format,
    parse_content_type,
    read_document,
)

MARKDOWN = "# العنوان\n\n## قسم\n\nنص الفقرة الأولى.\n".encode()


@pytest.mark.parametrize(
    ("data", "name", "content_type", "expected"),
    [
        (b"text", "a.txt", None, Format.PLAIN),
        (b"# t", "a.md", None, Format.MARKDOWN),
        (b"# t", "A.MARKDOWN", None, Format.MARKDOWN),
        (b"<p>x</p>", "page.HTM", None, Format.HTML),
        (b"x", "book.epub", None, Format.EPUB),
        (b"x", "report.docx", None, Format.DOCX),
        (b"x", "https://example.org/a/page.html?x=1#top", None, Format.HTML),
        (b"x", "https://example.org/article", "text/html; charset=utf-8", Format.HTML),
        (b"<html>", "notes.txt", "text/plain", Format.PLAIN),
        (b"# t", "https://example.org/readme.md", "text/plain", Format.MARKDOWN),
        (b"x", "https://example.org/a", "application/octet-stream", Format.PLAIN),
        (b"  <!DOCTYPE html><html><body>x", "<stdin>", None, Format.HTML),
        (b"\xef\xbb\xbf<html lang=ar>", "<stdin>", None, Format.HTML),
        (b"<!-- saved --><div>x</div>", "page", None, Format.HTML),
        (b"a < b and <html is a word", "<stdin>", None, Format.PLAIN),
        (b"\n# Title\n\nText.", "<stdin>", None, Format.MARKDOWN),
        ("## قسم\n\nنص.".encode(), "<stdin>", None, Format.MARKDOWN),
        (b"Title\n=====\n\nText.", "<stdin>", None, Format.MARKDOWN),
        (b"Title\r\n-----\r\n\r\nText.", "article", None, Format.MARKDOWN),
        (b"#hashtag and a claim.\n", "<stdin>", None, Format.PLAIN),
        (b"Title\n\nA claim - with a dash.\n", "<stdin>", None, Format.PLAIN),
        (b"Title\n\n-----\n\nText.", "<stdin>", None, Format.PLAIN),
        (
            b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/epub+zip",
            "<stdin>",
            None,
            Format.EPUB,
        ),
        (b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml", "<stdin>", None, Format.DOCX),
    ],
)
def test_format_comes_from_content_type_then_extension_then_bytes(
    data: bytes, name: str, content_type: str | None, expected: Format
) -> None:
    assert detect_format(data, name, content_type) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("html", None),
        ("Text/HTML", MediaType("text/html", None)),
        ('text/html; Charset="Windows-1256"', MediaType("text/html", "windows-1256")),
        ("text/plain;format=flowed; charset=utf-8", MediaType("text/plain", "utf-8")),
    ],
)
def test_content_type_splits_into_type_and_charset(
    value: str | None, expected: MediaType | None
) -> None:
    assert parse_content_type(value) == expected


def test_markdown_bytes_become_a_document_with_title_and_sections() -> None:
    document = read_document(MARKDOWN, name="/some/where/مقال.md", path="/some/where/مقال.md")
    assert document.name == "مقال.md"
    assert document.path == "/some/where/مقال.md"
    assert document.title == "العنوان"
    assert [section.title for section in document.sections] == ["قسم"]
    assert document.paragraphs[-1].kind is BlockKind.PARAGRAPH


def test_markdown_on_standard_input_is_read_as_markdown() -> None:
    document = read_document(MARKDOWN, name="<stdin>")
    assert document.title == "العنوان"
    assert [section.title for section in document.sections] == ["قسم"]


def test_a_url_keeps_its_whole_name() -> None:
    document = read_document(b"Hello there.", name="https://example.org/a.txt")
    assert document.name == "https://example.org/a.txt"
    assert document.path is None


def test_declared_charset_decodes_legacy_arabic() -> None:
    data = "مرحبا بالعالم في هذا النص".encode("cp1256")
    document = read_document(
        data, name="https://example.org/a", content_type="text/plain; charset=windows-1256"
    )
    assert document.text == "مرحبا بالعالم في هذا النص"
    assert document.encoding == "cp1256"


def test_utf8_wins_over_a_wrong_declared_charset() -> None:
    data = "مرحبا بالعالم".encode()
    document = read_document(data, name="a", content_type="text/plain; charset=iso-8859-1")
    assert document.text == "مرحبا بالعالم"
    assert document.encoding == "utf-8"


def test_unknown_declared_charset_is_passed_over_with_a_notice() -> None:
    data = "مرحبا بالعالم".encode("cp1256")
    document = read_document(data, name="a", content_type="text/plain; charset=klingon-8")
    assert document.text == "مرحبا بالعالم"
    assert any("klingon-8" in notice for notice in document.notices)
