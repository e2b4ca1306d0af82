"""Compare article extractors on the test pages: trafilatura (what tuireader uses) and
readability-lxml.

For each page of tests/text/data/html/ it prints, per extractor, the title found, the
boilerplate it kept (navigation, ads, comments, "read more", footer phrases that must
not be in the article), the article phrases it lost (sentences, headings, list items,
table cells that must be), whether headings, list items and table rows survive as
structure, and the median time of an extraction. Never run by pytest; it asserts
nothing. `--json` prints the same for a machine; `--runs N` sets the repetitions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "tests" / "text" / "data" / "html"
sys.path.insert(0, str(REPO / "src"))

from tuireader.text.document import BlockKind  # noqa: E402
from tuireader.text.formats import read_document  # noqa: E402
from tuireader.text.formats.html import meta_charset  # noqa: E402
from tuireader.text.loading import decode_text  # noqa: E402


@dataclass(frozen=True)
class Page:
    """A test page and what its article is."""

    file: str
    title: str
    article: tuple[str, ...]
    """Phrases of the article: each must be in the extracted text."""
    boilerplate: tuple[str, ...]
    """Phrases around the article: none may be in the extracted text."""
    headings: tuple[str, ...] = ()
    """The article's section headings, which should stay headings."""


PAGES_EXPECTED = (
    Page(
        "en_news.html",
        "Port expansion stalls as costs double",
        (
            "The expansion of the northern container port",
            "What the audit found",
            "Three change orders were approved by the director alone.",
            "We built the budget on the best case",
            "Quay walls",
            "Opposition councillors have called for an independent inquiry",
        ),
        (
            "Subscribe now",
            "Accept all cookies",
            "ADVERTISEMENT",
            "Sponsored",
            "Read more",
            "Share this",
            "Related stories",
            "harbourwatcher",
            "Post comment",
            "All rights reserved",
            "Privacy policy",
            "newsletter",
        ),
        ("What the audit found", "Costs compared"),
    ),
    Page(
        "ar_news.html",
        "ارتفاع أسعار القمح يهدد الأمن الغذائي في المنطقة",
        (
            "ارتفعت أسعار القمح في الأسواق العالمية بنسبة 18%",
            "تراجع المحصول في البلدان المصدرة",
            "لا يمكن لأي حكومة أن تواجه هذه الأزمة وحدها",
            "ستزيد المخزون الاستراتيجي من القمح",
        ),
        (
            "تسجيل الدخول",
            "رياضة",
            "إعلان",
            "محتوى مدعوم",
            "اقرأ أيضا",
            "الوسوم",
            "شارك هذا",
            "الأكثر قراءة",
            "الحكومة نائمة",
            "جميع الحقوق",
            "اشترك",
        ),
        ("أسباب الارتفاع", "ردود الفعل الرسمية"),
    ),
    Page(
        "ar_blog.html",
        "كيف تقرأ الإحصاءات الرسمية بعين ناقدة",
        (
            "تنشر الحكومات كل شهر عشرات الأرقام",
            "هل تشمل العينة المناطق الريفية؟",
            "الفجوة الكبيرة بين المصدرين",
        ),
        (
            "الأرشيف",
            "ابحث في المدونة",
            "التدوينة السابقة",
            "اشترك",
            "أحدث التدوينات",
            "إعلان ممول",
            "التصنيفات",
            "مقال مفيد",
            "ووردبريس",
            "صحفي بيانات",
        ),
        ("أولا: اسأل عن سنة الأساس", "ثانيا: انتبه إلى التعريفات", "ثالثا: قارن بالمصادر المستقلة"),
    ),
    Page(
        "ar_opinion.html",
        "رأي: المدن الذكية ليست حلا سحريا لأزمة السكن",
        (
            "تعلن حكومات المنطقة منذ عقد مشاريع لمدن ذكية",
            "في فيينا مثلا يعيش نحو 60% من السكان",
            "المدينة الذكية الحقيقية هي التي يستطيع المعلم",
        ),
        (
            "بودكاست",
            "تابعونا",
            "اقرأ أيضا",
            "خمسة دروس من تجربة سنغافورة",
            "اشترك في نشرتنا",
            "مقالات أخرى للكاتبة",
            "مقال رائع",
            "شروط الاستخدام",
            "أعلن معنا",
        ),
        ("ما الذي ينجح فعلا؟", "خلاصة"),
    ),
    Page(
        "en_blog.html",
        "Notes from the field: three weeks with the flood survey team",
        (
            "For three weeks in February I followed the survey team",
            "1,140 damaged buildings",
            "it would run out by June",
            "The survey continues until the end of April.",
            "café owner",
        ),
        (
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
            "RSS feed",
        ),
        ("The numbers so far", "What happens next"),
    ),
)


