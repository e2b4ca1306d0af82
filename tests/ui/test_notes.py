"""Annotating claims in the app: the editor, the notes panel, the YAML file, review mode."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.ui.conftest import MakeReader
from tuireader.text.claims import iter_claims
from tuireader.ui.app import ReaderApp
from tuireader.ui.notes_keeper import NotesKeeper
from tuireader.ui.screens.confirm import ConfirmScreen
from tuireader.ui.screens.note_editor import NoteEditor
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.notes_panel import NotesPanel
from tuireader.ui.widgets.status_bar import StatusBar


def annotator(app: ReaderApp) -> ReaderScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    return screen


def saved_notes(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    notes = data["notes"]
    assert isinstance(notes, list)
    return notes


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the notes thread, then for the messages it posted to be handled."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await pilot.pause()
    screen = annotator(app)
    assert screen.keeper is not None
    screen.keeper.flush()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_a_key_pressed_while_the_notes_load_waits_for_them(
    make_reader: MakeReader, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notes are read after the first frame: `a` pressed at once (a fast typist, a
    script) opens the editor when they arrive, and is not turned away."""
    slow_open = NotesKeeper._open

    def open_slowly(keeper: NotesKeeper) -> None:
        time.sleep(0.3)
        slow_open(keeper)

    monkeypatch.setattr(NotesKeeper, "_open", open_slowly)
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)


async def test_annotate_the_third_sentence_then_reopen_edit_and_delete(
    make_reader: MakeReader, article: Path
) -> None:
    """Acceptance: select the 3rd sentence, annotate it with a body, a stance and a tag,
    save; the YAML holds the exact sentence; reopen: listed and marked; edit; delete."""
    notes_file = article.with_name("summit.txt.notes.yaml")
    app = make_reader(article)
    third = list(iter_claims(app.document))[2]
    sentence = app.document.text[third.start : third.end]
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press(*["right_square_bracket"] * 3, "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Contradicts the 2018 report.", "alt+2")
        app.screen.query_one("#note-tags", Input).focus()
        await pilot.press(*"sources, كوريا")
        await pilot.press("ctrl+s")
        await settle(pilot)
    (note,) = saved_notes(notes_file)
    assert note["target"]["exact"] == sentence  # type: ignore[index]
    assert note["body"] == "Contradicts the 2018 report."
    assert note["stance"] == "disputed"
    assert note["tags"] == ["sources", "كوريا"]

    again = make_reader(article)
    async with again.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = annotator(again)
        assert [item.note.body for item in screen.notes] == ["Contradicts the 2018 report."]
        panel = screen.query_one(NotesPanel)
        assert panel.query_one("#notes-list").option_count == 1  # type: ignore[attr-defined]
        marks = screen.query_one(ArticleView)._layers["notes"].highlights
        assert [(m.start, m.end) for m in marks] == [(third.start, third.end)]

        await pilot.press(*["right_square_bracket"] * 3, "e")
        await pilot.pause()
        assert isinstance(again.screen, NoteEditor)
        body = again.screen.query_one(TextArea)
        body.text = "Contradicts the 2018 and 2019 reports."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert saved_notes(notes_file)[0]["body"] == "Contradicts the 2018 and 2019 reports."

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(again.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert saved_notes(notes_file) == []


async def test_a_review_run_over_ten_claims_with_stance_keys(
    make_reader: MakeReader, article: Path
) -> None:
    """Acceptance: ten stance keys in review mode leave ten notes and 'reviewed 10 of n'."""
    notes_file = article.with_name("summit.txt.notes.yaml")
    app = make_reader(article)
    claims = list(iter_claims(app.document))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"1231452314")
        await settle(pilot)
        status = annotator(app).query_one(StatusBar)
        assert f"reviewed 10 of {len(claims)} claims" in status.review
    notes = saved_notes(notes_file)
    assert len(notes) == 10
    quotes = [n["target"]["exact"] for n in notes]  # type: ignore[index]
    assert quotes == [app.document.text[c.start : c.end] for c in claims[:10]]
    assert [n["stance"] for n in notes][:3] == ["supported", "disputed", "unverified"]
    assert all(n["body"] == "" for n in notes)


