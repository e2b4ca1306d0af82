"""The git merge driver with real git: two clones annotate one article, then pull."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.paths import SAMPLE, require_command
from tuireader.notes.model import Note, edit_note, new_note
from tuireader.notes.stance import Stance
from tuireader.notes.store import NotesStore
from tuireader.text.claims import iter_claims
from tuireader.text.document import Document
from tuireader.text.structure import load_document

NOTES = "article.txt.notes.yaml"


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # The driver is the installed `tuireader`, beside this Python.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_AUTHOR_NAME": "analyst",
        "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "analyst",
        "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=check
    )


def tuireader(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuireader", *args], cwd=folder, capture_output=True, text=True
    )


class Clone:
    """One analyst's clone of the team's repository."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.document: Document = load_document(folder / "article.txt")

    def store(self) -> NotesStore:
        return NotesStore.open(self.folder / NOTES, self.document)

    def commit(self, message: str) -> None:
        git(self.folder, "add", "-A")
        git(self.folder, "commit", "-q", "-m", message)

    def pull(self) -> subprocess.CompletedProcess[str]:
        return git(self.folder, "pull", "-q", "--no-rebase", "origin", "main", check=False)

    def notes(self) -> dict[str, dict[str, object]]:
        data = yaml.safe_load((self.folder / NOTES).read_text("utf-8"))
        return {note["id"]: note for note in data["notes"]}


@pytest.fixture
def team(tmp_path: Path) -> tuple[Clone, Clone, list[Note]]:
    """A shared repository with an article and three notes, cloned twice, driver set up."""
    require_command("git")
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    shutil.copy(SAMPLE, origin / "article.txt")
    first = Clone(origin)
    claims = list(iter_claims(first.document))
    store = first.store()
    notes = [
        new_note(first.document, claim.start, claim.end, author="lead", body=f"note {number}")
        for number, claim in enumerate(claims[:3])
    ]
    for note in notes:
        store.add(note)
    first.commit("three notes")
    git(origin, "config", "receive.denyCurrentBranch", "ignore")
    clones = []
    for name in ("alice", "bob"):
        git(tmp_path, "clone", "-q", str(origin), name)
        clones.append(Clone(tmp_path / name))
    alice, bob = clones
    # One analyst sets the driver up and shares .gitattributes and .gitignore; each
    # clone then registers the driver in its own .git/config.
    for clone in clones:
        assert clone.pull().returncode == 0
        setup = tuireader(clone.folder, "notes", "git-setup")
        assert setup.returncode == 0, setup.stderr
        if clone is alice:
            alice.commit("merge driver")
            git(alice.folder, "push", "-q", "origin", "main")
    return alice, bob, notes


def test_git_setup_is_idempotent(team: tuple[Clone, Clone, list[Note]]) -> None:
    alice, _bob, _notes = team
    again = tuireader(alice.folder, "notes", "git-setup")
    assert again.returncode == 0
    assert "registered already" in again.stderr
    assert (alice.folder / ".gitattributes").read_text().count("merge=tuireader") == 1
    driver = git(alice.folder, "config", "--get", "merge.tuireader.driver").stdout.strip()
    assert driver == "tuireader notes merge %O %A %B %P"


def test_different_notes_and_fields_merge_cleanly(team: tuple[Clone, Clone, list[Note]]) -> None:
    alice, bob, notes = team
    a_store, b_store = alice.store(), bob.store()
    a_store.update(edit_note(a_store.get(notes[0].id), body="alice's body"))  # type: ignore[arg-type]
    claims = list(iter_claims(alice.document))
    extra_a = new_note(alice.document, claims[5].start, claims[5].end, author="alice")
    a_store.add(extra_a)
    alice.commit("alice annotates")
    git(alice.folder, "push", "-q", "origin", "main")

    b_store.update(edit_note(b_store.get(notes[0].id), stance=Stance.DISPUTED))  # type: ignore[arg-type]
    b_store.update(edit_note(b_store.get(notes[1].id), tags=("sources",)))  # type: ignore[arg-type]
    extra_b = new_note(bob.document, claims[6].start, claims[6].end, author="bob")
    b_store.add(extra_b)
    bob.commit("bob annotates")

    pulled = bob.pull()
    assert pulled.returncode == 0, pulled.stderr
    merged = bob.notes()
    assert set(merged) == {notes[0].id, notes[1].id, notes[2].id, extra_a.id, extra_b.id}
    assert merged[notes[0].id]["body"] == "alice's body"
    assert merged[notes[0].id]["stance"] == "disputed"
    assert merged[notes[1].id]["tags"] == ["sources"]
    assert git(bob.folder, "status", "--porcelain").stdout == ""
    assert NotesStore.open(bob.folder / NOTES, bob.document).read_only_reason is None


