"""Tests for Markdown to Document: blocks, outline, inline text, and hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.text.timeout_guard import finishes
from tuireader.text.document import BlockKind, Direction, Document
from tuireader.text.loading import decode_text
from tuireader.text.markdown_blocks import INLINE_PIECE, NESTING_NOTICE
from tuireader.text.sentences import split_sentences
from tuireader.text.structure import load_document, parse_markdown

DATA = Path(__file__).parent / "data"
K = BlockKind
LTR, RTL = Direction.LTR, Direction.RTL


def markdown(source: str) -> Document:
    return parse_markdown(decode_text(source.encode(), "t.md"), "t.md")


def shape(document: Document) -> list[tuple[BlockKind, int, str]]:
    return [(p.kind, p.level, p.text) for p in document.paragraphs]


def assert_offsets_hold(document: Document) -> None:
    for index, paragraph in enumerate(document.paragraphs):
        assert paragraph.index == index
        assert document.text[paragraph.start : paragraph.end].replace("\n", " ") == paragraph.text


def test_arabic_markdown_article_has_its_blocks_in_order() -> None:
    document = load_document(DATA / "ar_article.md")
    assert document.title == "أسعار النفط ترتفع مع تراجع المخزونات"
    assert document.metadata == ("المصدر: وكالة الأنباء -",)
    assert [(p.kind, p.level) for p in document.paragraphs] == [
        (K.TITLE, 1),
        (K.METADATA, 0),
        (K.PARAGRAPH, 0),
        (K.HEADING, 2),
        (K.PARAGRAPH, 0),
        (K.LIST_ITEM, 1),
        (K.LIST_ITEM, 1),
        (K.LIST_ITEM, 2),
        (K.LIST_ITEM, 2),
        (K.HEADING, 3),
        (K.QUOTE, 1),
        (K.TABLE, 0),
        (K.TABLE, 0),
        (K.TABLE, 0),
        (K.HEADING, 2),
        (K.PARAGRAPH, 0),
        (K.CODE, 0),
        (K.BOILERPLATE, 0),
    ]
    assert document.direction is RTL
    assert_offsets_hold(document)


def test_arabic_markdown_outline_has_levels_and_nested_ends() -> None:
    document = load_document(DATA / "ar_article.md")
    sections = document.sections
    assert [(s.title, s.level) for s in sections] == [
        ("أسباب الارتفاع", 2),
        ("توقعات السوق", 3),
        ("ردود الفعل", 2),
    ]
    assert sections[0].end == sections[2].start
    assert sections[1].end == sections[2].start
    assert sections[2].end == len(document.text)


def test_arabic_markdown_inline_marks_keep_text_only() -> None:
    document = load_document(DATA / "ar_article.md")
    texts = [p.text for p in document.paragraphs]
    assert texts[4] == (
        "يرى المحللون أن خفض الإنتاج من جانب أوبك+ ساهم في دعم الأسعار. "
        "كما أن الطلب الصيني جاء أقوى من المتوقع!"
    )
    assert texts[15].endswith("قلقها من التضخم.")
    assert texts[11:14] == ["الخام │ السعر", "برنت │ 84.5", "غرب تكساس │ 80.1"]


def test_code_line_is_ltr_in_an_rtl_document() -> None:
    document = load_document(DATA / "ar_article.md")
    code = document.paragraphs[16]
    assert (code.kind, code.text, code.direction) == (K.CODE, "price = 84.5  # برنت", LTR)


def test_quote_in_arabic_markdown_splits_into_sentences() -> None:
    document = load_document(DATA / "ar_article.md")
    quote = document.paragraphs[10]
    assert [document.text[s.start : s.end] for s in split_sentences(quote)] == [
        'قال أحد التجار: "السوق متوترة جداً".',
        "وأضاف أن الأسعار قد تتجاوز 90 دولاراً؟",
    ]


def test_english_markdown_article_blocks() -> None:
    document = load_document(DATA / "en_article.md")
    assert document.title == "The Quiet Return of the Night Train"
    assert document.metadata == ("By Sam Lee",)
    assert shape(document) == [
        (K.TITLE, 1, "The Quiet Return of the Night Train"),
        (K.METADATA, 0, "By Sam Lee"),
        (
            K.PARAGRAPH,
            0,
            "Night trains are coming back across Europe. New routes opened this winter "
            "between Vienna, Paris and Brussels.",
        ),
        (K.PARAGRAPH, 0, "A sleeper cabin with two bunks"),
        (K.HEADING, 2, "Why now?"),
        (K.PARAGRAPH, 0, "Rail operators point to three reasons:"),
        (K.LIST_ITEM, 1, "1. Demand for low-carbon travel."),
        (K.LIST_ITEM, 1, "2. Cheaper rolling stock, e.g. refurbished coaches."),
        (K.LIST_ITEM, 1, "3. Support from governments."),
        (K.QUOTE, 1, "Passengers like to wake up in a new city."),
        (K.QUOTE, 2, "Said one conductor, who asked not to be named."),
        (K.CODE, 0, '<div class="ad">Sponsored content</div>'),
        (K.HEADING, 3, "The numbers"),
        (K.TABLE, 0, "Route │ Hours"),
        (K.TABLE, 0, "Vienna–Paris │ 14"),
        (K.PARAGRAPH, 0, "Run trains --list to see them all, or visit the map."),
        (K.CODE, 0, "$ trains --list"),
        (K.CODE, 0, "  vienna-paris"),
        (K.BOILERPLATE, 2, "Share"),
    ]
    assert [(s.title, s.level) for s in document.sections] == [
        ("Why now?", 2),
        ("The numbers", 3),
    ]
    assert "Front matter" not in document.text
    assert "editor: check" not in document.text
    assert_offsets_hold(document)


def test_code_block_lines_stay_lines_in_the_document_text() -> None:
    document = markdown("Intro.\n\n```\nif x:\n\n    return 1\n```\n")
    assert shape(document)[1:] == [(K.CODE, 0, "if x:"), (K.CODE, 0, "    return 1")]
    assert document.text == "Intro.\n\nif x:\n\n    return 1"
    assert_offsets_hold(document)


def test_hard_line_break_is_a_space_in_the_paragraph_text() -> None:
    document = markdown("one\\\ntwo  \nthree\nfour")
    assert document.paragraphs[0].text == "one two three four"
    assert document.text == "one\ntwo\nthree four"
    assert_offsets_hold(document)


def test_first_heading_is_a_section_when_something_comes_before_it() -> None:
    document = markdown("Some intro.\n\n# Chapter\n\nText.")
    assert document.title is None
    assert [(s.title, s.level) for s in document.sections] == [("Chapter", 1)]


def test_later_level_one_headings_are_sections() -> None:
    document = markdown("# Title\n\nText.\n\n# Part two\n\nMore.")
    assert document.title == "Title"
    assert [(s.title, s.level) for s in document.sections] == [("Part two", 1)]


def test_hebrew_markdown_with_an_english_heading() -> None:
    document = markdown(
        "# חדשות הבוקר\n\nמאת דנה לוי\n\nהממשלה אישרה את התקציב. הדיון נמשך שעות.\n\n"
        "## Reactions\n\n- האופוזיציה התנגדה.\n- Markets rose.\n"
    )
    assert document.title == "חדשות הבוקר"
    assert document.metadata == ("מאת דנה לוי",)
    assert document.direction is RTL
    assert [(p.kind, p.direction) for p in document.paragraphs[2:]] == [
        (K.PARAGRAPH, RTL),
        (K.HEADING, LTR),
        (K.LIST_ITEM, RTL),
        (K.LIST_ITEM, LTR),
    ]


def test_entities_cannot_smuggle_controls_into_the_text() -> None:
    document = markdown("Text &#x1b;[2J &#27; &#x9b; &#13; &#x2028; &#x202E;here.")
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in document.text)
    assert document.bidi_controls.overrides == 1
    assert any("bidi" in notice for notice in document.notices)


def test_front_matter_without_closing_line_is_kept_as_markdown() -> None:
    document = markdown("---\n\nJust a rule above.")
    assert shape(document) == [(K.PARAGRAPH, 0, "Just a rule above.")]


def test_empty_markdown_is_an_empty_document() -> None:
    document = markdown("")
    assert document.paragraphs == () and document.text == ""


PATHOLOGICAL = {
    "10,000 nested quotes": ">" * 10_000 + " deep",
    "10,000 nested quotes, one per line": "".join(">" * n + " x\n" for n in range(0, 10_000, 97)),
    "10,000 nested lists": "- " * 10_000 + "x",
    "10,000 nested ordered lists": "1. " * 10_000 + "x",
    "100k open brackets": "[" * 100_000,
    "100k stars": "*" * 100_000,
    "50k emphasis openers": "*a " * 50_000,
    "nested images": "![" * 10_000 + "x" + "](u)" * 10_000,
    "100k backticks": "`" * 100_000,
    "100k less-than signs": "<" * 100_000,
    "5 MB paragraph": "word " * 1_000_000,
    "wide table": "|" + "a|" * 5_000 + "\n|" + "-|" * 5_000 + "\n|" + "x|" * 5_000 + "\n",
    "long table": "|a|b|\n|-|-|\n" + "|x|y|\n" * 20_000,
}


@pytest.mark.parametrize("source", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_terminates(source: str) -> None:
    document = finishes(lambda: markdown(source))
    assert_offsets_hold(document)


WORD_RE = re.compile(r"(?<![A-Za-z0-9])w\d+(?![0-9])")
"""The test words: w0, w1 ... (also inside `_w1_`, where \\b sees no boundary)."""


def shown_words(document: Document) -> list[str]:
    return WORD_RE.findall(" ".join(p.text for p in document.paragraphs))


DEEP_SOURCES = {
    "quotes 30 deep, one per line": "".join("> " * i + f"w{i}\n\n" for i in range(30)),
    "lists 30 deep": "".join("  " * i + f"- w{i}\n" for i in range(30)),
    "ordered lists 30 deep": "".join("   " * i + f"1. w{i}\n" for i in range(30)),
    "quotes and lists 40 deep": "".join("> - " * i + f"w{i}\n" for i in range(40)),
    "10,000 quotes": ">" * 10_000 + " w0\n\nw1\n",
    "10,000 bullets": "- " * 10_000 + "w0\n\nw1\n",
    "code deep in lists": "".join("  " * i + f"- w{i}\n" for i in range(15))
    + " " * 30
    + "```\n"
    + " " * 30
    + "w15\n"
    + " " * 30
    + "```\nw16\n",
}


@pytest.mark.parametrize("source", DEEP_SOURCES.values(), ids=DEEP_SOURCES.keys())
def test_deep_nesting_shows_every_word_and_says_so(source: str) -> None:
    """Issue 9: markdown-it dropped everything after its nesting limit, the last
    paragraph too, without a word; now every word is shown and a notice says the
    deeper nesting is flattened."""
    document = finishes(lambda: markdown(source))
    expected = WORD_RE.findall(source)
    assert shown_words(document) == expected
    assert NESTING_NOTICE.format(depth=20) in document.notices
    assert max(p.level for p in document.paragraphs) <= 20
    assert_offsets_hold(document)


def test_a_paragraph_longer_than_an_inline_piece_keeps_every_word_and_drops_its_marks() -> None:
    """Issue 9: inline Markdown is parsed a piece at a time (memory), losing nothing."""
    source = " ".join(f"**w{i}** [w{i + 1}](http://x.org) `w{i + 2}`" for i in range(0, 9000, 3))
    assert len(source) > 5 * INLINE_PIECE
    document = markdown(source + "\n")
    assert shown_words(document) == [f"w{i}" for i in range(9000)]
    shown = " ".join(p.text for p in document.paragraphs)
    assert "**" not in shown and "http" not in shown and "`" not in shown


def test_shallow_nesting_has_no_notice() -> None:
    document = markdown("> - w1\n>   - w2\n\n1. w3\n")
    assert shown_words(document) == ["w1", "w2", "w3"]
    assert not any("nested" in notice for notice in document.notices)


_PREFIXES = ["> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "  ", "   ", "    ", "\t"]
_DECORATIONS = ["{}", "*{}*", "_{}_", "**{}**", "`{}`", "[{}]", "~{}~", "\\{}"]
_BARE_LINES = ["", "```", "~~~", "---", "***", "===", "    "]


@st.composite
def nested_markdown(draw: st.DrawFn) -> str:
    """Lines of random container markers (quotes, bullets, numbers, indents) up to 30
    deep, each holding fresh words (some marked up), a fence, a rule or nothing."""
    lines = []
    count = 0
    for _ in range(draw(st.integers(1, 40))):
        prefix = "".join(draw(st.lists(st.sampled_from(_PREFIXES), max_size=30)))
        if draw(st.integers(0, 4)) == 0:
            lines.append(prefix + draw(st.sampled_from(_BARE_LINES)))
            continue
        words = []
        for _ in range(draw(st.integers(1, 3))):
            words.append(draw(st.sampled_from(_DECORATIONS)).format(f"w{count}"))
            count += 1
        lines.append(prefix + " ".join(words))
    return "\n".join(lines) + "\n"


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(source=nested_markdown())
def test_random_nesting_shows_every_word_of_the_source(source: str) -> None:
    """Issue 9: whatever the nesting, every word of the source is in the document."""
    document = markdown(source)
    assert sorted(shown_words(document)) == sorted(WORD_RE.findall(source))
    assert_offsets_hold(document)


@pytest.mark.parametrize(
    ("name", "title", "outline", "sentences"),
    [
        (
            "fa_article.md",
            "بازار مسکن در سال جدید",
            [("قیمت‌ها", 2), ("چشم‌انداز", 2)],
            [
                "قیمت مسکن در تهران در سال گذشته ۳۰ درصد افزایش یافت.",
                "کارشناسان می‌گویند این روند ادامه دارد!",
            ],
        ),
        (
            "ur_article.md",
            "شہر میں پانی کی قلت",
            [("وجوہات", 2), ("حکومتی اقدامات", 3), ("شہریوں کی رائے", 2)],
            [
                "گزشتہ سال بارش کم ہوئی۔",
                "ماہرین کے مطابق زیر زمین پانی کی سطح گر رہی ہے۔",
            ],
        ),
    ],
)
def test_persian_and_urdu_markdown_structure(
    name: str, title: str, outline: list[tuple[str, int]], sentences: list[str]
) -> None:
    document = load_document(Path(__file__).parent / "data" / name)
    assert document.title == title
    assert [(s.title, s.level) for s in document.sections] == outline
    assert document.direction is Direction.RTL
    assert all(p.direction is Direction.RTL for p in document.paragraphs)
    kinds = {p.kind for p in document.paragraphs}
    assert BlockKind.LIST_ITEM in kinds
    first_body = next(p for p in document.paragraphs if p.kind is BlockKind.PARAGRAPH)
    found = [document.text[s.start : s.end] for s in split_sentences(first_body)]
    assert found == sentences
