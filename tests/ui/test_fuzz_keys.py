"""Fuzzing the app with keys (issue 9): Hypothesis-generated key sequences, bursts and
resizes, driven through Pilot on the sample, a long file still loading, and a hostile
document. After every sequence the app must still run and the notes file must parse.

Sequences are generated up front (fixed seed, no shrinking: a failure names its
sequence) and run in batches, one app per batch, with the app brought back to the
reader between sequences: a new app per sequence would cost half a second each.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from textual.binding import Binding
from textual.dom import DOMNode

import tuireader.ui
from tests.paths import SAMPLE
from tests.ui.bursts import burst, resize
from tests.ui.conftest import MakeReader
from tuireader.ui.app import ReaderApp
from tuireader.ui.widgets.article_view import ArticleView

SEED = 20261129
SEQUENCES = {"sample": 1050, "long": 600, "hostile": 400}
"""Sequences per document: 2,050 in all (the hostile document costs most per key)."""
BATCH = {"sample": 150, "long": 40, "hostile": 150}
"""Sequences per app: the long file's app starts often, so that keys meet its load."""
SETTLE_LIMIT = 5.0
"""Seconds a sequence may take to be handled before the harness goes on anyway."""

NOT_FUZZED = {"q", "ctrl+q"}
"""Quitting ends the batch's app: `q` is tried by the tests of quitting, not here."""