def test_same_field_and_delete_against_edit_keep_both_as_conflicts(
    team: tuple[Clone, Clone, list[Note]],
) -> None:
    alice, bob, notes = team
    a_store, b_store = alice.store(), bob.store()
    a_store.update(edit_note(a_store.get(notes[0].id), body="alice says yes"))  # type: ignore[arg-type]
    a_store.delete(notes[1].id)
    alice.commit("alice")
    git(alice.folder, "push", "-q", "origin", "main")
    b_store.update(edit_note(b_store.get(notes[0].id), body="bob says no"))  # type: ignore[arg-type]
    b_store.update(edit_note(b_store.get(notes[1].id), body="bob kept this"))  # type: ignore[arg-type]
    bob.commit("bob")

    pulled = bob.pull()
    assert pulled.returncode != 0  # git reports the conflicts the driver left on notes
    merged = bob.notes()
    assert merged[notes[0].id]["body"] == "bob says no"
    conflicts = merged[notes[0].id]["conflicts"]
    assert isinstance(conflicts, list)
    assert {"field": "body", "value": "alice says yes"}.items() <= conflicts[0].items()
    assert merged[notes[1].id]["body"] == "bob kept this"
    assert any(c["field"] == "deleted" for c in merged[notes[1].id]["conflicts"])  # type: ignore[attr-defined]
    store = NotesStore.open(bob.folder / NOTES, bob.document)
    assert store.read_only_reason is None
    assert "UU " + NOTES in git(bob.folder, "status", "--porcelain").stdout


def test_a_corrupt_side_is_refused_and_ours_is_untouched(tmp_path: Path) -> None:
    good = tmp_path / "ours.yaml"
    good.write_text("tuireader_notes: 1\nnotes: []\n", "utf-8")
    before = good.read_bytes()
    for theirs_text in (
        "tuireader_notes: 1\nnotes: [unclosed\n",
        "tuireader_notes: 9\nnotes: []\n",
        "tuireader_notes: 1\nnotes: !!python/object:os.system []\n",
        "tuireader_notes: 1  # a comment\nnotes: []\n",
    ):
        theirs = tmp_path / "theirs.yaml"
        theirs.write_text(theirs_text, "utf-8")
        result = tuireader(tmp_path, "notes", "merge", str(good), str(good), str(theirs), "x")
        assert result.returncode == 2, theirs_text
        assert "refused" in result.stderr and result.stderr.count("\n") == 1
        assert good.read_bytes() == before


@pytest.mark.parametrize("seed", [20261130, 20261131, 20261132])
def test_random_histories_keep_every_note_and_parse(
    team: tuple[Clone, Clone, list[Note]], seed: int
) -> None:
    """Many rounds of random edits on both clones, each followed by pull and push: the
    merged file always parses, holds every note added, and each note's body is the last
    one someone wrote or is kept beside it as a conflict."""
    alice, bob, notes = team
    chooser = random.Random(seed)
    claims = list(iter_claims(alice.document))
    added: set[str] = {note.id for note in notes}
    bodies: dict[str, set[str]] = {note.id: {note.body} for note in notes}
    for round_number in range(6):
        for clone in (alice, bob):
            pulled = clone.pull()
            if pulled.returncode != 0:
                clone.commit("resolve: keep the conflicts on the notes")
            store = clone.store()
            for step in range(chooser.randint(1, 4)):
                current = list(store.notes)
                action = chooser.choice(("add", "edit", "edit", "stance"))
                if action == "add" or not current:
                    claim = chooser.choice(claims)
                    note = new_note(clone.document, claim.start, claim.end, author="x")
                    store.add(note)
                    added.add(note.id)
                    bodies[note.id] = {""}
                elif action == "edit":
                    target = chooser.choice(current)
                    body = f"{clone.folder.name} r{round_number} s{step}"
                    store.update(edit_note(target, body=body))
                    bodies[target.id].add(body)
                else:
                    target = chooser.choice(current)
                    store.update(edit_note(target, stance=chooser.choice(list(Stance))))
            clone.commit(f"round {round_number}")
            pulled = clone.pull()
            if pulled.returncode != 0:
                clone.commit("resolve: keep the conflicts on the notes")
            assert git(clone.folder, "push", "-q", "origin", "main", check=False).returncode == 0
            merged = clone.notes()
            assert NotesStore.open(clone.folder / NOTES, clone.document).read_only_reason is None
            assert added <= set(merged)
            for note_id, fields in merged.items():
                assert fields.get("body", "") in bodies[note_id]
    alice.pull()
    assert added <= set(alice.notes())
