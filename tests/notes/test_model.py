"""Tests for the note model: new notes, selectors, sections, authors, edits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest

from tests.notes.factories import FIXED_TIME, make_document
from tuireader.notes.model import (
    CONTEXT_CHARS,
    default_author,
    edit_note,
    new_note,
    section_title_at,
)
from tuireader.notes.stance import Stance

TEXT = (
    "مقدمة قصيرة قبل أي عنوان.\n\n"
    "# مكاسب الاجتماع\n\n"
    "ومن المرجح أن تحصل روسيا على ذخائر مدفعية من كوريا الشمالية مقابل التكنولوجيا. "
    "وتملك بيونغ يانغ مخزونات كبيرة من القذائف."
)
DOCUMENT = make_document(TEXT)
CLAIM = "وتملك بيونغ يانغ مخزونات كبيرة من القذائف."


def test_new_note_quotes_the_range_with_32_characters_of_context_and_its_section() -> None:
    start = TEXT.index(CLAIM)
    note = new_note(DOCUMENT, start, start + len(CLAIM), author="سارة", tags=[" اقتصاد ", ""])
    quote = note.target.quote
    assert quote.exact == CLAIM
    assert quote.prefix == TEXT[start - CONTEXT_CHARS : start]
    assert len(quote.prefix) == 32
    assert quote.suffix == ""  # the claim ends the text
    assert (note.target.position.start, note.target.position.end) == (start, len(TEXT))
    assert note.target.section == "مكاسب الاجتماع"
    assert note.tags == ("اقتصاد",)
    assert note.stance is None and note.body == "" and note.author == "سارة"
    assert note.created == note.updated and note.created.microsecond == 0


def test_note_ids_carry_the_date_and_are_unique() -> None:
    ids = {new_note(DOCUMENT, 0, 5, author="a", now=FIXED_TIME).id for _ in range(500)}
    assert len(ids) == 500
    assert all(re.fullmatch(r"n-20261125-[0-9a-f]{8}", note_id) for note_id in ids)


@pytest.mark.parametrize(("start", "end"), [(3, 3), (5, 2), (-1, 4), (0, len(TEXT) + 1)])
def test_new_note_refuses_an_empty_or_outside_range(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="empty or outside"):
        new_note(DOCUMENT, start, end)


def test_text_before_the_first_heading_has_no_section() -> None:
    assert section_title_at(DOCUMENT, 0) is None
    assert section_title_at(DOCUMENT, TEXT.index("# ")) == "مكاسب الاجتماع"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"TUIREADER_AUTHOR": " سارة ", "USER": "root"}, "سارة"),
        ({"TUIREADER_AUTHOR": "", "USER": "analyst", "LOGNAME": "x"}, "analyst"),
        ({"LOGNAME": "logname"}, "logname"),
    ],
)
def test_default_author_prefers_tuireader_author_then_the_login_name(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("TUIREADER_AUTHOR", "USER", "LOGNAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert default_author() == expected


def test_default_author_falls_back_to_anonymous(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TUIREADER_AUTHOR", "USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)

    def no_user() -> str:
        raise KeyError("uid not in passwd")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert default_author() == "anonymous"


def test_editing_a_note_bumps_updated_only_when_something_changed() -> None:
    note = new_note(DOCUMENT, 0, 5, author="a", now=FIXED_TIME)
    later = FIXED_TIME + timedelta(hours=1)
    assert edit_note(note, body="", stance=None, tags=(), now=later) is note
    edited = edit_note(note, stance=Stance.NEEDS_SOURCE, tags=["x"], now=later)
    assert (edited.stance, edited.tags, edited.updated) == (Stance.NEEDS_SOURCE, ("x",), later)
    assert edited.created == note.created and edited.body == note.body
    assert edit_note(edited, stance=None, now=later).stance is None


def test_the_notes_core_never_imports_textual() -> None:
    code = "import sys, tuireader.notes; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert result.stdout.strip() == "False"
