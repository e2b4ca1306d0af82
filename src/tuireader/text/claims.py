"""Claims: the sentences of the body that a reviewer can annotate, and moving between them."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from tuireader.text.document import BlockKind, Document, Paragraph, Sentence
from tuireader.text.sentences import split_sentences

NOT_CLAIMS = frozenset(
    {BlockKind.TITLE, BlockKind.METADATA, BlockKind.HEADING, BlockKind.BOILERPLATE}
)
"""Title, byline, headings and boilerplate say nothing to verify."""


def is_claim_paragraph(paragraph: Paragraph) -> bool:
    return paragraph.kind not in NOT_CLAIMS and bool(paragraph.text.strip())


def claims_in(paragraph: Paragraph) -> tuple[Sentence, ...]:
    """The claims of one paragraph (none for a title, heading, byline or boilerplate)."""
    return split_sentences(paragraph) if is_claim_paragraph(paragraph) else ()


def iter_claims(document: Document, start_paragraph: int = 0) -> Iterator[Sentence]:
    """Every claim from a paragraph on, in document order (computed as it goes)."""
    for paragraph in document.paragraphs[start_paragraph:]:
        yield from claims_in(paragraph)


def claim_at(document: Document, offset: int) -> Sentence | None:
    """The claim that holds a logical offset, if any."""
    if not document.paragraphs:
        return None
    paragraph = document.paragraphs[document.paragraph_at(offset)]
    for sentence in claims_in(paragraph):
        if sentence.start <= offset < sentence.end:
            return sentence
    return None


def next_claim(document: Document, offset: int) -> Sentence | None:
    """The first claim that starts after a logical offset."""
    if not document.paragraphs:
        return None
    for sentence in iter_claims(document, document.paragraph_at(offset)):
        if sentence.start > offset:
            return sentence
    return None


def previous_claim(document: Document, offset: int) -> Sentence | None:
    """The last claim that starts before a logical offset."""
    if not document.paragraphs:
        return None
    for index in range(document.paragraph_at(offset), -1, -1):
        claims = claims_in(document.paragraphs[index])
        k = bisect_left([s.start for s in claims], offset)
        if k:
            return claims[k - 1]
    return None


_PHRASE_END_RX = re.compile(r"[,،;؛:—–]+[\s»”\"')\]]*|\s[-–—]\s")


def phrases_in(document: Document, start: int, end: int) -> list[tuple[int, int]]:
    """The phrases of a logical range: cut after clause punctuation (، , ؛ ; : —),
    each without its edge spaces. A range with no such punctuation is one phrase."""
    text = document.text
    phrases: list[tuple[int, int]] = []
    first = start
    for match in _PHRASE_END_RX.finditer(text, start, end):
        phrases.append((first, match.end()))
        first = match.end()
    phrases.append((first, end))
    trimmed = []
    for a, b in phrases:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed
