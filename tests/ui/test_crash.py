"""The last resort (issue 9): an unhandled exception saves notes and drafts, writes a
crash log in the state folder and leaves one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.widgets import TextArea

from tests.ui.conftest import MakeReader
from tuireader.ui.app import ReaderApp
from tuireader.ui.config import AppConfig
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
