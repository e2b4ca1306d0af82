"""Drafts: unsaved editor text kept in a sibling file so that it survives a hang-up."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tuireader.notes.errors import NotesError
from tuireader.notes.yamlio import (
    LiteralText,
    YamlRefused,
    locked,
    parse_yaml,
    read_bounded,
    save_yaml,
)

DRAFTS_KEY = "tuireader_drafts"
DRAFTS_VERSION = 1


class Drafts:
    """The drafts file of one notes file::

    tuireader_drafts: 1
    drafts:
      n-20261125-7f3a9c01: |
        text the editor held
    """

    def __init__(self, path: Path, lock_timeout: float) -> None:
        self.path = path
        self._lock_timeout = lock_timeout

    def load(self) -> dict[str, str]:
        """Return every draft by key.

        Raises:
            NotesError: when the drafts file exists but cannot be read.
        """
        return self._read()[0]

    def save(self, key: str, text: str) -> None:
        """Keep `text` as the draft for `key`, replacing any earlier one.

        Raises:
            NotesError: when it could not be saved (the old drafts file is left as it was).
        """
        self._change(key, text)

    def clear(self, key: str) -> None:
        """Forget the draft for `key`; the file goes once no draft is left."""
        self._change(key, None)

    def _change(self, key: str, text: str | None) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with locked(self.path, self._lock_timeout):
                drafts, extra, previous = self._read()
                if text is None:
                    if key not in drafts:
                        return
                    del drafts[key]
                else:
                    drafts[key] = text
                if not drafts and not extra:
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(self.path)
                    return
                data: dict[str, object] = {
                    DRAFTS_KEY: DRAFTS_VERSION,
                    "drafts": {name: LiteralText(value) for name, value in drafts.items()},
                    **extra,
                }
                save_yaml(self.path, data, previous=previous)
        except NotesError:
            raise
        except OSError as error:
            raise NotesError(
                f"could not save the draft in {self.path.name}: {error.strerror or error}"
            ) from error

    def _read(self) -> tuple[dict[str, str], dict[str, object], bytes | None]:
        try:
            data = read_bounded(self.path)
            content = parse_yaml(data)
        except FileNotFoundError:
            return {}, {}, None
        except YamlRefused as error:
            raise NotesError(f"{self.path.name}: {error}") from error
        if content is None:
            return {}, {}, data
        raw = content.get("drafts") if isinstance(content, dict) else None
        if not isinstance(content, dict) or not isinstance(raw or {}, dict):
            raise NotesError(f"{self.path.name}: not a drafts file")
        version = content.get(DRAFTS_KEY)
        if not isinstance(version, int) or isinstance(version, bool) or version > DRAFTS_VERSION:
            raise NotesError(f"{self.path.name}: unknown drafts version {version!r}")
        drafts: dict[str, str] = {}
        for name, value in (raw or {}).items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise NotesError(f"{self.path.name}: draft {name!r} is not text")
            drafts[name] = value
        extra = {
            str(name): value
            for name, value in content.items()
            if name not in (DRAFTS_KEY, "drafts")
        }
        return drafts, extra, data