def binding_keys() -> list[str]:
    """Every key bound anywhere in tuireader's UI (as BINDINGS say it), found by walking
    its modules, so that a key added later is fuzzed too."""
    keys: set[str] = set()
    for module_info in pkgutil.walk_packages(tuireader.ui.__path__, "tuireader.ui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                for binding in cls.__dict__.get("BINDINGS", []):
                    key = binding.key if isinstance(binding, Binding) else binding[0]
                    keys.update(part.strip() for part in key.split(","))
    return sorted(keys - NOT_FUZZED)


EXTRA_KEYS = [
    "escape",
    "enter",
    "tab",
    "shift+tab",
    "ctrl+p",
    "question_mark",
    "backspace",
    "delete",
    "left",
    "right",
    "up",
    "down",
    "home",
    "end",
    "pageup",
    "pagedown",
    "ctrl+s",
    "ctrl+c",
    "alt+1",
    "space",
    "y",
    "n",
]
TEXT_KEYS = list("abcdefhimstuwxyz019") + list("كيمابتثجحخ") + ["/", "#", ","]
KEYS = sorted(set(binding_keys()) | set(EXTRA_KEYS) | set(TEXT_KEYS))

Step = tuple[str, ...] | tuple[int, int]
"""Keys sent as one burst, or a terminal size (width, height)."""

burst_step = st.lists(st.sampled_from(KEYS), min_size=1, max_size=4).map(tuple)
resize_step = st.tuples(st.integers(20, 160), st.integers(8, 50))
step = st.integers(0, 9).flatmap(lambda n: resize_step if n == 0 else burst_step)
sequence = st.lists(step, min_size=1, max_size=4).filter(
    lambda steps: sum(len(s) for s in steps if isinstance(s[0], str)) <= 12
)


def generate_sequences(count: int, salt: int) -> list[list[Step]]:
    """`count` sequences from Hypothesis, the same on every run."""
    found: list[list[Step]] = []

    @seed(SEED + salt)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(sequence)
    def collect(steps: list[Step]) -> None:
        found.append(steps)

    collect()
    return found


@dataclass
class Counts:
    sequences: int = 0
    keys: int = 0
    bursts: int = 0
    resizes: int = 0
    apps: int = 0
    slow: list[str] = field(default_factory=list)


async def settle(app: ReaderApp) -> bool:
    """Wait until every key sent has been handled and the app is idle; False if that
    took longer than SETTLE_LIMIT."""
    deadline = monotonic() + SETTLE_LIMIT
    while monotonic() < deadline:
        await asyncio.sleep(0.001)
        if app._exception is not None or app._exit:
            return True
        if not app._held_input and app._settled():
            return True
    return False


async def back_to_the_reader(app: ReaderApp) -> None:
    """Close whatever a sequence opened (help, palette, editor, a question) as a person
    would, and give the article the focus."""
    for _ in range(5):
        if len(app.screen_stack) <= 1:
            break
        # A person's Escape comes after the screen's own workers have started (the
        # palette's search queries its list as it starts); a dismiss from here could
        # come between a worker's creation and its start.
        top = app.screen
        for worker in [w for w in app.workers if w.node is top and w.is_running]:
            with contextlib.suppress(Exception):  # a failure shows as the app's exception
                await asyncio.wait_for(worker.wait(), SETTLE_LIMIT)
        top.dismiss(None)
        await settle(app)
    if app.size != (80, 24):
        resize(app, 80, 24)
    app.screen.query_one(ArticleView).focus()
    await settle(app)


def check_notes(folder: Path) -> None:
    for notes in folder.glob("*.notes.yaml"):
        data = yaml.safe_load(notes.read_text("utf-8"))
        assert isinstance(data, dict) and isinstance(data.get("notes"), list), notes


def describe(steps: list[Step]) -> str:
    return " | ".join(
        f"resize {s[0]}x{s[1]}" if isinstance(s[0], int) else " ".join(map(str, s)) for s in steps
    )


async def run_batch(
    app: ReaderApp, sequences: list[list[Step]], notes_folder: Path, counts: Counts
) -> None:
    async with app.run_test(size=(80, 24)):
        for steps in sequences:
            for part in steps:
                if isinstance(part[0], int):
                    width, height = part
                    assert isinstance(height, int)
                    resize(app, width, height)
                    counts.resizes += 1
                else:
                    keys = [str(key) for key in part]
                    burst(app, *keys)
                    counts.keys += len(keys)
                    counts.bursts += len(keys) > 1
                began = monotonic()
                if not await settle(app):
                    counts.slow.append(f"{describe(steps)} ({monotonic() - began:.1f} s)")
            assert app._exception is None, f"crashed after: {describe(steps)}"
            assert app.is_running and not app._exit, f"ended after: {describe(steps)}"
            check_notes(notes_folder)
            counts.sequences += 1
            await back_to_the_reader(app)
    counts.apps += 1


def hostile_document(folder: Path) -> Path:
    """Controls, OSC 52 and other escape sequences, bidi overrides and isolates, TAG
    characters, a huge line and deep Markdown nesting."""
    depth = 300
    parts = [
        "# عنوان \x1b]52;c;aGVsbG8=\x07 title\x1b[31m",
        "نص عادي. \u202eRLO override\u202c and \u2067isolate\u2069 \u200fRLM."
        " Tag\U000e0061 hidden.",
        "C0 \x01\x08 C1 \x9b\x85 DEL \x7f ESC \x1b[2J OSC 0: \x1b]0;pwned\x07"
        " DCS \x1bP1$r\x1b\\ end.",
        ("word كلمة 2019-2020 (قوس) " * 3000).strip(),
        "> " * depth + "deep quote الكلمة",
        "\n".join("  " * level + f"- item {level}" for level in range(depth)),
        "The last paragraph. الفقرة الأخيرة.",
    ]
    path = folder / "hostile.md"
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path


def long_document(folder: Path) -> Path:
    """Over the 64 KiB that open at once: the rest loads on a thread while keys come."""
    path = folder / "long.txt"
    copies = [SAMPLE.read_text(encoding="utf-8").strip()] * 20
    path.write_text("\n\n".join([*copies, "The last line of the file."]), encoding="utf-8")
    return path


def batches(items: list[list[Step]], size: int) -> Iterator[list[list[Step]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@pytest.mark.parametrize("document", list(SEQUENCES))
async def test_no_key_sequence_crashes_the_app_or_breaks_the_notes(
    make_reader: MakeReader,
    tmp_path: Path,
    document: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    record_property: object,
) -> None:
    monkeypatch.chdir(tmp_path)  # the palette's "Screenshot" writes to the working folder
    path = {
        "sample": SAMPLE,
        "long": long_document(tmp_path),
        "hostile": hostile_document(tmp_path),
    }[document]
    salt = list(SEQUENCES).index(document)
    sequences = generate_sequences(SEQUENCES[document], salt)
    counts = Counts()
    started = monotonic()
    for batch in batches(sequences, BATCH[document]):
        await run_batch(make_reader(path), batch, tmp_path, counts)
    assert counts.sequences == len(sequences) >= SEQUENCES[document] * 0.95
    summary = (
        f"fuzz keys ({document}): seed {SEED + salt}, {counts.sequences} sequences, "
        f"{counts.keys} keys ({counts.bursts} bursts), {counts.resizes} resizes, "
        f"{counts.apps} apps, {len(counts.slow)} slow to settle, "
        f"{monotonic() - started:.0f} s"
    )
    with capsys.disabled():
        print(f"\n{summary}")
        for slow in counts.slow[:5]:
            print(f"  slow to settle: {slow}")
    assert callable(record_property)
    record_property("fuzz", summary)
