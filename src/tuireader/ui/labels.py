"""Short texts for the chrome (outline entries, status bar, note excerpts) in visual order."""

from __future__ import annotations

from rich.text import Text

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions, layout_text
from tuireader.text.direction import paragraph_direction
from tuireader.text.document import Direction
from tuireader.text.hidden import mark_tag_runs
from tuireader.text.sanitize import without_controls


def visual_label(
    text: str,
    width: int = 0,
    options: LayoutOptions = DEFAULT_OPTIONS,
    default: Direction = Direction.LTR,
) -> Text:
    """One row of a label, shaped and reordered like the article.

    A label wider than `width` keeps its logical beginning and ends in "…", which is
    what a reader of either direction expects. RTL labels are right-justified.

    Args:
        text: The logical text (a section title, a quoted claim).
        width: Cells available; 0 means unlimited.
        options: The app's layout options (so `--bidi terminal` applies here too).
        default: The direction of a label with no strong character.
    """
    # Labels show text from files the user did not write (a shared notes file):
    # control characters become placeholders, as in the article, and TAG characters,
    # which could hide words in a note, show what they spell.
    text = " ".join(mark_tag_runs(without_controls(text)).split())
    direction = options.direction or paragraph_direction(text, default)
    rows = layout_text(text, 0, direction, max(0, width - 1) if width else 0, options)
    row = rows[0]
    visual = "".join(glyph.text for glyph in row.glyphs)
    rtl = direction is Direction.RTL
    if len(rows) > 1:
        visual = "…" + visual if rtl and options.reorder else visual + "…"
    return Text(visual, justify="right" if rtl and options.align else "left", no_wrap=True)
