"""Recognising an article's furniture in plain text: title, metadata, headings, boilerplate.

These are judgements on short lines, tuned on news articles in Arabic, Persian,
Urdu, Hebrew and English. Each one looks at one line only; `structure` decides
where in the document a rule applies.
"""

from __future__ import annotations

import re

SENTENCE_END = ".!?\u061f\u06d4\u2026"
"""Characters that end a sentence: . ! ? ؟ ۔ …"""
CLAUSE_END = ",;:\u060c\u061b"
"""Characters that end a clause: , ; : ، ؛"""
CLOSERS = "\"'\u00bb\u201d\u2019\u203a)]}"
"""Closing quotes and brackets that may follow the final punctuation."""

MAX_TITLE_CHARS = 200
MAX_TITLE_SENTENCE_CHARS = 100
"""A first line ending in . ! ? and longer than this is the article's first sentence."""
MAX_SHORT_CHARS = 80
"""Headings and metadata lines are at most this long ..."""
MAX_SHORT_WORDS = 10
"""... and have at most this many words."""
MAX_BOILERPLATE_CHARS = 120
MAX_BYLINE_CHARS = 160
MAX_BYLINE_WORDS = 24
"""A line that opens like a source or byline ("المصدر:", "By …") may be this long: it
often names an agency, a city and a date too."""

_BULLET = "-*+\u2022\u2013\u2014\u25aa\u25cf"
_BULLET_RE = re.compile(f"[{_BULLET}]\\s")
_LIST_ITEM_RE = re.compile(f"(?:[{_BULLET}]|\\d{{1,3}}[.)])\\s")
_BYLINE_RE = re.compile(
    # English, Arabic, Persian, Hebrew, Urdu words that open a byline or source line.
    r"(?:by|written by|reporting by|words by|author|source"
    r"|بقلم|كتب|كتبت|كتبه|إعداد|اعداد|تحرير|ترجمة|تقرير|المصدر|مصدر|المحرر"
    r"|نویسنده|به قلم|نوشته|گزارش|منبع|مترجم|ترجمه"
    r"|מאת|כתב|כתבה|מקור"
    r"|تحریر|رپورٹ|از"
    # News agencies and papers that open a source line ("وكالة الأنباء … - دبي").
    r"|وكالة|صحيفة|جريدة|خبرگزاری|روزنامه|סוכנות"
    r"|reuters|afp|ap|associated press)(?=$|[\s:\-\u2013\u2014(])",
    re.IGNORECASE,
)
_MONTHS = (
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec "
    # Arabic (Egyptian and Gulf names, then Levantine and Iraqi ones).
    "يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس "
    "سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب "
    "أيلول تشرين "
    # Persian (solar Hijri), Hebrew, Urdu.
    "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند "
    "ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר "
    "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر"
).split()
_DATE = (
    r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}"  # 2023-09-20, 20/09/2023
    r"|\d{1,2}:\d{2}"  # a time: 10:30
    r"|\b(?:" + "|".join(_MONTHS) + r")\b"
)
"""A date or a time, matched case-insensitively: compiled on a short line's first
digit (`re` keeps it), not at import, where its hundred month names cost ~0.5 ms."""
_DIGIT_RE = re.compile(r"\d")

# Boilerplate a web page leaves around an article. Matched after `_boilerplate_key`
# folds case, hamza forms, tatweel, harakat and edge punctuation.
_BOILERPLATE_PHRASES = (
    # Arabic
    "اقرأ المزيد",
    "إقرأ المزيد",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "إقرأ أيضاً",
    "اقرأ ايضا",
    "للمزيد",
    "المزيد",
    "شارك",
    "شارك المقال",
    "شارك هذا المقال",
    "مشاركة",
    "إعلان",
    "تابعونا",
    "مواضيع ذات صلة",
    "أخبار ذات صلة",
    "مقالات ذات صلة",
    # Persian
    "بیشتر بخوانید",
    "بخوانید",
    "مطالب مرتبط",
    "اخبار مرتبط",
    "اشتراک گذاری",
    "اشتراک\u200cگذاری",
    "تبلیغات",
    # Urdu
    "مزید پڑھیں",
    "یہ بھی پڑھیں",
    "شیئر کریں",
    "اشتہار",
    # Hebrew
    "קרא עוד",
    "קראו עוד",
    "קראו גם",
    "שתף",
    "שתפו",
    "פרסומת",
    "כתבות נוספות",
    # English
    "read more",
    "continue reading",
    "read also",
    "also read",
    "see also",
    "related",
    "related articles",
    "related stories",
    "share",
    "share this",
    "share this article",
    "advertisement",
    "sponsored",
    "subscribe",
)
# إ أ آ ٱ → ا; tatweel and harakat dropped; ZWNJ kept (Persian spells with it).
_FOLD = str.maketrans(
    {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}
    | {chr(code): None for code in (0x0640, *range(0x064B, 0x0653))}
)
_EDGE_PUNCT = " .:\u2026-\u2013\u2014|>\u00bb\u00ab\u203a\u2039\u060c!"


