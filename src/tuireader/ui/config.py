"""Where the app keeps its files, and the small YAML files it remembers things in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, NamedTuple

import platformdirs

from tuireader.notes.atomic import write_atomically

BidiMode = Literal["app", "terminal", "off"]

APP_NAME = "tuireader"


class AppConfig(NamedTuple):
    """Everything `make_app` needs besides the document: folders and command-line choices.

    A NamedTuple like the core's small values (see `tuireader.text.document`)."""

    config_dir: Path
    """Remembered choices (the theme): platformdirs' user config dir."""
    state_dir: Path
    """Reading positions: platformdirs' user state dir."""
    data_dir: Path
    """Notes for documents whose own folder is not writable: platformdirs' user data dir."""
    cache_dir: Path
    """What can be rebuilt at any time (the validated themes): platformdirs' user cache
    dir."""
    theme: str | None = None
    """A theme asked for on the command line; None uses the remembered one."""
    bidi: BidiMode = "app"
    """Who reorders: the app (default), the terminal (logical rows), or the app without
    sending any mode sequences to the terminal."""
    author: str | None = None
    """The name written on new notes; None takes it from the environment."""

    @classmethod
    def from_environment(
        cls, *, theme: str | None = None, bidi: BidiMode = "app", author: str | None = None
    ) -> AppConfig:
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME)),
            theme=theme,
            bidi=bidi,
            author=author,
        )


class StateFile:
    """A small mapping the app keeps in a JSON file, written atomically.

    JSON, not YAML: these files are the app's own memory, not the user's work, and
    reading them must not cost start-up the import of a YAML parser. A file that
    cannot be read is never overwritten: `problem` says why and `save` does nothing.
    """

    MAX_BYTES = 4 * 1024 * 1024

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        self.data: dict[str, object] = {}
        try:
            with path.open("rb") as handle:
                raw = handle.read(self.MAX_BYTES + 1)
        except FileNotFoundError:
            return
        except OSError as err:
            self.problem = f"{path}: {err.strerror or err}"
            return
        try:
            if len(raw) > self.MAX_BYTES:
                raise ValueError("too big")
            loaded = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            self.problem = f"{path}: not readable ({err}); left as it is"
            return
        if isinstance(loaded, dict):
            self.data = {str(key): value for key, value in loaded.items()}
        else:
            self.problem = f"{path}: not a mapping; left as it is"

    def save(self) -> None:
        if self.problem is not None:
            return
        content = json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, content.encode("utf-8"))
        except OSError as err:
            self.problem = f"{self.path}: {err.strerror or err}"
