"""Small Arabic, Persian and Hebrew documents with notes, for the on-screen bidi tests.

Each language has an article (Markdown: a title and two sections), a file name in its
own script (the status bar and toasts show names), and notes whose claims, tags and
bodies are in that script. Words were chosen so that none is another's reverse: a word
found on screen in logical order is then a word drawn in the wrong order, never a
different word drawn right.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from tuireader.bidi.shaping import shape_text


@dataclass(frozen=True, slots=True)
class RtlCase:
    """One language's document and notes."""

    language: str
    file_name: str
    article: str
    notes: tuple[tuple[str, str, tuple[str, ...], str], ...]
    """(claim's exact text, stance, tags, body) per note."""


ARABIC = RtlCase(
    "arabic",
    "تقرير_الاقتصاد.md",
    "# تقرير الاقتصاد الأسبوعي\n\n"
    "## الأسواق العالمية\n\n"
    "ارتفعت أسعار النفط في الأسواق العالمية بنسبة ٥٪ خلال الأسبوع الماضي. "
    "وقال وزير المالية إن الحكومة ستخفض الضرائب على الشركات الصغيرة قبل نهاية العام. "
    "ويتوقع المحللون استمرار ارتفاع الأسعار حتى ٢٠٢٧.\n\n"
    "## الزراعة والمياه\n\n"
    "تراجع إنتاج القمح بسبب الجفاف في المناطق الشمالية. "
    "وأعلنت الوزارة خطة جديدة لدعم المزارعين وتحسين شبكات الري.\n",
    (
        (
            "وقال وزير المالية إن الحكومة ستخفض الضرائب على الشركات الصغيرة قبل نهاية العام.",
            "disputed",
            ("اقتصاد", "ضرائب"),
            "التصريح لا يذكر مصدرا رسميا للخطة",
        ),
        (
            "تراجع إنتاج القمح بسبب الجفاف في المناطق الشمالية.",
            "supported",
            ("زراعة",),
            "تؤكده بيانات المنظمة الدولية",
        ),
    ),
)

PERSIAN = RtlCase(
    "persian",
    "گزارش_هفتگی.md",
    "# گزارش اقتصادی هفتگی\n\n"
    "## بازارهای جهانی\n\n"
    "قیمت نفت در بازارهای جهانی افزایش یافت. "
    "وزیر اقتصاد گفت که دولت مالیات شرکت‌های کوچک را کاهش می‌دهد. "
    "کارشناسان پیش‌بینی می‌کنند که قیمت‌ها بالا بماند.\n\n"
    "## کشاورزی\n\n"
    "تولید گندم به دلیل خشکسالی کم شد. "
    "وزارتخانه برنامه‌ای برای حمایت از کشاورزان اعلام کرد.\n",
    (
        (
            "وزیر اقتصاد گفت که دولت مالیات شرکت‌های کوچک را کاهش می‌دهد.",
            "unverified",
            ("مالیات", "دولت"),
            "منبع رسمی برای این گفته پیدا نشد",
        ),
        (
            "تولید گندم به دلیل خشکسالی کم شد.",
            "opinion",
            ("کشاورزی",),
            "آمار رسمی هنوز منتشر نشده",
        ),
    ),
)

HEBREW = RtlCase(
    "hebrew",
    "דוח_שבועי.md",
    "# דוח כלכלי שבועי\n\n"
    "## שווקים עולמיים\n\n"
    "מחירי הנפט עלו בשווקים העולמיים בשבוע שעבר. "
    "שר האוצר אמר שהממשלה תוריד מסים לעסקים קטנים לפני סוף השנה. "
    "אנליסטים צופים שהמחירים ימשיכו לעלות.\n\n"
    "## חקלאות\n\n"
    "יבול החיטה ירד בגלל הבצורת בצפון. "
    "המשרד הודיע על תוכנית חדשה לתמיכה בחקלאים.\n",
    (
        (
            "שר האוצר אמר שהממשלה תוריד מסים לעסקים קטנים לפני סוף השנה.",
            "disputed",
            ("כלכלה", "מסים"),
            "ההצהרה אינה מציינת מקור רשמי",
        ),
        (
            "יבול החיטה ירד בגלל הבצורת בצפון.",
            "needs-source",
            ("חקלאות",),
            "צריך נתונים מהלשכה",
        ),
    ),
)

CASES = (ARABIC, PERSIAN, HEBREW)


def write_case(case: RtlCase, folder: Path) -> Path:
    """Write the article and its notes file into folder; the article's path."""
    article = folder / case.file_name
    article.write_text(case.article, encoding="utf-8")
    notes: list[dict[str, object]] = []
    for number, (exact, stance, tags, body) in enumerate(case.notes, start=1):
        start = case.article.index(exact)
        notes.append(
            {
                "id": f"n-{number}",
                "created": "2026-11-25T20:41:07Z",
                "updated": "2026-11-25T20:41:07Z",
                "author": "analyst",
                "stance": stance,
                "tags": list(tags),
                "target": {
                    "exact": exact,
                    "prefix": case.article[max(0, start - 32) : start],
                    "suffix": case.article[start + len(exact) : start + len(exact) + 32],
                    "start": start,
                    "end": start + len(exact),
                },
                "body": body,
            }
        )
    # The first note holds another session's version of its body (the editor shows it).
    notes[0]["conflicts"] = [
        {"field": "body", "value": case.notes[-1][3], "author": case.notes[-1][2][0]}
    ]
    data = {
        "tuireader_notes": 1,
        "document": {"path": case.file_name, "title": "", "sha256": "0" * 64},
        "notes": notes,
    }
    notes_path = folder / f"{case.file_name}.notes.yaml"
    notes_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return article


_RTL_WORD_RX = re.compile(r"[\u05d0-\u05ea\u0620-\u064a\u0671-\u06d3\u200c]{3,}")


def rtl_words(case: RtlCase) -> set[str]:
    """The RTL words of a case's texts (three letters or more)."""
    texts = [case.article, case.file_name]
    for exact, _, tags, body in case.notes:
        texts += [exact, body, *tags]
    return {word for text in texts for word in _RTL_WORD_RX.findall(text)}


def base_arabic_letters(row: str) -> list[str]:
    """Arabic-block letters in their base (unshaped) form: a terminal draws each alone."""
    return [
        char for char in row if "\u0600" <= char <= "\u06ff" and unicodedata.category(char) == "Lo"
    ]


def words_in_logical_order(rows: list[str], words: set[str]) -> list[str]:
    """Words that appear on screen in logical order (as shaped glyphs, for Arabic).

    A word is sent to the terminal in visual order, left to right: an RTL word reads
    reversed in the cells. Its logical sequence on a row means it was drawn backwards.
    """
    screen = "\n".join(rows)
    found = []
    for word in words:
        shaped = shape_text(word).text
        if shaped != shaped[::-1] and shaped in screen:
            found.append(word)
    return sorted(found)


def words_in_visual_order(rows: list[str], words: set[str]) -> list[str]:
    """Words drawn right (shaped, reversed): a screen that holds none shows no RTL text
    at all, and its checks would prove nothing."""
    screen = "\n".join(rows)
    return sorted(word for word in words if shape_text(word).text[::-1] in screen)
