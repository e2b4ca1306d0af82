"""Looking offsets up in a Document: the paragraph and the innermost section."""

from __future__ import annotations

from tuireader.text.loading import decode_text
from tuireader.text.structure import parse_markdown

SOURCE = (
    "# Title\n\nIntro.\n\n## One\n\nFirst.\n\n### One.a\n\nDeep.\n\nStill deep.\n\n"
    "## Two\n\nLast.\n"
)


def test_section_at_is_the_innermost_section_holding_the_offset() -> None:
    document = parse_markdown(decode_text(SOURCE.encode(), "t.md"), "t.md")
    text = document.text

    def title(word: str) -> str | None:
        section = document.section_at(text.index(word))
        return None if section is None else section.title

    assert [title(w) for w in ("Intro", "First", "Deep", "Still", "Last")] == [
        None,
        "One",
        "One.a",
        "One.a",
        "Two",
    ]


def test_a_heading_belongs_to_its_own_section_not_its_parent() -> None:
    source = "## Parent\n\nA.\n\n### Child\n\nB.\n\n## Next\n\nC.\n"
    document = parse_markdown(decode_text(source.encode(), "t.md"), "t.md")
    child = next(s for s in document.sections if s.title == "Child")
    parent = next(s for s in document.sections if s.title == "Parent")
    assert document.section_at(child.start) == child
    assert document.section_at(parent.start) == parent
    assert document.section_at(child.end - 1) == child


def test_paragraph_at_finds_the_paragraph_or_the_one_before_a_gap() -> None:
    document = parse_markdown(decode_text(SOURCE.encode(), "t.md"), "t.md")
    for paragraph in document.paragraphs:
        assert document.paragraph_at(paragraph.start) == paragraph.index
        assert document.paragraph_at(paragraph.end) == paragraph.index
    assert document.paragraph_at(-5) == 0