@dataclass
class Result:
    """What one extractor made of one page."""

    extractor: str
    page: str
    title: str | None
    kept_boilerplate: list[str]
    lost_article: list[str]
    lost_headings: list[str]
    """Headings that are not kept as headings (absent, or merged into a paragraph)."""
    median_ms: float
    chars: int
    notes: list[str] = field(default_factory=list)


def trafilatura_extract(data: bytes, name: str) -> tuple[str | None, str, set[str]]:
    """tuireader's own path: read_document on the page (decoding, trafilatura with its
    pruning of "advert"/"subscribe" boxes, blocks, the Document)."""
    document = read_document(data, name=name)
    headings = {p.text for p in document.paragraphs if p.kind is BlockKind.HEADING}
    return document.title, document.text, headings


def readability_extract(data: bytes, name: str) -> tuple[str | None, str, set[str]]:
    """readability-lxml on the same decoded text, its summary's text paragraph by paragraph."""
    import lxml.html
    from readability import Document as Readability

    decoded = decode_text(data, name, encoding=meta_charset(data))
    page = Readability(decoded.text)
    summary = lxml.html.fromstring(page.summary(html_partial=True))
    blocks = summary.xpath("//h1|//h2|//h3|//h4|//h5|//h6|//p|//li|//tr|//blockquote")
    text = "\n\n".join(" ".join(block.text_content().split()) for block in blocks)
    headings = {
        " ".join(h.text_content().split()) for h in summary.xpath("//h1|//h2|//h3|//h4|//h5|//h6")
    }
    return page.short_title() or None, text, headings


def trafilatura_bare(data: bytes, name: str) -> tuple[str | None, str, set[str]]:
    """trafilatura alone, with its defaults but comments off, on the same decoded text:
    what it does without tuireader's extra pruning of "advert"/"subscribe" boxes."""
    import trafilatura

    decoded = decode_text(data, name, encoding=meta_charset(data))
    found = trafilatura.bare_extraction(decoded.text, include_comments=False, with_metadata=True)
    if not isinstance(found, trafilatura.settings.Document) or found.body is None:
        return None, "", set()
    text = "\n\n".join(" ".join(e.xpath("string()").split()) for e in found.body)
    headings = {" ".join(h.xpath("string()").split()) for h in found.body.iter("head")}
    return found.title, text, headings


EXTRACTORS: dict[str, Callable[[bytes, str], tuple[str | None, str, set[str]]]] = {
    "trafilatura": trafilatura_extract,
    "trafilatura-bare": trafilatura_bare,
    "readability-lxml": readability_extract,
}


def measure(page: Page, extractor: str, runs: int) -> Result:
    data = (PAGES / page.file).read_bytes()
    extract = EXTRACTORS[extractor]
    extract(data, page.file)  # warm: imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        title, text, headings = extract(data, page.file)
        times.append(time.perf_counter() - start)
    flat = " ".join(text.split())
    return Result(
        extractor=extractor,
        page=page.file,
        title=title,
        kept_boilerplate=[phrase for phrase in page.boilerplate if phrase in flat],
        lost_article=[phrase for phrase in page.article if phrase not in flat],
        lost_headings=[heading for heading in page.headings if heading not in headings],
        median_ms=statistics.median(times) * 1000,
        chars=len(text),
        notes=[] if title == page.title else [f"title {title!r}, expected {page.title!r}"],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="extractions per page (median)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    options = parser.parse_args()
    try:
        import readability  # noqa: F401
    except ImportError:
        print(
            "readability-lxml is not installed: `pip install readability-lxml` (kept out of "
            "the dev extra: with trafilatura's justext it trips the resolver of pip < 24)"
        )
        return 2
    results = [
        measure(page, extractor, options.runs)
        for page in PAGES_EXPECTED
        for extractor in EXTRACTORS
    ]
    if options.json:
        print(json.dumps([asdict(result) for result in results], ensure_ascii=False, indent=2))
        return 0
    for result in results:
        print(
            f"{result.page:18} {result.extractor:17} "
            f"{result.median_ms:7.1f} ms  {result.chars:5} chars"
        )
        print(f"    kept boilerplate: {', '.join(result.kept_boilerplate) or '-'}")
        print(f"    lost article:     {', '.join(result.lost_article) or '-'}")
        print(f"    lost headings:    {', '.join(result.lost_headings) or '-'}")
        for note in result.notes:
            print(f"    {note}")
    print()
    for extractor in EXTRACTORS:
        mine = [r for r in results if r.extractor == extractor]
        print(
            f"{extractor:17} boilerplate kept {sum(len(r.kept_boilerplate) for r in mine):2}, "
            f"article phrases lost {sum(len(r.lost_article) for r in mine):2}, "
            f"headings lost {sum(len(r.lost_headings) for r in mine):2}, "
            f"titles right {sum(not r.notes for r in mine)}/{len(mine)}, "
            f"median {statistics.median(r.median_ms for r in mine):.1f} ms/page"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
