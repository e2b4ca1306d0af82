"""Paths shared by the tests: the repository, the sample article and ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "seeds" / "000_b979987839cf76fb.txt"


def user_dirs(root: Path) -> dict[str, str]:
    """XDG variables that keep the app's config, state, data and cache under root."""
    kinds = ("config", "state", "data", "cache")
    return {f"XDG_{kind.upper()}_HOME": str(root / kind) for kind in kinds}


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"needs {path} (the ../shared folder beside the repository)")
    return path


def require_command(name: str) -> str:
    """The path of a command the test needs, or skip; in CI (TUIREADER_REQUIRE_TOOLS=1,
    set by .ci/run) a missing command fails the test instead of hiding it."""
    import os
    import shutil

    found = shutil.which(name)
    if found is None:
        message = f"needs the {name} command"
        if os.environ.get("TUIREADER_REQUIRE_TOOLS"):
            pytest.fail(f"{message}, and TUIREADER_REQUIRE_TOOLS is set")
        pytest.skip(message)
    return found
