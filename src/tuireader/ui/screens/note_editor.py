"""The note editor: a claim's stance, tags and body, with the quote and body in visual order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, TextArea

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions
from tuireader.notes.model import normalize_tags
from tuireader.notes.stance import Stance
from tuireader.text.direction import paragraph_direction
from tuireader.text.document import Direction
from tuireader.ui.history import History, recall_history
from tuireader.ui.labels import visual_label
from tuireader.ui.screens.confirm import ConfirmScreen
from tuireader.ui.widgets.bidi_input import BidiInput
from tuireader.ui.widgets.bidi_text_area import BidiTextArea
from tuireader.ui.widgets.visual_text import VisualText

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.timer import Timer


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """What the editor returns on save: the fields a note's author can change."""

    stance: Stance | None
    """The analyst's conclusion, or None for a note without one."""
    tags: tuple[str, ...]
    """Tags, stripped, without empty ones or repeats."""
    body: str
    """The note's text, logical order, as typed."""


_STANCE_CHOICES: tuple[tuple[Stance | None, str], ...] = (
    (None, "No stance"),
    *((stance, stance.value.replace("-", " ").capitalize()) for stance in Stance),
)
"""The chooser's options in order; alt+N picks the Nth (alt+0 is "no stance")."""


def _stance_button_id(stance: Stance | None) -> str:
    return f"stance-{stance.value if stance else 'none'}"


def parse_tags(text: str) -> tuple[str, ...]:
    """The tags of a comma-separated string ("a, b,,a" gives a and b).

    The Arabic comma counts too: an analyst typing Arabic tags would otherwise have to
    switch keyboard layouts for the separator.
    """
    return normalize_tags(text.replace("\u060c", ",").split(","))


class StanceChooser(RadioSet):
    """The stance buttons; a digit key chooses one with no modifier (0 is "no stance"),
    for terminals that send no alt at all."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            str(index),
            f"screen.choose_stance({index})",
            label,
            show=False,
            id=f"note-stance-key-{index}",
            tooltip=f"Stance: {label.lower()}",
        )
        for index, (_stance, label) in enumerate(_STANCE_CHOICES)
    ]


class _Dialog(VerticalScroll):
    """The editor's frame; it scrolls when the terminal is too short for everything."""

    def allow_focus(self) -> bool:
        # A tab stop only while it can scroll, so that the keyboard can reach the top of a
        # long quote; otherwise a stop that shows nothing would sit between the fields.
        return self.max_scroll_y > 0


