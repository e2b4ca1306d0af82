"""A note is durable from its first keystroke until it is in the notes file (issue 8).

Driven as an analyst would: keys pressed one by one, another process holding the notes
file's lock, a full disk, a hang-up, a restart.
"""

from __future__ import annotations

import errno
import importlib
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest
import yaml
from filelock import FileLock
from textual.pilot import Pilot
from textual.widgets import Input

from tests.paths import SAMPLE
from tests.ui.conftest import MakeReader
from tests.ui.test_notes import annotator as screen_of
from tests.ui.test_notes import settle
from tuireader.text.claims import iter_claims
from tuireader.ui.app import ReaderApp
from tuireader.ui.screens.confirm import ConfirmScreen
from tuireader.ui.screens.note_editor import NoteEditor
from tuireader.ui.widgets.status_bar import StatusBar

NOTES_NAME = "summit.txt.notes.yaml"
DRAFTS_NAME = "summit.txt.notes.yaml.drafts.yaml"


def lock_path(path: Path) -> Path:
    """The lock file the store takes around a save of `path`: from the module that
    names it (`safe_files.lock_path`, `.<name>.lock`), else `<name>.lock` as before."""
    for module in ("tuireader.notes.safe_files", "tuireader.notes.yamlio"):
        try:
            finder = getattr(importlib.import_module(module), "lock_path", None)
        except ImportError:
            continue
        if finder is not None:
            return Path(finder(path))
    return Path(f"{path}.lock")


def _hold_lock(path: str, taken: Event, release: Event) -> None:
    lock = FileLock(path)
    lock.acquire()
    taken.set()
    release.wait(60)
    lock.release()


