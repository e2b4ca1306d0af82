"""The document model: what the loader and structure parser produce for everyone else.

The small values that the loader and the layout make by the thousand (here, and in
`bidi`) are NamedTuples rather than frozen dataclasses: on Python 3.11 defining a
frozen dataclass costs ~0.6 ms of every start-up (it compiles six methods), and making
one is several times slower. `Document`, made once, stays a dataclass.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from tuireader.text.hidden import HiddenChars
from tuireader.text.sanitize import terminal_safe

STDIN_NAME = "<stdin>"
"""The name of a document read from standard input (`cmd | tuireader`, `tuireader -`)."""


class Direction(StrEnum):
    """A paragraph's base direction (UAX #9 paragraph level 0 or 1)."""

    LTR = "ltr"
    RTL = "rtl"


class BlockKind(StrEnum):
    """What a paragraph is in the article."""

    TITLE = "title"
    METADATA = "metadata"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    CODE = "code"
    TABLE = "table"
    BOILERPLATE = "boilerplate"


class Sentence(NamedTuple):
    """One claim: a logical range of the document text."""

    start: int
    """Offset of the first character in `Document.text`."""
    end: int
    """Offset one past the last character in `Document.text`."""


class Paragraph(NamedTuple):
    """One block of the article, laid out on its own (a UAX #9 paragraph).

    A NamedTuple like the other small values here: a long file holds a hundred thousand
    of them, made in half the time of a frozen dataclass's (whose class alone cost
    start-up half a millisecond to define).
    """

    # The field shadows tuple.index, a method no paragraph is asked for.
    index: int  # type: ignore[assignment]
    """Position in `Document.paragraphs`."""
    kind: BlockKind
    start: int
    """Offset of the first character in `Document.text`."""
    end: int
    """Offset one past the last character in `Document.text`."""
    text: str
    """The logical text shown: `Document.text[start:end]` with any line break inside
    the block replaced by a space, so offsets are the same in both."""
    direction: Direction
    """The paragraph's own direction (first strong character, else the document's)."""
    level: int = 0
    """Heading level (1-6) for titles and headings; nesting depth for list items
    and quotes; 0 otherwise."""


class Section(NamedTuple):
    """An entry of the outline: a heading and the text under it."""

    title: str
    level: int
    """1 for top-level sections; Markdown headings keep their level."""
    paragraph: int
    """Index of the heading paragraph in `Document.paragraphs`."""
    start: int
    """Offset of the heading in `Document.text`."""
    end: int
    """Offset where the next section of the same or a higher level starts (or the end)."""


class BidiControls(NamedTuple):
    """How many explicit bidi formatting characters the text holds.

    Text that displays differently from what is stored (Trojan Source, CVE-2021-42574)
    is a known attack on reviewers, so the UI warns when any are present.
    """

    embeddings: int = 0
    """LRE, RLE (and their PDFs are not counted separately)."""
    overrides: int = 0
    """LRO, RLO."""
    isolates: int = 0
    """LRI, RLI, FSI."""
    marks: int = 0
    """LRM, RLM, ALM: invisible, but harmless."""

    @property
    def suspicious(self) -> bool:
        """True when the text holds embeddings, overrides or isolates."""
        return bool(self.embeddings or self.overrides or self.isolates)


@dataclass(frozen=True, slots=True)
class Document:
    """An article, ready to lay out: its logical text and its structure."""

    name: str
    """What to call it in the UI: the file name, or "<stdin>". Made safe for a terminal
    (one line, control and bidi characters visible) when the Document is made: the
    status bar, messages and reports all show it."""
    text: str
    """The logical text. Every offset in the model points into it."""
    paragraphs: tuple[Paragraph, ...]
    sections: tuple[Section, ...] = ()
    title: str | None = None
    metadata: tuple[str, ...] = ()
    direction: Direction = Direction.LTR
    """The document's direction: the default for paragraphs with no strong character."""
    encoding: str = "utf-8"
    notices: tuple[str, ...] = ()
    """One-line messages for the user: a legacy encoding, an empty file, replaced
    control characters, bidi controls."""
    bidi_controls: BidiControls = BidiControls()
    hidden: HiddenChars = HiddenChars()
    """Invisible characters out of place in `text` (TAG characters, zero-width
    characters inside words, bidi controls): the notices warn of them."""
    path: str | None = None
    """The file it was read from, when there is one."""
    url: str | None = None
    """The URL a web page was fetched from; `path` is then its snapshot (see
    `tuireader.text.fetch`), and `name` the URL."""
    fetched: str | None = None
    """When that snapshot was fetched (UTC ISO 8601)."""
    complete: bool = True
    """False for the start or the end of a long file, shown while the rest is read."""
    is_end: bool = False
    """The end of a long file (see `load_document_end`): its text is a suffix of the
    whole's, so its offsets are the whole's minus the difference of their lengths."""
    _paragraph_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _section_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", terminal_safe(self.name, one_line=True))
        # Offsets are looked up on every scroll and every move of the claim cursor: a
        # bisect over starts kept once, not a walk over tens of thousands of paragraphs.
        object.__setattr__(self, "_paragraph_starts", tuple(p.start for p in self.paragraphs))
        object.__setattr__(self, "_section_starts", tuple(s.start for s in self.sections))

    @property
    def piped(self) -> bool:
        """True for a document read from standard input: it has no file, so its notes
        live in the data folder, keyed by a hash of its text (the UI says so)."""
        return self.path is None and self.name == STDIN_NAME

    def paragraph_at(self, offset: int) -> int:
        """The index of the paragraph that holds (or, between paragraphs, precedes) a
        logical offset; 0 before the first."""
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def section_at(self, offset: int) -> Section | None:
        """The innermost section that holds a logical offset; None before the first."""
        # Sections come in document order and a nested one starts after its parent:
        # the last one started is the innermost, unless it ended (then its parent).
        index = bisect_right(self._section_starts, offset) - 1
        while index >= 0:
            section = self.sections[index]
            if offset < section.end:
                return section
            index -= 1
        return None


def text_sha256(text: str) -> str:
    """The SHA-256 (hex) of a document's logical text: its identity in the notes file
    (a moved file keeps its notes)."""
    import hashlib  # Not at start-up: its import loads OpenSSL (see ui.app.position_key).

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
