"""The command line: `render` and `outline` on the sample and on every kind of bad input."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.paths import SAMPLE
from tuireader.cli import main
from tuireader.text.structure import load_document


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m tuireader` as a user would, in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "tuireader", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def render_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["render", "--json", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def shaped_word(word: str) -> str:
    """A word as the reader shows it on its own (joined and reordered)."""
    (row,) = json.loads(
        run_cli("render", "-", "--json", "--width", "0", stdin=word.encode()).stdout
    )["paragraphs"][0]["lines"]
    return str(row["text"]).strip()


class TestRenderSample:
    """Acceptance: the sample at widths 40, 80 and 120."""

    @pytest.mark.parametrize("width", [40, 80, 120])
    def test_each_paragraph_starts_on_its_first_row_right_aligned(
        self, capsys: pytest.CaptureFixture[str], width: int
    ) -> None:
        data = render_json(capsys, str(SAMPLE), "--width", str(width))
        paragraphs = data["paragraphs"]
        assert isinstance(paragraphs, list) and len(paragraphs) == 25
        for paragraph in paragraphs:
            lines = paragraph["lines"]
            assert lines[0]["start"] == paragraph["start"]
            assert paragraph["direction"] == "rtl"
            for line in lines:
                shown = line["text"]
                # Right-aligned: every RTL row ends at the width, padded on the left.
                assert len(shown.rstrip()) == len(shown)
                assert sum(0 if unicodedata.combining(ch) else 1 for ch in shown) <= width
                assert shown.startswith(" " * line["indent"])
            first_word = paragraph["text"].split()[0]
            assert shaped_word(first_word) in lines[0]["text"]

    @pytest.mark.parametrize("width", [40, 80, 120])
    def test_rows_have_every_row_full_width_and_marks_after_letters(
        self, capsys: pytest.CaptureFixture[str], width: int
    ) -> None:
        assert main(["render", str(SAMPLE), "--width", str(width)]) == 0
        rows = [row for row in capsys.readouterr().out.split("\n") if row.strip()]
        for row in rows:
            cells = sum(0 if unicodedata.combining(ch) else 1 for ch in row)
            assert cells == width, row
            for k, char in enumerate(row):
                if unicodedata.combining(char):
                    # L3: a haraka follows its letter, never a space or the row start.
                    assert k > 0 and not row[k - 1].isspace(), row

    @pytest.mark.parametrize("width", [40, 80, 120])
    def test_guillemets_face_the_right_way_also_when_a_pair_wraps(
        self, capsys: pytest.CaptureFixture[str], width: int
    ) -> None:
        """Read right to left, row after row, an RTL paragraph's brackets are the
        logical ones mirrored (L4): the logical « is drawn », and the other way round."""
        data = render_json(capsys, str(SAMPLE), "--width", str(width))
        mirror = str.maketrans("«»()", "»«)(")
        quoted = 0
        for paragraph in data["paragraphs"]:  # type: ignore[attr-defined]
            logical = [ch for ch in paragraph["text"] if ch in "«»()"]
            reading = "".join(line["text"][::-1] for line in paragraph["lines"])
            shown = [ch for ch in reading if ch in "«»()"]
            assert "".join(shown) == "".join(logical).translate(mirror)
            quoted += len(logical)
        assert quoted > 20

    def test_a_quoted_name_is_mirrored_into_place(self) -> None:
        result = run_cli("render", "-", "--width", "0", stdin="قاعدة «فوستوشني» الفضائية".encode())
        assert result.stdout.decode().strip() == "ﺔﻴﺋﺎﻀﻔﻟﺍ «ﻲﻨﺷﻮﺘﺳﻮﻓ» ﺓﺪﻋﺎﻗ"

    def test_no_shape_and_forced_ltr_base(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Unjoined letters; the Arabic run reversed inside an LTR paragraph (the Arabic
        question mark is AL, so it belongs to the run)."""
        assert main(["render", str(SAMPLE), "--width", "0", "--no-shape", "--base", "ltr"]) == 0
        first = capsys.readouterr().out.split("\n")[0]
        assert first == "؟يسورلا -يلامشلا يروكلا براقتلا دعب اذام"

    def test_width_zero_gives_one_row_per_paragraph(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        document = load_document(SAMPLE)
        assert main(["render", str(SAMPLE), "--width", "0"]) == 0
        rows = [row for row in capsys.readouterr().out.split("\n") if row]
        assert len(rows) == len(document.paragraphs)


class TestOutline:
    def test_outline_of_the_sample(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["outline", str(SAMPLE)]) == 0
        assert capsys.readouterr().out.split("\n")[:7] == [
            "ماذا بعد التقارب الكوري الشمالي- الروسي؟",
            "  صحيفة الخليج -",
            "  كتب - أحمد البشير:",
            "  - مكان انعقاد القمة",
            "  - زيارة مصانع الأسلحة",
            "  - مكاسب الاجتماع",
            "  - العلاقات مع روسيا",
        ]

    def test_outline_json_holds_sentences_with_offsets(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["outline", str(SAMPLE), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        text = SAMPLE.read_text(encoding="utf-8")
        assert [s["title"] for s in data["sections"]][0] == "مكان انعقاد القمة"
        sentences = [s for p in data["paragraphs"] for s in p["sentences"]]
        assert len(sentences) == 37
        for sentence in sentences:
            assert text[sentence["start"] : sentence["end"]] == sentence["text"]


# --- Bad input: one clear line on stderr, the right status, never a traceback ---------

ARABIC = "بعد أكثر من ثلاث سنوات من الانعزالية المكثفة، خرج الزعيم الكوري الشمالي."


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("binary.bin", b"\x7fELF\x02\x01\x01\x00\x00" + bytes(range(256)), 2, "binary"),
        ("broken.txt", ARABIC.encode() + b"\xff\xfe tail " + ARABIC.encode(), 2, "offset"),
        ("legacy.txt", (ARABIC + "\n\n" + ARABIC).encode("cp1256"), 0, "windows-1256"),
        ("utf16.txt", "\ufeff".encode("utf-16-le") + ARABIC.encode("utf-16-le"), 0, "utf-16"),
        ("empty.txt", b"", 0, "empty"),
        ("blank.txt", b"  \n\n \t \n", 0, "empty"),
        (
            "hostile.txt",
            b"Title\n\nSee \x1b]52;c;aGVsbG8=\x07 and \x1b[2J\x1bP+q\x1b\\ end.",
            0,
            "control",
        ),
        ("trojan.txt", "Title\n\nif access \u202e} {\u2066 admin\u2069 \u2066".encode(), 0, "bidi"),
    ],
)
def test_bad_input_gets_one_line_and_the_right_status(
    tmp_path: Path, name: str, content: bytes, status: int, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    for command, options in (("render", ["--width", "60"]), ("outline", [])):
        result = run_cli(command, str(path), *options)
        err = result.stderr.decode()
        assert result.returncode == status, err
        assert "Traceback" not in err
        assert b"\x1b" not in result.stdout
        if status:
            assert err.count("\n") == 1 and name in err and message in err.lower()
        else:
            # render says the notice on stderr; outline lists it with the structure.
            said = err if command == "render" else result.stdout.decode()
            assert message in said.lower(), said


def test_missing_file_and_directory(tmp_path: Path) -> None:
    for path in (tmp_path / "nope.txt", tmp_path):
        result = run_cli("render", str(path))
        assert result.returncode == 2
        assert result.stderr.decode().count("\n") == 1
        assert b"Traceback" not in result.stderr


def test_the_reader_leaves_the_collector_on_when_it_cannot_open_a_file(
    tmp_path: Path,
) -> None:
    """The reader switches garbage collection off for its start-up; a file it cannot
    open ends the start early, and the collector must be back on."""
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert gc.isenabled()


def test_a_single_8_megabyte_line(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text(("كلمة عربية طويلة جدا، " * 200_000) + "\x1b[31m", encoding="utf-8")
    result = run_cli("outline", str(path), "--json")
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout
    rendered = run_cli("render", str(path), "--width", "80")
    assert rendered.returncode == 0
    assert b"\x1b" not in rendered.stdout
    assert rendered.stdout.count(b"\n") > 50_000


def test_escape_sequences_from_stdin_never_reach_the_output() -> None:
    result = run_cli("render", "-", stdin=b"\x1b]0;pwned\x07\xc2\x9b31m text \x1b[?1049h")
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
    assert "\u009b" not in result.stdout.decode()
    assert "\u241b" in result.stdout.decode()


def test_bad_width_is_a_user_error() -> None:
    result = run_cli("render", str(SAMPLE), "--width", "-3")
    assert result.returncode == 2 and b"Traceback" not in result.stderr


# --- tuireader notes ----------------------------------------------------------------

EXPECTED = Path(__file__).parent / "expected"


def write_two_notes(article: Path, notes_file: Path) -> None:
    """Two notes on the sample, with fixed ids and times so the report is stable."""
    import dataclasses
    from datetime import UTC, datetime

    from tuireader.notes.model import new_note
    from tuireader.notes.stance import Stance
    from tuireader.notes.store import NotesStore
    from tuireader.text.claims import iter_claims

    document = load_document(article)
    claims = list(iter_claims(document))
    when = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    store = NotesStore.open(notes_file, document)
    for number, (claim, stance, tags, body) in enumerate(
        [
            (claims[2], Stance.DISPUTED, ("sources",), "The 2019 meeting was in Vladivostok."),
            (
                claims[8],
                Stance.NEEDS_SOURCE,
                ("space", "رويترز"),
                "Which satellite launch?\nTwo failed in 2023.",
            ),
        ],
        1,
    ):
        note = new_note(
            document,
            claim.start,
            claim.end,
            author="analyst",
            stance=stance,
            tags=tags,
            body=body,
            now=when,
        )
        store.add(dataclasses.replace(note, id=f"n-20261125-0000000{number}"))


def test_notes_report_in_markdown_matches_the_reviewed_expected_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance (notes #4): a readable report, grouped by section, quoting each claim."""
    article = tmp_path / "summit.txt"
    article.write_bytes(SAMPLE.read_bytes())
    notes_file = tmp_path / "summit.notes.yaml"
    write_two_notes(article, notes_file)
    assert main(["notes", str(article), "--notes", str(notes_file), "--format", "markdown"]) == 0
    report = capsys.readouterr().out.replace(str(tmp_path), "<folder>")
    assert report == (EXPECTED / "sample-report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_notes_as_data(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    article = tmp_path / "summit.txt"
    article.write_bytes(SAMPLE.read_bytes())
    notes_file = tmp_path / "summit.notes.yaml"
    write_two_notes(article, notes_file)
    assert main(["notes", str(article), "--notes", str(notes_file), "--format", fmt]) == 0
    out = capsys.readouterr().out
    data = json.loads(out) if fmt == "json" else __import__("yaml").safe_load(out)
    assert [note["stance"] for note in data["notes"]] == ["disputed", "needs-source"]


def test_a_corrupt_notes_file_is_one_line_and_status_2(tmp_path: Path) -> None:
    notes_file = tmp_path / "bad.notes.yaml"
    notes_file.write_bytes(b"notes: [\n")
    result = run_cli("notes", str(SAMPLE), "--notes", str(notes_file))
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and b"Traceback" not in result.stderr
    assert notes_file.read_bytes() == b"notes: [\n"


class TestTerminalSafety:
    """Issue 9: what the CLI writes never acts on the terminal (see test_terminal_output)."""

    def test_a_usage_error_quoting_a_hostile_value_is_one_inert_line(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as exited:
            main(["render", "--base", "\x1b]52;c;aGVsbG8=\x07", "-"])
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert "\x1b" not in err and "\x07" not in err
        assert "invalid choice" in err

    def test_an_unexpected_error_is_one_line_with_its_own_status(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*args: object) -> None:
            raise ValueError("boom\x1b[2J")

        monkeypatch.setattr("tuireader.cli._render_rows", broken)
        assert main(["render", str(SAMPLE), "--width", "40"]) == 70
        err = capsys.readouterr().err
        assert err == "tuireader: internal error (ValueError: boom␛[2J); please report it\n"

    def test_json_output_escapes_bidi_and_tag_characters_and_keeps_them(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "trojan.txt"
        text = "a \u202eevil\u202c approved\U000e006e b\x9b"
        path.write_text(text)
        assert main(["outline", "--json", str(path)]) == 0
        out = capsys.readouterr().out
        assert "\\u202e" in out and "\\udb40\\udc6e" in out
        (sentence,) = json.loads(out)["paragraphs"][0]["sentences"]
        assert sentence["text"] == "a \u202eevil\u202c approved\U000e006e b\ufffd"


def test_render_can_show_hidden_characters_as_marks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hidden.txt"
    path.write_text("approved\U000e006e\U000e006f\U000e0074 pass\u200bword \u202eevil\u202c")
    assert main(["render", str(path), "--width", "0"]) == 0
    assert capsys.readouterr().out == "approved password live\n"
    assert main(["render", str(path), "--width", "0", "--show-hidden"]) == 0
    assert capsys.readouterr().out == "approved⌜TAG:not⌝ pass⌜ZWSP⌝word ⌜RLO⌝live⌜PDF⌝\n"
