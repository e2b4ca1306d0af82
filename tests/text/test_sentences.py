"""Tests for splitting paragraphs into sentences ("claims") with exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.text.timeout_guard import finishes
from tuireader.text.document import BlockKind, Direction, Paragraph
from tuireader.text.sentences import split_sentences


def paragraph(text: str, kind: BlockKind = BlockKind.PARAGRAPH, start: int = 0) -> Paragraph:
    return Paragraph(
        index=0, kind=kind, start=start, end=start + len(text), text=text, direction=Direction.LTR
    )


def sentences(text: str, kind: BlockKind = BlockKind.PARAGRAPH) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(paragraph(text, kind))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Wait... what?! Really!!", ["Wait...", "what?!", "Really!!"]),
        ("It ended… Then silence.", ["It ended…", "Then silence."]),
        ('He said "stop." She left.', ['He said "stop."', "She left."]),
        ("(This is aside.) Back to it.", ["(This is aside.)", "Back to it."]),
        ("Costs rose 14.2% in v2.1 of the plan.", ["Costs rose 14.2% in v2.1 of the plan."]),
        ("See example.org for more. Thanks.", ["See example.org for more.", "Thanks."]),
        ("The U.S. economy grew. Then it shrank.", ["The U.S. economy grew.", "Then it shrank."]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Fruit, e.g. apples, i.e. food. Yes.", ["Fruit, e.g. apples, i.e. food.", "Yes."]),
        ("Pens, paper, etc. were sold. Done.", ["Pens, paper, etc. were sold.", "Done."]),
        ("J. R. R. Tolkien wrote it. Fine.", ["J. R. R. Tolkien wrote it.", "Fine."]),
        ("3. Buy milk. Then eggs.", ["3. Buy milk.", "Then eggs."]),
        ("The year was 2019. It rained.", ["The year was 2019.", "It rained."]),
        # A clock time ends the sentence when a capital follows (issue 10).
        ("It ended at 5 p.m. Officials left.", ["It ended at 5 p.m.", "Officials left."]),
        ("From 9 a.m. to 5 p.m. on Monday.", ["From 9 a.m. to 5 p.m. on Monday."]),
        (
            "Dr. Lee paid $3.5 to the U.S. Treasury. Done.",
            ["Dr. Lee paid $3.5 to the U.S. Treasury.", "Done."],
        ),
        ("  padded sentence.   next one.  ", ["padded sentence.", "next one."]),
        ("no terminator at all", ["no terminator at all"]),
        ("Dots....in the middle", ["Dots....in the middle"]),
        ("«Quoted.» Next.", ["«Quoted.»", "Next."]),
        # Arabic: ، and ؛ never end a sentence; د. is "Dr."
        (
            "قال د. أحمد إن الوضع صعب، لكنه مستقر؛ وأضاف أنه متفائل. هل هذا صحيح؟ نعم!",
            ["قال د. أحمد إن الوضع صعب، لكنه مستقر؛ وأضاف أنه متفائل.", "هل هذا صحيح؟", "نعم!"],
        ),
        (
            "وقال: «لن نتراجع». وأكد ذلك أ.د. محمد علي؟!",
            ["وقال: «لن نتراجع».", "وأكد ذلك أ.د. محمد علي؟!"],
        ),
        ("ارتفع المؤشر 2.5 نقطة. ثم هبط.", ["ارتفع المؤشر 2.5 نقطة.", "ثم هبط."]),
        # A year's era letter ends the sentence; د. before a name does not (issue 10).
        ("تمتد حتى 2030م. وأضاف.", ["تمتد حتى 2030م.", "وأضاف."]),
        ("بدأت عام 2019 م. ثم توقفت.", ["بدأت عام 2019 م.", "ثم توقفت."]),
        ("بنيت سنة 1440 هـ. ثم هدمت.", ["بنيت سنة 1440 هـ.", "ثم هدمت."]),
        ("قابل م. أحمد الوزير.", ["قابل م. أحمد الوزير."]),
        # Persian
        (
            "دولت برنامه تازه‌ای اعلام کرد. آیا اجرا می‌شود؟ هنوز معلوم نیست.",
            ["دولت برنامه تازه‌ای اعلام کرد.", "آیا اجرا می‌شود؟", "هنوز معلوم نیست."],
        ),
        # Urdu: ۔ is the full stop
        (
            "پانی کی فراہمی معطل ہے۔ کیا یہ جلد بحال ہو گی؟ ترجمان نے کہا ہاں۔",
            ["پانی کی فراہمی معطل ہے۔", "کیا یہ جلد بحال ہو گی؟", "ترجمان نے کہا ہاں۔"],
        ),
        # Hebrew, with the optional sof pasuq
        (
            "העירייה הודיעה על קו חדש. מתי ייפתח? בעוד שנה׃ כך נאמר.",
            ["העירייה הודיעה על קו חדש.", "מתי ייפתח?", "בעוד שנה׃", "כך נאמר."],
        ),
    ],
)
def test_paragraph_splits_into_exact_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "kind",
    [
        BlockKind.TITLE,
        BlockKind.METADATA,
        BlockKind.HEADING,
        BlockKind.BOILERPLATE,
        BlockKind.CODE,
        BlockKind.TABLE,
    ],
)
def test_non_prose_paragraph_is_one_sentence(kind: BlockKind) -> None:
    assert sentences("  Why now? Because. Really.  ", kind) == ["Why now? Because. Really."]


@pytest.mark.parametrize("kind", [BlockKind.QUOTE, BlockKind.LIST_ITEM, BlockKind.PARAGRAPH])
def test_prose_paragraph_kinds_are_split(kind: BlockKind) -> None:
    assert sentences("One. Two.", kind) == ["One.", "Two."]


def test_offsets_are_document_offsets() -> None:
    found = split_sentences(paragraph("One. Two.", start=100))
    assert [(s.start, s.end) for s in found] == [(100, 104), (105, 109)]


def test_blank_paragraph_has_no_sentences() -> None:
    assert split_sentences(paragraph("   ")) == ()
    assert split_sentences(paragraph("")) == ()


def test_split_is_cached_per_paragraph() -> None:
    first = paragraph("Cached once. Then reused.")
    assert split_sentences(first) is split_sentences(first)


HOSTILE = {
    "a run of dots before a letter": "." * 200_000 + "x",
    "abbreviations only": "Mr. " * 200_000,
    "dots inside one token": "a." * 200_000,
    "no-break spaces only": "word\u00a0" * 200_000 + "end.",
    "huge words": ("x" * 100_000 + "! ") * 10,
    "question marks only": "؟" * 200_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_split_stays_linear_on_hostile_paragraphs(text: str) -> None:
    finishes(lambda: split_sentences(paragraph(text)))


PROSE = st.lists(
    st.sampled_from([*"ab Z.!?؟۔…׃\"'»”’)]}(«“ \u00a0\u2009،؛:1", "Mr", "e.g", "J.", "..."])
    | st.characters(),
    max_size=120,
).map("".join)


@given(PROSE, st.integers(min_value=0, max_value=1000))
def test_sentences_are_ordered_stripped_and_cover_all_visible_text(text: str, start: int) -> None:
    para = paragraph(text, start=start)
    found = split_sentences(para)
    previous_end = start
    covered = [False] * len(text)
    for sentence in found:
        assert previous_end <= sentence.start < sentence.end <= start + len(text)
        piece = text[sentence.start - start : sentence.end - start]
        assert piece == piece.strip()
        for offset in range(sentence.start - start, sentence.end - start):
            covered[offset] = True
        previous_end = sentence.end
    assert all(covered[i] for i, char in enumerate(text) if not char.isspace())
