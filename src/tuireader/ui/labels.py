"""Every string the app draws outside the article, in visual order: the one way there.

A terminal shows characters in the order it gets them, so any text that may hold Arabic,
Persian or Hebrew — a tag, a quoted claim, a file name in a toast, a section in the
status bar — goes through the article's own pipeline (`tuireader.bidi`: shaping, levels
of the whole paragraph, reordering). Labels are cut on their *logical* text, at a word
boundary, with "…" at the logical end (the visual left of an RTL label), and only then
laid out: cutting visual rows would keep the wrong end of an RTL label and could split
a joined word.

- `visual_label`: one row (outline entries, notes panel lines, status bar facts,
  palette entries, help cells).
- `visual_rows`: wrapped rows, one paragraph per line of the text (dialogs, toasts,
  VisualText).
- `fit_logical`: the logical cut alone (a claim quoted inside a question).
- `isolated`: a piece of user text inside a longer label (a tag after a stance), kept
  whole in its own direction, as HTML's <bdi> does (UAX #9 isolates, FSI … PDI).
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

from tuireader.bidi.layout import DEFAULT_OPTIONS, LayoutOptions, VisualLine, layout_text
from tuireader.text.direction import paragraph_direction
from tuireader.text.document import Direction
from tuireader.text.hidden import mark_tag_runs
from tuireader.text.sanitize import terminal_safe, without_controls

ELLIPSIS = "…"
_FSI = "\u2068"
_PDI = "\u2069"
_BREAKS_RX = re.compile(r" *[\n\t\r\f\v\x1c-\x1f\x85\u2028\u2029][\s]*")
_TAG_RX = re.compile("[\U000e0000-\U000e007f]")

Styles = list[str | Style | None]


def isolated(text: str) -> str:
    """User text to embed in a label: sanitised to one line, its bidi controls shown as
    marks (so none can leak out of the isolate), then isolated (FSI … PDI): a tag
    `#اقتصاد` after an English stance reads as one RTL word, with its `#` first."""
    return _FSI + terminal_safe(text, one_line=True) + _PDI


def fit_logical(text: str, width: int) -> str:
    """The logical text cut to `width` cells at a word boundary, "…" at its end.

    A first word wider than the room is cut inside (a label never shows nothing). The
    width is measured on the logical text: shaping only narrows it (a lam-alef takes
    one cell for two letters), so the laid-out label fits too.
    """
    if width <= 0 or cell_len(text) <= width:
        return text
    return text[: _cut(text, width - 1)].rstrip() + ELLIPSIS


def _cut(text: str, room: int) -> int:
    """Characters of `text` kept so that they fit `room` cells and end before a space
    (or anywhere, when the first word alone is too wide)."""
    used = 0
    fits = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > room:
            break
        fits = index + 1
    space = text.rfind(" ", 0, fits + 1)
    return space if space > 0 and text[:space].strip() else fits


def visual_label(
    text: str | Text,
    width: int = 0,
    options: LayoutOptions = DEFAULT_OPTIONS,
    default: Direction = Direction.LTR,
) -> Text:
    """One row of a label, shaped and reordered like the article.

    Line breaks become spaces. A label wider than `width` is cut
    on its logical text at a word boundary and ends in "…" (see the module doc). RTL
    labels are right-justified. Styles of a `Text` follow their characters into the
    visual order.

    Args:
        text: The logical text (a section title, a quoted claim, a tag line).
        width: Cells available; 0 means unlimited.
        options: The app's layout options (so `--bidi terminal` applies here too).
        default: The direction of a label with no strong character.
    """
    plain, styles = _clean(text, collapse=True)
    direction = options.direction or paragraph_direction(plain, default)
    if width > 0:
        # Cut first: a long note body is never laid out whole for a one-row label.
        cut = fit_logical(plain, width)
        row = _one_row(cut, direction, options)
        room = width
        while row.width > width and room > 1:
            # The layout can be wider than the logical text (hidden characters shown
            # as marks): cut again until it fits.
            room -= max(1, row.width - width)
            cut = fit_logical(plain, room)
            row = _one_row(cut, direction, options)
        if cut is not plain:
            styles = styles[: len(cut) - 1] + [None]
        plain = cut
    row = _one_row(plain, direction, options)
    visual = _styled(row, styles)
    rtl = direction is Direction.RTL
    visual.justify = "right" if rtl and options.align else "left"
    visual.no_wrap = True
    return visual


def visual_rows(
    text: str | Text,
    width: int = 0,
    options: LayoutOptions = DEFAULT_OPTIONS,
    default: Direction = Direction.LTR,
    direction: Direction | None = None,
) -> list[Text]:
    """The rows of a text wrapped at `width` cells (0: no wrapping), each line of the
    text a paragraph with its own direction (unless `direction` or the options force
    one); RTL rows are right-aligned within `width`.

    Args:
        text: The logical text.
        width: Cells per row.
        options: The app's layout options.
        default: A paragraph's direction when it has no strong character.
        direction: Every paragraph's direction; None gives each its own.
    """
    plain, styles = _clean(text, collapse=False)
    rows: list[Text] = []
    start = 0
    for paragraph in plain.split("\n"):
        piece = styles[start : start + len(paragraph)]
        start += len(paragraph) + 1
        if "\t" in paragraph:
            # A tab's width depends on its column, which the layout engine does not know.
            paragraph = paragraph.expandtabs(4)
            piece = [None] * len(paragraph)
        own = options.direction or direction or paragraph_direction(paragraph, default)
        rows.extend(_styled(line, piece) for line in layout_text(paragraph, 0, own, width, options))
    return rows


def _one_row(text: str, direction: Direction, options: LayoutOptions) -> VisualLine:
    rows = layout_text(text, 0, direction, 0, options)
    return rows[0]


def _styled(row: VisualLine, styles: Styles) -> Text:
    """A visual row as Text, each glyph with the style of the logical character it
    shows (a selection or a search hit stays on its characters in any order)."""
    visual = Text(" " * row.indent, end="")
    spans: list[Span] = []
    position = row.indent
    for glyph in row.glyphs:
        size = len(glyph.text)
        style = styles[glyph.start] if glyph.start < len(styles) else None
        if style:
            if spans and spans[-1].end == position and spans[-1].style == style:
                spans[-1] = Span(spans[-1].start, position + size, style)
            else:
                spans.append(Span(position, position + size, style))
        position += size
    visual.append("".join(glyph.text for glyph in row.glyphs))
    visual.spans.extend(spans)
    return visual


def _clean(text: str | Text, *, collapse: bool) -> tuple[str, Styles]:
    """The text a label may draw, and the style of each of its characters.

    Labels show text from files the user did not write (a shared notes file): control
    characters become placeholders, as in the article, and TAG characters, which could
    hide words in a note, show what they spell. `collapse` makes a label one row: line
    breaks and tabs (with the spaces around them) become one space, and the ends are
    trimmed; runs of spaces stay (a label may part its fields with two).
    """
    plain = text.plain if isinstance(text, Text) else text
    styles: Styles = [None] * len(plain)
    if isinstance(text, Text):
        for span in text.spans:
            for index in range(max(0, span.start), min(len(plain), span.end)):
                styles[index] = span.style
    # Placeholders are one for one: the styles stay on their characters.
    plain = without_controls(plain)
    if _TAG_RX.search(plain):
        marked = mark_tag_runs(plain)
        if len(marked) != len(plain):
            # Marks change lengths; TAG runs are rare enough to give up styles there.
            plain, styles = marked, [None] * len(marked)
    if collapse and _BREAKS_RX.search(plain):
        kept: list[int] = []
        pieces: list[str] = []
        position = 0
        for match in _BREAKS_RX.finditer(plain):
            pieces += [plain[position : match.start()], " "]
            kept += [*range(position, match.start()), match.start()]
            position = match.end()
        pieces.append(plain[position:])
        kept += range(position, len(plain))
        plain = "".join(pieces)
        styles = [styles[index] for index in kept]
    if collapse and plain != plain.strip():
        lead = len(plain) - len(plain.lstrip())
        plain = plain.strip()
        styles = styles[lead : lead + len(plain)]
    return plain, styles
