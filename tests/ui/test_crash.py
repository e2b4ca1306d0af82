"""The last resort (issue 9): an unhandled exception saves notes and drafts, writes a
crash log in the state folder and leaves one line, never a traceback."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from textual.widgets import TextArea

from tests.ui.conftest import MakeReader
from tuireader.ui.app import ReaderApp
from tuireader.ui.config import AppConfig, StateFile
from tuireader.ui.crash import crash_line, write_crash_log
from tuireader.ui.screens.reader import ReaderScreen


class Injected(Exception):
    """The failure these tests cause on purpose."""


def crash_logs(config: AppConfig) -> list[Path]:
    return sorted(config.state_dir.glob("crash-*.log"))


async def test_a_failing_action_writes_a_crash_log_and_one_line(
    make_reader: MakeReader, app_config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(screen: ReaderScreen) -> None:
        raise Injected("a bug in an action")

    monkeypatch.setattr(ReaderScreen, "action_toggle_outline", fail)
    app = make_reader()
    with pytest.raises(Injected):  # run_test raises it again, as Textual's own does
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("o")
            await pilot.pause()
    assert app.return_code == 1
    (log,) = crash_logs(app_config)
    text = log.read_text("utf-8")
    assert "Injected: a bug in an action" in text and "Traceback" in text
    assert log.stat().st_mode & 0o077 == 0  # a traceback can quote the document
    assert app.crash_report is not None
    assert "\n" not in app.crash_report and "Traceback" not in app.crash_report
    assert str(log) in app.crash_report and "notes saved" in app.crash_report
    assert not app._exit_renderables  # Textual would print its traceback from these


async def test_a_crash_with_the_editor_open_keeps_the_typed_text_as_a_draft(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    app = make_reader()
    with pytest.raises(Injected):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("right_square_bracket", "a")
            await pilot.pause()
            app.screen.query_one(TextArea).insert("Words typed just before a crash")

            def fail() -> None:
                raise Injected("a bug elsewhere")

            app.call_later(fail)
            await pilot.pause()
    drafts = tmp_path.glob("*.drafts.yaml")
    assert "Words typed just before a crash" in "".join(p.read_text("utf-8") for p in drafts)


async def test_a_note_saved_before_a_crash_is_in_the_notes_file(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(app: ReaderApp) -> None:
        raise Injected("a bug in help")

    monkeypatch.setattr(ReaderApp, "action_help", fail)
    app = make_reader()
    with pytest.raises(Injected):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("r", "2", "question_mark")
            await pilot.pause()
    notes = yaml.safe_load((tmp_path / "000_b979987839cf76fb.txt.notes.yaml").read_text("utf-8"))
    assert [note["stance"] for note in notes["notes"]] == ["disputed"]


def test_the_crash_log_never_overwrites_another(tmp_path: Path) -> None:
    from datetime import datetime

    when = datetime(2026, 11, 29, 23, 59, 1)
    first = write_crash_log(tmp_path, Injected("one"), when)
    second = write_crash_log(tmp_path, Injected("two"), when)
    assert first.name == "crash-20261129-235901.log"
    assert second != first and "two" in second.read_text("utf-8")
    assert "one" in first.read_text("utf-8")


def test_the_crash_log_goes_to_the_temporary_folder_when_the_state_folder_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", "utf-8")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    log = write_crash_log(blocked / "state", Injected("x"))
    assert log.parent == tmp_path / "tmp"


def test_the_crash_line_shows_no_control_characters() -> None:
    line = crash_line(Injected("\x1b]52;c;aGk=\x07"), Path("/tmp/\x1b[31mred\nlog"))
    assert "\x1b" not in line and "\n" not in line and "\x07" not in line


def _deep(path: Path) -> None:
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _symlink(path: Path) -> None:
    target = path.with_name("elsewhere.json")
    target.write_text('{"theme": "tuireader-light"}', encoding="utf-8")
    path.symlink_to(target)


CORRUPT_STATE: dict[str, Callable[[Path], object]] = {
    "nested 200,000 deep": _deep,
    "not JSON": lambda path: path.write_text("{theme: light", encoding="utf-8"),
    "not UTF-8": lambda path: path.write_bytes(b'{"theme": "\xff\xfe"}'),
    "a list": lambda path: path.write_text("[1, 2]", encoding="utf-8"),
    "too big": lambda path: path.write_text(" " * (StateFile.MAX_BYTES + 1), encoding="utf-8"),
    "a FIFO": _fifo,
    "a symlink": _symlink,
    "a folder": lambda path: path.mkdir(),
}


def _snapshot(path: Path) -> object:
    """What is at a path, to see that nothing changed it."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_file():
        return path.read_bytes()
    return stat.S_IFMT(path.lstat().st_mode)


