"""Tests of the HTML reader: the article of a page, without its boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.text.document import BlockKind, Document
from tuireader.text.formats import read_document
from tuireader.text.structure import load_document

PAGES = Path(__file__).parent.parent / "data" / "html"


def _texts(document: Document, kind: BlockKind | None = None) -> list[str]:
    return [p.text for p in document.paragraphs if kind is None or p.kind is kind]


def test_english_news_page_gives_title_metadata_sections_and_article() -> None:
    document = load_document(PAGES / "en_news.html")
    assert document.name == "en_news.html"
    assert document.title == "Port expansion stalls as costs double"
    assert document.metadata == ("Maria Lindqvist", "2026-10-14", "The Harbour Times")
    assert [s.title for s in document.sections] == ["What the audit found", "Costs compared"]
    assert all(s.level == 1 for s in document.sections)
    assert _texts(document, BlockKind.PARAGRAPH)[0].startswith("The expansion of the northern")
    assert len(_texts(document, BlockKind.LIST_ITEM)) == 3
    assert _texts(document, BlockKind.QUOTE) == [
        "We built the budget on the best case, and the best case did not happen."
    ]
    assert _texts(document, BlockKind.TABLE)[0] == "Item │ Budget 2019 │ Estimate 2026"
    assert _texts(document)[-1].startswith("Opposition councillors")


@pytest.mark.parametrize(
    ("page", "boilerplate"),
    [
        (
            "en_news.html",
            [
                "Subscribe now",
                "cookies",
                "ADVERTISEMENT",
                "Sponsored",
                "Read more",
                "Share this",
                "Related stories",
                "Ferry operator",
                "harbourwatcher",
                "obvious from the start",
                "Post comment",
                "All rights reserved",
                "Privacy policy",
                "newsletter",
                "dataLayer",
            ],
        ),
        (
            "ar_news.html",
            [
                "الرئيسية",
                "تسجيل الدخول",
                "رياضة",
                "إعلان",
                "محتوى مدعوم",
                "اقرأ أيضا",
                "الوسوم",
                "شارك",
                "الأكثر قراءة",
                "الذهب",
                "التعليقات",
                "الحكومة نائمة",
                "أضف تعليقك",
                "جميع الحقوق",
                "اشترك",
                "loadAds",
            ],
        ),
        (
            "ar_blog.html",
            [
                "الأرشيف",
                "ابحث في المدونة",
                "التدوينة السابقة",
                "اشترك",
                "أحدث التدوينات",
                "إعلان ممول",
                "التصنيفات",
                "تعليقات",
                "مقال مفيد",
                "ووردبريس",
            ],
        ),
        (
            "ar_opinion.html",
            [
                "بودكاست",
                "تابعونا",
                "اقرأ أيضا",
                "سنغافورة",
                "اشترك في نشرتنا",
                "مقالات أخرى للكاتبة",
                "مقال رائع",
                "شروط الاستخدام",
                "أعلن معنا",
            ],
        ),
        (
            "en_blog.html",
            [
                "Blogroll",
                "uses cookies",
                "Filed under",
                "Permalink",
                "You might also like",
                "Read more",
                "riverwatcher",
                "Leave a Reply",
                "About me",
                "Waterproof boots",
            ],
        ),
    ],
)
def test_navigation_ads_comments_and_read_more_are_dropped(
    page: str, boilerplate: list[str]
) -> None:
    text = load_document(PAGES / page).text
    assert [phrase for phrase in boilerplate if phrase in text] == []


def test_arabic_page_in_windows_1256_is_decoded_by_its_meta_charset() -> None:
    document = load_document(PAGES / "ar_news.html")
    assert document.encoding == "cp1256"
    assert document.title == "ارتفاع أسعار القمح يهدد الأمن الغذائي في المنطقة"
    assert document.metadata == ("سارة المنصوري", "2026-09-21", "صحيفة الوادي")
    assert [s.title for s in document.sections] == ["أسباب الارتفاع", "ردود الفعل الرسمية"]
    assert document.direction == "rtl"
    assert _texts(document, BlockKind.LIST_ITEM)[0] == (
        "1. تراجع المحصول في البلدان المصدرة بسبب موجة الجفاف."
    )
    assert _texts(document, BlockKind.QUOTE)[0].startswith("«لا يمكن لأي حكومة")


def test_the_http_charset_decides_before_the_meta_tag() -> None:
    page = '<html><head><meta charset="iso-8859-6"></head><body><p>نص المقال هنا</p></body></html>'
    document = read_document(
        page.encode("cp1256"),
        name="https://example.org/a",
        content_type="text/html; charset=windows-1256",
    )
    assert "نص المقال هنا" in document.text
    assert document.encoding == "cp1256"


def test_arabic_blog_keeps_its_three_sections_and_list() -> None:
    document = load_document(PAGES / "ar_blog.html")
    assert document.title == "كيف تقرأ الإحصاءات الرسمية بعين ناقدة"
    assert [s.title for s in document.sections] == [
        "أولا: اسأل عن سنة الأساس",
        "ثانيا: انتبه إلى التعريفات",
        "ثالثا: قارن بالمصادر المستقلة",
    ]
    assert _texts(document, BlockKind.LIST_ITEM) == [
        "هل تغير التعريف بين سنة وأخرى؟",
        "هل تشمل العينة المناطق الريفية؟",
        "من الجهة التي جمعت البيانات؟",
    ]


def test_html_on_standard_input_is_sniffed_and_extracted() -> None:
    data = (PAGES / "en_news.html").read_bytes()
    document = read_document(data, name="<stdin>")
    assert document.name == "<stdin>"
    assert document.title == "Port expansion stalls as costs double"


def test_escape_sequences_in_title_and_text_are_shown_not_sent() -> None:
    page = (
        "<html><head><title>Evil \x1b]0;pwned\x07 title</title></head><body><article>"
        "<h1>Evil \x1b]52;c;aGk=\x07 title</h1><p>Text with \x1b[31m red, &#x1b;[2J entity, "
        "and a \x9b31m C1. " + "More words so that this is an article. " * 5 + "</p>"
        "</article></body></html>"
    )
    document = read_document(page.encode(), name="evil.html")
    for value in (document.text, document.title or "", *document.metadata):
        assert not any(ord(char) < 32 and char != "\n" for char in value)
        assert not any(0x7F <= ord(char) <= 0x9F for char in value)
    assert "␛" in document.text


@pytest.mark.parametrize(
    "page",
    [b"<p>Hello</p>", b"<html><head><title>Only a title</title></head></html>"],
)
def test_a_page_too_small_for_the_extractor_still_shows_its_text(page: bytes) -> None:
    document = read_document(page, name="small.html")
    assert document.paragraphs
    assert document.text in ("Hello", "Only a title")


@pytest.mark.parametrize(
    "page",
    [b"", b"<html><body></body></html>", b"<ul>" * 3000 + b"<li>deep</li>" + b"</ul>" * 3000],
)
def test_empty_or_hostile_pages_give_an_empty_document_not_an_error(page: bytes) -> None:
    document = read_document(page, name="odd.html")
    assert document.notices


def test_an_old_table_layout_page_in_latin_1_keeps_its_article_and_sections() -> None:
    document = load_document(PAGES / "en_blog.html")
    assert document.encoding == "iso8859-1"
    assert document.title == "Notes from the field: three weeks with the flood survey team"
    assert [s.title for s in document.sections] == ["The numbers so far", "What happens next"]
    assert "(café owner turned surveyor)" in document.text


def test_a_right_to_left_page_keeps_paragraphs_that_start_in_latin_right_to_left() -> None:
    page = (
        '<html dir="rtl" lang="ar"><body><article><h1>عنوان</h1>'
        "<p>Apple أعلنت اليوم عن نتائجها المالية للربع الثالث من العام الحالي.</p>"
        "<p>2026 كان عاما صعبا على الشركات الناشئة في المنطقة كلها.</p>"
        "<p>An English sentence quoted in full, left to right as it stands.</p>"
        "</article></body></html>"
    )
    document = read_document(page.encode(), name="rtl.html")
    directions = {p.text[:5]: p.direction.value for p in document.paragraphs}
    assert directions["Apple"] == "rtl"
    assert directions["2026 "] == "rtl"
    assert directions["An En"] == "ltr"
    assert document.direction == "rtl"
