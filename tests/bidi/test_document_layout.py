"""Lazy layout of a whole document: row bookkeeping without laying out what is unseen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.bidi.shaping_faults import reshaper_failing_on
from tuireader.bidi.document_layout import DocumentLayout, DocumentLayouts
from tuireader.bidi.layout import DEFAULT_OPTIONS, layout_paragraph
from tuireader.text.document import BlockKind, Direction, Document, Paragraph


def make_document(texts: list[str]) -> Document:
    paragraphs = []
    offset = 0
    for index, text in enumerate(texts):
        paragraphs.append(
            Paragraph(index, BlockKind.PARAGRAPH, offset, offset + len(text), text, Direction.LTR)
        )
        offset += len(text) + 2
    return Document("test", "\n\n".join(texts), tuple(paragraphs))


WORDS = st.lists(st.sampled_from(["a", "bb", "word", "longerword", "x" * 30]), max_size=40)
TEXTS = st.lists(WORDS.map(" ".join), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(texts=TEXTS, width=st.integers(1, 50), seen=st.lists(st.integers(0, 29)))
def test_row_bookkeeping_stays_consistent_as_paragraphs_are_laid_out(
    texts: list[str], width: int, seen: list[int]
) -> None:
    document = make_document(texts)
    paragraphs = document.paragraphs
    layout = DocumentLayout(document, width)
    for index in seen:
        if index < len(paragraphs):
            layout.lines(index)
    for index in range(len(paragraphs)):
        first = layout.first_row(index)
        assert layout.locate(first) == (index, 0)
    assert layout.locate(layout.total_rows + 5)[0] == len(paragraphs) - 1
    for index in range(len(paragraphs)):
        layout.lines(index)
    exact = sum(len(layout_paragraph(p, width)) for p in paragraphs) + len(paragraphs) - 1
    assert layout.total_rows == exact


def test_nothing_is_laid_out_until_asked() -> None:
    layout = DocumentLayout(make_document(["one two three"] * 1000), 5)
    assert not any(layout.is_exact(i) for i in range(1000))
    assert layout.total_rows > 1000


def test_settle_reports_the_change_of_height() -> None:
    layout = DocumentLayout(make_document(["a b c d e f g h i j"]), 2)
    estimate = layout.total_rows
    delta = layout.settle(0)
    assert layout.total_rows == estimate + delta == 10


def test_row_of_and_offset_at_round_trip_on_row_starts() -> None:
    document = make_document(["alpha beta gamma delta", "epsilon zeta"])
    paragraphs = document.paragraphs
    layout = DocumentLayout(document, 11)
    for paragraph in paragraphs:
        for line in layout.lines(paragraph.index):
            assert layout.offset_at(layout.row_of(line.start)) == line.start


def test_a_paragraph_whose_shaping_fell_back_is_listed_once_seen() -> None:
    """Issue 9: the UI can count and mark the paragraphs shown in a degraded way."""
    document = make_document(["plain words", "ب كتب", "more words"])
    with reshaper_failing_on("كتب"):
        layout = DocumentLayout(document, 20)
        assert layout.fallbacks == {}
        for index in range(3):
            layout.lines(index)
    assert list(layout.fallbacks) == [1]
    assert "shaping failed" in layout.fallbacks[1]


def test_a_session_keeps_its_layouts_by_width_and_options_and_drops_the_oldest() -> None:
    document = make_document(["one two three four five six"] * 3)
    layouts = DocumentLayouts()
    at_10 = layouts.get(document, 10, DEFAULT_OPTIONS)
    at_10.lines(0)  # a row counted
    assert layouts.get(document, 10, DEFAULT_OPTIONS) is at_10
    assert at_10.is_exact(0)
    hidden = DEFAULT_OPTIONS._replace(show_hidden=True)
    assert layouts.get(document, 10, hidden) is not at_10
    for width in (20, 30, 40):
        layouts.get(document, width, DEFAULT_OPTIONS)
    # Five asked for, four kept: the least recently used (width 10) went first.
    assert layouts.get(document, 40, DEFAULT_OPTIONS).width == 40
    assert layouts.get(document, 10, DEFAULT_OPTIONS) is not at_10


def test_another_version_of_the_document_gets_a_layout_of_its_own() -> None:
    start = make_document(["one two"])
    whole = make_document(["one two", "three four"])
    layouts = DocumentLayouts()
    first = layouts.get(start, 10, DEFAULT_OPTIONS)
    assert layouts.get(whole, 10, DEFAULT_OPTIONS) is not first
    assert layouts.get(whole, 10, DEFAULT_OPTIONS).document is whole