async def test_review_continues_where_it_stopped(make_reader: MakeReader, article: Path) -> None:
    app = make_reader(article)
    claims = list(iter_claims(app.document))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.press(*"1111")
        await settle(pilot)
    again = make_reader(article)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = annotator(again)
        assert screen.reviewing
        assert screen.cursor is not None and screen.cursor.start == claims[4].start


async def test_u_jumps_to_the_next_claim_without_a_stance(
    make_reader: MakeReader, article: Path
) -> None:
    app = make_reader(article)
    claims = list(iter_claims(app.document))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r", "1", "1", "g", "r")  # two reviewed, back to the top
        await settle(pilot)
        await pilot.press("escape", "u")
        assert annotator(app).cursor == claims[2]


async def test_stance_keys_do_nothing_outside_review_mode(
    make_reader: MakeReader, article: Path
) -> None:
    app = make_reader(article)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "1")
        await settle(pilot)
        assert annotator(app).notes == ()


async def test_widen_and_narrow_the_selection(make_reader: MakeReader, article: Path) -> None:
    app = make_reader(article)
    claims = list(iter_claims(app.document))
    text = app.document.text
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "greater_than_sign")
        screen = annotator(app)
        assert screen.cursor is not None
        assert (screen.cursor.start, screen.cursor.end) == (claims[0].start, claims[1].end)
        await pilot.press("less_than_sign")  # nothing before the first claim: unchanged
        await pilot.press("right_square_bracket", "comma")
        phrase = screen.cursor
        assert phrase is not None
        assert claims[1].start <= phrase.start < phrase.end < claims[1].end
        assert text[phrase.end - 1] in "،,"
        await pilot.press("comma")
        assert screen.cursor is not None and screen.cursor.start > phrase.start


async def test_a_corrupt_notes_file_is_left_alone_and_notes_are_read_only(
    make_reader: MakeReader, article: Path
) -> None:
    notes_file = article.with_name("summit.txt.notes.yaml")
    notes_file.write_bytes(b"notes: [ this is not yaml\n")
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "read-only" in annotator(app).query_one(StatusBar).notes
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        await pilot.press("r", "1")
        await settle(pilot)
    assert notes_file.read_bytes() == b"notes: [ this is not yaml\n"


async def test_unsaved_editor_text_survives_as_a_draft(
    make_reader: MakeReader, article: Path
) -> None:
    """An SSH drop (the app exits with the editor open) keeps the text as a draft, and
    the next `a` on that claim restores it."""
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        await pilot.press(*"half a thought")
        app.exit()
    drafts = article.with_name("summit.txt.notes.yaml.drafts.yaml")
    assert "half a thought" in drafts.read_text(encoding="utf-8")
    again = make_reader(article)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        assert isinstance(again.screen, NoteEditor)
        assert again.screen.current_body() == "half a thought"


async def test_notes_panel_filters_by_stance_and_tag(
    make_reader: MakeReader, article: Path
) -> None:
    app = make_reader(article)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("r", *"12121")
        await settle(pilot)
        panel = annotator(app).query_one(NotesPanel)
        listing = panel.query_one("#notes-list")
        assert listing.option_count == 5  # type: ignore[attr-defined]
        panel.query_one("#notes-filter", Input).value = "disputed"
        await pilot.pause()
        assert listing.option_count == 2  # type: ignore[attr-defined]


async def test_enter_on_a_note_in_the_panel_goes_to_its_claim(
    make_reader: MakeReader, article: Path
) -> None:
    app = make_reader(article)
    claims = list(iter_claims(app.document))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("r", *"111", "r", "escape")
        await settle(pilot)
        listing = annotator(app).query_one("#notes-list")
        listing.focus()
        await pilot.press("down", "enter")  # the list starts on its first note (issue 13)
        await pilot.pause()
        assert annotator(app).cursor is not None
        assert annotator(app).cursor.start == claims[1].start  # type: ignore[union-attr]
        assert annotator(app).query_one(ArticleView).has_focus


def test_the_bundled_samples_notes_never_go_beside_it(tmp_path: Path) -> None:
    from tuireader.notes.store import default_notes_path
    from tuireader.resources import is_bundled, sample_article

    sample = str(sample_article())
    assert is_bundled(sample)
    path = default_notes_path(sample, "ab" * 32, data_dir=tmp_path)
    assert path.parent == tmp_path / "notes"
