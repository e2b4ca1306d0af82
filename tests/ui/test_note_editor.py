"""The note editor as a person drives it: typing, stance, tags, save, cancel, drafts, bidi."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet, Static, TextArea

from tuireader.bidi.layout import layout_text
from tuireader.notes.stance import Stance
from tuireader.resources import data_dir
from tuireader.text.document import Direction
from tuireader.ui.screens.confirm import ConfirmScreen
from tuireader.ui.screens.note_editor import NoteDraft, NoteEditor, parse_tags
from tuireader.ui.themes import READER_VARIABLE_DEFAULTS, load_themes
from tuireader.ui.widgets.bidi_text_area import BidiTextArea
from tuireader.ui.widgets.visual_text import VisualText

SnapCompare = Callable[..., bool]

QUOTE = (
    "استقبل بوتين كيم بشكل غير رسمي متحدثاً باللغة الروسية، مظهراً معرفته بالزعيم الكوري"
    " الشمالي، الذي التقى به لأول مرة في عام 2019."
)
SECTION = "مكاسب الاجتماع"
EMPTY = NoteDraft(stance=None, tags=(), body="")


class Host(App[None]):
    """A plain screen of text with the editor pushed over it; keeps what the editor returns."""

    def __init__(self, editor: NoteEditor) -> None:
        super().__init__()
        self.editor = editor
        self.results: list[NoteDraft | None] = []
        themes, _problems = load_themes(data_dir("themes"))
        for theme in themes:
            self.register_theme(theme)
        self.theme = "tuireader-dark"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(READER_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Static("The article would be here. " * 40)

    def on_mount(self) -> None:
        self.push_screen(self.editor, self.results.append)


def make_editor(
    initial: NoteDraft = EMPTY,
    on_draft: Callable[[NoteDraft], None] | None = None,
    original: NoteDraft | None = None,
) -> NoteEditor:
    return NoteEditor(
        quote=QUOTE, section=SECTION, initial=initial, on_draft=on_draft, original=original
    )


def visual_rows(text: str, width: int) -> list[str]:
    return [line.text for line in layout_text(text, 0, Direction.RTL, width)]


def shown(widget: VisualText) -> str:
    rendered = widget.render()
    assert isinstance(rendered, Text)
    return rendered.plain


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


class TestSaveAndCancel:
    """ctrl+s returns every field; escape returns None, asking first when something changed."""

    async def test_ctrl_s_returns_the_typed_body_the_chosen_stance_and_parsed_tags(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            await type_text(pilot, "needs a second source")
            await pilot.press("alt+2")
            host.screen.query_one("#note-tags", Input).value = " economy, كوريا,,economy "
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert host.results == [
                NoteDraft(Stance.DISPUTED, ("economy", "كوريا"), "needs a second source")
            ]
            assert not isinstance(host.screen, NoteEditor)

    async def test_the_body_starts_focused_and_tab_moves_focus_out_of_it(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            assert isinstance(host.focused, TextArea)
            await pilot.press("shift+tab")
            assert isinstance(host.focused, Input)
            await pilot.press("shift+tab")
            assert isinstance(host.focused, RadioSet)
            await pilot.press("tab", "tab")
            assert isinstance(host.focused, TextArea)
            assert host.editor.current_body() == ""

    async def test_the_stance_chooser_works_by_keyboard(self) -> None:
        host = Host(make_editor(NoteDraft(Stance.OPINION, ("a",), "body")))
        async with host.run_test(size=(80, 24)) as pilot:
            await pilot.press("shift+tab", "shift+tab")
            assert isinstance(host.focused, RadioSet)
            # The highlight starts on the pressed button (opinion, the last one).
            await pilot.press("up", "up", "enter", "ctrl+s")
            await pilot.pause()
            assert host.results == [NoteDraft(Stance.UNVERIFIED, ("a",), "body")]

    async def test_alt_digit_sets_the_stance_without_typing_into_the_body(self) -> None:
        host = Host(make_editor(NoteDraft(Stance.SUPPORTED, (), "")))
        async with host.run_test(size=(80, 24)) as pilot:
            await pilot.press("alt+4")
            assert host.editor.current_draft().stance is Stance.NEEDS_SOURCE
            await pilot.press("alt+0")
            assert host.editor.current_draft().stance is None
            assert host.editor.current_body() == ""

    async def test_escape_with_no_changes_returns_none_at_once(self) -> None:
        initial = NoteDraft(Stance.OPINION, ("a", "b"), "كتبت هذا")
        host = Host(make_editor(initial))
        async with host.run_test(size=(80, 24)) as pilot:
            await pilot.press("escape")
            await pilot.pause()
            assert host.results == [None]
            assert not isinstance(host.screen, (NoteEditor, ConfirmScreen))

    async def test_escape_after_typing_asks_and_n_keeps_the_editor_open(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            await type_text(pilot, "draft")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(host.screen, ConfirmScreen)
            await pilot.press("n")
            await pilot.pause()
            assert host.editor.is_current
            assert host.editor.current_body() == "draft"
            assert host.results == []

            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(host.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
            assert host.results == [None]

    async def test_a_changed_stance_alone_also_asks_before_discarding(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            await pilot.press("alt+1", "escape")
            await pilot.pause()
            assert isinstance(host.screen, ConfirmScreen)

    async def test_escape_in_the_question_is_no(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            await type_text(pilot, "x")
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert host.editor.is_current


class TestDrafts:
    """on_draft gets every field while any changes, throttled."""

    async def test_on_draft_is_called_with_the_typed_text(self) -> None:
        drafts: list[NoteDraft] = []
        host = Host(make_editor(on_draft=drafts.append))
        async with host.run_test(size=(80, 24)) as pilot:
            text = "a claim to check"
            await type_text(pilot, text)
            await pilot.pause(NoteEditor.DRAFT_INTERVAL * 2)
            assert drafts[-1].body == text
            # Throttled: one keystroke is not one call.
            assert len(drafts) < len(text)
            assert host.editor.current_body() == text

    async def test_a_stance_or_tags_changed_alone_are_kept_as_a_draft(self) -> None:
        """Issue 8: drafts kept only the body; a stance or tags chosen were lost."""
        drafts: list[NoteDraft] = []
        host = Host(make_editor(on_draft=drafts.append))
        async with host.run_test(size=(80, 24)) as pilot:
            await pilot.press("alt+2")
            await pilot.pause(NoteEditor.DRAFT_INTERVAL * 2)
            assert drafts[-1] == NoteDraft(Stance.DISPUTED, (), "")
            host.editor.query_one("#note-tags", Input).focus()
            await type_text(pilot, "a, b")
            await pilot.pause(NoteEditor.DRAFT_INTERVAL * 2)
            assert drafts[-1] == NoteDraft(Stance.DISPUTED, ("a", "b"), "")

    async def test_escape_on_a_restored_draft_asks_before_closing(self) -> None:
        """A restored draft is unsaved work: Esc compares with the saved note, not with
        what the editor opened with, so it asks instead of dropping the draft."""
        restored = NoteDraft(Stance.OPINION, ("x",), "typed before the hang-up")
        host = Host(make_editor(initial=restored, original=EMPTY))
        async with host.run_test(size=(80, 24)) as pilot:
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(host.screen, ConfirmScreen)

    async def test_no_draft_is_written_after_saving(self) -> None:
        drafts: list[NoteDraft] = []
        host = Host(make_editor(on_draft=drafts.append))
        async with host.run_test(size=(80, 24)) as pilot:
            await type_text(pilot, "saved at once")
            # Pilot types slowly enough for a draft or two of the beginning.
            before_saving = list(drafts)
            await pilot.press("ctrl+s")
            await pilot.pause(NoteEditor.DRAFT_INTERVAL * 2)
            # Whatever was kept before ctrl+s (under load, all of it), nothing after.
            assert drafts == before_saving
            assert host.results == [NoteDraft(None, (), "saved at once")]


class TestVisualOrder:
    """The quote and the body are laid out by our engine: shaped, reordered, wrapped."""

    async def test_the_quote_is_shown_in_visual_order_wrapped_to_the_dialog(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)):
            quote = host.screen.query_one("#note-quote", VisualText)
            width = quote.size.width
            assert 60 < width < 80
            expected = visual_rows(QUOTE, width)
            assert len(expected) > 1
            assert shown(quote).split("\n") == expected
            # Shaped: presentation forms, not the logical letters.
            assert "بوتين" not in shown(quote)

    async def test_the_quote_is_laid_out_again_when_the_terminal_is_resized(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            await pilot.resize_terminal(140, 40)
            await pilot.pause()
            quote = host.screen.query_one("#note-quote", VisualText)
            assert quote.size.width > 80
            assert shown(quote).split("\n") == visual_rows(QUOTE, quote.size.width)

    async def test_the_body_shows_typed_arabic_in_visual_order(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            # No harakat or Arabic comma: Pilot cannot press keys for them.
            await type_text(pilot, "ليس صحيحا")
            body = host.screen.query_one("#note-body", BidiTextArea)
            row = body.render_line(0).text
            # Right-aligned (the spare cell for the cursor is on the left), shaped, and
            # the first letter typed (lam, initial form) is rightmost.
            assert row == " " + visual_rows("ليس صحيحا", len(row) - 1)[0]
            assert row.endswith("\ufedf")

    async def test_each_line_of_the_body_has_its_own_direction(self) -> None:
        body_text = "Source?\nمصدر"
        host = Host(make_editor(NoteDraft(None, (), body_text)))
        async with host.run_test(size=(80, 24)):
            body = host.screen.query_one("#note-body", BidiTextArea)
            first, second = (body.render_line(y).text for y in (0, 1))
            assert first.rstrip() == "Source?"
            assert second.lstrip() == visual_rows("مصدر", 0)[0]
            assert len(second) == len(first)
            assert second.rstrip() == second

    async def test_the_tags_are_shown_in_visual_order_under_their_field(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(80, 24)) as pilot:
            tags = host.screen.query_one("#note-tags", Input)
            tags.value = "news، كوريا"
            await pilot.pause()
            assert tags.border_subtitle == "#news  ﺎﻳﺭﻮﻛ#"


class TestFit:
    """Usable at 80x24 without scrolling for a common claim; never cut off; not too wide."""

    async def test_a_two_line_claim_fits_at_80x24_without_scrolling(self) -> None:
        host = Host(make_editor(NoteDraft(None, (), "one\ntwo")))
        async with host.run_test(size=(80, 24)):
            dialog = host.screen.query_one("#note-dialog")
            assert dialog.max_scroll_y == 0
            assert not dialog.focusable
            body = host.screen.query_one("#note-body")
            assert body.region.bottom <= dialog.region.bottom - 1

    async def test_a_long_claim_scrolls_and_the_keyboard_can_reach_its_top(self) -> None:
        long_quote = " ".join([QUOTE] * 5)
        host = Host(NoteEditor(quote=long_quote, section=SECTION, initial=EMPTY))
        async with host.run_test(size=(80, 24)) as pilot:
            dialog = host.screen.query_one("#note-dialog")
            assert dialog.max_scroll_y > 0
            # The body keeps the focus and is scrolled into view.
            body = host.screen.query_one("#note-body")
            assert host.focused is body
            await pilot.press("shift+tab", "shift+tab", "shift+tab")
            assert host.focused is dialog
            await pilot.press("home")
            await pilot.pause()
            assert dialog.scroll_y == 0
            quote = host.screen.query_one("#note-quote", VisualText)
            assert shown(quote).split("\n") == visual_rows(long_quote, quote.size.width)

    async def test_the_dialog_is_at_most_100_columns_wide_on_a_big_terminal(self) -> None:
        host = Host(make_editor())
        async with host.run_test(size=(160, 50)):
            dialog = host.screen.query_one("#note-dialog")
            assert dialog.outer_size.width == 100
            assert dialog.max_scroll_y == 0


class TestConfirmScreen:
    """y or enter answer yes, n or escape no; the buttons work too."""

    class Asker(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.answers: list[bool | None] = []

        def on_mount(self) -> None:
            self.push_screen(ConfirmScreen("Discard this note?"), self.answers.append)

    @pytest.mark.parametrize(
        ("keys", "answer"),
        [(["y"], True), (["enter"], True), (["n"], False), (["escape"], False)],
    )
    async def test_keys_answer(self, keys: list[str], answer: bool) -> None:
        app = self.Asker()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*keys)
            await pilot.pause()
            assert app.answers == [answer]

    async def test_enter_on_the_no_button_answers_no(self) -> None:
        app = self.Asker()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right", "enter")
            await pilot.pause()
            assert app.answers == [False]

    @pytest.mark.parametrize(("button", "answer"), [("#confirm-yes", True), ("#confirm-no", False)])
    async def test_clicking_a_button_answers(self, button: str, answer: bool) -> None:
        app = self.Asker()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.click(button)
            await pilot.pause()
            assert app.answers == [answer]


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("", ()),
        ("a, b", ("a", "b")),
        (" a ,, a ,b ", ("a", "b")),
        ("اقتصاد، كوريا", ("اقتصاد", "كوريا")),
    ],
)
def test_tags_are_split_on_latin_and_arabic_commas(typed: str, tags: tuple[str, ...]) -> None:
    assert parse_tags(typed) == tags


class TestSnapshots:
    """The editor over an Arabic claim: the quote right-aligned and joined, every field
    visible at 80x24, the dialog no wider than 100 columns on a big terminal."""

    @staticmethod
    async def _steady(pilot: Pilot[None]) -> None:
        for widget in pilot.app.screen.query("TextArea, Input"):
            assert isinstance(widget, TextArea | Input)
            widget.cursor_blink = False
        await pilot.pause()

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    def test_editor_over_an_arabic_claim(
        self, snap_compare: SnapCompare, size: tuple[int, int]
    ) -> None:
        initial = NoteDraft(Stance.DISPUTED, ("روسيا", "summit"), "اللقاء الأول كان في 2019.")
        assert snap_compare(Host(make_editor(initial)), run_before=self._steady, terminal_size=size)

    def test_discard_question(self, snap_compare: SnapCompare) -> None:
        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press("x", "escape")
            await self._steady(pilot)

        assert snap_compare(Host(make_editor()), run_before=run_before, terminal_size=(80, 24))


async def test_editing_starts_at_the_end_and_enter_on_the_discard_question_keeps_editing() -> None:
    """Issue 13: the cursor starts after the body's last word, and Esc asks "Discard
    your changes?" with Keep editing focused, so Enter does not throw the work away."""

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(
                NoteEditor(
                    quote="قال الوزير إن الخطة ناجحة.",
                    section=None,
                    initial=NoteDraft(None, (), "first line\nsecond line"),
                    title="Edit note",
                )
            )

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        body = editor.query_one("#note-body", TextArea)
        assert body.cursor_location == (1, len("second line"))
        await pilot.press("!", "escape")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.question == "Discard your changes?"
        assert question.focused is not None and question.focused.id == "confirm-no"
        await pilot.press("enter")
        await pilot.pause()
        back = app.screen
        assert isinstance(back, NoteEditor) and back is editor
        assert back.current_body() == "first line\nsecond line!"
