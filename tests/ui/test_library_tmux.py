"""The library in a real terminal (issue 11): three documents, notes in two, the counts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.paths import SAMPLE
from tests.ui.test_tmux import Tmux, user_dirs_env
from tuireader.text.claims import iter_claims
from tuireader.text.structure import load_document

pytestmark = pytest.mark.tmux


def test_three_documents_of_different_kinds_annotated_in_two_show_their_counts(
    tmp_path: Path,
) -> None:
    """Acceptance: `tuireader a.txt b.md folder/` lists three documents; stances set in
    the first and (after `)`) the second show in the library after `L`."""
    first = tmp_path / "a-sample.txt"
    shutil.copy(SAMPLE, first)
    second = tmp_path / "b-second.md"
    second.write_text("# Second document\n\nThe first claim. The second claim.\n", "utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "c-third.txt").write_text("Third document\n\nIn a folder. Two claims.\n", "utf-8")
    claims = len(list(iter_claims(load_document(first))))
    status = tmp_path / "status"
    tmux = Tmux(120, 30)
    try:
        home = user_dirs_env(tmp_path)
        tmux.start_and_keep(f"env LANG=C.UTF-8 {home} tuireader {first} {second} {folder}", status)
        tmux.wait_for("Library · 3 documents")
        for shown in ("Second document", "Third document", "Arabic RTL"):
            tmux.wait_for(shown)  # titles arrive from a worker, in batches
        tmux.keys("Enter")
        # The reader's status bar (the library's bar shows "? help" too, and its rows
        # "0 of n" without the word).
        tmux.wait_for(f"0 of {claims} reviewed")
        tmux.type("r12")
        tmux.wait_for(f"reviewed 2 of {claims} claims")
        tmux.type(")")
        tmux.wait_for("Second document")
        tmux.type("r3")
        tmux.wait_for("reviewed 1 of 2 claims")
        tmux.type("L")
        tmux.wait_for("Library · 3 documents")
        tmux.wait_for(f"2 of {claims}")
        tmux.wait_for("1 of 2")
        tmux.wait_for("0 of 2")
        tmux.type("q")
        assert tmux.wait_exit(status) == 0
    finally:
        tmux.close()
    notes = yaml.safe_load(second.with_name("b-second.md.notes.yaml").read_text("utf-8"))
    assert [note["stance"] for note in notes["notes"]] == ["unverified"]
    notes = yaml.safe_load(first.with_name("a-sample.txt.notes.yaml").read_text("utf-8"))
    assert [note["stance"] for note in notes["notes"]] == ["supported", "disputed"]
    assert not (folder / "c-third.txt.notes.yaml").exists()
