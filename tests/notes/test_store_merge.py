"""Tests for NotesStore saves as three-way merges: sessions keep each other's edits."""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from pathlib import Path

import pytest

from tests.notes.factories import add_at_once, make_document, make_note
from tuireader.notes.anchoring import AnchorStatus, anchor_note, reanchor_note
from tuireader.notes.model import Note, edit_note
from tuireader.notes.stance import Stance
from tuireader.notes.store import NotesStore

OLD_TEXT = "# قسم\n\nقال بوتين إن القمة كانت ناجحة. وأضاف أن التعاون سيستمر."
NEW_TEXT = "# قسم\n\nمقدمة جديدة أضيفت هنا. قال بوتين إن القمة كانت ناجحة. وأضاف أن التعاون سيستمر."
CLAIM = "قال بوتين إن القمة كانت ناجحة."
OTHER = "وأضاف أن التعاون سيستمر."
OLD = make_document(OLD_TEXT, path="article.txt")
NEW = make_document(NEW_TEXT, path="article.txt")


def claim(note_id: str = "n-x", body: str = "أصل") -> Note:
    return make_note(note_id, CLAIM, OLD_TEXT.index(CLAIM), body=body, stance=Stance.DISPUTED)


def on_disk(path: Path, note_id: str) -> Note:
    note = NotesStore.open(path, OLD).get(note_id)
    assert note is not None
    return note


def test_a_stale_sessions_reanchoring_never_undoes_another_sessions_edit(tmp_path: Path) -> None:
    """Issue 8: A re-anchors X on open, B edits X, A saves another note: X was B's no more."""
    path = tmp_path / "article.txt.notes.yaml"
    NotesStore.open(path, OLD).add(claim())
    session_a = NotesStore.open(path, NEW)  # the article changed: X moved
    note = session_a.get("n-x")
    assert note is not None
    anchor = anchor_note(note, NEW.text)
    assert anchor.status is AnchorStatus.MOVED
    queued = [reanchor_note(note, anchor, NEW)]
    session_b = NotesStore.open(path, NEW)
    session_b.update(edit_note(claim(), body="نص الجلسة ب", stance=Stance.SUPPORTED))
    session_a.add(make_note("n-y", OTHER, NEW_TEXT.index(OTHER)))
    session_a.reanchor(queued)  # what the keeper does with its queue
    result = on_disk(path, "n-x")
    assert result.body == "نص الجلسة ب" and result.stance is Stance.SUPPORTED
    assert result.target.position.start == NEW_TEXT.index(CLAIM)
    assert result.conflicts == ()
    assert on_disk(path, "n-y").target.quote.exact == OTHER


