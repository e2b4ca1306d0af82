"""Several documents on the command line (issue 11): the library's arguments, and
`tuireader notes DIR_OR_FILES…` reports across documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.paths import user_dirs
from tuireader.cli import main
from tuireader.notes.model import new_note
from tuireader.notes.stance import Stance
from tuireader.notes.store import NotesStore
from tuireader.text.claims import iter_claims
from tuireader.text.structure import load_document


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, folder in user_dirs(tmp_path / "home").items():
        monkeypatch.setenv(name, folder)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two documents, one of them with a note."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "first.txt").write_text("الأول\n\nهذه جملة أولى. وهذه جملة ثانية.\n", "utf-8")
    (docs / "second.md").write_text("# Second\n\nOne claim. Another claim.\n", "utf-8")
    document = load_document(docs / "second.md")
    claim = next(iter(iter_claims(document)))
    store = NotesStore.open(docs / "second.md.notes.yaml", document)
    store.add(
        new_note(document, claim.start, claim.end, author="t", stance=Stance.DISPUTED, body="Why?")
    )
    return docs


def test_notes_of_a_folder_as_json_list_every_document(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", str(folder), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    documents = data["documents"]
    assert [Path(d["document"]["path"]).name for d in documents] == ["first.txt", "second.md"]
    assert [len(d["notes"]) for d in documents] == [0, 1]
    assert documents[1]["notes"][0]["body"].strip() == "Why?"
    assert documents[0]["document"]["title"] == "الأول"


def test_notes_of_several_files_as_yaml_and_markdown(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(folder / "second.md"), str(folder / "first.txt")]
    assert main(["notes", *files, "--format", "yaml"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert [d["document"]["title"] for d in data["documents"]] == ["Second", "الأول"]
    assert main(["notes", *files]) == 0
    report = capsys.readouterr().out
    assert report.startswith("# Review notes across documents\n")
    assert "1 note in 1 of 2 documents." in report
    assert "## Review notes: Second" in report and "Why?" in report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["notes", "{folder}", "--format", "csv"], "takes one article"),
        (["notes", "{folder}", "--notes", "x.yaml"], "not of several"),
        (["{folder}/first.txt", "{folder}/second.md", "--notes", "x.yaml"], "not of a library"),
        (["{empty}"], "no documents"),
        (["{folder}/first.txt", "{folder}/nope.txt"], "nope.txt"),
    ],
)
def test_what_a_library_cannot_do_is_one_line(
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    filled = [a.format(folder=folder, empty=empty) for a in args]
    assert main(filled) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
