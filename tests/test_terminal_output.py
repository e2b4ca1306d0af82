"""Nothing a file name, a file or a notes file holds reaches the terminal as a control.

Issue 9: a file named with an OSC 52 sequence wrote to the clipboard through the messages
of `render`, `outline` and the loader, and `tuireader notes` printed note bodies, authors
and tags with raw ESC, BEL and C1 bytes. Every command and output format runs here as a
real process over hostile names and notes files; no byte it writes may be a control
character but newline and tab.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.paths import user_dirs

HOSTILE_NAMES: dict[str, bytes] = {
    "osc52": b"\x1b]52;c;aGVsbG8=\x07",
    "osc0": b"\x1b]0;pwned\x07",
    "csi": b"\x1b[2J\x1b[31mred",
    "dcs": b"\x1bP+q544e\x1b\\",
    "bel-del": b"bell\x07del\x7f",
    "c1-raw": b"csi\x9b31m nel\x85",
    "c1-utf8": "csi\u009b31m nel\u0085".encode(),
    "surrogate": os.fsencode("lone\udcff\udc9b"),
    "newline-tab": b"two\nlines\tand\rcr",
    "separators": "line\u2028para\u2029".encode(),
    "bidi": "\u202etxt.exe\u202c \u2067x\u2069".encode(),
    "tags": "approved\U000e006e\U000e006f\U000e0074".encode(),
}
"""File names (bytes: some are not UTF-8), each a way to act on a terminal."""

HOSTILE_TEXT = (
    "Title \x1b]0;pwned\x07\n\n"
    "Body \x1b]52;c;aGVsbG8=\x07 and \x1b[2J\x1bP+q\x1b\\ with \x9b31m and \x85 here.\n\n"
    "Trojan \u202eevil\u202c and approved\U000e006e\U000e006f\U000e0074 and ZW\u200bSP.\n"
).encode()
HOSTILE_FIELD = "\x1b]52;c;aGVsbG8=\x07\x1b[31m\x9b\x07\u202e\U000e006e"

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
)
"""Controls (C0 but \\n and \\t, DEL, C1 as UTF-8) and what a bidi terminal would obey."""


def assert_inert(output: bytes, where: str) -> None:
    """Output is UTF-8 and holds no control character (nor bidi or TAG character)."""
    text = output.decode("utf-8")  # not UTF-8 at all would be a bug too
    found = FORBIDDEN.search(text)
    assert found is None, f"{where}: U+{ord(found.group()):04X} in {text!r}"
    assert "Traceback" not in text, f"{where}: {text}"


def run(args: Sequence[str | bytes], cwd: Path, stdin: bytes | None = None) -> tuple[int, str]:
    """Run `python -m tuireader` with hostile arguments; check both streams; return status."""
    env = {**os.environ, **user_dirs(cwd / "home"), "COLUMNS": "60"}
    done = subprocess.run(
        [sys.executable, "-m", "tuireader", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    shown = repr(args)
    assert_inert(done.stdout, f"stdout of {shown}")
    assert_inert(done.stderr, f"stderr of {shown}")
    return done.returncode, done.stderr.decode()


def notes_data(article: str) -> dict[str, object]:
    """A notes file whose every field a person writes holds escape sequences."""

    def note(number: int, exact: str, start: int) -> dict[str, object]:
        return {
            "id": f"n-{number}{HOSTILE_FIELD}",
            "created": "2026-11-25T20:41:07Z",
            "updated": "2026-11-26T20:41:07Z",
            "author": f"mallory{HOSTILE_FIELD}",
            "stance": "disputed",
            "tags": [f"tag{HOSTILE_FIELD}", "\x85nel", "\u2028"],
            "section": f"section{HOSTILE_FIELD}",
            "target": {
                "exact": exact,
                "prefix": HOSTILE_FIELD,
                "suffix": HOSTILE_FIELD,
                "start": start,
                "end": start + len(exact),
            },
            "body": f"body {HOSTILE_FIELD}\nsecond line \x1bP+q544e\x1b\\\u2028{HOSTILE_FIELD}",
        }

    return {
        "tuireader_notes": 1,
        "document": {"path": article, "title": HOSTILE_FIELD, "sha256": "0" * 64},
        "notes": [note(1, "Body", 30), note(2, f"Gone {HOSTILE_FIELD}", 500)],
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of hostile files: for each name, a text file, an empty file, a
    Markdown file with a notes file, and a directory."""
    root = tmp_path_factory.mktemp("hostile")
    base = os.fsencode(root)
    for key, name in HOSTILE_NAMES.items():
        folder = os.path.join(base, key.encode())
        os.mkdir(folder)
        with open(os.path.join(folder, name + b".txt"), "wb") as file:
            file.write(HOSTILE_TEXT)
        open(os.path.join(folder, name + b".empty"), "wb").close()
        with open(os.path.join(folder, name + b".md"), "wb") as file:
            file.write(b"# Heading \x1b]0;x\x07\n\nBody text here.\n")
        with open(os.path.join(folder, name + b".bin"), "wb") as file:
            file.write(b"\x00\x01\x02binary")
        os.mkdir(os.path.join(folder, name + b".dir"))
        notes = yaml.safe_dump(notes_data(os.fsdecode(name + b".txt")), allow_unicode=True)
        with open(os.path.join(folder, name + b".txt.notes.yaml"), "wb") as file:
            file.write(notes.encode("utf-8", "surrogateescape"))
        with open(os.path.join(folder, name + b".bad.yaml"), "wb") as file:
            file.write(b"notes: [\x1b]52;c;aGVsbG8=\x07\n  - {\x9b: \xff")
    return root


