"""A dropped SSH session at a real terminal keeps the open editor's whole note (issue 8)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import yaml

from tests.paths import SAMPLE
from tests.ui.test_tmux import Tmux, assert_exits_after_hangup, user_dirs_env


def test_a_dropped_ssh_session_keeps_the_editors_body_stance_and_tags(tmp_path: Path) -> None:
    """Issue 8: a hang-up kept only the body. tmux's server dies (SIGHUP, no terminal)
    with the editor open: the drafts file holds body, stance and tags."""
    article = tmp_path / "summit.txt"
    shutil.copy(SAMPLE, article)
    session = Tmux(100, 30)
    try:
        session.start(f"env LANG=C.UTF-8 {user_dirs_env(tmp_path)} tuireader {article}")
        pid = int(session.run("display-message", "-p", "-t", "t", "#{pane_pid}").strip())
        session.wait_for("? help")
        session.type("]")
        session.keys("a")
        session.wait_for("ctrl+s save")
        session.type("Needs a second source")
        # As in test_tmux: shift+tab to the stances, "disputed", then tab to the tags;
        # one key at a time, as a person types.
        for key in ("BTab", "BTab", "Down", "Down", "Enter", "Tab"):
            session.keys(key)
            time.sleep(0.2)
        session.type("later")
        session.wait_for("#later")
    finally:
        session.close()
    assert_exits_after_hangup(pid)
    drafts = yaml.safe_load(
        article.with_name("summit.txt.notes.yaml.drafts.yaml").read_text("utf-8")
    )
    (draft,) = drafts["drafts"].values()
    assert (draft["body"], draft["stance"], draft["tags"]) == (
        "Needs a second source",
        "disputed",
        ["later"],
    )
