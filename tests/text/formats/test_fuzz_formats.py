"""Random input to every format reader: a document or a one-line LoadError, never another
exception, and never a character a terminal would obey in the text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.text.formats.builders import arabic_docx, three_chapter_epub
from tuireader.text.formats import read_document
from tuireader.text.loading import LoadError

_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TAGS = [
    "<p>",
    "</p>",
    "<h2>",
    "</h2>",
    "<ul><li>",
    "</li></ul>",
    "<table><tr><td>",
    "<br>",
    "<article>",
    "</article>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "&#x1b;",
    "&#27;",
    "&#x202e;",
    "<title>",
    "</title>",
    "<meta charset=windows-1256>",
    "<![CDATA[",
    "]]>",
]
_TEXT = st.text(alphabet=st.sampled_from(["a", "ب", " ", "\n", "\x1b", "\x9b", "\u202e", ".", "1"]))
_HTML = st.lists(st.one_of(st.sampled_from(_TAGS), _TEXT), max_size=40).map("".join)
_FUZZ = settings(
    max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _check(data: bytes, name: str) -> None:
    try:
        document = read_document(data, name=name)
    except LoadError as err:
        assert "\n" not in str(err)
        return
    for value in (document.text, document.title or "", *document.metadata):
        assert _OBEYED.search(value.replace("\n", "")) is None
    for paragraph in document.paragraphs:
        assert document.text[paragraph.start : paragraph.end].replace("\n", " ") == paragraph.text


@_FUZZ
@given(_HTML)
def test_random_html_reads_as_a_document(page: str) -> None:
    _check(page.encode("utf-8", "surrogatepass"), "fuzz.html")


@_FUZZ
@given(st.binary(max_size=300), st.sampled_from(["fuzz.docx", "fuzz.epub", "fuzz.html", "<stdin>"]))
def test_random_bytes_read_as_a_document_or_one_line_error(data: bytes, name: str) -> None:
    _check(data, name)


DOCX = arabic_docx()
EPUB = three_chapter_epub()


@_FUZZ
@given(st.sampled_from([("x.docx", DOCX), ("x.epub", EPUB)]), st.data())
def test_damaged_containers_read_or_fail_in_one_line(
    sample: tuple[str, bytes], data: st.DataObject
) -> None:
    name, original = sample
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)))
    _check(bytes(damaged[:cut]), name)