class LockHolder:
    """Another process holding a file lock until `release`."""

    def __init__(self, path: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self._taken = context.Event()
        self._release = context.Event()
        self._process = context.Process(
            target=_hold_lock, args=(str(path), self._taken, self._release), daemon=True
        )
        self._process.start()
        assert self._taken.wait(30), "the other process did not take the lock"

    def release(self) -> None:
        self._release.set()
        self._process.join(30)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    copy = folder / "summit.txt"
    shutil.copy(SAMPLE, copy)
    return copy


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry within a fraction of a second, and give up waiting for a lock quickly."""
    from tuireader.ui.notes_keeper import NotesKeeper
    from tuireader.ui.screens.notes_flow import NotesFlow

    monkeypatch.setattr(NotesFlow, "RETRY_DELAYS", (0.2,), raising=False)
    monkeypatch.setattr(NotesKeeper, "LOCK_TIMEOUT", 0.3, raising=False)


@pytest.fixture
def held_lock(article: Path) -> Iterator[LockHolder]:
    holder = LockHolder(lock_path(article.with_name(NOTES_NAME)))
    yield holder
    holder.release()


async def type_keys(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


async def write_a_note(pilot: Pilot[None], body: str, tags: str) -> None:
    """`]` `a`, the body key by key, alt+2 (disputed), the tags, ctrl+s."""
    await pilot.press("right_square_bracket", "a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteEditor)
    await type_keys(pilot, body)
    await pilot.press("alt+2")
    pilot.app.screen.query_one("#note-tags", Input).focus()
    await type_keys(pilot, tags)
    await pilot.press("ctrl+s")


def notes_in(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    notes = yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]
    assert isinstance(notes, list)
    return notes


def drafts_in(path: Path) -> dict[str, dict[str, object]]:
    if not path.exists():
        return {}
    drafts = yaml.safe_load(path.read_text(encoding="utf-8"))["drafts"]
    assert isinstance(drafts, dict)
    return drafts


def allowed_files(article: Path) -> set[str]:
    """The article, its notes file, its drafts and their locks: nothing else may appear."""
    notes = article.with_name(NOTES_NAME)
    drafts = article.with_name(DRAFTS_NAME)
    return {
        article.name,
        notes.name,
        drafts.name,
        lock_path(notes).name,
        lock_path(drafts).name,
    }


async def wait_until_saved(pilot: Pilot[None], notes_file: Path, count: int) -> None:
    for _ in range(100):
        await pilot.pause(0.1)
        if len(notes_in(notes_file)) >= count and "pending:" not in status_of(pilot.app):
            return
    raise AssertionError(f"not saved: {status_of(pilot.app)!r}")


async def until_asked(pilot: Pilot[None]) -> None:
    """Wait for the quit question (`q` tries the pending save once more first)."""
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, ConfirmScreen):
            return
    raise AssertionError("q did not ask")


def status_of(app: object) -> str:
    assert isinstance(app, ReaderApp)
    return screen_of(app).query_one(StatusBar).notes


async def test_a_note_saved_while_another_process_holds_the_lock_is_kept_and_lands_later(
    make_reader: MakeReader, article: Path, held_lock: LockHolder, fast_retries: None
) -> None:
    """Issue 8: ctrl+s while another session holds the lock used to clear the draft
    and lose the note. It stays pending (status bar, drafts file) and lands on a retry."""
    notes_file = article.with_name(NOTES_NAME)
    drafts_file = article.with_name(DRAFTS_NAME)
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await write_a_note(pilot, "Not in the 2018 report", "sources, كوريا")
        await settle(pilot)
        assert "1 note pending" in status_of(app)
        assert screen_of(app).query_one(StatusBar).notes_alert  # bold, also without colour
        assert notes_in(notes_file) == []
        (draft,) = drafts_in(drafts_file).values()
        assert draft["body"] == "Not in the 2018 report"
        assert draft["stance"] == "disputed"
        assert draft["tags"] == ["sources", "كوريا"]

        held_lock.release()
        await wait_until_saved(pilot, notes_file, 1)
        assert "1 pending note saved" in status_of(app)
        assert not screen_of(app).query_one(StatusBar).notes_alert
    (note,) = notes_in(notes_file)
    assert (note["body"], note["stance"], note["tags"]) == (
        "Not in the 2018 report",
        "disputed",
        ["sources", "كوريا"],
    )
    assert not drafts_file.exists()
    assert {p.name for p in article.parent.iterdir()} <= allowed_files(article)


async def test_a_note_saved_on_a_full_disk_is_kept_and_lands_when_there_is_room(
    make_reader: MakeReader,
    article: Path,
    fast_retries: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 8: a full disk (os.replace raising ENOSPC) keeps the note pending; it lands
    once the disk has room."""
    notes_file = article.with_name(NOTES_NAME)
    drafts_file = article.with_name(DRAFTS_NAME)
    real_replace = os.replace
    full = True

    def replace(source: str | Path, target: str | Path) -> None:
        if full and Path(target).name == NOTES_NAME:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await write_a_note(pilot, "Disk full", "x")
        await settle(pilot)
        assert "1 note pending" in status_of(app)
        assert "No space left" in status_of(app)
        (draft,) = drafts_in(drafts_file).values()
        assert (draft["body"], draft["stance"], draft["tags"]) == ("Disk full", "disputed", ["x"])
        full = False
        await wait_until_saved(pilot, notes_file, 1)
    assert [n["body"] for n in notes_in(notes_file)] == ["Disk full"]
    assert not drafts_file.exists()
    assert {p.name for p in article.parent.iterdir()} <= allowed_files(article)


async def test_a_note_that_could_not_be_saved_is_restored_by_a_in_the_next_session(
    make_reader: MakeReader,
    article: Path,
    fast_retries: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 8: the failed note used to be gone (`a` opened an empty editor). Quit anyway
    with it pending, start again: the status offers it and `a` restores every field."""
    notes_file = article.with_name(NOTES_NAME)

    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target).name == NOTES_NAME:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)
        app = make_reader(article)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await write_a_note(pilot, "Read-only", "ro")
            await settle(pilot)
            assert "1 note pending" in status_of(app)
            await pilot.press("q")
            await until_asked(pilot)
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            assert "not saved yet" in question.question
            assert "kept in the drafts file" in question.question
            assert question.focused is not None and question.focused.id == "confirm-no"
            await pilot.press("y")
    assert notes_in(notes_file) == []

    again = make_reader(article)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "1 unsaved note" in status_of(again)
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        editor = again.screen
        assert isinstance(editor, NoteEditor)
        draft = editor.current_draft()
        assert (draft.body, draft.stance, draft.tags) == ("Read-only", "disputed", ("ro",))
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [n["body"] for n in notes_in(notes_file)] == ["Read-only"]
    assert not article.with_name(DRAFTS_NAME).exists()


async def test_a_hang_up_keeps_body_stance_and_tags_of_the_open_editor(
    make_reader: MakeReader, article: Path
) -> None:
    """Issue 8: drafts kept only the body; SIGHUP (`save_now`) keeps every field."""
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        await type_keys(pilot, "half a thought")
        await pilot.press("alt+4")
        app.screen.query_one("#note-tags", Input).focus()
        await type_keys(pilot, "later")
        screen_of(app).save_now()
    again = make_reader(article)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        editor = again.screen
        assert isinstance(editor, NoteEditor)
        draft = editor.current_draft()
        assert (draft.body, draft.tags) == ("half a thought", ("later",))
        assert draft.stance is not None and draft.stance.value == "needs-source"


async def test_quit_with_a_pending_note_asks_and_keep_trying_stays(
    make_reader: MakeReader, article: Path, held_lock: LockHolder, fast_retries: None
) -> None:
    notes_file = article.with_name(NOTES_NAME)
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await write_a_note(pilot, "Keep me", "")
        await settle(pilot)
        await pilot.press("q")
        await until_asked(pilot)
        await pilot.press("enter")  # "Keep trying" has the focus
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.is_running
        held_lock.release()
        await wait_until_saved(pilot, notes_file, 1)
        await pilot.press("q")
        await pilot.pause(0.5)
        assert not isinstance(app.screen, ConfirmScreen)
    assert [n["body"] for n in notes_in(notes_file)] == ["Keep me"]


def test_the_claims_of_the_sample_are_there() -> None:
    """The tests above annotate the first claim of the sample."""
    from tuireader.text.structure import load_document

    assert next(iter(iter_claims(load_document(SAMPLE))), None) is not None


async def test_an_author_name_that_is_not_utf8_is_saved_with_a_replacement_character(
    make_reader: MakeReader, article: Path
) -> None:
    """Issue 8: an author from the environment that was not UTF-8 (a lone surrogate
    from `surrogateescape`) made every save fail, and the note was lost."""
    notes_file = article.with_name(NOTES_NAME)
    app = make_reader(article, author="ana\udcffs")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await write_a_note(pilot, "by an odd name", "")
        await settle(pilot)
    (note,) = notes_in(notes_file)
    assert note["author"] == "ana\ufffds"
    assert not article.with_name(DRAFTS_NAME).exists()


async def test_out_of_memory_while_saving_keeps_the_note_and_the_next_change_saves_it(
    make_reader: MakeReader, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MemoryError during a save keeps the note pending; the next change (review mode's
    stance key here) saves both, in order, without waiting for the timer."""
    notes_file = article.with_name(NOTES_NAME)
    real_replace = os.replace
    failures = [MemoryError()]

    def replace(source: str | Path, target: str | Path) -> None:
        if failures and Path(target).name == NOTES_NAME:
            raise failures.pop()
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await write_a_note(pilot, "First", "")
        await settle(pilot)
        assert "1 note pending" in status_of(app)
        assert "out of memory" in status_of(app)
        await pilot.press("r", "right_square_bracket", "1")
        await settle(pilot)
        assert "pending:" not in status_of(app)
    assert sorted(str(n["body"]) for n in notes_in(notes_file)) == ["", "First"]
    assert not article.with_name(DRAFTS_NAME).exists()


async def test_an_edit_that_could_not_be_saved_is_restored_by_e(
    make_reader: MakeReader, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes_file = article.with_name(NOTES_NAME)
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await write_a_note(pilot, "First version", "")
        await settle(pilot)
        real_replace = os.replace

        def replace(source: str | Path, target: str | Path) -> None:
            if Path(target).name == NOTES_NAME:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_replace(source, target)

        monkeypatch.setattr(os, "replace", replace)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end")
        await type_keys(pilot, " and more")
        await pilot.press("alt+1", "ctrl+s")
        await settle(pilot)
        assert "1 note pending" in status_of(app)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        restored = editor.current_draft()
        assert restored.body == "First version and more"
        assert restored.stance is not None and restored.stance.value == "supported"
        monkeypatch.setattr(os, "replace", real_replace)
        await pilot.press("ctrl+s")
        await settle(pilot)
    (note,) = notes_in(notes_file)
    assert (note["body"], note["stance"]) == ("First version and more", "supported")
    assert not article.with_name(DRAFTS_NAME).exists()


async def test_unsaved_notes_of_an_earlier_session_are_offered_and_d_opens_them(
    make_reader: MakeReader, article: Path
) -> None:
    """The next start says how many notes were left unsaved; `D` (also in the palette
    as "Restore unsaved notes") goes to the claim and opens the editor with them."""
    app = make_reader(article)
    claims = list(iter_claims(app.document))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*["right_square_bracket"] * 3, "a")
        await pilot.pause()
        await type_keys(pilot, "third claim")
        await pilot.press("alt+5")
        screen_of(app).save_now()  # what SIGHUP does
    again = make_reader(article)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "1 unsaved note from an earlier session: D to review" in status_of(again)
        await pilot.press("D")
        await pilot.pause()
        editor = again.screen
        assert isinstance(editor, NoteEditor)
        assert screen_of(again).cursor == claims[2]
        draft = editor.current_draft()
        assert draft.body == "third claim"
        assert draft.stance is not None and draft.stance.value == "opinion"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unsaved" not in status_of(again)
    (note,) = notes_in(article.with_name(NOTES_NAME))
    assert note["target"]["exact"] == again.document.text[claims[2].start : claims[2].end]  # type: ignore[index]


async def test_the_palettes_quit_also_asks_when_a_note_is_pending(
    make_reader: MakeReader, article: Path, held_lock: LockHolder, fast_retries: None
) -> None:
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await write_a_note(pilot, "Pending", "")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_keys(pilot, "Quit")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until_asked(pilot)
        await pilot.press("escape")  # keep trying
        await pilot.pause()
        assert app.is_running
        assert "1 note pending" in status_of(app)


async def test_an_unsaved_note_follows_its_claim_when_the_article_changed(
    make_reader: MakeReader, article: Path
) -> None:
    """A sentence was added before the claim between sessions: the draft's claim is
    found again by its text, and `a` there restores the note."""
    app = make_reader(article)
    first = next(iter(iter_claims(app.document)))
    sentence = app.document.text[first.start : first.end]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        await type_keys(pilot, "on the first claim")
        screen_of(app).save_now()
    text = article.read_text("utf-8")
    article.write_text(text.replace(sentence, "جملة مضافة هنا للاختبار. " + sentence, 1), "utf-8")
    again = make_reader(article)
    claims = list(iter_claims(again.document))
    assert again.document.text[claims[1].start : claims[1].end] == sentence
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "a")
        await pilot.pause()
        editor = again.screen
        assert isinstance(editor, NoteEditor)
        assert editor.current_body() == "on the first claim"
