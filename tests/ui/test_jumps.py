"""The go-to line's words and the marks read back from the state file (no app)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.paths import SAMPLE
from tuireader.text.document import Document
from tuireader.text.structure import load_document
from tuireader.ui.jumps import GoTo, marks_from, parse_goto


@pytest.fixture(scope="module")
def sample() -> Document:
    return load_document(SAMPLE)


def test_a_percentage_is_that_far_through_the_text(sample: Document) -> None:
    assert parse_goto("50%", sample) == GoTo(offset=round(len(sample.text) / 2))
    assert parse_goto(" 0 % ", sample) == GoTo(offset=0)
    assert parse_goto("100%", sample) == GoTo(offset=len(sample.text), end=True)
    assert parse_goto("12.5%", sample).offset == round(len(sample.text) / 8)


def test_arabic_digits_and_percent_sign_read_as_a_percentage(sample: Document) -> None:
    assert parse_goto("٥٠٪", sample) == parse_goto("50%", sample)
    assert parse_goto("٣", sample) == parse_goto("3", sample)


def test_a_number_is_a_section_as_the_outline_lists_them(sample: Document) -> None:
    assert parse_goto("1", sample) == GoTo(offset=sample.sections[0].start)
    assert parse_goto("3", sample) == GoTo(offset=sample.sections[2].start)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0", "no section 0: the sections are numbered 1 to 4"),
        ("9", "no section 9: the sections are numbered 1 to 4"),
        ("150%", "150%: a percentage goes from 0% to 100%"),
    ],
)
def test_an_out_of_range_number_is_one_clear_line(
    sample: Document, text: str, problem: str
) -> None:
    assert parse_goto(text, sample) == GoTo(problem=problem)


def test_a_document_without_sections_says_so(sample: Document) -> None:
    bare = dataclasses.replace(sample, sections=())
    assert parse_goto("2", bare).problem == "no section 2: this document has no sections"


@pytest.mark.parametrize("text", ["كيم", "2019-2020", "50 %x", "#3"])
def test_anything_else_is_a_search(sample: Document, text: str) -> None:
    assert parse_goto(text, sample) == GoTo(search=text)


def test_an_empty_line_goes_nowhere(sample: Document) -> None:
    assert parse_goto("   ", sample) == GoTo()


def test_marks_read_back_keep_only_letters_at_offsets_inside_the_text() -> None:
    kept = {"a": 10, "Z": 0, "b": 99, "1": 5, "ab": 3, "c": -1, "d": "7", "e": True, "f": 100}
    assert marks_from(kept, 99) == {"a": 10, "Z": 0, "b": 99}
    assert marks_from(["a", 1], 99) == {}
    assert marks_from(None, 99) == {}
