"""Small DOCX and EPUB documents built in the tests, with the libraries the readers use."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx.text.paragraph import Paragraph


def set_rtl(paragraph: Paragraph) -> Paragraph:
    """Mark a Word paragraph right-to-left (w:bidi), as Word does for Arabic."""
    from docx.oxml import OxmlElement

    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    return paragraph


def arabic_docx() -> bytes:
    """An Arabic report: a Title, metadata, two Heading 1 sections, a list, a quote, a
    table, and RTL paragraphs of which one starts with a Latin word and one with a number."""
    import docx

    word = docx.Document()
    word.core_properties.author = "ليلى الخطيب"
    word.core_properties.created = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    set_rtl(word.add_heading("تقرير عن جودة المياه", level=0))
    set_rtl(word.add_paragraph("أظهرت العينات التي جمعت في شهر أبريل تحسنا في جودة المياه."))
    set_rtl(word.add_heading("النتائج", level=1))
    set_rtl(word.add_paragraph("UNICEF قالت إن نسبة التلوث انخفضت إلى النصف."))
    set_rtl(word.add_paragraph("2026 هو العام الثالث على التوالي الذي تتحسن فيه المؤشرات."))
    set_rtl(word.add_paragraph("نقص الكلور في المحطات الصغيرة", style="List Bullet"))
    set_rtl(word.add_paragraph("تأخر أعمال الصيانة", style="List Bullet"))
    set_rtl(word.add_paragraph("«المياه النظيفة حق لكل مواطن»", style="Quote"))
    set_rtl(word.add_heading("التوصيات", level=1))
    table = word.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("المنطقة", "النسبة"), ("الشمال", "12%")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    word.add_paragraph("English note at the end, left to right.")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def english_docx() -> bytes:
    """An English memo with no Title style: its first Heading 1 is the title."""
    import docx

    word = docx.Document()
    word.core_properties.title = "Properties title, not shown"
    word.add_heading("Quarterly review", level=1)
    word.add_paragraph("Sales rose by 4 percent in the third quarter.")
    word.add_heading("Costs", level=2)
    word.add_paragraph("Costs were flat.")
    word.add_heading("Outlook", level=2)
    word.add_paragraph("We expect growth to continue.")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


CHAPTERS = [
    (
        "الفصل الأول: البداية",
        "<h1>الفصل الأول: البداية</h1><p>كان الصباح باردا حين وصل القطار إلى المحطة.</p>"
        "<p>نزلت سلمى وحقيبتها في يدها.</p>",
    ),
    (
        "Chapter Two: The Letter",
        "<h2>Chapter Two: The Letter</h2><p>The letter had been waiting for three days.</p>"
        "<h3>The envelope</h3><p>It bore no stamp.</p>",
    ),
    (
        "الفصل الثالث",
        "<p>في الفصل الأخير عادت سلمى إلى القرية.</p>"
        "<blockquote><p>البيت حيث القلب.</p></blockquote>",
    ),
]


def three_chapter_epub(chapters: list[tuple[str, str]] | None = None) -> bytes:
    """An EPUB of three chapters (Arabic and English), spine order differing from the
    order the files were added in."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("tuireader-test-book")
    book.set_title("رحلة سلمى")
    book.set_language("ar")
    book.add_author("نور الهدى")
    book.add_metadata("DC", "date", "2025-03-01")
    items = []
    for number, (title, body) in enumerate(chapters or CHAPTERS, start=1):
        item = epub.EpubHtml(title=title, file_name=f"chap_{number}.xhtml", lang="ar")
        item.content = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
        items.append(item)
    for item in reversed(items):
        book.add_item(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()
