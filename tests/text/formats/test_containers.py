"""Tests of the DOCX and EPUB readers, and of their refusal of hostile containers."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from tests.text.formats.builders import arabic_docx, english_docx, three_chapter_epub
from tuireader.text.document import BlockKind, Direction, Document
from tuireader.text.formats import read_document
from tuireader.text.formats.archive import MAX_UNZIPPED_BYTES
from tuireader.text.loading import LoadError


def _kinds(document: Document, kind: BlockKind) -> list[str]:
    return [p.text for p in document.paragraphs if p.kind is kind]


def test_docx_title_metadata_sections_list_quote_and_table() -> None:
    document = read_document(arabic_docx(), name="/tmp/تقرير.docx", path="/tmp/تقرير.docx")
    assert document.name == "تقرير.docx"
    assert document.title == "تقرير عن جودة المياه"
    assert document.metadata == ("ليلى الخطيب", "2026-05-04")
    assert [(s.title, s.level) for s in document.sections] == [("النتائج", 1), ("التوصيات", 1)]
    assert _kinds(document, BlockKind.LIST_ITEM) == [
        "نقص الكلور في المحطات الصغيرة",
        "تأخر أعمال الصيانة",
    ]
    assert _kinds(document, BlockKind.QUOTE) == ["«المياه النظيفة حق لكل مواطن»"]
    assert _kinds(document, BlockKind.TABLE) == ["المنطقة │ النسبة", "الشمال │ 12%"]
    assert document.direction is Direction.RTL


def test_docx_right_to_left_paragraphs_keep_their_direction_even_starting_in_latin() -> None:
    document = read_document(arabic_docx(), name="r.docx")
    by_text = {p.text: p.direction for p in document.paragraphs}
    assert by_text["UNICEF قالت إن نسبة التلوث انخفضت إلى النصف."] is Direction.RTL
    assert by_text["2026 هو العام الثالث على التوالي الذي تتحسن فيه المؤشرات."] is Direction.RTL
    # Not marked w:bidi: its own first strong character decides.
    assert by_text["English note at the end, left to right."] is Direction.LTR


def test_docx_without_title_style_takes_its_first_heading_1_as_title() -> None:
    document = read_document(english_docx(), name="memo.docx")
    assert document.title == "Quarterly review"
    assert "Properties title" not in document.text
    assert [(s.title, s.level) for s in document.sections] == [("Costs", 1), ("Outlook", 1)]
    assert (
        _kinds(document, BlockKind.PARAGRAPH)[0] == "Sales rose by 4 percent in the third quarter."
    )


def test_epub_chapters_in_spine_order_become_sections() -> None:
    document = read_document(three_chapter_epub(), name="book.epub")
    assert document.title == "رحلة سلمى"
    assert document.metadata == ("نور الهدى", "2025-03-01")
    assert [(s.title, s.level) for s in document.sections] == [
        ("الفصل الأول: البداية", 1),
        ("Chapter Two: The Letter", 1),
        ("The envelope", 2),
        ("الفصل الثالث", 1),
    ]
    assert _kinds(document, BlockKind.PARAGRAPH) == [
        "كان الصباح باردا حين وصل القطار إلى المحطة.",
        "نزلت سلمى وحقيبتها في يدها.",
        "The letter had been waiting for three days.",
        "It bore no stamp.",
        "في الفصل الأخير عادت سلمى إلى القرية.",
    ]
    assert _kinds(document, BlockKind.QUOTE) == ["البيت حيث القلب."]
    # The chapter headings are not repeated as paragraphs.
    assert document.text.count("Chapter Two: The Letter") == 1


def test_epub_chapter_with_escape_sequences_is_sanitized() -> None:
    evil = (
        "<html><head><title>Evil \x1b]0;t\x07</title></head><body><h1>Evil \x1b]0;t\x07</h1>"
        "<p>Text \x1b[2J with &#x9b; and \x07 bell here.</p></body></html>"
    )
    members = {}
    with zipfile.ZipFile(io.BytesIO(three_chapter_epub())) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    chapter = next(name for name in members if name.endswith("chap_1.xhtml"))
    members[chapter] = evil.encode()
    document = read_document(_zip(members), name="evil.epub")
    for value in (document.text, *(s.title for s in document.sections)):
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in value)
    assert "[2J with" in document.text


def test_epub_and_docx_are_sniffed_on_standard_input() -> None:
    assert read_document(three_chapter_epub(), name="<stdin>").title == "رحلة سلمى"
    assert read_document(arabic_docx(), name="<stdin>").title == "تقرير عن جودة المياه"


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _declare_size(data: bytes, size: int) -> bytes:
    """A zip whose directory declares its first member `size` bytes unpacked."""
    patched = bytearray(data)
    central = patched.find(b"PK\x01\x02")
    struct.pack_into("<I", patched, central + 24, size)
    struct.pack_into("<I", patched, 22, size)
    return bytes(patched)


def _inflating_past_its_size(data: bytes) -> bytes:
    """A zip member that declares 100 bytes and inflates to megabytes."""
    return _declare_size(data, 100)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("suffix", [".docx", ".epub"])
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PK\x03\x04 this is not really a zip", "corrupt zip"),
        (b"", "corrupt zip"),
        (arabic_docx()[:2000], "corrupt zip"),
        (_zip({"hello.txt": b"hi"}), "not a valid"),
        (_declare_size(_zip({"word/document.xml": b"x" * 1000}), 3 * 2**30), "zip bomb"),
        (_zip({f"f{i}": b"" for i in range(10_001)}), "files inside"),
        (OLE + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le"), "password-protected"),
        (OLE + b"\0" * 500, "old binary Office file"),
    ],
    ids=["not-zip", "empty", "truncated", "no-parts", "bomb", "many", "encrypted", "ole"],
)
def test_hostile_containers_give_one_line_errors(data: bytes, expected: str, suffix: str) -> None:
    with pytest.raises(LoadError) as caught:
        read_document(data, name=f"bad{suffix}")
    message = str(caught.value)
    assert expected in message
    assert message.startswith(f"bad{suffix}: ")
    assert "\n" not in message


def test_a_member_inflating_past_its_declared_size_is_corrupt() -> None:
    docx = arabic_docx()
    members = {}
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    # document.xml first, then patch its declared size down: zipfile stops at it.
    ordered = {"word/document.xml": members.pop("word/document.xml"), **members}
    with pytest.raises(LoadError, match="not a valid Word document"):
        read_document(_inflating_past_its_size(_zip(ordered)), name="lying.docx")


def test_the_cap_is_generous_for_real_books() -> None:
    assert MAX_UNZIPPED_BYTES >= 100 * 2**20


def test_docx_right_to_left_from_the_paragraph_style_and_off_when_the_paragraph_says_so() -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = docx.Document()
    word.styles["Normal"].element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    word.add_paragraph("BBC نقلت الخبر عن مصادر رسمية في العاصمة.")
    off = word.add_paragraph("Left to right on purpose, with عربي inside.")
    bidi_off = OxmlElement("w:bidi")
    bidi_off.set(qn("w:val"), "0")
    off._p.get_or_add_pPr().append(bidi_off)
    out = io.BytesIO()
    word.save(out)
    document = read_document(out.getvalue(), name="styles.docx")
    assert [p.direction for p in document.paragraphs] == [Direction.RTL, Direction.LTR]
