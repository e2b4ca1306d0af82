"""Tests that the notes file, drafts, temporary files and lock are only ever regular files
where they claim to be, and that faults (full disk, held lock, hostile YAML) lose no note.

Each test drives the store as the app does and checks the note is in the file afterwards
(or a clear one-line error), and that nothing else in the folder was created or changed.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from tests.notes.factories import hold_lock, make_document, make_note
from tuireader.notes import atomic, codec
from tuireader.notes.errors import NotesError, NotesLocked, NotesReadOnly
from tuireader.notes.model import Note, new_note
from tuireader.notes.store import NotesStore

TEXT = "قال بوتين إن القمة كانت ناجحة. وأضاف أن التعاون سيستمر."
DOCUMENT = make_document(TEXT, path="article.txt")
CLAIM = "قال بوتين إن القمة كانت ناجحة."
NAME = "notes.yaml"
OURS = {NAME, f".{NAME}.lock", f"{NAME}.drafts.yaml", f".{NAME}.drafts.yaml.lock"}
"""What a store may create or change: the notes file, its drafts and their locks."""


def note(note_id: str = "n-1", body: str = "ملاحظة") -> Note:
    return make_note(note_id, CLAIM, 0, body=body)


def state(folder: Path) -> dict[str, tuple[str, int, bytes | str]]:
    """Return each entry of a folder (recursively): kind, mode and content or link target."""
    result: dict[str, tuple[str, int, bytes | str]] = {}
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(root) / name
            info = path.lstat()
            key = str(path.relative_to(folder))
            if stat.S_ISLNK(info.st_mode):
                result[key] = ("link", 0, os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                result[key] = ("file", stat.S_IMODE(info.st_mode), path.read_bytes())
            else:
                result[key] = ("other", stat.S_IMODE(info.st_mode), "")
    return result


def changed_outside(before: Mapping[str, object], after: Mapping[str, object]) -> set[str]:
    """Return the entries other than the store's own that appeared, went or changed."""
    names = (set(before) | set(after)) - OURS
    return {name for name in names if before.get(name) != after.get(name)}


def ids_in(path: Path) -> list[str]:
    return [item["id"] for item in yaml.safe_load(path.read_bytes())["notes"]]


# --- symlinks, FIFOs, missing folders ---------------------------------------------------


def test_a_symlinked_notes_file_is_read_but_never_written_through(tmp_path: Path) -> None:
    """Issue 8: a notes file linked to another file overwrote that file."""
    real = tmp_path / "elsewhere.yaml"
    NotesStore.open(real, DOCUMENT).add(note())
    link = tmp_path / NAME
    link.symlink_to(real)
    before = state(tmp_path)
    store = NotesStore.open(link, DOCUMENT)
    assert [n.id for n in store.notes] == ["n-1"]
    assert store.read_only_reason is not None
    assert "symbolic link" in store.read_only_reason and "\n" not in store.read_only_reason
    with pytest.raises(NotesReadOnly):
        store.add(note("n-2"))
    assert state(tmp_path) == before


def test_a_symlink_to_an_empty_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "important.txt"
    target.write_bytes(b"")
    (tmp_path / NAME).symlink_to(target)
    before = state(tmp_path)
    store = NotesStore.open(tmp_path / NAME, DOCUMENT)
    with pytest.raises(NotesReadOnly, match="symbolic link"):
        store.add(note())
    assert state(tmp_path) == before


def test_a_dangling_symlink_creates_neither_its_target_nor_folders(tmp_path: Path) -> None:
    """Issue 8: a dangling link created its target and the folders above it."""
    (tmp_path / NAME).symlink_to(tmp_path / "missing" / "deeper" / "notes.yaml")
    before = state(tmp_path)
    store = NotesStore.open(tmp_path / NAME, DOCUMENT)
    assert store.read_only_reason is not None
    assert "does not exist" in store.read_only_reason
    with pytest.raises(NotesReadOnly):
        store.add(note())
    store.reload()
    assert state(tmp_path) == before


def test_a_fifo_at_the_notes_path_is_refused_at_once_without_blocking(tmp_path: Path) -> None:
    """Issue 8: a FIFO at the notes path hung `tuireader notes` and the app."""
    os.mkfifo(tmp_path / NAME)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tests.notes.test_file_safety import DOCUMENT, note\n"
        "from tuireader.notes.errors import NotesReadOnly\n"
        "from tuireader.notes.store import NotesStore\n"
        "store = NotesStore.open(Path(sys.argv[1]), DOCUMENT)\n"
        "print(store.read_only_reason)\n"
        "try:\n"
        "    store.add(note())\n"
        "except NotesReadOnly as error:\n"
        "    print('refused:', error)\n"
    )
    # A child process, so that a regression hangs the child (killed), not the suite.
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / NAME)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    reason, refused = done.stdout.splitlines()
    assert "FIFO" in reason
    assert refused.startswith("refused:")
    assert stat.S_ISFIFO((tmp_path / NAME).lstat().st_mode)
    assert sorted(os.listdir(tmp_path)) == [NAME]


