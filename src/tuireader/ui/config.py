"""Where the app keeps its files, and the small YAML files it remembers things in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from tuireader.notes.yamlio import (
    YamlRefused,
    dump_yaml,
    parse_yaml,
    read_bounded,
    write_atomically,
)

BidiMode = Literal["app", "terminal", "off"]

APP_NAME = "tuireader"


@dataclass(frozen=True, slots=True)
class AppConfig:
    """Everything `make_app` needs besides the document: folders and command-line choices."""

    config_dir: Path
    """Remembered choices (the theme): platformdirs' user config dir."""
    state_dir: Path
    """Reading positions: platformdirs' user state dir."""
    data_dir: Path
    """Notes for documents whose own folder is not writable: platformdirs' user data dir."""
    theme: str | None = None
    """A theme asked for on the command line; None uses the remembered one."""
    bidi: BidiMode = "app"
    """Who reorders: the app (default), the terminal (logical rows), or the app without
    sending any mode sequences to the terminal."""

    @classmethod
    def from_environment(cls, *, theme: str | None = None, bidi: BidiMode = "app") -> AppConfig:
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
            theme=theme,
            bidi=bidi,
        )


class YamlMapping:
    """A small mapping kept in a YAML file, written atomically.

    A file that cannot be read is never overwritten: `problem` says why, and `save`
    does nothing, so a user's hand-edited file survives our mistakes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        self.data: dict[str, object] = {}
        try:
            loaded = parse_yaml(read_bounded(path)) if path.exists() else {}
        except (YamlRefused, OSError) as err:
            self.problem = f"{path}: {err}"
            return
        if isinstance(loaded, dict):
            self.data = {str(key): value for key, value in loaded.items()}
        elif loaded is not None:
            self.problem = f"{path}: not a mapping; left as it is"

    def save(self) -> None:
        if self.problem is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, dump_yaml(self.data).encode("utf-8"))
        except OSError as err:
            self.problem = f"{self.path}: {err.strerror or err}"


def document_key(text: str) -> str:
    """A document's identity for remembered positions: its text, not its path."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
