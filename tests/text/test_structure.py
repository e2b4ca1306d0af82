"""Tests for plain text to Document: title, metadata, outline, kinds and directions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import SAMPLE, shared_file
from tests.text.timeout_guard import finishes
from tuireader.text.document import BlockKind, Direction, Document
from tuireader.text.loading import LoadError, decode_text
from tuireader.text.sentences import split_sentences
from tuireader.text.structure import (
    load_document,
    load_document_end,
    load_document_start,
    parse_lines,
    parse_plain,
)

DATA = Path(__file__).parent / "data"
SEED = SAMPLE

P, T, M, H, B = (
    BlockKind.PARAGRAPH,
    BlockKind.TITLE,
    BlockKind.METADATA,
    BlockKind.HEADING,
    BlockKind.BOILERPLATE,
)
LTR, RTL = Direction.LTR, Direction.RTL


def plain(text: str) -> Document:
    return parse_plain(decode_text(text.encode(), "t.txt"), "t.txt")


def kinds(document: Document) -> list[BlockKind]:
    return [p.kind for p in document.paragraphs]


def outline(document: Document) -> list[tuple[str, int]]:
    return [(s.title, s.level) for s in document.sections]


def assert_offsets_hold(document: Document) -> None:
    """Every paragraph's text is its range of the document, line breaks as spaces."""
    for index, paragraph in enumerate(document.paragraphs):
        assert paragraph.index == index
        assert document.text[paragraph.start : paragraph.end].replace("\n", " ") == paragraph.text
        assert paragraph.text == paragraph.text.strip()


# --- the sample article ------------------------------------------------------------


def test_sample_article_has_exactly_the_four_sections_in_order() -> None:
    document = load_document(SEED)
    assert outline(document) == [
        ("مكان انعقاد القمة", 1),
        ("زيارة مصانع الأسلحة", 1),
        ("مكاسب الاجتماع", 1),
        ("العلاقات مع روسيا", 1),
    ]
    starts = [s.start for s in document.sections]
    assert [s.end for s in document.sections] == [*starts[1:], len(document.text)]
    for section in document.sections:
        assert document.paragraphs[section.paragraph].text == section.title
        assert document.text[section.start :].startswith(section.title)


def test_sample_article_title_metadata_and_boilerplate() -> None:
    document = load_document(SEED)
    assert document.title == "ماذا بعد التقارب الكوري الشمالي- الروسي؟"
    assert document.metadata == ("صحيفة الخليج -", "كتب - أحمد البشير:")
    assert kinds(document)[:4] == [T, M, M, P]
    assert document.paragraphs[-1].kind is B
    assert document.paragraphs[-1].text == "إقرأ المزيد"
    assert kinds(document).count(B) == 1
    assert document.direction is RTL
    assert {p.direction for p in document.paragraphs} == {RTL}
    assert (document.name, document.encoding, document.notices) == (SEED.name, "utf-8", ())
    assert document.path == str(SEED)
    assert_offsets_hold(document)


def test_sample_article_first_body_paragraph_splits_into_its_two_sentences() -> None:
    document = load_document(SEED)
    paragraph = document.paragraphs[3]
    sentences = [document.text[s.start : s.end] for s in split_sentences(paragraph)]
    assert len(sentences) == 2
    assert sentences[0].startswith("بعد أكثر من ثلاث سنوات")
    assert sentences[0].endswith("من حدود بلاده خلال الأسبوع الماضي.")
    assert sentences[1].startswith("وتوجه إلى الشرق الأقصى")


def test_shared_copy_of_the_sample_matches_the_bundled_one() -> None:
    shared = shared_file("seeds", SEED.name)
    assert shared.read_bytes() == SEED.read_bytes()


# --- articles in five languages ----------------------------------------------------