def test_a_fifo_at_the_drafts_path_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    store = NotesStore.open(tmp_path / NAME, DOCUMENT)
    os.mkfifo(store.drafts_path)
    with pytest.raises(NotesError, match="FIFO"):
        store.load_drafts()
    with pytest.raises(NotesError):
        store.save_draft("new", "نص")
    store.add(note())  # the notes file itself is fine
    assert ids_in(tmp_path / NAME) == ["n-1"]


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_a_lock_path_that_is_not_a_regular_file_fails_the_save_clearly(
    tmp_path: Path, kind: str
) -> None:
    store = NotesStore.open(tmp_path / NAME, DOCUMENT)
    lock = tmp_path / f".{NAME}.lock"
    if kind == "fifo":
        os.mkfifo(lock)
    else:
        lock.symlink_to(tmp_path / "victim")
    with pytest.raises(NotesError) as raised:
        store.add(note())
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "victim").exists()
    assert not (tmp_path / NAME).exists()


# --- the lock ---------------------------------------------------------------------------


def test_a_lock_held_by_another_process_says_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / NAME
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=hold_lock, args=(str(path), 60, ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        store = NotesStore.open(path, DOCUMENT, lock_timeout=0.3)
        with pytest.raises(NotesLocked) as raised:
            store.add(note())
        message = str(raised.value)
        assert f"pid {holder.pid}" in message and "\n" not in message
        assert not path.exists()
    finally:
        release.set()
        holder.join(60)
    store.add(note())  # the same note, once the lock is free
    assert ids_in(path) == ["n-1"]
    assert sorted(os.listdir(tmp_path)) == sorted([NAME, f".{NAME}.lock"])


# --- faults while writing ---------------------------------------------------------------


def test_a_full_disk_keeps_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / NAME
    store = NotesStore.open(path, DOCUMENT)
    store.add(note())
    before = state(tmp_path)

    def full(descriptor: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(NotesError, match="No space left"):
        store.add(note("n-2"))
    monkeypatch.undo()
    assert state(tmp_path) == before
    assert [n.id for n in store.notes] == ["n-1"]
    store.add(note("n-2"))  # retried once there is room
    assert ids_in(path) == ["n-1", "n-2"]


def test_a_private_file_is_never_copied_readable_by_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8: a crash during fsync left a 0644 copy of a 0600 notes file."""
    path = tmp_path / NAME
    store = NotesStore.open(path, DOCUMENT)
    store.add(note())
    path.chmod(0o600)
    modes: list[int] = []
    real_write = os.write

    def spy(descriptor: int, data: bytes) -> int:
        modes.append(stat.S_IMODE(os.fstat(descriptor).st_mode))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", spy)
    store.add(note("n-2"))
    assert modes and set(modes) == {0o600}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_file_takes_its_mode_from_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        NotesStore.open(tmp_path / NAME, DOCUMENT).add(note())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / NAME).stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_save_keeps_the_owner_or_refuses_to_take_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8: a save by another user took the file's ownership from its owner."""
    path = tmp_path / NAME
    store = NotesStore.open(path, DOCUMENT)
    store.add(note())
    os.chown(path, 4242, 4343)
    store.add(note("n-2"))
    assert (path.stat().st_uid, path.stat().st_gid) == (4242, 4343)

    def refused(descriptor: int, uid: int, gid: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refused)
    before = state(tmp_path)
    with pytest.raises(NotesReadOnly, match="belongs to user 4242"):
        store.add(note("n-3"))
    assert state(tmp_path) == before
    assert path.stat().st_uid == 4242


def test_temporary_files_of_a_crashed_save_are_cleaned_up(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(dead.stdout)
    leftover = tmp_path / f".{NAME}.{dead_pid}-0123abcd.tmp"
    leftover.write_bytes(b"half a file")
    live = tmp_path / f".{NAME}.{os.getppid()}-0123abcd.tmp"
    live.write_bytes(b"another writer's, in progress")
    unrelated = tmp_path / f".other.yaml.{dead_pid}-0123abcd.tmp"
    unrelated.write_bytes(b"not ours")
    NotesStore.open(tmp_path / NAME, DOCUMENT).add(note())
    assert not leftover.exists()
    assert live.exists() and unrelated.exists()


def test_the_lock_file_is_hidden_beside_the_notes(tmp_path: Path) -> None:
    before = state(tmp_path)
    NotesStore.open(tmp_path / NAME, DOCUMENT).add(note())
    assert sorted(os.listdir(tmp_path)) == sorted([NAME, f".{NAME}.lock"])
    assert changed_outside(before, state(tmp_path)) == set()


# --- bounds in bytes, memory, Unicode ---------------------------------------------------


def test_a_small_file_of_aliases_that_expands_to_megabytes_is_refused(tmp_path: Path) -> None:
    """Issue 8: a 108 KB file of aliases was accepted and saved as 200 MB."""
    path = tmp_path / NAME
    word = "x" * 1000
    path.write_text(
        f"tuireader_notes: 1\nnotes: []\npadding: &a '{word}'\nmany:\n" + "- *a\n" * 20_000,
        "utf-8",
    )
    assert path.stat().st_size < 120_000
    before = state(tmp_path)
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is not None
    assert "billion laughs" in store.read_only_reason
    with pytest.raises(NotesReadOnly):
        store.add(note())
    assert state(tmp_path) == before


def test_a_few_aliases_within_the_bound_are_read(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text("tuireader_notes: 1\nnotes: []\na: &a [1, 2]\nb: *a\n", "utf-8")
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason is None
    store.add(note())
    assert yaml.safe_load(path.read_text("utf-8"))["b"] == [1, 2]


def test_a_save_that_would_write_far_more_than_it_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / NAME
    store = NotesStore.open(path, DOCUMENT)
    store.add(note())
    before = state(tmp_path)
    real_encode = codec.NotesCodec.encode

    def bloated(self: codec.NotesCodec, notes_file: object, **options: bool) -> bytes:
        data = real_encode(self, notes_file, **options)  # type: ignore[arg-type]
        return data + b"junk: '" + b"x" * 2_000_000 + b"'\n"

    monkeypatch.setattr(codec.NotesCodec, "encode", bloated)
    with pytest.raises(NotesError, match="refused to write"):
        store.add(note("n-2"))
    assert state(tmp_path) == before


def test_running_out_of_memory_while_reading_is_a_read_only_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / NAME
    NotesStore.open(path, DOCUMENT).add(note())

    def exhausted(data: object, **options: object) -> object:
        raise MemoryError

    monkeypatch.setattr(codec, "parse_yaml", exhausted)
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason == "not read: out of memory"
    with pytest.raises(NotesReadOnly):
        store.add(note("n-2"))


def test_running_out_of_memory_while_saving_is_a_notes_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / NAME
    store = NotesStore.open(path, DOCUMENT)

    def exhausted(self: object, notes_file: object, **options: bool) -> bytes:
        raise MemoryError

    monkeypatch.setattr(codec.NotesCodec, "encode", exhausted)
    with pytest.raises(NotesError, match="out of memory"):
        store.add(note())
    monkeypatch.undo()
    store.add(note())
    assert ids_in(path) == ["n-1"]


def test_an_author_that_is_not_utf8_is_stored_as_valid_unicode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8: an author name that was not valid UTF-8 made every save fail."""
    monkeypatch.setitem(os.environb, b"TUIREADER_AUTHOR", b"analyst-\xff")
    written = new_note(DOCUMENT, 0, len(CLAIM), body="نص \udcff ملصوق", tags=["وسم\ud800"])
    assert written.author == "analyst-\ufffd"
    assert written.body == "نص \ufffd ملصوق" and written.tags == ("وسم\ufffd",)
    path = tmp_path / NAME
    NotesStore.open(path, DOCUMENT).add(written)
    assert NotesStore.open(path, DOCUMENT).notes == (written,)


def test_a_note_holding_a_lone_surrogate_is_still_saved(tmp_path: Path) -> None:
    path = tmp_path / NAME
    NotesStore.open(path, DOCUMENT).add(note(body="bad \udcff"))
    assert ids_in(path) == ["n-1"]
    assert NotesStore.open(path, DOCUMENT).notes[0].body == "bad \ufffd"


def test_write_atomically_refuses_to_replace_anything_but_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(atomic.UnsafeReplace):
        atomic.write_atomically(tmp_path / "fifo", b"x")
    assert sorted(os.listdir(tmp_path)) == ["fifo"]


def test_a_file_of_another_user_is_read_only_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / NAME
    NotesStore.open(path, DOCUMENT).add(note())
    owner = path.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    store = NotesStore.open(path, DOCUMENT)
    assert store.read_only_reason == f"{NAME} belongs to user {owner}: only they can save it"
    assert [n.id for n in store.notes] == ["n-1"]
