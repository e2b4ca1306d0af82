"""Bounded safe YAML reading, stable YAML writing, atomic replacement and file locks."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import yaml
from filelock import FileLock, Timeout
from yaml.nodes import Node

from tuireader.notes.atomic import write_atomically
from tuireader.notes.errors import NotesLocked, YamlRefused
from tuireader.notes.yaml_guards import (
    MAX_ALIAS_EXPANSION,
    BoundedLoader,
    CommentFinder,
    CommentFound,
    SafeLoader,
)

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_FILE_BYTES",
    "FlowList",
    "LiteralText",
    "YamlRefused",
    "dump_yaml",
    "find_comment",
    "locked",
    "parse_yaml",
    "read_bounded",
    "save_yaml",
]

# libyaml's emitter is ~10x faster; the pure-Python one is the fallback.
try:
    from yaml import CSafeDumper as _DumperBase
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeDumper as _DumperBase  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused before parsing: a notes file is never that big by accident."""


class LiteralText(str):
    """A string written as a `|` literal block when it spans lines."""

    __slots__ = ()


class FlowList(list[str]):
    """A list of strings written on one line: `[economy, sources]`."""

    __slots__ = ()


def read_bounded(path: Path) -> bytes:
    """Return a file's bytes, refusing one over `MAX_FILE_BYTES` before reading it all.

    Raises:
        FileNotFoundError: when there is no file.
        YamlRefused: when it is too big or cannot be read.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise YamlRefused(_too_big(size))
            # Read one byte more than allowed in case the file grew after fstat.
            data = handle.read(MAX_FILE_BYTES + 1)
    except (FileNotFoundError, YamlRefused):
        raise
    except OSError as error:
        raise YamlRefused(f"cannot read the file: {error.strerror or error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise YamlRefused(_too_big(len(data)))
    return data


def parse_yaml(data: bytes | str) -> object:
    """Return what a YAML document holds, with safe tags only and bounded alias expansion.

    Raises:
        YamlRefused: for invalid YAML, unsafe tags (`!!python/...`), duplicate keys, more
            than one document, or aliases that expand too far (billion laughs).
    """
    # No `&` byte (in UTF-8 or UTF-16) means no anchor, so no alias: skip weighing.
    anchors = "&" in data if isinstance(data, str) else b"&" in data
    loader = BoundedLoader(data) if anchors else SafeLoader(data)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        raise YamlRefused(_describe(error)) from error
    except yaml.YAMLError as error:
        raise YamlRefused(f"not valid YAML: {_one_line(str(error))}") from error
    except RecursionError as error:  # pragma: no cover - only without libyaml
        raise YamlRefused("not read: YAML nested too deeply") from error
    finally:
        loader.dispose()


def find_comment(data: bytes | str) -> int | None:
    """Return the line (from 1) of the first YAML comment in valid YAML, or None.

    PyYAML drops comments when it reads, so saving would silently delete what a person
    wrote there; the store refuses such a file instead.
    """
    if ("#" not in data) if isinstance(data, str) else (b"#" not in data):
        return None
    # libyaml does not report comments: scan again with the pure-Python scanner (only
    # files with a `#` somewhere pay for it).
    finder = CommentFinder(data)
    try:
        while finder.check_token():
            finder.get_token()  # type: ignore[no-untyped-call]
    except CommentFound as found:
        return found.line
    except yaml.YAMLError:
        return None
    finally:
        finder.dispose()
    return None


def dump_yaml(data: object, *, ascii_only: bool = False) -> str:
    """Return YAML for plain data: block style, keys in the order given, Unicode as is
    (`ascii_only`: every non-ASCII character as an escape in a double-quoted scalar)."""
    return yaml.dump(
        data,
        Dumper=_StableDumper,
        allow_unicode=not ascii_only,
        sort_keys=False,
        default_flow_style=False,
        # Never fold long lines: a reworded sentence then changes one line in a diff.
        width=1_000_000,
        indent=2,
    )


@contextlib.contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold `<path>.lock` for a read-merge-write of `path`.

    An OS lock (flock / LockFileEx): the OS drops it when its process dies, so a crashed
    session never blocks the next one; the empty `.lock` file may stay behind.

    Raises:
        NotesLocked: when another process held it for `timeout` seconds.
    """
    # Poll often: a save holds the lock for milliseconds, filelock's default is 50 ms.
    lock = FileLock(f"{path}.lock", timeout=timeout, poll_interval=0.002)
    try:
        lock.acquire()
    except Timeout as error:
        raise NotesLocked(
            f"{path.name} is being saved by another session (waited {timeout:g} s for "
            f"{path.name}.lock); try again"
        ) from error
    try:
        yield
    finally:
        lock.release()


def save_yaml(path: Path, data: object, *, previous: bytes | None = None) -> bytes:
    """Write `data` as YAML to `path` atomically and return the bytes it holds now.

    Args:
        previous: the file's current bytes, if known; when the new YAML is the same,
            nothing is written (the file's mtime stays, editors see no change).
    """
    content = dump_yaml(data).encode("utf-8")
    if content != previous:
        write_atomically(path, content)
    return content


class _StableDumper(_DumperBase):
    """SafeDumper that never writes anchors and knows `LiteralText` and `FlowList`."""

    def ignore_aliases(self, data: object) -> bool:
        # Equal lists in two notes must be written twice, not as `&id001` / `*id001`.
        return True


def _represent_literal(dumper: _StableDumper, data: LiteralText) -> Node:
    # The emitter falls back to a quoted scalar when a block cannot hold the text
    # exactly (trailing spaces on a line, control characters), so this never loses data.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


def _represent_flow(dumper: _StableDumper, data: FlowList) -> Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_StableDumper.add_representer(LiteralText, _represent_literal)
_StableDumper.add_representer(FlowList, _represent_flow)


def _too_big(size: int) -> str:
    return (
        f"refused: the file is {size / 2**20:.1f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
    )


def _describe(error: yaml.MarkedYAMLError) -> str:
    problem = _one_line(error.problem or "invalid")
    mark = error.problem_mark or error.context_mark
    where = "" if mark is None else f" at line {mark.line + 1}, column {mark.column + 1}"
    if isinstance(error, yaml.constructor.ConstructorError):
        if problem.startswith("could not determine a constructor for the tag"):
            tag = problem.rsplit(" ", 1)[-1]
            return f"refused: unsafe or unknown YAML tag {tag}{where}"
        return f"refused: {problem}{where}"
    if error.context:
        problem = f"{_one_line(error.context)}, {problem}"
    return f"not valid YAML: {problem}{where}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
