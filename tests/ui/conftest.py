"""Fixtures for Pilot tests: the app's folders live under tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.paths import SAMPLE, user_dirs
from tuireader.ui.app import ReaderApp, make_app
from tuireader.ui.config import AppConfig

MakeReader = Callable[..., ReaderApp]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config, state, data or cache folders."""
    for name, folder in user_dirs(tmp_path).items():
        monkeypatch.setenv(name, folder)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def app_config(tmp_path: Path) -> AppConfig:
    return AppConfig(
        config_dir=tmp_path / "config",
        state_dir=tmp_path / "state",
        data_dir=tmp_path / "data",
        cache_dir=tmp_path / "cache",
    )


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A copy of the sample, so its notes file lands beside it in tmp_path."""
    copy = tmp_path / "summit.txt"
    shutil.copy(SAMPLE, copy)
    return copy


@pytest.fixture
def make_reader(app_config: AppConfig, tmp_path: Path) -> MakeReader:
    """Build the app as the CLI does, on the sample article unless told otherwise.

    The sample's notes go to tmp_path: a developer's own notes beside the sample in
    seeds/ must not show up in tests (or snapshots). Other articles keep the default.
    """

    def make(path: Path = SAMPLE, **changes: object) -> ReaderApp:
        notes = tmp_path / f"{path.name}.notes.yaml" if path == SAMPLE else None
        return make_app(path, notes, app_config._replace(**changes))  # type: ignore[arg-type]

    return make


@pytest.fixture
def httpserver() -> Iterator[HTTPServer]:
    """A server of this test's own on 127.0.0.1 (never the network)."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()
