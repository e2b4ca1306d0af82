"""Input histories (issue 13): ↑/↓ as in a shell in the search line, the notes filter
and the editor's tags, kept between sessions in the state folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.ui.conftest import MakeReader
from tests.ui.test_notes import annotator, settle
from tuireader.ui.config import AppConfig, StateFile
from tuireader.ui.history import ENTRY_LIMIT, HISTORY_LIMIT, History, InputHistories
from tuireader.ui.screens.note_editor import NoteEditor


class TestHistory:
    def test_up_goes_back_and_down_returns_to_the_draft(self) -> None:
        history = History(["one", "two", "three"])
        assert history.older("typ") == "three"
        assert history.older("three") == "two"
        assert history.older("two") == "one"
        assert history.older("one") is None  # the oldest: stays
        assert history.newer() == "two"
        assert history.newer() == "three"
        assert history.newer() == "typ"  # the draft, as it was typed
        assert history.newer() is None

    def test_an_empty_history_recalls_nothing(self) -> None:
        history = History()
        assert history.older("x") is None
        assert history.newer() is None

    def test_an_entry_used_again_moves_to_the_end(self) -> None:
        history = History(["a", "b", "c"])
        history.add("a")
        assert history.entries == ("b", "c", "a")
        history.add("a")
        assert history.entries == ("b", "c", "a")

    def test_blank_entries_are_not_kept_and_controls_never_are(self) -> None:
        history = History()
        history.add("   ")
        history.add("")
        history.add("a\x1b]52;c;bad\x07b\nline")
        assert history.entries == ("a␛]52;c;bad␇b line",)

    def test_the_history_is_bounded(self) -> None:
        history = History(str(n) for n in range(HISTORY_LIMIT + 50))
        history.add("x" * (ENTRY_LIMIT + 10))
        assert len(history.entries) == HISTORY_LIMIT
        assert history.entries[0] == "51"
        assert len(history.entries[-1]) == ENTRY_LIMIT

    def test_adding_starts_the_recall_afresh(self) -> None:
        history = History(["one", "two"])
        history.older("")
        history.add("three")
        assert history.older("") == "three"


class TestInputHistories:
    def test_histories_are_written_to_the_state_file_and_read_back(self, tmp_path: Path) -> None:
        path = tmp_path / "history.json"
        histories = InputHistories(StateFile(path), lambda state: state.save())
        histories.get("search").add("أكثر")
        histories.get("tags").add("economy, sources")
        again = InputHistories(StateFile(path), lambda state: state.save())
        assert again.get("search").entries == ("أكثر",)
        assert again.get("tags").entries == ("economy, sources",)
        assert again.get("filter").entries == ()

    @pytest.mark.parametrize(
        "content",
        [
            b"not json at all",
            b"[1, 2, 3]",
            b"\xff\xfe\x00garbage",
            b"[" * 100_000,
            b'{"search": "not a list", "filter": [1, null, {"a": 1}, "kept"]}',
        ],
    )
    def test_a_corrupt_file_is_ignored_without_a_traceback(
        self, tmp_path: Path, content: bytes
    ) -> None:
        path = tmp_path / "history.json"
        path.write_bytes(content)
        histories = InputHistories(StateFile(path), lambda state: state.save())
        assert histories.get("search").entries == ()
        assert histories.get("filter").entries in {(), ("kept",)}
        histories.get("search").add("new")
        if histories.notice is not None:
            assert path.read_bytes() == content  # never overwritten: left to mend


async def recalled(pilot: object, keys: list[str], line: Input) -> str:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press(*keys)
    return line.value


class TestInTheApp:
    async def test_the_search_line_recalls_queries_also_in_a_new_session(
        self, make_reader: MakeReader, app_config: AppConfig
    ) -> None:
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash", *"كيم", "enter", "slash", *"روسيا", "enter")
            await pilot.press("slash", *"dra")
            line = app.screen.query_one("#search-input", Input)
            assert await recalled(pilot, ["up"], line) == "روسيا"
            assert line.cursor_position == len("روسيا")
            assert await recalled(pilot, ["up"], line) == "كيم"
            assert await recalled(pilot, ["up"], line) == "كيم"
            assert await recalled(pilot, ["down", "down"], line) == "dra"
        stored = json.loads((app_config.state_dir / "history.json").read_text(encoding="utf-8"))
        assert stored["search"] == ["كيم", "روسيا"]
        again = make_reader()
        async with again.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash")
            await pilot.pause()
            line = again.screen.query_one("#search-input", Input)
            assert await recalled(pilot, ["up"], line) == "روسيا"

    async def test_the_notes_filter_recalls_filters(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("l", "slash", *"disputed", "enter", "slash")
            line = annotator(app).query_one("#notes-filter", Input)
            line.value = ""
            assert await recalled(pilot, ["up"], line) == "disputed"
            assert await recalled(pilot, ["down"], line) == ""
            assert line.has_focus
            await pilot.press("down")  # on the draft: down into the list
            assert annotator(app).query_one("#notes-list").has_focus

    async def test_the_editor_tags_field_recalls_tags(
        self, make_reader: MakeReader, article: Path
    ) -> None:
        app = make_reader(article)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("right_square_bracket", "a")
            await pilot.pause()
            assert isinstance(app.screen, NoteEditor)
            app.screen.query_one("#note-tags", Input).focus()
            await pilot.press(*"economy, sources", "ctrl+s")
            await settle(pilot)
            await pilot.press("right_square_bracket", "a")
            await pilot.pause()
            editor = app.screen
            assert isinstance(editor, NoteEditor)
            line = editor.query_one("#note-tags", Input)
            line.focus()
            assert await recalled(pilot, ["up"], line) == "economy, sources"
            assert await recalled(pilot, ["down"], line) == ""

    async def test_a_corrupt_history_file_is_a_one_line_warning(
        self, make_reader: MakeReader, app_config: AppConfig
    ) -> None:
        app_config.state_dir.mkdir(parents=True)
        path = app_config.state_dir / "history.json"
        path.write_bytes(b"{broken")
        app = make_reader()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash", *"كيم", "enter")
            await pilot.pause()
            assert app.is_running
            messages = [n.message for n in app._notifications]
            assert any("history.json could not be read" in m for m in messages)
        assert path.read_bytes() == b"{broken"
