"""The notes keeper's queue of pending changes, without the app: what lands, what stays."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import yaml

from tests.notes.factories import make_document
from tuireader.notes.drafts import Draft, Drafts, DraftTarget, drafts_path, new_note_key
from tuireader.notes.model import edit_note, new_note
from tuireader.notes.store import NotesStore
from tuireader.ui.notes_keeper import NotesKeeper, NotesState

TEXT = "قال بوتين إن القمة كانت ناجحة. وأضاف أن التعاون سيستمر."
DOCUMENT = make_document(TEXT, path="article.txt")
CLAIM = (0, TEXT.index(" وأضاف"))


def open_keeper(path: Path) -> tuple[NotesKeeper, list[NotesState]]:
    published: list[NotesState] = []
    keeper = NotesKeeper(DOCUMENT, path, publish=published.append)
    keeper.open().result()
    return keeper, published


def bodies(path: Path) -> list[str]:
    return [note["body"] for note in yaml.safe_load(path.read_text("utf-8"))["notes"]]


def test_an_edit_of_a_note_another_session_deleted_is_kept(tmp_path: Path) -> None:
    """Deleted elsewhere while edited here: the edit is newer work, so it comes back."""
    path = tmp_path / "article.txt.notes.yaml"
    keeper, _ = open_keeper(path)
    note = new_note(DOCUMENT, *CLAIM, author="a", body="first")
    keeper.add(note).result()
    other = NotesStore.open(path, DOCUMENT)
    other.delete(note.id)
    keeper.update(edit_note(note, body="edited")).result()
    keeper.close()
    assert bodies(path) == ["edited"]


def test_a_new_note_saved_twice_from_its_draft_lands_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved, failed, restored and saved again (a new id each time): one note lands,
    the last one, and its draft goes with it."""
    path = tmp_path / "article.txt.notes.yaml"
    real_replace = os.replace
    full = True

    def replace(source: str | Path, target: str | Path) -> None:
        if full and Path(target) == path:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    keeper, published = open_keeper(path)
    key = new_note_key(*CLAIM)
    keeper.save_draft(key, Draft("typed", target=DraftTarget(*CLAIM, TEXT[: CLAIM[1]])))
    keeper.add(new_note(DOCUMENT, *CLAIM, author="a", body="first try"), draft_key=key).result()
    keeper.flush()
    assert len(published[-1].pending) == 1
    assert published[-1].drafts[key].pending
    keeper.add(new_note(DOCUMENT, *CLAIM, author="a", body="second try"), draft_key=key).result()
    assert len(published[-1].pending) == 1
    full = False
    keeper.retry().result()
    keeper.close()
    assert bodies(path) == ["second try"]
    assert not published[-1].pending
    assert published[-1].recovered == 1
    assert not path.with_name(path.name + ".drafts.yaml").exists()


def test_a_draft_typed_after_the_save_was_sent_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor opened again on the claim while its save was pending: the newer
    draft is not cleared when the older save lands."""
    path = tmp_path / "article.txt.notes.yaml"
    real_replace = os.replace
    full = True

    def replace(source: str | Path, target: str | Path) -> None:
        if full and Path(target) == path:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    keeper, _ = open_keeper(path)
    key = new_note_key(*CLAIM)
    target = DraftTarget(*CLAIM, TEXT[: CLAIM[1]])
    keeper.save_draft(key, Draft("old", target=target))
    keeper.add(new_note(DOCUMENT, *CLAIM, author="a", body="old"), draft_key=key).result()
    keeper.save_draft(key, Draft("newer", target=target))
    full = False
    keeper.retry().result()
    keeper.close()
    assert bodies(path) == ["old"]
    assert Drafts(drafts_path(path), 1.0).load() == {key: "newer"}


def test_a_save_waiting_for_another_sessions_lock_does_not_hold_back_drafts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a save waits (seconds) for a lock another process holds, what is typed
    still reaches the drafts file at once: a kill -9 then loses nothing typed."""
    from tests.ui.test_pending_notes import LockHolder, lock_path

    path = tmp_path / "article.txt.notes.yaml"
    monkeypatch.setattr(NotesKeeper, "LOCK_TIMEOUT", 30.0)
    keeper, published = open_keeper(path)
    holder = LockHolder(lock_path(path))
    try:
        saving = keeper.add(new_note(DOCUMENT, *CLAIM, author="a", body="waits"))
        key = new_note_key(*CLAIM)
        typed = Draft("typed meanwhile", target=DraftTarget(*CLAIM, TEXT[: CLAIM[1]]))
        keeper.save_draft("n-other", typed).result(timeout=10)
        assert not saving.done()
        assert Drafts(drafts_path(path), 1.0).load() == {"n-other": "typed meanwhile"}
    finally:
        holder.release()
    saving.result(timeout=30)
    keeper.close()
    assert bodies(path) == ["waits"]
    assert key not in published[-1].drafts


def test_a_delete_that_failed_is_retried_and_a_pending_new_note_deleted_never_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "article.txt.notes.yaml"
    keeper, published = open_keeper(path)
    kept = new_note(DOCUMENT, *CLAIM, author="a", body="to delete")
    keeper.add(kept).result()
    real_replace = os.replace
    full = True

    def replace(source: str | Path, target: str | Path) -> None:
        if full and Path(target) == path:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    keeper.delete(kept).result()
    never = new_note(DOCUMENT, CLAIM[1] + 1, len(TEXT), author="a", body="never saved")
    keeper.add(never).result()
    keeper.delete(never).result()
    assert [change.note.id for change in published[-1].pending] == [kept.id]
    full = False
    keeper.retry().result()
    keeper.close()
    assert bodies(path) == []
    assert not published[-1].pending