class NoteEditor(ModalScreen[NoteDraft | None]):
    """Edits one note; dismisses with a `NoteDraft` on save and None on cancel.

    The body and the tags are Textual's `TextArea` and `Input` drawn by our bidi layout
    (`BidiTextArea`, `BidiInput`): Arabic is joined and in reading order as it is typed.
    """

    CSS_PATH = "note_editor.tcss"
    AUTO_FOCUS = "#note-body"

    DRAFT_INTERVAL: ClassVar[float] = 0.5
    """Seconds between `on_draft` calls at most while typing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note-save", tooltip="Save the note"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="note-cancel",
            tooltip="Close the editor (asks first if anything changed)",
        ),
        # Alt, not bare digits: digits are text in the body and the tags. A priority
        # binding: a terminal's alt+1 arrives as a key with the character "1", which the
        # text fields would otherwise type (bare digits work on the chooser itself).
        *(
            Binding(
                f"alt+{index}",
                f"choose_stance({index})",
                label,
                show=False,
                priority=True,
                id=f"note-stance-{index}",
                tooltip=f"Stance: {label.lower()}",
            )
            for index, (_stance, label) in enumerate(_STANCE_CHOICES)
        ),
    ]

    def __init__(
        self,
        *,
        quote: str,
        section: str | None,
        initial: NoteDraft,
        layout_options: LayoutOptions = DEFAULT_OPTIONS,
        title: str = "New note",
        on_draft: Callable[[NoteDraft], None] | None = None,
        original: NoteDraft | None = None,
        conflicts: str = "",
        tags_history: History | None = None,
    ) -> None:
        """Edit a note on `quote`, starting from `initial`.

        Args:
            quote: The claim the note is about, logical order.
            section: The title of the claim's section, if it has one.
            initial: The fields to start from (an existing note, or a restored draft).
            layout_options: The app's layout options (so `--bidi terminal` applies here too).
            title: The dialog's title.
            on_draft: Called with every field while any of them changes, at most every
                `DRAFT_INTERVAL` seconds, so that the owner can keep a draft; not called
                on save or cancel.
            original: The note as it is saved, when `initial` is a restored draft: Esc
                asks before closing unless the fields are back to these (a restored draft
                is unsaved work, not the starting point).
            conflicts: The other versions of the note's fields (another session's or
                another clone's), one per line; saving keeps what the editor holds and
                settles them.
            tags_history: Tags fields saved before, recalled with ↑/↓ in the field.
        """
        super().__init__()
        self.quote = quote
        self.section = section
        self.initial = initial
        self.layout_options = layout_options
        self.title = title
        self.on_draft = on_draft
        self.original = original if original is not None else initial
        self.conflicts = conflicts
        self.tags_history = tags_history if tags_history is not None else History()
        self._quote_direction = paragraph_direction(quote, Direction.LTR)
        self._body = BidiTextArea(
            initial.body,
            layout_options=layout_options,
            # An empty line, or one of digits, follows the claim's direction.
            default_direction=self._quote_direction,
            soft_wrap=True,
            tab_behavior="focus",
            id="note-body",
        )
        # Kept here, not queried: the app saves the fields as a draft on its way out,
        # after the editor's children are gone.
        self._tags: Input | None = None
        """Made in `compose` (an Input with a value needs the running app)."""
        self._draft_timer: Timer | None = None
        self._last_draft = initial
        self._stance = initial.stance

    def compose(self) -> ComposeResult:
        options = self.layout_options
        rtl = (options.direction or self._quote_direction) is Direction.RTL
        with _Dialog(id="note-dialog") as dialog:
            dialog.border_title = self.title
            dialog.border_subtitle = "ctrl+s save · esc cancel"
            if self.section:
                yield VisualText(f"§ {self.section}", options=options, id="note-section")
            yield VisualText(
                self.quote,
                options=options,
                direction=self._quote_direction,
                id="note-quote",
                classes="-rtl" if rtl else "-ltr",
            )
            if self.conflicts:
                other = VisualText(self.conflicts, options=options, id="note-conflicts")
                other.border_title = "Other versions · saving keeps what is below"
                yield other
            with StanceChooser(id="note-stance") as stances:
                stances.border_title = "Stance · alt+0…5 (here: 0…5)"
                for stance, label in _STANCE_CHOICES:
                    yield RadioButton(label, id=_stance_button_id(stance))
            self._tags = BidiInput(
                ", ".join(self.initial.tags),
                layout_options=options,
                default_direction=self._quote_direction,
                placeholder="comma, separated",
                id="note-tags",
            )
            self._tags.border_title = "Tags"
            yield self._tags
            self._body.border_title = "Note"
            yield self._body

    def on_mount(self) -> None:
        # Pressed after mounting, not passed to RadioButton: RadioSet moves its highlight
        # only on a change, and would otherwise start it on the first button.
        self.action_choose_stance(self._stance_index(self.initial.stance))
        self._show_tags(self.initial.tags)
        # Editing a note goes on from where it ends, not before its first word.
        self._body.move_cursor(self._body.document.end)

    def current_body(self) -> str:
        """The body as it is in the editor now, logical order."""
        return self._body.text

    def current_draft(self) -> NoteDraft:
        """Every field as it is in the editor now."""
        return NoteDraft(self._stance, self._typed_tags(), self.current_body())

    def is_changed(self) -> bool:
        """True when saving would change something (tags compared once parsed)."""
        original = self.original
        unchanged = NoteDraft(original.stance, normalize_tags(original.tags), original.body)
        return self.current_draft() != unchanged

    def action_save(self) -> None:
        if self._tags is not None:
            self.tags_history.add(self._tags.value)
        self._close(self.current_draft())

    def on_key(self, event: events.Key) -> None:
        """↑/↓ in the tags field recall tags typed before (here, not in the input: the
        input class is the editor's own; the dialog would scroll on them otherwise)."""
        if event.key in ("up", "down") and self._tags is not None:
            recall_history(self.tags_history, self._tags, event)

    def action_cancel(self) -> None:
        if not self.is_changed():
            self._close(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._close(None)

        self.app.push_screen(
            ConfirmScreen("Discard your changes?", yes="Discard", no="Keep editing", default=False),
            answered,
        )

    def action_choose_stance(self, index: int) -> None:
        stance, _label = _STANCE_CHOICES[index]
        # Kept here too: the RadioSet learns of the change from a message, and a save in
        # the same burst of keys could be handled first.
        self._stance = stance
        self.query_one(f"#{_stance_button_id(stance)}", RadioButton).value = True

    @on(RadioSet.Changed, "#note-stance")
    def _stance_changed(self, event: RadioSet.Changed) -> None:
        self._stance, _label = _STANCE_CHOICES[event.index]
        self._draft_soon()

    @on(TextArea.Changed, "#note-body")
    def _body_changed(self) -> None:
        self._draft_soon()

    @on(Input.Changed, "#note-tags")
    def _tags_changed(self, event: Input.Changed) -> None:
        self._show_tags(parse_tags(event.value))
        self._draft_soon()

    def _draft_soon(self) -> None:
        """Every field is the analyst's work: a stance or a tag changed alone is kept
        as a draft too, not only typing in the body."""
        if self.on_draft is not None and self._draft_timer is None:
            self._draft_timer = self.set_timer(self.DRAFT_INTERVAL, self._save_draft)

    @staticmethod
    def _stance_index(stance: Stance | None) -> int:
        return [choice for choice, _label in _STANCE_CHOICES].index(stance)

    def _typed_tags(self) -> tuple[str, ...]:
        if self._tags is None:
            return normalize_tags(self.initial.tags)
        return parse_tags(self._tags.value)

    def _show_tags(self, tags: tuple[str, ...]) -> None:
        # The parsed tags under the field, laid out by our engine: the Input shows
        # Arabic unjoined and in logical order.
        shown = Text("  ").join(
            visual_label(f"#{tag}", options=self.layout_options) for tag in tags
        )
        self.query_one("#note-tags", Input).border_subtitle = shown if tags else ""

    def _save_draft(self) -> None:
        self._draft_timer = None
        draft = self.current_draft()
        if self.on_draft is not None and draft != self._last_draft:
            self._last_draft = draft
            self.on_draft(draft)

    def _close(self, result: NoteDraft | None) -> None:
        # A draft written after this point would outlive the note: the owner clears the
        # draft once the save is confirmed (or on discard), and a later one would stay.
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = None
        self.dismiss(result)