@pytest.mark.parametrize("kind", CORRUPT_STATE)
def test_state_that_cannot_be_read_is_ignored_and_never_overwritten(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "settings.json"
    CORRUPT_STATE[kind](path)
    before = _snapshot(path)
    state = StateFile(path)
    assert state.data == {}
    assert state.notice is not None
    assert state.notice.startswith("settings.json could not be read (")
    assert state.notice.endswith("); using defaults")
    state.data["theme"] = "tuireader-contrast"
    state.save()
    assert _snapshot(path) == before


async def test_a_corrupt_positions_file_at_start_up_is_a_notice_not_a_traceback(
    make_reader: MakeReader, app_config: AppConfig
) -> None:
    """Issue 9: a positions.json nested 200,000 deep gave a RecursionError traceback."""
    app_config.state_dir.mkdir(parents=True)
    positions = app_config.state_dir / "positions.json"
    _deep(positions)
    app_config.config_dir.mkdir(parents=True)
    settings = app_config.config_dir / "settings.json"
    settings.write_bytes(b"\xff\xfe\x00")
    app = make_reader()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        app.theme = "tuireader-light"
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert any(m.startswith("positions.json could not be read (Recursion") for m in messages)
        assert any(m.startswith("settings.json could not be read (") for m in messages)
        app._save_position()
    assert positions.read_text("utf-8") == "[" * 200_000 + "]" * 200_000
    assert settings.read_bytes() == b"\xff\xfe\x00"


async def test_a_position_that_cannot_be_saved_is_said_once(
    make_reader: MakeReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("tuireader.ui.config.write_atomically", full)
    app = make_reader()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):
            await pilot.press("right_curly_bracket")
            await pilot.pause()
            app._save_position()
            await app.workers.wait_for_complete()
            await pilot.pause()
        messages = [n.message for n in app._notifications]
        said = [m for m in messages if "positions.json could not be saved" in m]
        assert said == ["positions.json could not be saved (No space left on device)"]


async def test_a_long_file_whose_rest_cannot_be_read_stays_open_on_its_start(
    make_reader: MakeReader, app_config: AppConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A MemoryError (or a bug) while reading the rest of a long file: the start stays
    on screen, a warning names the crash log, and the app goes on."""
    path = tmp_path / "long.txt"
    path.write_text("A sentence of the long file.\n\n" * 4000, encoding="utf-8")

    def fail(path: Path) -> None:
        raise MemoryError

    monkeypatch.setattr("tuireader.text.sources.load_document", fail)
    app = make_reader(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("j")
        assert app.is_running and not app.document.complete
        (log,) = crash_logs(app_config)
        messages = [n.message for n in app._notifications]
        assert f"The rest of the file could not be read (details in {log})" in messages


async def test_positions_are_written_off_the_event_loop_and_the_last_one_wins(
    make_reader: MakeReader, app_config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The periodic save syncs to disk on a thread; the one on the way out is the last
    word, whatever order the writes finish in."""
    import json
    import threading

    from tuireader.notes.atomic import write_atomically

    writers: list[str] = []

    def recording(path: Path, data: bytes) -> None:
        writers.append(threading.current_thread().name)
        write_atomically(path, data)

    monkeypatch.setattr("tuireader.ui.config.write_atomically", recording)
    app = make_reader()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_curly_bracket")
        await pilot.pause()
        app._save_position()
        await app.workers.wait_for_complete()
        assert writers and writers[-1] != threading.main_thread().name
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await pilot.pause()
        app._save_position()  # a job on a thread, perhaps still running at the exit
        last = app.session._remembered["offset"]
    (entry,) = json.loads((app_config.state_dir / "positions.json").read_text("utf-8")).values()
    assert entry["offset"] == last
