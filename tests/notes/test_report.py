"""Tests for exporting notes: the Markdown review report, YAML and JSON."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

import yaml

from tests.notes.factories import FIXED_TIME, make_document, make_note
from tuireader.notes.anchoring import anchor_notes
from tuireader.notes.model import Note
from tuireader.notes.report import format_notes
from tuireader.notes.stance import Stance

EXPECTED = Path(__file__).parent / "expected"

VENUE = "اختار الزعيمان الاجتماع في قاعدة «فوستوشني» الفضائية."
PUTIN = "وقال بوتين إن اللقاء اعتراف باهتمام كيم الكبير بتكنولوجيا الصواريخ."
SHELLS = "وتملك بيونغ يانغ مخزونات كبيرة من القذائف."
TEXT = (
    f"# مكان انعقاد القمة\n\n{VENUE} {PUTIN}\n\n"
    f"# مكاسب الاجتماع\n\nومن المرجح أن تحصل روسيا على ذخائر. {SHELLS}"
)
DOCUMENT = make_document(TEXT, path="seeds/summit.txt", title="ماذا بعد التقارب الكوري الروسي؟")


def two_notes() -> list[Note]:
    shells = make_note(
        "n-20261125-0000beef",
        SHELLS,
        TEXT.index(SHELLS),
        stance=Stance.DISPUTED,
        tags=("ذخائر", "sources"),
        body="No source is given for the size of the stockpile.\n\nCompare with the RUSI estimate.",
    )
    venue = make_note("n-20261125-0000cafe", VENUE, TEXT.index(VENUE), stance=Stance.SUPPORTED)
    return [shells, dataclasses.replace(venue, updated=FIXED_TIME + timedelta(days=1))]


def test_markdown_report_groups_notes_by_section_in_document_order() -> None:
    report = format_notes(anchor_notes(two_notes(), DOCUMENT), DOCUMENT, "markdown")
    assert report == (EXPECTED / "two_notes.md").read_text("utf-8")


def test_markdown_report_shows_reworded_claims_and_lists_orphans_last() -> None:
    notes = [*two_notes(), make_note("n-3", PUTIN, TEXT.index(PUTIN), section="مكان انعقاد القمة")]
    edited = TEXT.replace(PUTIN, "").replace("مخزونات كبيرة", "مخزونات ضخمة")
    document = make_document(edited, path="seeds/summit.txt")
    report = format_notes(anchor_notes(notes, document), document, "markdown")
    assert report.index("## مكان انعقاد القمة") < report.index("## مكاسب الاجتماع")
    assert report.index("## مكاسب الاجتماع") < report.index("## Orphaned notes")
    assert "> وتملك بيونغ يانغ مخزونات ضخمة من القذائف." in report
    assert "similar). It read:*\n\n> وتملك بيونغ يانغ مخزونات كبيرة من القذائف." in report
    orphans = report[report.index("## Orphaned notes") :]
    assert f"> {PUTIN}" in orphans
    assert "*Last seen in “مكان انعقاد القمة”.*" in orphans
    assert "3 notes · 1 supported · 1 disputed · 1 no stance yet · 1 orphaned" in report


def test_yaml_and_json_exports_hold_current_selectors_and_anchor_status() -> None:
    edited = "# مقدمة\n\n" + TEXT
    document = make_document(edited, path="seeds/summit.txt")
    anchored = anchor_notes(two_notes(), document)
    for data in (
        yaml.safe_load(format_notes(anchored, document, "yaml")),
        json.loads(format_notes(anchored, document, "json")),
    ):
        assert data["tuireader_notes"] == 1
        venue, shells = data["notes"]
        assert venue["target"]["start"] == edited.index(VENUE)
        assert venue["anchor"] == {"status": "moved", "similarity": 1.0}
        assert shells["tags"] == ["ذخائر", "sources"]
    assert "ذخائر" in format_notes(anchored, document, "json")


HOSTILE = "\x1b]52;c;aGVsbG8=\x07\x9b\u202e\U000e006e"


def hostile_note() -> Note:
    note = make_note(
        f"n-1{HOSTILE}",
        SHELLS,
        TEXT.index(SHELLS),
        stance=Stance.DISPUTED,
        tags=(f"tag{HOSTILE}", "\x85nel"),
        body=f"body {HOSTILE}\nline\u2028two",
    )
    return dataclasses.replace(note, author=f"mallory\n{HOSTILE}")


def test_markdown_report_shows_hostile_note_fields_inert() -> None:
    """Issue 9: the report printed note bodies, authors and tags with raw ESC and C1."""
    report = format_notes(anchor_notes([hostile_note()], DOCUMENT), DOCUMENT, "markdown")
    for char in "\x1b\x07\x9b\x85\u202e\U000e006e\u2028":
        assert char not in report
    assert "*mallory␊␛]52;c;aGVsbG8=␇\ufffd⌜RLO⌝⌜TAG:n⌝ · " in report
    assert "body ␛]52;c;aGVsbG8=␇\ufffd⌜RLO⌝⌜TAG:n⌝\nline␤two" in report


def test_yaml_and_json_exports_of_hostile_notes_are_exact_and_inert() -> None:
    anchored = anchor_notes([hostile_note()], DOCUMENT)
    for fmt, load in (("yaml", yaml.safe_load), ("json", json.loads)):
        exported = format_notes(anchored, DOCUMENT, fmt)  # type: ignore[arg-type]
        for char in "\x1b\x07\x9b\x85\u202e\U000e006e\u2028":
            assert char not in exported, (fmt, char)
        (note,) = load(exported)["notes"]
        assert note["id"] == f"n-1{HOSTILE}"
        assert note["body"] == f"body {HOSTILE}\nline\u2028two"
