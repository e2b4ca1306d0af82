"""What `y` puts on the clipboard: logical text, never the glyphs on screen, and where
it comes from.

A terminal's own selection copies the cells: presentation forms in visual order, which
pasted elsewhere read backwards with the wrong letters. The app copies the text as it is
stored (OSC 52, through `App.copy_to_clipboard`, which works over SSH).
"""

from __future__ import annotations

from tuireader.text.document import Document


def citation_line(document: Document, offset: int) -> str:
    """Where the text at `offset` comes from: title, section, file or URL, one line.

    "— Title, § Section, path" with the parts the document has. The source is its URL
    when it was fetched (a `url` attribute), else its file's path, else its name.
    """
    parts: list[str] = []
    if document.title:
        parts.append(document.title)
    section = document.section_at(offset)
    if section is not None and section.title != document.title:
        parts.append(f"§ {section.title}")
    source = getattr(document, "url", None) or document.path or document.name
    if source:
        parts.append(str(source))
    return "— " + ", ".join(parts)


def copied_text(document: Document, start: int, end: int, *, citation: bool) -> str:
    """The logical text of [start, end), with its citation line below when asked."""
    text = document.text[start:end].strip()
    return f"{text}\n{citation_line(document, start)}" if citation else text
