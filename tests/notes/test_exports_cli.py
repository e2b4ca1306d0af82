"""`tuireader notes --format w3c|csv` and `tuireader notes import`, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.notes.test_w3c import W3C_SCHEMA
from tests.paths import SAMPLE
from tuireader.cli import main
from tuireader.notes.model import edit_note, new_note
from tuireader.notes.stance import Stance
from tuireader.notes.store import NotesStore
from tuireader.text.claims import iter_claims
from tuireader.text.structure import load_document


@pytest.fixture
def annotated(tmp_path: Path) -> Path:
    """A copy of the sample with three notes: a stance, a body with tags, an Arabic tag."""
    article = tmp_path / "article.txt"
    shutil.copy(SAMPLE, article)
    document = load_document(article)
    store = NotesStore.open(tmp_path / "article.txt.notes.yaml", document)
    claims = list(iter_claims(document))
    first, second, third = (
        new_note(document, c.start, c.end, author="analyst") for c in claims[1:4]
    )
    store.add(edit_note(first, stance=Stance.DISPUTED))
    store.add(edit_note(second, body="Check the 2019 date,\nwith a second line", tags=("sources",)))
    store.add(edit_note(third, tags=("اقتصاد",)))
    return article


def test_w3c_export_is_a_valid_collection_of_every_note(
    annotated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", str(annotated), "--format", "w3c"]) == 0
    exported = json.loads(capsys.readouterr().out)
    jsonschema.validate(exported, W3C_SCHEMA)
    items = exported["first"]["items"]
    assert len(items) == exported["total"] == 3
    assert items[0]["target"]["source"] == annotated.resolve().as_uri()
    assert exported["label"] == load_document(annotated).title


def test_csv_export_has_a_row_per_note_with_the_claim_in_logical_order(
    annotated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", str(annotated), "--format", "csv", "--bom"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffid,section,stance")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    document = load_document(annotated)
    claims = list(iter_claims(document))
    assert [row["claim"] for row in rows] == [document.text[c.start : c.end] for c in claims[1:4]]
    assert rows[0]["stance"] == "disputed"
    assert rows[1]["body"] == "Check the 2019 date,\nwith a second line"
    assert rows[2]["tags"] == "اقتصاد"


def test_import_round_trips_and_reanchors_in_an_edited_article(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", str(annotated), "--format", "w3c"]) == 0
    exported = tmp_path / "annotations.json"
    exported.write_text(capsys.readouterr().out, "utf-8")
    original = yaml.safe_load((tmp_path / "article.txt.notes.yaml").read_text("utf-8"))["notes"]

    edited = tmp_path / "edited" / "article.txt"
    edited.parent.mkdir()
    text = annotated.read_text("utf-8")
    title, rest = text.split("\n", 1)
    edited.write_text(f"{title}\n\nفقرة جديدة أضيفت في أول المقال.\n{rest}", "utf-8")
    assert main(["notes", "import", str(edited), str(exported)]) == 0
    assert "3 new, 0 merged, 0 orphaned" in capsys.readouterr().err
    imported = yaml.safe_load((edited.parent / "article.txt.notes.yaml").read_text("utf-8"))
    notes = {note["id"]: note for note in imported["notes"]}
    document = load_document(edited)
    for before in original:
        after = notes[before["id"]]
        for field in ("stance", "tags", "body", "author", "created"):
            assert after.get(field) == before.get(field)
        # Moved by the new paragraph, and found again.
        assert after["target"]["start"] > before["target"]["start"]
        target = after["target"]
        assert document.text[target["start"] : target["end"]] == before["target"]["exact"]

    # Importing again changes nothing: the ids match, the notes are the same.
    assert main(["notes", "import", str(edited), str(exported)]) == 0
    assert "0 new, 0 merged" in capsys.readouterr().err