def _boilerplate_key(text: str) -> str:
    key = text.strip(_EDGE_PUNCT).casefold().translate(_FOLD)
    return " ".join(key.split())


_BOILERPLATE_KEYS = frozenset(_boilerplate_key(phrase) for phrase in _BOILERPLATE_PHRASES)
_LONGEST_BOILERPLATE = max(map(len, _BOILERPLATE_PHRASES)) + 8
"""Longer lines cannot be a phrase with some edge punctuation (checked before folding)."""


def starts_like_list_item(line: str) -> bool:
    """True for a line that opens with a bullet or a number: "- ", "• ", "3. ", "3) "."""
    return bool(_LIST_ITEM_RE.match(line))


def is_short(text: str) -> bool:
    """True for a line short enough to be a heading or a metadata line."""
    return len(text) <= MAX_SHORT_CHARS and len(text.split()) <= MAX_SHORT_WORDS


def has_letter(text: str) -> bool:
    """True when the text holds at least one letter (in any script)."""
    return any(char.isalpha() for char in text)


def final_mark(text: str) -> str:
    """The last character, looking through closing quotes and brackets ("" if none)."""
    return text.rstrip().rstrip(CLOSERS)[-1:]


def looks_like_title(text: str) -> bool:
    """True when a first paragraph reads as the article's title.

    A title is short and has letters; a long line ending like a sentence is the
    first paragraph of an untitled text.
    """
    if len(text) > MAX_TITLE_CHARS or not has_letter(text):
        return False
    return not (final_mark(text) in SENTENCE_END and len(text) > MAX_TITLE_SENTENCE_CHARS)


def looks_like_metadata(text: str) -> bool:
    """True for a line under the title that names a source, an author or a date.

    Examples: "صحيفة الخليج -" (a source ending in a dash), "كتب - أحمد البشير:"
    (a byline ending in a colon), "By Jane Doe", "20 سبتمبر 2023".
    """
    stripped = text.rstrip()
    if (
        len(stripped) <= MAX_BYLINE_CHARS
        and len(stripped.split()) <= MAX_BYLINE_WORDS
        and _BYLINE_RE.match(stripped)
    ):
        return True
    if not is_short(text):
        return False
    if stripped.endswith(("-", "\u2013", "\u2014")):
        return True
    if stripped.endswith((":", "\uff1a")) and len(stripped.split()) <= 6:
        return True
    return (
        len(stripped.split()) <= 8
        and bool(_DIGIT_RE.search(stripped))
        and bool(re.search(_DATE, stripped, re.IGNORECASE))
    )


def looks_like_heading(text: str) -> bool:
    """True for a short line with letters that does not end like a sentence or clause.

    The caller checks that it stands alone (a blank line before and after).
    """
    if not is_short(text) or not has_letter(text) or _BULLET_RE.match(text):
        return False
    mark = final_mark(text)
    return bool(mark) and mark not in SENTENCE_END + CLAUSE_END


def is_boilerplate(text: str, *, trailing: bool) -> bool:
    """True for web-page furniture such as "اقرأ المزيد" or "Read more".

    Args:
        text: One paragraph.
        trailing: The paragraph is at the end of the article, where "Read also:
            <headline>" lines count too.
    """
    if len(text) > (MAX_BOILERPLATE_CHARS if trailing else _LONGEST_BOILERPLATE):
        return False
    if _boilerplate_key(text) in _BOILERPLATE_KEYS:
        return True
    head, colon, _ = text.partition(":")
    return trailing and bool(colon) and _boilerplate_key(head) in _BOILERPLATE_KEYS