def test_two_sessions_editing_different_fields_of_one_note_keep_both(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    NotesStore.open(path, OLD).add(claim())
    ours, theirs = NotesStore.open(path, OLD), NotesStore.open(path, OLD)
    theirs.update(edit_note(claim(), tags=["مصادر"]))
    ours.update(edit_note(claim(), body="جسم جديد"))
    result = on_disk(path, "n-x")
    assert (result.body, result.tags, result.conflicts) == ("جسم جديد", ("مصادر",), ())
    assert ours.get("n-x") == result


def test_the_same_field_changed_in_two_sessions_keeps_both_as_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    NotesStore.open(path, OLD).add(claim())
    ours, theirs = NotesStore.open(path, OLD), NotesStore.open(path, OLD)
    theirs.update(edit_note(claim(), body="نسختهم"))
    ours.update(edit_note(claim(), body="نسختنا"))
    result = on_disk(path, "n-x")
    assert result.body == "نسختنا"
    assert [(c.field, c.value) for c in result.conflicts] == [("body", "نسختهم")]
    # The conflict is settled by keeping their version; the entry goes.
    ours.resolve_conflict("n-x", "body", result.conflicts[0])
    settled = on_disk(path, "n-x")
    assert settled.body == "نسختهم" and settled.conflicts == ()


def test_keeping_our_value_drops_the_conflict_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    NotesStore.open(path, OLD).add(claim())
    ours, theirs = NotesStore.open(path, OLD), NotesStore.open(path, OLD)
    theirs.update(edit_note(claim(), stance=Stance.OPINION))
    ours.update(edit_note(claim(), stance=Stance.SUPPORTED))
    ours.resolve_conflict("n-x", "stance")
    result = on_disk(path, "n-x")
    assert result.stance is Stance.SUPPORTED and result.conflicts == ()


def test_a_note_deleted_in_one_session_and_edited_in_another_is_kept_flagged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.yaml"
    NotesStore.open(path, OLD).add(claim())
    ours, theirs = NotesStore.open(path, OLD), NotesStore.open(path, OLD)
    theirs.delete("n-x")
    ours.update(edit_note(claim(), body="ما زلت أعمل عليها"))
    result = on_disk(path, "n-x")
    assert result.body == "ما زلت أعمل عليها"
    assert [c.field for c in result.conflicts] == ["deleted"]
    # Keeping the deletion deletes it.
    ours.resolve_conflict("n-x", "deleted", result.conflicts[0])
    assert NotesStore.open(path, OLD).get("n-x") is None


def test_a_note_deleted_in_one_session_and_untouched_in_another_is_deleted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, OLD)
    store.add(claim())
    ours, theirs = NotesStore.open(path, OLD), NotesStore.open(path, OLD)
    theirs.delete("n-x")
    ours.add(make_note("n-y", OTHER, OLD_TEXT.index(OTHER)))
    assert [note.id for note in NotesStore.open(path, OLD).notes] == ["n-y"]
    assert ours.get("n-x") is None


def test_reanchor_skips_notes_deleted_meanwhile_and_never_bumps_updated(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, OLD)
    store.add(claim())
    store.add(claim("n-gone"))
    other = NotesStore.open(path, OLD)
    other.delete("n-gone")
    before = store.get("n-x")
    assert before is not None
    far = dataclasses.replace(
        before,
        body="لا يكتب",
        target=dataclasses.replace(
            before.target, position=dataclasses.replace(before.target.position, start=3, end=9)
        ),
    )
    store.reanchor([far, claim("n-gone")])
    result = on_disk(path, "n-x")
    assert result.target.position.start == 3 and result.body == before.body
    assert result.updated == before.updated
    assert NotesStore.open(path, OLD).get("n-gone") is None


def test_resolving_an_unknown_note_is_a_key_error(tmp_path: Path) -> None:
    store = NotesStore.open(tmp_path / "notes.yaml", OLD)
    with pytest.raises(KeyError):
        store.resolve_conflict("n-none", "body")


def test_an_edit_of_a_copy_taken_before_reanchoring_keeps_the_new_positions(
    tmp_path: Path,
) -> None:
    """The keeper re-anchors on its first change, then saves an edit of the copy it showed."""
    path = tmp_path / "article.txt.notes.yaml"
    NotesStore.open(path, OLD).add(claim())
    store = NotesStore.open(path, NEW)
    shown = store.get("n-x")
    assert shown is not None
    store.reanchor([reanchor_note(shown, anchor_note(shown, NEW.text), NEW)])
    store.update(edit_note(shown, body="بعد النقل"))
    result = on_disk(path, "n-x")
    assert result.body == "بعد النقل"
    assert result.target.position.start == NEW_TEXT.index(CLAIM)


def test_eight_processes_adding_notes_at_once_all_succeed(tmp_path: Path) -> None:
    """Issue 8: three processes adding 5 notes each got 6 of 15 "locked" failures."""
    path = tmp_path / "notes.yaml"
    NotesStore.open(path, OLD).add(claim())
    context = multiprocessing.get_context("spawn")
    start, failures = context.Event(), context.Queue()
    workers = [
        context.Process(target=add_at_once, args=(str(path), n, 5, start, failures))
        for n in range(8)
    ]
    for worker in workers:
        worker.start()
    time.sleep(1)  # let them open their stores (a late one only waits less)
    start.set()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0] * 8
    assert failures.empty()
    assert len(NotesStore.open(path, OLD).notes) == 1 + 8 * 5
