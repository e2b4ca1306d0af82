"""What the app draws holds no control character, and hidden characters can be shown.

Issue 9: a file name or a shared notes file could put escape sequences on the screen,
and TAG characters, zero-width characters and bidi controls passed without a mark.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.pilot import Pilot

from tests.ui.conftest import MakeReader
from tuireader.bidi.layout import LayoutOptions, layout_text
from tuireader.text.document import Direction
from tuireader.text.hidden import HIDDEN_RE
from tuireader.ui.app import ReaderApp
from tuireader.ui.widgets.article_view import ArticleView

HOSTILE = "\x1b]52;c;aGVsbG8=\x07\x1b[31m\x9b\x07"
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Controls. (Bidi and TAG characters are laid out or marked everywhere but in the
note editor's text fields, which show what the notes file holds, to be edited.)"""
ARTICLE = (
    "Report\n\n"
    "The board approved\U000e006e\U000e006f\U000e0074 the plan on Monday.\n\n"
    "A pass\u200bword and a \u202eevil\u202c turn.\n"
)


def screen_text(app: ReaderApp) -> list[str]:
    """Every segment's text on the screen, all layers (toasts, panels, status bar)."""
    strips = app.screen._compositor.render_strips()
    return [segment.text for strip in strips for segment in strip]


def assert_screen_inert(app: ReaderApp) -> None:
    for text in screen_text(app):
        found = FORBIDDEN.search(text)
        assert found is None, f"U+{ord(found.group()):04X} drawn in {text!r}"


def hostile_article(tmp_path: Path) -> Path:
    folder = os.fsencode(tmp_path)
    name = os.path.join(folder, f"a{HOSTILE}\u202e.txt".encode() + b"\xff")
    with open(name, "wb") as file:
        file.write(ARTICLE.encode())
    return Path(os.fsdecode(name))


def hostile_notes(path: Path, article: Path) -> None:
    exact = "The board approved"
    note = {
        "id": f"n-1{HOSTILE}",
        "created": "2026-11-25T20:41:07Z",
        "updated": "2026-11-25T20:41:07Z",
        "author": f"mallory{HOSTILE}",
        "stance": "disputed",
        "tags": [f"tag{HOSTILE}", "\u202etag"],
        "section": f"sec{HOSTILE}",
        "target": {
            "exact": exact,
            "prefix": "",
            "suffix": "",
            "start": ARTICLE.index(exact),
            "end": ARTICLE.index(exact) + len(exact),
        },
        "body": f"ok\U000e006e {HOSTILE}\n\x1bP+q544e\x1b\\ \u202eRLO\U000e006e",
    }
    data = {
        "tuireader_notes": 1,
        "document": {"path": "a.txt", "title": HOSTILE, "sha256": "0" * 64},
        "notes": [note],
    }
    text = yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_hostile_file_name_and_notes_draw_no_control_character(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """Issue 9: names and notes fields reach the screen only through the sanitiser."""
    article = hostile_article(tmp_path)
    notes = Path(os.fsdecode(os.fsencode(article) + b".notes.yaml"))
    hostile_notes(notes, article)
    app = make_reader(article, theme=f"theme{HOSTILE}", author=f"me{HOSTILE}")
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        shown = " ".join(screen_text(app))
        assert "no theme named" in shown and "Hidden characters" in shown  # toasts drawn
        assert "ok⌜TAG:n⌝" in shown  # what TAG characters in a note's body spell
        assert_screen_inert(app)
        for keys in (["]"], ["e"], ["escape"], ["question_mark"], ["escape"], ["l"]):
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.pause()
            assert_screen_inert(app)
        assert isinstance(app.screen_stack[0].query_one(ArticleView), ArticleView)


def article_rows(app: ReaderApp) -> list[str]:
    view = app.screen_stack[0].query_one(ArticleView)
    return ["".join(segment.text for segment in view.render_line(y)) for y in range(8)]


async def test_hidden_characters_key_shows_them_as_marks_and_hides_them_again(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """Issue 9: TAG, zero-width and bidi characters are shown on request (`H`)."""
    article = tmp_path / "hidden.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    app = make_reader(article)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = "\n".join(article_rows(app))
        assert "The board approved the plan" in before
        assert "\u231c" not in before
        await pilot.press("H")
        await pilot.pause()
        shown = "\n".join(article_rows(app))
        assert "approved⌜TAG:not⌝ the plan" in shown
        assert "pass⌜ZWSP⌝word" in shown
        assert "⌜RLO⌝live⌜PDF⌝ turn" in shown
        view = app.screen_stack[0].query_one(ArticleView)
        marks = [
            segment
            for y in range(8)
            for segment in view.render_line(y)
            if segment.text.startswith("\u231c")
        ]
        assert marks and all(segment.style and segment.style.reverse for segment in marks)
        # Every cell still maps to its logical offset: a click on a mark is on its text.
        assert view.showing_hidden
        await pilot.press("H")
        await pilot.pause()
        assert "\n".join(article_rows(app)) == before


async def test_hidden_characters_warning_is_shown_in_full(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status bar may cut the warning; a toast holds it whole."""
    article = tmp_path / "hidden.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    app = make_reader(article)
    toasts: list[str] = []
    notify = app.notify

    def spy(message: str, **options: Any) -> None:
        toasts.append(message)
        notify(message, **options)

    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        (shown,) = [toast for toast in toasts if toast.startswith("hidden characters")]
        for part in (
            "3 TAG characters (hidden text «not»)",
            "1 zero-width character inside words (1 ZWSP)",
            "2 bidi controls (1 RLO, 1 PDF)",
            "(H shows them)",
        ):
            assert part in shown
        status = " ".join(screen_text(app)[-12:])
        assert "hidden characters: 3 TAG characters" in status


HIDDEN_SAMPLE = [
    "\u200b",
    "\u200c",
    "\u202e",
    "\u202c",
    "\u2067",
    "\u2069",
    "\u200f",
    "\ufe0f",
    "\u00ad",
    "\U000e006e",
    "\U000e0100",
]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    text=st.text(
        alphabet=st.sampled_from([*HIDDEN_SAMPLE, "a", "b", " ", "ب", "ت", "1", "\u064e"])
    ),
    width=st.integers(8, 40),
    rtl=st.booleans(),
)
def test_every_hidden_character_has_a_mark_over_its_own_offset(
    text: str, width: int, rtl: bool
) -> None:
    """The marks are laid out as characters: each covers its own logical offset."""
    direction = Direction.RTL if rtl else Direction.LTR
    rows = layout_text(text, 100, direction, width, LayoutOptions(show_hidden=True))
    covered = {
        offset
        for row in rows
        for glyph in row.glyphs
        if glyph.text.startswith("\u231c")
        for offset in range(glyph.start, glyph.end)
    }
    hidden = {100 + match.start() for match in HIDDEN_RE.finditer(text)}
    assert hidden <= covered
    for row in rows:
        assert row.width == row.indent + sum(cell_len(glyph.text) for glyph in row.glyphs)
