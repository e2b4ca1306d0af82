"""The drafts file: every field of the editor, schema 2 (reads 1), regular files only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.text.timeout_guard import finishes
from tuireader.notes.drafts import (
    Draft,
    Drafts,
    DraftTarget,
    draft_claim,
    drafts_path,
    new_note_key,
    valid_unicode,
)
from tuireader.notes.errors import NotesError
from tuireader.notes.stance import Stance

FULL = Draft(
    "سطر أول\n  وسطر ثانٍ",
    stance=Stance.NEEDS_SOURCE,
    tags=("اقتصاد", "sources"),
    target=DraftTarget(10, 42, "قال بوتين إن القمة كانت ناجحة."),
    pending=True,
)


def drafts_beside(tmp_path: Path) -> Drafts:
    return Drafts(drafts_path(tmp_path / "a.txt.notes.yaml"), lock_timeout=1.0)


def test_every_field_of_the_editor_comes_back(tmp_path: Path) -> None:
    """Issue 8: drafts kept the body only; stance, tags and the claim were lost."""
    drafts = drafts_beside(tmp_path)
    edit = Draft("edited", stance=None, tags=(), note_id="n-20261125-7f3a9c01")
    drafts.save(new_note_key(10, 42), FULL)
    drafts.save("n-20261125-7f3a9c01", edit)
    again = drafts_beside(tmp_path).load_all()
    assert again == {new_note_key(10, 42): FULL, "n-20261125-7f3a9c01": edit}
    assert drafts.path.read_text("utf-8").startswith("tuireader_drafts: 2\n")


def test_a_version_1_file_is_read_as_bodies_with_their_claims(tmp_path: Path) -> None:
    drafts = drafts_beside(tmp_path)
    drafts.path.write_text(
        "tuireader_drafts: 1\ndrafts:\n  new:10-42: half a thought\n  n-1: |\n    edited\n",
        "utf-8",
    )
    assert drafts.load_all() == {
        "new:10-42": Draft("half a thought", target=DraftTarget(10, 42, "")),
        "n-1": Draft("edited\n", note_id="n-1"),
    }
    assert drafts.load() == {"new:10-42": "half a thought", "n-1": "edited\n"}


def test_a_newer_drafts_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    drafts = drafts_beside(tmp_path)
    drafts.path.write_text("tuireader_drafts: 3\ndrafts: {}\n", "utf-8")
    with pytest.raises(NotesError, match="unknown drafts version"):
        drafts.save("n-1", Draft("x"))
    assert drafts.path.read_text("utf-8") == "tuireader_drafts: 3\ndrafts: {}\n"


def test_a_draft_typed_after_the_save_was_sent_is_not_cleared_by_it(tmp_path: Path) -> None:
    drafts = drafts_beside(tmp_path)
    drafts.save("n-1", Draft("newer"))
    drafts.clear("n-1", only=Draft("older"))
    assert drafts.load() == {"n-1": "newer"}
    drafts.clear("n-1", only=Draft("newer"))
    assert not drafts.path.exists()


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX permissions")
def test_drafts_get_the_notes_files_permissions(tmp_path: Path) -> None:
    """Issue 8: drafts were created 0644 beside a 0600 notes file."""
    notes = tmp_path / "a.txt.notes.yaml"
    notes.write_text("tuireader_notes: 1\nnotes: []\n", "utf-8")
    notes.chmod(0o600)
    drafts = drafts_beside(tmp_path)
    drafts.save("n-1", Draft("private"))
    assert stat.S_IMODE(drafts.path.stat().st_mode) == 0o600
    notes.chmod(0o640)
    drafts.save("n-1", Draft("shared with the group"))
    assert stat.S_IMODE(drafts.path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "a.txt.notes.yaml",
        "a.txt.notes.yaml.drafts.yaml",
    ]


def test_a_symlink_at_the_drafts_path_is_neither_read_nor_written_through(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", "utf-8")
    drafts = drafts_beside(tmp_path)
    drafts.path.symlink_to(victim)
    # Read through the link as the notes file is: the victim is not a drafts file.
    with pytest.raises(NotesError, match="not a drafts file"):
        drafts.load_all()
    with pytest.raises(NotesError, match="symbolic link"):
        drafts.save("n-1", Draft("x"))
    assert victim.read_text("utf-8") == "precious\n"
    assert drafts.path.is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_at_the_drafts_path_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO would block a reader until a writer comes: the notes thread, and `q`."""
    drafts = drafts_beside(tmp_path)
    os.mkfifo(drafts.path)

    def load() -> str:
        with pytest.raises(NotesError, match="not a regular file") as caught:
            drafts.load_all()
        return str(caught.value)

    assert "not a regular file" in finishes(load)
    with pytest.raises(NotesError, match="not a regular file"):
        finishes(lambda: drafts.save("n-1", Draft("x")))


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("plain", "plain"),
        ("half \ud83d of an emoji", "half \ufffd of an emoji"),
        ("a pair \ud83d\ude00 joined", "a pair \U0001f600 joined"),
        ("not UTF-8 \udcff", "not UTF-8 \ufffd"),
    ],
)
def test_lone_surrogates_become_replacement_characters(text: str, valid: str) -> None:
    assert valid_unicode(text) == valid
    valid_unicode(text).encode("utf-8")


def test_a_drafts_claim_is_found_again_when_the_text_moved() -> None:
    draft = Draft("x", target=DraftTarget(4, 9, "claim"))
    assert draft_claim(draft, "abc claim.") == (4, 9)
    assert draft_claim(draft, "inserted: abc claim.") == (14, 19)
    assert draft_claim(draft, "gone") is None
    assert draft_claim(Draft("x", target=DraftTarget(0, 4, "")), "text") == (0, 4)