ARTICLES = {
    "fa_article.txt": (
        "سرمایه\u200cگذاری تازه در انرژی خورشیدی",
        ("نویسنده: مریم احمدی", "۱۵ مهر ۱۴۰۲"),
        [("هزینه\u200cها و منابع مالی", 1), ("نگرانی\u200cهای زیست\u200cمحیطی", 1)],
        [T, M, M, P, P, H, P, H, P, B],
        RTL,
    ),
    "he_article.txt": (
        "קו רכבת קלה חדש בירושלים",
        ("מאת דנה לוי", "12.03.2024"),
        [("לוח הזמנים", 1)],
        [T, M, M, P, P, P, H, P, B],
        RTL,
    ),
    "ur_article.txt": (
        "شہر میں پانی کی قلت",
        ("تحریر: علی رضا",),
        [("حکومت کا موقف", 1)],
        [T, M, P, P, H, P, B],
        RTL,
    ),
    "en_article.txt": (
        "City Council Approves New Bike Lanes",
        ("By Jane Doe", "March 12, 2024"),
        [("Funding", 1), ("خطة النقل الجديدة", 1)],
        [T, M, M, P, P, H, P, H, P, B, B],
        LTR,
    ),
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_article_title_metadata_outline_and_kinds(name: str) -> None:
    title, metadata, sections, expected_kinds, direction = ARTICLES[name]
    document = load_document(DATA / name)
    assert document.title == title
    assert document.metadata == metadata
    assert outline(document) == sections
    assert kinds(document) == expected_kinds
    assert document.direction is direction
    assert_offsets_hold(document)


def test_arabic_heading_in_english_article_is_rtl() -> None:
    document = load_document(DATA / "en_article.txt")
    directions = {p.text: p.direction for p in document.paragraphs}
    assert directions["خطة النقل الجديدة"] is RTL
    assert directions["Funding"] is LTR
    assert document.paragraphs[3].direction is LTR


def test_english_line_in_hebrew_article_is_ltr() -> None:
    document = load_document(DATA / "he_article.txt")
    directions = {p.text: p.direction for p in document.paragraphs}
    assert directions["The mayor said the line would open on time."] is LTR
    assert directions["לוח הזמנים"] is RTL


def test_hard_wrapped_english_paragraphs_are_joined_with_spaces() -> None:
    document = load_document(DATA / "en_article.txt")
    first = document.paragraphs[3]
    assert first.text == (
        "The city council voted on Tuesday to build forty kilometres of protected bike lanes "
        "over the next three years. Mr. Alvarez, who chairs the transport committee, called "
        'it "the biggest change to our streets in a generation."'
    )
    assert "\n" in document.text[first.start : first.end]


def test_paragraph_without_strong_character_takes_the_document_direction() -> None:
    document = plain("مقال قصير\n\nنص المقال هنا.\n\n2024 - 2025\n\nنهاية.")
    numbers = document.paragraphs[2]
    assert numbers.text == "2024 - 2025"
    assert numbers.direction is RTL


# --- the rules one by one ----------------------------------------------------------

WRAPPED = (
    "The committee met for three hours on Monday and agreed to publish its report\n"
    "before the end of the month, after a long debate about the wording of the\n"
    "final recommendations."
)


@pytest.mark.parametrize(
    ("block", "paragraphs"),
    [
        (WRAPPED, 1),
        ("Roses are red,\nviolets are blue,\nsugar is sweet.", 3),
        (
            "- first item that is fairly long but still a list item in this case, yes\n"
            "- second item that is fairly long but still a list item in this case too",
            2,
        ),
        ("A line that is long enough to look like a wrapped line of prose text here\nshort", 1),
        ("x" * 120 + "\n" + "y" * 120, 2),
    ],
)
def test_hard_wrapped_block_is_one_paragraph_other_blocks_one_per_line(
    block: str, paragraphs: int
) -> None:
    document = plain("Title\n\n" + block)
    assert len(document.paragraphs) == 1 + paragraphs
    assert_offsets_hold(document)


def test_long_first_paragraph_is_not_a_title() -> None:
    first = "This article starts with a sentence that is far too long to be a headline, " * 3
    document = plain(first.strip() + "\n\nSecond paragraph.")
    assert document.title is None
    assert kinds(document) == [P, P]


def test_long_first_sentence_ending_in_a_full_stop_is_not_a_title() -> None:
    document = plain(
        "Residents of the old town woke up on Sunday morning to find the main square "
        "closed to all traffic for repairs.\n\nMore text."
    )
    assert document.title is None


def test_short_first_question_is_a_title() -> None:
    document = plain("Why now?\n\nBecause.")
    assert document.title == "Why now?"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Background", H),
        ("1. Background", H),
        ("«العلاقات مع روسيا»", H),
        ("This line ends like a sentence.", P),
        ("This line ends with a colon:", P),
        ("وهذا سطر ينتهي بفاصلة،", P),
        ("- a bullet", P),
        ("* * *", P),
        ("A heading that is far too long to be a heading because it has many many words", P),
        ("Advertisement", B),
    ],
)
def test_one_line_block_between_paragraphs_is_a_heading_when_it_reads_like_one(
    line: str, kind: BlockKind
) -> None:
    document = plain(f"Title\n\nFirst paragraph.\n\n{line}\n\nLast paragraph.")
    assert document.paragraphs[2].text == line
    assert document.paragraphs[2].kind is kind
    assert (kind is H) == (outline(document) == [(line, 1)])