def commands(key: str, name: bytes) -> list[list[str | bytes]]:
    """Every command and output format, on the hostile files of one name."""
    text, md, empty = name + b".txt", name + b".md", name + b".empty"
    return [
        ["render", text, "--width", "30"],
        ["render", "--json", text],
        ["render", md],
        ["render", empty],
        ["outline", text],
        ["outline", "--json", text],
        ["outline", md],
        ["outline", empty],
        ["outline", "--json", empty],
        ["notes", text],
        ["notes", text, "--format", "json"],
        ["notes", text, "--format", "yaml"],
        ["notes", md],
        ["notes", text, "--notes", name + b".bad.yaml"],
        ["render", name + b".missing"],
        ["outline", name + b".bin"],
        ["render", name + b".dir"],
        ["notes", name + b".missing.txt"],
        [name + b".missing"],
        ["--theme", name, name + b".missing"],
        ["render", "--base", name, text],
        ["outline", name, text],
    ]


FULL_SET = ("osc52", "c1-raw", "surrogate", "bidi")
"""Names that go through every command; the others through the commands that show a
name in a different place (a message, JSON, an outline, a report), to keep it short."""
SHORT_SET = (1, 7, 9, 11, 14)


def test_every_command_over_hostile_names_and_notes_writes_no_control(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The acceptance test of issue 9: every command × format × hostile name, as processes."""
    jobs = [
        (corpus / key, command)
        for key, name in HOSTILE_NAMES.items()
        for index, command in enumerate(commands(key, name))
        if key in FULL_SET or index in SHORT_SET
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: run(job[1], job[0]), jobs))
    with capsys.disabled():
        print(f"\nterminal output: {len(jobs)} runs over {len(HOSTILE_NAMES)} hostile names")
    for (_, command), (status, stderr) in zip(jobs, results, strict=True):
        assert status in (0, 2), (command, status, stderr)
        for line in stderr.splitlines():
            assert line.startswith(("tuireader", "usage:", "  ")), (command, stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["render", "--help"],
        ["outline", "--help"],
        ["notes", "--help"],
        ["render", "--width", "-1", "-"],
        ["notes", "--format", HOSTILE_FIELD],
    ],
)
def test_help_version_and_usage_errors_write_no_control(args: list[str], tmp_path: Path) -> None:
    status, _ = run(args, tmp_path)
    assert status in (0, 2)


def test_standard_input_with_escape_sequences_writes_no_control(tmp_path: Path) -> None:
    for command in (["render", "-"], ["render", "--json", "-"], ["outline", "-"]):
        status, _ = run(command, tmp_path, stdin=HOSTILE_TEXT + b"\xff\xfe raw")
        assert status in (0, 2)
