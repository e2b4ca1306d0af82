"""Tests for NotesStore: round trips, atomic saves, merging sessions, refusing bad files."""

from __future__ import annotations

import multiprocessing
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.notes.factories import FIXED_TIME, add_many, make_document, make_note, notes
from tuireader.notes import codec as codec_module
from tuireader.notes.errors import NotesError, NotesLocked, NotesReadOnly
from tuireader.notes.model import Note, edit_note, new_note
from tuireader.notes.schema import sorted_notes
from tuireader.notes.stance import Stance
from tuireader.notes.store import NotesStore, default_notes_path
from tuireader.notes.yamlio import locked
from tuireader.text.document import text_sha256

TEXT = "# مكاسب الاجتماع\n\nقال بوتين إن القمة كانت ناجحة. وأضاف أن التعاون سيستمر."
DOCUMENT = make_document(TEXT, path="article.txt", title="ماذا بعد التقارب؟")
CLAIM = "قال بوتين إن القمة كانت ناجحة."
CLAIM_AT = TEXT.index(CLAIM)


def claim(note_id: str = "n-20261125-aaaaaaaa", body: str = "أول سطر\nسطر ثان") -> Note:
    return make_note(note_id, CLAIM, CLAIM_AT, body=body, stance=Stance.DISPUTED)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Return every file in a folder with its bytes (to prove nothing was touched)."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# --- round trips and output --------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*(notes(f"n-{i}") for i in range(n)))))