def test_short_last_line_is_not_a_heading() -> None:
    document = plain("Title\n\nFirst paragraph.\n\nThe end")
    assert kinds(document) == [T, P, P]
    assert document.sections == ()


def test_metadata_stops_at_the_first_body_line() -> None:
    document = plain("Title\nBy Jane Doe\nBody starts here, and goes on.\n2024-01-02\n\nMore.")
    assert document.metadata == ("By Jane Doe",)
    assert kinds(document) == [T, M, P, P, P]


HEADLINE = "طيران الإمارات تتسلم أول دفعة من طائرات A320neo ضمن خطة توسع حتى ٢٠٣٠"


@pytest.mark.parametrize(
    "furniture",
    [
        # The widths of a hard-wrapped paragraph: joined, there was no title (issue 10).
        ["المصدر: وكالة أنباء الإمارات (وام) - دبي - الأحد ١٥ مارس ٢٠٢٤ م", "كتب: محمد علي"],
        # A source line that names an agency, a byline of more than ten words.
        [
            "وكالة أنباء الإمارات (وام) - دبي",
            "كتب: محمد علي عبد الله الحمادي، مراسل الشؤون الاقتصادية في دبي",
        ],
        ["بقلم: محمد علي", "الأحد ١٥ مارس ٢٠٢٤ - ١٠:٣٠ صباحاً"],
    ],
)
def test_headline_with_latin_and_digits_is_a_title_over_its_metadata(
    furniture: list[str],
) -> None:
    body = "أعلنت الشركة اليوم أنها تسلمت الطائرات الجديدة. وأضافت أن الرحلات ستبدأ."
    document = plain("\n".join([HEADLINE, *furniture]) + "\n\n" + body)
    assert document.title == HEADLINE
    assert document.metadata == tuple(furniture)
    assert kinds(document) == [T, *[M] * len(furniture), P]


def test_twenty_word_headline_with_digits_is_a_title() -> None:
    headline = (
        "Airline orders 40 A320neo jets worth $4.5 billion in a deal that runs "
        "to 2030 and doubles its whole fleet"
    )
    assert len(headline.split()) == 20
    document = plain(f"{headline}\nBy Jane Doe, Reuters\n\nThe airline said so. It will fly.")
    assert document.title == headline
    assert document.metadata == ("By Jane Doe, Reuters",)


def test_metadata_lines_are_at_most_four() -> None:
    lines = "\n".join(f"Source {n} -" for n in range(6))
    document = plain(f"Title\n{lines}\n\nBody.")
    assert len(document.metadata) == 4


@pytest.mark.parametrize(
    "tail",
    [
        "Read more",
        "READ MORE »",
        "اقرأ أيضا: عنوان مقال آخر",
        "اقرأ أيضاً",
        "إقرأ المزيد",
        "بیشتر بخوانید",
        "مزید پڑھیں",
        "קראו עוד",
        "Share\nAdvertisement",
    ],
)
def test_trailing_web_furniture_is_boilerplate(tail: str) -> None:
    document = plain(f"Title\n\nThe article itself.\n\n{tail}")
    assert kinds(document)[:2] == [T, P]
    assert set(kinds(document)[2:]) == {B}


def test_boilerplate_phrase_inside_a_sentence_is_not_boilerplate() -> None:
    document = plain("Title\n\nBody.\n\nRead more about the plan on the council website.")
    assert kinds(document) == [T, P, P]


def test_lines_mode_makes_every_non_empty_line_a_paragraph() -> None:
    decoded = decode_text("  Title\nSecond line  \n\n\nمرحبا\n   \n".encode(), "<stdin>")
    document = parse_lines(decoded, "<stdin>")
    assert [p.text for p in document.paragraphs] == ["Title", "Second line", "مرحبا"]
    assert kinds(document) == [P, P, P]
    assert document.title is None and document.sections == () and document.metadata == ()
    assert [p.direction for p in document.paragraphs] == [LTR, LTR, RTL]
    assert document.name == "<stdin>" and document.path is None
    assert_offsets_hold(document)


def test_empty_file_is_an_empty_document_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n ")
    document = load_document(path)
    assert document.paragraphs == ()
    assert document.text == ""
    assert document.title is None
    assert "empty file" in document.notices


