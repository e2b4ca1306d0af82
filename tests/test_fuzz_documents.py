"""Generated documents with generated names through the CLI: exit 0 or 2, nothing raw.

Issue 9's fuzz harness for documents: random mixes of Arabic, Hebrew, Latin, digits,
controls, bidi controls, TAG characters, Markdown syntax, invalid UTF-8, byte order
marks and huge words, in files with hostile names, through `render`, `render --json`,
`outline` and `outline --json`. Each must end with status 0 or 2, print no traceback,
and write no control character (nor a bidi or TAG character) on stdout or stderr.
Most documents run in this process (`tuireader.cli.main`, streams captured as UTF-8
bytes); a few run as real processes.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tuireader.cli import main

SEED = 20261129
DOCUMENTS = 1000
SUBPROCESSES = 6

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
)

WORDS = [
    "الزعيمان",
    "بيونغ",
    "يانغ",
    "«فوستوشني»",
    "لا",
    "إقرأ المزيد",
    "שלום",
    "עולם",
    "Kim",
    "Putin's",
    "(brackets)",
    "2019-2020",
    "١٢٣٤",
    "3.14",
    "-5%",
    "ﷲ",
    "كِتَابٌ",
    "e\u0301",
    "漢字",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "original_classes: [",
    "levels: [",
    "Level(",
]
CONTROLS = [
    "\x1b]52;c;aGVsbG8=\x07",
    "\x1b]0;title\x07",
    "\x1b[2J\x1b[31m",
    "\x1bP+q544e\x1b\\",
    "\x07",
    "\x7f",
    "\x9b31m",
    "\x85",
    "\r",
    "\r\n",
    "\t",
    "\x0c",
    "\u2028",
    "\u2029",
]
INVISIBLE = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u180e",
    "\ufe0f",
    "\u3164",
]
MARKDOWN = [
    "# ",
    "## ",
    "> ",
    "> > > ",
    "- ",
    "1. ",
    "```\n",
    "    ",
    "| a | b |\n|---|---|\n",
    "**",
    "_",
    "[link](http://x)",
    "![alt](i.png)",
    "&#x202E;",
    "&#xE006E;",
    "&amp;",
    "<b>",
    "\n",
    "\n\n",
    " ",
]
BOMS = [b"", b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]

tags = st.text(alphabet=st.characters(min_codepoint=0xE0000, max_codepoint=0xE007F), max_size=8)
huge = st.builds(lambda word, count: word * count, st.sampled_from(WORDS), st.integers(50, 600))
text_piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(CONTROLS),
    st.sampled_from(INVISIBLE),
    st.sampled_from(MARKDOWN),
    tags,
    huge,
    st.text(max_size=12),
)
piece = st.one_of(
    text_piece.map(lambda text: text.encode("utf-8", "surrogatepass")),
    text_piece.map(lambda text: text.encode("utf-8", "surrogatepass")),
    text_piece.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=6),
)
documents = st.builds(
    lambda bom, pieces: bom + b"".join(pieces),
    st.sampled_from(BOMS),
    st.lists(piece, max_size=40),
)
name_chars = st.one_of(
    st.sampled_from([*CONTROLS, *INVISIBLE, "\udcff", "\udc9b", "\n", "-", " ", "."]),
    st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]),
)
names = st.lists(name_chars, min_size=1, max_size=12).map("".join)


def check_output(out: bytes, err: bytes, status: int, where: str) -> None:
    assert status in (0, 2), f"{where}: status {status}: {err!r}"
    for stream, data in (("stdout", out), ("stderr", err)):
        text = data.decode("utf-8")
        found = FORBIDDEN.search(text)
        assert found is None, f"{where}: U+{ord(found.group()):04X} on {stream}"
        assert "Traceback" not in text, f"{where}: {text}"


def run_in_process(args: list[str]) -> tuple[int, bytes, bytes]:
    """`main(args)` with stdout and stderr as strict UTF-8 streams, as a terminal's are."""
    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="\n")
    err_text = io.TextIOWrapper(err, encoding="utf-8", errors="strict", newline="\n")
    with redirect_stdout(out_text), redirect_stderr(err_text):
        status = main(args)
    out_text.flush()
    err_text.flush()
    return status, out.getvalue(), err.getvalue()


def file_for(folder: Path, name: str, suffix: str, data: bytes) -> str:
    path = os.path.join(os.fsencode(folder), os.fsencode(name)[:200] + suffix.encode())
    with open(path, "wb") as file:
        file.write(data)
    return os.fsdecode(path)


def test_generated_documents_with_hostile_names_never_crash_or_leak_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """≥ 1,000 documents, each through every command, with a fixed seed."""
    seen: list[tuple[str, bytes, str]] = []
    statuses: Counter[int] = Counter()

    @seed(SEED)
    @settings(
        max_examples=DOCUMENTS,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=documents,
        name=names,
        suffix=st.sampled_from([".txt", ".md", ""]),
        width=st.sampled_from(["0", "1", "2", "17", "80"]),
    )
    def one_document(data: bytes, name: str, suffix: str, width: str) -> None:
        path = file_for(tmp_path, "doc-" + name, suffix, data)
        try:
            for command in (["render"], ["render", "--json"], ["outline"], ["outline", "--json"]):
                args = [*command, path]
                if command[0] == "render":
                    args += ["--width", width]
                status, out, err = run_in_process(args)
                check_output(out, err, status, f"{args!r} on {data[:200]!r}")
                statuses[status] += 1
        finally:
            os.remove(path)
        seen.append((name, data, suffix))

    one_document()
    with capsys.disabled():  # the seed and counts show in every CI log
        print(
            f"\ndocument fuzz: seed {SEED}, {len(seen)} documents × 4 commands, "
            f"{statuses[0]} runs shown, {statuses[2]} refused (status 2)"
        )
    assert len(seen) >= DOCUMENTS
    # A few as real processes: what a terminal gets, byte for byte.
    step = max(1, len(seen) // SUBPROCESSES)
    for name, data, suffix in seen[::step][:SUBPROCESSES]:
        path = file_for(tmp_path, "run-" + name, suffix, data)
        for command in (["render", "--width", "40"], ["outline", "--json"]):
            done = subprocess.run(
                [sys.executable, "-m", "tuireader", *command, path],
                capture_output=True,
                timeout=120,
                check=False,
            )
            check_output(done.stdout, done.stderr, done.returncode, f"{command} on {data!r}")


@pytest.mark.parametrize("command", [["render"], ["outline", "--json"]])
def test_a_document_of_every_hostile_piece_at_once_is_handled(
    tmp_path: Path, command: list[str]
) -> None:
    data = "\n\n".join([*WORDS, *CONTROLS, *INVISIBLE, *MARKDOWN]).encode()
    path = file_for(tmp_path, "all\x1b]52;c;aGVsbG8=\x07", ".md", data)
    status, out, err = run_in_process([*command, path])
    check_output(out, err, status, repr(command))
    assert status == 0