def test_saved_notes_load_back_identical(generated: tuple[Note, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt.notes.yaml"
        store = NotesStore.open(path, DOCUMENT)
        for note in generated:
            store.add(note)
        reopened = NotesStore.open(path, DOCUMENT)
        assert reopened.read_only_reason is None
        assert reopened.notes == sorted_notes(generated)
        assert reopened.notes == store.notes


def test_yaml_keeps_arabic_as_written_and_bodies_as_literal_blocks(tmp_path: Path) -> None:
    path = tmp_path / "article.txt.notes.yaml"
    NotesStore.open(path, DOCUMENT).add(claim())
    written = path.read_text("utf-8")
    assert CLAIM in written
    assert "\\u" not in written
    assert "  body: |-\n    أول سطر\n    سطر ثان\n" in written
    assert "  tags: []\n" in written
    assert "  created: '2026-11-25T20:41:07Z'\n" in written


def test_file_has_fixed_key_order_and_notes_sorted_by_position(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, DOCUMENT)
    later = make_note("n-20261125-00000002", "وأضاف", TEXT.index("وأضاف"))
    store.add(later)
    store.add(claim("n-20261125-00000009"))
    data = yaml.safe_load(path.read_text("utf-8"))
    assert list(data) == ["tuireader_notes", "document", "notes"]
    assert list(data["document"]) == ["path", "title", "sha256"]
    assert [note["id"] for note in data["notes"]] == ["n-20261125-00000009", later.id]
    assert list(data["notes"][0]) == [
        "id",
        "created",
        "updated",
        "author",
        "stance",
        "tags",
        "section",
        "target",
        "body",
    ]
    assert list(data["notes"][0]["target"]) == ["exact", "prefix", "suffix", "start", "end"]


def test_document_header_records_relative_path_title_and_text_hash(tmp_path: Path) -> None:
    document = make_document(TEXT, path=str(tmp_path / "seeds" / "article.txt"), title="عنوان")
    NotesStore.open(tmp_path / "notes.yaml", document).add(claim())
    header = yaml.safe_load((tmp_path / "notes.yaml").read_text("utf-8"))["document"]
    assert header == {"path": "seeds/article.txt", "title": "عنوان", "sha256": text_sha256(TEXT)}


def test_saving_an_unchanged_note_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, DOCUMENT)
    note = claim()
    store.add(note)
    before = path.stat()
    store.update(edit_note(note, body=note.body, stance=note.stance))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_unknown_keys_at_every_level_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(
        "tuireader_notes: 1\n"
        "document:\n  path: article.txt\n  source_url: https://example.org/a\n"
        "notes:\n"
        "- id: n-1\n  created: '2026-11-25T20:41:07Z'\n  reviewer: سارة\n"
        "  target:\n    exact: x\n    start: 0\n    end: 1\n    xpath: /p[2]\n"
        "project: {name: خليج, year: 2026}\n",
        "utf-8",
    )
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is None
    store.add(claim())
    data = yaml.safe_load(path.read_text("utf-8"))
    assert list(data)[-1] == "project"
    assert data["project"] == {"name": "خليج", "year": 2026}
    assert list(data["document"])[-1] == "source_url"
    old = next(note for note in data["notes"] if note["id"] == "n-1")
    # An unchanged note is written back as it was read (keys in its own order).
    assert old["reviewer"] == "سارة"
    assert old["target"]["xpath"] == "/p[2]"
    assert "- id: n-1\n  created: '2026-11-25T20:41:07Z'\n  reviewer: سارة\n" in path.read_text()
    store.update(edit_note(store.get("n-1"), body="الآن"))  # type: ignore[arg-type]
    old = next(note for note in yaml.safe_load(path.read_text())["notes"] if note["id"] == "n-1")
    assert list(old)[-1] == "reviewer"
    assert list(old["target"])[-1] == "xpath"


def test_permissions_of_the_old_file_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, DOCUMENT)
    store.add(claim())
    path.chmod(0o640)
    store.add(claim("n-20261125-bbbbbbbb"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_file_is_created_in_an_existing_folder(tmp_path: Path) -> None:
    path = tmp_path / "stdin-0123456789ab.notes.yaml"
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is None and store.last_saved is None
    store.add(claim())
    assert path.exists()
    assert store.last_saved is not None


def test_a_notes_path_in_a_missing_folder_is_read_only_and_no_folder_is_made(
    tmp_path: Path,
) -> None:
    """Issue 8: a mistyped or dangling notes path used to grow the folders above it."""
    path = tmp_path / "data" / "notes" / "stdin-0123456789ab.notes.yaml"
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is not None
    assert "does not exist" in store.read_only_reason
    with pytest.raises(NotesReadOnly):
        store.add(claim())
    assert list(tmp_path.iterdir()) == []


def test_the_default_data_folder_is_made_private_by_default_notes_path(tmp_path: Path) -> None:
    path = default_notes_path(None, "ab" * 32, data_dir=tmp_path / "data")
    assert path.parent.is_dir()
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0


# --- atomicity and sessions --------------------------------------------------------------


def test_crash_before_replace_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, DOCUMENT)
    store.add(claim())
    before = folder_bytes(tmp_path)

    def crash(source: object, target: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(NotesError, match="could not save"):
        store.add(claim("n-20261125-bbbbbbbb"))
    assert folder_bytes(tmp_path) == before
    assert [note.id for note in store.notes] == [claim().id]


def test_two_processes_adding_200_notes_each_end_with_400(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=add_many, args=(str(path), 200, n)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0, 0]
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is None
    assert len(store.notes) == 400
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_notes_added_by_another_session_are_kept_and_seen(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    ours, theirs = NotesStore.open(path, DOCUMENT), NotesStore.open(path, DOCUMENT)
    ours.add(claim("n-1"))
    theirs.add(claim("n-2"))
    ours.update(edit_note(claim("n-1"), body="تعديل", now=FIXED_TIME))
    assert [note.id for note in ours.notes] == ["n-1", "n-2"]
    assert [note.id for note in NotesStore.open(path, DOCUMENT).notes] == ["n-1", "n-2"]


def test_a_note_edited_in_two_sessions_keeps_the_last_save(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    ours = NotesStore.open(path, DOCUMENT)
    ours.add(claim())
    theirs = NotesStore.open(path, DOCUMENT)
    theirs.update(edit_note(claim(), body="نسختهم"))
    ours.add(claim("n-2"))
    assert ours.get(claim().id) is not None
    assert ours.get(claim().id).body == "نسختهم"  # type: ignore[union-attr]
    ours.update(edit_note(claim(), body="نسختنا"))
    assert NotesStore.open(path, DOCUMENT).get(claim().id).body == "نسختنا"  # type: ignore[union-attr]


def test_a_deleted_note_stays_deleted_when_a_stale_copy_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    ours = NotesStore.open(path, DOCUMENT)
    ours.add(claim())
    stale = path.read_bytes()
    ours.delete(claim().id)
    path.write_bytes(stale)  # e.g. a session that does not merge, or a git checkout
    ours.add(claim("n-2"))
    assert [note.id for note in ours.notes] == ["n-2"]


def test_a_note_edited_elsewhere_after_our_delete_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    ours = NotesStore.open(path, DOCUMENT)
    ours.add(claim())
    theirs = NotesStore.open(path, DOCUMENT)
    ours.delete(claim().id)
    theirs.update(edit_note(claim(), body="عمل أحدث"))
    ours.add(claim("n-2"))
    assert sorted(note.id for note in ours.notes) == sorted([claim().id, "n-2"])


def test_adding_a_second_note_with_the_same_id_is_refused(tmp_path: Path) -> None:
    store = NotesStore.open(tmp_path / "notes.yaml", DOCUMENT)
    store.add(claim())
    with pytest.raises(ValueError, match="already exists"):
        store.add(claim(body="غيرها"))
    with pytest.raises(KeyError):
        store.update(claim("n-unknown"))
    with pytest.raises(KeyError):
        store.delete("n-unknown")


def test_a_held_lock_times_out_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, DOCUMENT, lock_timeout=0.2)
    with locked(path, 1), pytest.raises(NotesLocked, match="another session"):
        store.add(claim())
    assert not path.exists()
    assert store.notes == ()


# --- files that must never be overwritten ------------------------------------------------

REFUSED = {
    "invalid YAML": ("notes: [\n  - id: x\n", "not valid YAML"),
    "merge conflict": (
        "tuireader_notes: 1\nnotes: []\n<<<<<<< HEAD\n=======\n>>>>>>> theirs\n",
        "not valid YAML",
    ),
    "a list": ("- 1\n- 2\n", "top level is a list"),
    "a string": ("just some words\n", "top level is text"),
    "notes not a list": ("tuireader_notes: 1\nnotes: {a: 1}\n", "'notes' is a mapping"),
    "no version": ("notes: []\n", "no 'tuireader_notes' key"),
    "python tag": (
        "!!python/object/apply:os.system ['touch pwned']\n",
        "unsafe or unknown YAML tag",
    ),
    "duplicate key": (
        "tuireader_notes: 1\nnotes:\n- id: n-1\n  body: a\n  body: b\n",
        "duplicate key 'body'",
    ),
    "unknown stance": (
        "tuireader_notes: 1\nnotes:\n- id: n-1\n  created: '2026-11-25T20:41:07Z'\n"
        "  stance: refuted\n  target: {exact: x, start: 0, end: 1}\n",
        "unknown stance 'refuted'",
    ),
    "duplicate id": (
        "tuireader_notes: 1\nnotes:\n"
        "- {id: n-1, created: '2026-11-25T20:41:07Z', target: {exact: x, start: 0, end: 1}}\n"
        "- {id: n-1, created: '2026-11-25T20:41:07Z', target: {exact: y, start: 0, end: 1}}\n",
        "used twice",
    ),
    "not UTF-8": ("tuireader_notes: 1\nnotes: []\n# \udcff\n", "not valid YAML"),
    "a comment": (
        "tuireader_notes: 1  # keep me\nnotes: []\n",
        "line 1 holds a YAML comment, which saving would drop",
    ),
}


@pytest.mark.parametrize(("content", "reason"), REFUSED.values(), ids=REFUSED.keys())
def test_unreadable_file_is_read_only_and_never_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, reason: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "notes.yaml"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    before = folder_bytes(tmp_path)
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is not None
    assert reason in store.read_only_reason
    assert "\n" not in store.read_only_reason
    with pytest.raises(NotesReadOnly):
        store.add(claim())
    with pytest.raises(NotesReadOnly):
        store.update_many([claim()])
    with pytest.raises(NotesReadOnly):
        store.delete("n-1")
    assert folder_bytes(tmp_path) == before
    assert not (tmp_path / "pwned").exists()


def test_readable_notes_of_a_partly_broken_file_are_still_shown(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(
        "tuireader_notes: 1\nnotes:\n"
        "- {id: n-1, created: '2026-11-25T20:41:07Z', target: {exact: x, start: 0, end: 1}}\n"
        "- {id: n-2, created: yesterday, target: {exact: y, start: 0, end: 1}}\n",
        "utf-8",
    )
    store = NotesStore.open(path, DOCUMENT)
    assert [note.id for note in store.notes] == ["n-1"]
    assert store.read_only_reason == "note 2 (n-2): 'created' is not a timestamp: 'yesterday'"


def test_a_newer_schema_is_read_but_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    NotesStore.open(path, DOCUMENT).add(claim())
    path.write_text(path.read_text("utf-8").replace("tuireader_notes: 1", "tuireader_notes: 2"))
    before = path.read_bytes()
    store = NotesStore.open(path, DOCUMENT)
    assert [note.id for note in store.notes] == [claim().id]
    assert store.read_only_reason is not None
    assert "newer tuireader" in store.read_only_reason
    with pytest.raises(NotesReadOnly, match="newer tuireader"):
        store.delete(claim().id)
    assert path.read_bytes() == before


def test_a_file_that_turns_corrupt_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    store = NotesStore.open(path, DOCUMENT)
    store.add(claim())
    path.write_text("tuireader_notes: 1\nnotes: [oops\n", "utf-8")
    with pytest.raises(NotesReadOnly, match="changed on disk and cannot be saved safely"):
        store.add(claim("n-2"))
    assert path.read_text("utf-8") == "tuireader_notes: 1\nnotes: [oops\n"
    assert [note.id for note in store.notes] == [claim().id]
    path.write_text("tuireader_notes: 1\nnotes: []\n", "utf-8")
    store.reload()
    assert store.read_only_reason is None
    store.add(claim("n-2"))


def test_an_alias_bomb_is_refused_quickly_with_a_clear_reason(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[level]
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    path = tmp_path / "notes.yaml"
    path.write_text("tuireader_notes: 1\n" + "\n".join(lines) + "\n", "utf-8")
    started = time.perf_counter()
    store = NotesStore.open(path, DOCUMENT)
    elapsed = time.perf_counter() - started
    assert store.read_only_reason is not None
    assert "billion laughs" in store.read_only_reason
    # Generous on purpose (no timing assertions in tests): without the guard, walking
    # the expanded data never finishes.
    assert elapsed < 10


def test_a_30_mb_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.yaml"
    path.write_bytes(b"tuireader_notes: 1\n" + b"#" * (30 * 2**20) + b"\n")

    def never(data: object) -> object:
        raise AssertionError("parsed a file over the limit")

    monkeypatch.setattr(codec_module, "parse_yaml", never)
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is not None
    assert "over the 20 MB limit" in store.read_only_reason


# --- drafts ------------------------------------------------------------------------------


def test_drafts_are_kept_beside_the_notes_until_cleared(tmp_path: Path) -> None:
    store = NotesStore.open(tmp_path / "notes.yaml", DOCUMENT)
    store.save_draft("n-1", "مسودة\n  بسطرين")
    store.save_draft("new", "")
    assert store.drafts_path == tmp_path / "notes.yaml.drafts.yaml"
    reopened = NotesStore.open(tmp_path / "notes.yaml", DOCUMENT)
    assert reopened.load_drafts() == {"n-1": "مسودة\n  بسطرين", "new": ""}
    reopened.clear_draft("n-1")
    reopened.clear_draft("new")
    reopened.clear_draft("never-saved")
    assert reopened.load_drafts() == {}
    assert not store.drafts_path.exists()


def test_drafts_are_saved_even_when_the_notes_file_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("[broken", "utf-8")
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is not None
    store.save_draft("new", "نص لم يحفظ")
    assert store.load_drafts() == {"new": "نص لم يحفظ"}
    assert path.read_text("utf-8") == "[broken"


def test_a_corrupt_drafts_file_is_reported_and_kept(tmp_path: Path) -> None:
    store = NotesStore.open(tmp_path / "notes.yaml", DOCUMENT)
    store.drafts_path.write_text("drafts: [", "utf-8")
    with pytest.raises(NotesError, match="not valid YAML"):
        store.load_drafts()
    with pytest.raises(NotesError):
        store.save_draft("n-1", "x")
    assert store.drafts_path.read_text("utf-8") == "drafts: ["


def test_new_note_saved_in_a_store_reads_back_equal(tmp_path: Path) -> None:
    note = new_note(DOCUMENT, CLAIM_AT, CLAIM_AT + len(CLAIM), author="سارة", tags=["اقتصاد"])
    NotesStore.open(tmp_path / "notes.yaml", DOCUMENT).add(note)
    assert NotesStore.open(tmp_path / "notes.yaml", DOCUMENT).notes == (note,)


# --- default location --------------------------------------------------------------------


def test_notes_go_beside_the_document_when_its_folder_is_writable(tmp_path: Path) -> None:
    document = tmp_path / "article.txt"
    assert default_notes_path(str(document), "ab" * 32, data_dir=tmp_path / "data") == (
        tmp_path / "article.txt.notes.yaml"
    )


def test_notes_go_to_the_data_folder_when_the_documents_folder_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    path = default_notes_path(str(tmp_path / "article.txt"), "0123456789abcdef", data_dir=tmp_path)
    assert path == tmp_path / "notes" / "article-0123456789ab.notes.yaml"
    (tmp_path / "article.txt.notes.yaml").write_text("tuireader_notes: 1\n", "utf-8")
    beside = default_notes_path(
        str(tmp_path / "article.txt"), "0123456789abcdef", data_dir=tmp_path
    )
    assert beside == tmp_path / "article.txt.notes.yaml"  # existing notes are never hidden


def test_notes_of_stdin_go_to_the_data_folder_named_by_the_text_hash(tmp_path: Path) -> None:
    sha = text_sha256("نص من المدخل القياسي")
    path = default_notes_path(None, sha, data_dir=tmp_path)
    assert path == tmp_path / "notes" / f"stdin-{sha[:12]}.notes.yaml"