def test_load_document_carries_encoding_notices_and_bidi_counts(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("عنوان المقال\n\nنص المقال \u200fهنا.".encode("cp1256"))
    document = load_document(path)
    assert document.encoding == "windows-1256"
    assert document.notices[0] == "decoded as windows-1256 (not UTF-8)"
    assert document.bidi_controls.marks == 1
    assert document.title == "عنوان المقال"


def test_load_document_reads_markdown_by_suffix_whatever_its_case(tmp_path: Path) -> None:
    for name in ("a.md", "b.MD", "c.Markdown"):
        path = tmp_path / name
        path.write_text("# Title\n\n**Bold** text.\n", encoding="utf-8")
        document = load_document(path)
        assert document.title == "Title"
        assert document.paragraphs[1].text == "Bold text."
    path = tmp_path / "d.txt"
    path.write_text("# Title\n\n**Bold** text.\n", encoding="utf-8")
    assert load_document(path).paragraphs[1].text == "**Bold** text."


def test_escape_sequences_never_reach_the_document(tmp_path: Path) -> None:
    path = tmp_path / "evil.txt"
    path.write_bytes(b"Title\x1b]0;owned\x07\n\nBody \x1b[2J\x1bP+q\x1b\\ \xc2\x9b text.\n")
    document = load_document(path)
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in document.text)
    assert document.title == "Title\u241b]0;owned\u2407"
    assert "replaced 6 control characters" in document.notices


def test_single_8_megabyte_line_loads(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    line = "كلمة عربية طويلة جدا، " * 200_000
    path.write_text(line, encoding="utf-8")
    assert path.stat().st_size >= 8_000_000
    document = finishes(lambda: load_document(path))
    assert document.title is None
    assert len(document.paragraphs) > 1  # cut at spaces: see the next test
    assert all(p.direction is RTL for p in document.paragraphs)
    assert finishes(lambda: split_sentences(document.paragraphs[0]))


def test_huge_whitespace_runs_parse_in_reasonable_time() -> None:
    text = "Title\n\n" + " " * 2_000_000 + "\n" + "a" + " " * 2_000_000 + "b\n\n" + "\n" * 1_000_000
    document = finishes(lambda: plain(text))
    assert [p.text for p in document.paragraphs][0] == "Title"
    assert_offsets_hold(document)


def test_a_paragraph_of_megabytes_is_cut_at_spaces_into_paragraphs_of_its_kind() -> None:
    """One 8 MB line must not be one unit of layout (seconds per screen)."""
    from tuireader.text.structure import MAX_PARAGRAPH

    line = ("word " * 1_700_000).strip()
    document = parse_lines(decode_text(line.encode(), "long.txt"), "long.txt")
    assert len(document.paragraphs) > 1
    for paragraph in document.paragraphs:
        assert len(paragraph.text) <= MAX_PARAGRAPH
        assert document.text[paragraph.start : paragraph.end] == paragraph.text
        assert not paragraph.text.startswith(" ") and not paragraph.text.endswith(" ")
    assert " ".join(p.text for p in document.paragraphs) == line


def test_the_end_of_a_long_file_is_a_suffix_of_the_whole(tmp_path: Path) -> None:
    """`G` shows the end before the rest is read: its text must be the whole's last
    characters (CRLF, tabs and NFC included), so that its offsets map by one shift."""
    copy = SEED.read_text(encoding="utf-8").replace("\n", "\r\n") + "\r\n\r\n\tآخر سطر\r\n"
    path = tmp_path / "long.txt"
    path.write_text(copy * 10, encoding="utf-8", newline="")
    end = load_document_end(path, limit=4096)
    whole = load_document(path)
    assert end.is_end and not end.complete
    assert 0 < len(end.text) < 4096 and whole.text.endswith(end.text)
    assert end.paragraphs[-1].text == whole.paragraphs[-1].text


def test_the_start_of_a_long_crlf_file_is_a_prefix_of_the_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("\n", "\r\n") * 10, newline="")
    start = load_document_start(path, limit=4096)
    whole = load_document(path)
    assert not start.complete and 0 < len(start.text) < 4096
    assert whole.text.startswith(start.text)
    assert start.paragraphs == whole.paragraphs[: len(start.paragraphs)]


@pytest.mark.parametrize(
    ("tail", "problem"),
    [(b"\n\n" + "نص".encode("cp1256") * 50, "not UTF-8"), (b"x" * 200, "no blank line")],
    ids=["windows-1256", "no-blank-line"],
)
def test_an_end_that_cannot_be_read_alone_is_refused(
    tmp_path: Path, tail: bytes, problem: str
) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(SEED.read_bytes() + tail)
    with pytest.raises(LoadError, match=problem):
        load_document_end(path, limit=150)
