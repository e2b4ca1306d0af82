"""Notes store at scale: open, save one change, and several processes adding at once.

Run from the repository root: `python benchmarks/notes.py` (about a minute). For 100,
1,000 and 10,000 notes (~600 bytes each, Arabic bodies) it prints:

- open: `NotesStore.open` of the file, a fresh store (no cache) each run;
- first save / next save: `update` of one note's body after opening, until the file
  holds it (the first save also dumps every note once, the next ones only the change);
- save after another session: a second store saved meanwhile, so this save reads and
  merges a changed file;
- concurrent add: 3 and 8 processes each adding 5 notes at once (a store each, opened
  first, then a start signal): how many adds failed, the wall time, the longest add,
  and how long each save held the lock (median and max).

- in the app: the reader on the sample article (several notes a claim) and on an
  article of one claim per note (a long file, so read in two steps) with its notes
  file, headless (`run_test`) at 160x50 (the notes panel shown): the time from the first frame
  until the notes panel's list holds every note, then from a stance key in review mode
  until the notes file on disk holds the change.

Targets from issue 8 are reported as PASS or MISS: open of 10,000 notes < 1 s (in the
app: within 1 s of the first frame), a save < 0.5 s, every concurrent add succeeds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tuireader.notes import store as store_module  # noqa: E402
from tuireader.notes.codec import NotesCodec  # noqa: E402
from tuireader.notes.errors import NotesError  # noqa: E402
from tuireader.notes.model import (  # noqa: E402
    Note,
    PositionSelector,
    QuoteSelector,
    Target,
    edit_note,
)
from tuireader.notes.schema import NotesFile  # noqa: E402
from tuireader.notes.stance import Stance  # noqa: E402
from tuireader.notes.store import NotesStore  # noqa: E402
from tuireader.text.document import Direction, Document  # noqa: E402

SENTENCE = "قال بوتين إن القمة كانت ناجحة وأضاف أن التعاون سيستمر. "
BODY = "ملاحظة عن هذا الادعاء ومصادره،\nوسطر ثان يشرح السبب. " * 2
NOW = datetime(2026, 11, 25, 20, 41, 7, tzinfo=UTC)
SIZE = (160, 50)
"""The terminal of the in-app measure: wide enough for the notes panel beside the text."""


def make_document(size: int) -> Document:
    text = SENTENCE * max(1, size)
    return Document(
        name="bench.txt",
        text=text,
        paragraphs=(),
        sections=(),
        title="bench",
        direction=Direction.RTL,
        path=None,
    )


def make_notes(count: int, prefix: str = "n") -> list[Note]:
    notes = []
    step = len(SENTENCE)
    for number in range(count):
        start = number * step
        notes.append(
            Note(
                id=f"{prefix}-20261125-{number:08x}",
                created=NOW,
                updated=NOW,
                author="analyst",
                stance=Stance.DISPUTED if number % 3 else None,
                tags=("economy", "sources"),
                body=BODY,
                target=Target(
                    QuoteSelector(SENTENCE[:-1], SENTENCE[-32:], SENTENCE[:32]),
                    PositionSelector(start, start + step - 1),
                    section="مكاسب الاجتماع",
                ),
            )
        )
    return notes


def timed(job: Callable[[], object]) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def save_time(store: NotesStore, note: Note, body: str) -> float:
    started = time.perf_counter()
    store.update(edit_note(note, body=body))
    return time.perf_counter() - started


def bench_size(count: int, runs: int) -> dict[str, float]:
    document = make_document(count + 10)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.txt.notes.yaml"
        path.write_bytes(NotesCodec().encode(NotesFile(tuple(make_notes(count)))))
        size = path.stat().st_size
        opens = [timed(lambda: NotesStore.open(path, document)) for _ in range(runs)]
        firsts, nexts, merged = [], [], []
        for run in range(runs):
            store = NotesStore.open(path, document)
            other = NotesStore.open(path, document)
            firsts.append(save_time(store, store.notes[count // 2], f"a {run}"))
            nexts.append(save_time(store, store.notes[count // 3], f"b {run}"))
            other.update(edit_note(other.notes[count // 4], body=f"c {run}"))
            merged.append(save_time(store, store.notes[count // 5], f"d {run}"))
            assert f"d {run}".encode() in path.read_bytes()
    return {
        "notes": count,
        "bytes": size,
        "open_s": statistics.median(opens),
        "first_save_s": statistics.median(firsts),
        "next_save_s": statistics.median(nexts),
        "save_after_other_s": statistics.median(merged),
    }


def _timing_lock(held: list[float]) -> Callable[..., contextlib.AbstractContextManager[None]]:
    """Return `locked`, measuring how long each save holds the lock."""
    real = store_module.locked

    @contextlib.contextmanager
    def timed_lock(*args: object, **options: object) -> Iterator[None]:
        with real(*args, **options):  # type: ignore[arg-type]
            began = time.perf_counter()
            try:
                yield
            finally:
                held.append(time.perf_counter() - began)

    return timed_lock


def _adder(path: str, worker: int, count: int, start: object, results: object) -> None:
    held: list[float] = []
    store_module.locked = _timing_lock(held)  # type: ignore[assignment]
    document = make_document(200)
    store = NotesStore.open(Path(path), document)
    notes = make_notes(count, prefix=f"w{worker}")
    start.wait()  # type: ignore[attr-defined]
    failures, longest = 0, 0.0
    for note in notes:
        began = time.perf_counter()
        try:
            store.add(note)
        except NotesError:
            failures += 1
        longest = max(longest, time.perf_counter() - began)
    results.put((failures, longest, held))  # type: ignore[attr-defined]


def bench_concurrent(existing: int, processes: int, each: int = 5) -> dict[str, float]:
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.txt.notes.yaml"
        path.write_bytes(NotesCodec().encode(NotesFile(tuple(make_notes(existing)))))
        start, results = context.Event(), context.Queue()
        workers = [
            context.Process(target=_adder, args=(str(path), n, each, start, results))
            for n in range(processes)
        ]
        for worker in workers:
            worker.start()
        time.sleep(0.5 + existing / 10_000)  # every store opened
        began = time.perf_counter()
        start.set()
        outcomes = [results.get(timeout=300) for _ in workers]
        wall = time.perf_counter() - began
        for worker in workers:
            worker.join()
        final = len(NotesStore.open(path, make_document(10)).notes)
    held = [seconds for _, _, times in outcomes for seconds in times]
    return {
        "notes": existing,
        "processes": processes,
        "adds": processes * each,
        "failed": sum(failures for failures, _, _ in outcomes),
        "missing": existing + processes * each - final,
        "wall_s": wall,
        "longest_add_s": max(longest for _, longest, _ in outcomes),
        "lock_median_s": statistics.median(held) if held else 0.0,
        "lock_max_s": max(held, default=0.0),
    }


def bench_app(count: int, *, on_sample: bool = False) -> dict[str, float]:
    """The reader with `count` notes: first frame → notes shown, stance key → on disk.

    Args:
        on_sample: put the notes on the bundled sample article (several notes a claim,
            a short file: the notes open right after the first frame), instead of an
            article of one claim per note (a long file: they open once it is read).
    """
    import asyncio

    from tuireader.notes.model import new_note
    from tuireader.text.claims import iter_claims
    from tuireader.text.structure import load_document
    from tuireader.ui.app import make_app
    from tuireader.ui.config import AppConfig

    folder = Path(tempfile.mkdtemp(prefix="tuireader-notes-app-"))
    article = folder / "article.txt"
    if on_sample:
        from tuireader.resources import sample_article

        article.write_bytes(sample_article().read_bytes())
    else:
        text = "عنوان\n\n" + "\n\n".join([SENTENCE.strip()] * count) + "\n"
        article.write_text(text, "utf-8")
    document = load_document(article)
    notes_path = folder / "article.txt.notes.yaml"
    claims = list(iter_claims(document))
    notes = [
        new_note(document, c.start, c.end, author="analyst", body=BODY)
        for c in (claims[number % len(claims)] for number in range(count))
    ]
    notes_path.write_bytes(NotesCodec().encode(NotesFile(tuple(notes))))
    config = AppConfig(
        config_dir=folder / "config",
        state_dir=folder / "state",
        data_dir=folder / "data",
        cache_dir=folder / "cache",
    )
    app = make_app(article, notes_path, config)
    marks: dict[str, float] = {}

    def watch(before: int) -> None:
        deadline = time.perf_counter() + 30
        while notes_path.stat().st_mtime_ns == before and time.perf_counter() < deadline:
            time.sleep(0.001)
        marks["saved"] = time.perf_counter()

    app.after_first_frame.append(lambda: marks.setdefault("frame", time.perf_counter()))

    async def drive() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen_stack[0]
            while len(getattr(screen, "notes", ())) < count:
                await pilot.pause(0.005)
            marks["notes"] = time.perf_counter()
            await pilot.press("r")
            before = notes_path.stat().st_mtime_ns
            # Watched from a thread: the file's change, not the event loop's next look.
            watcher = threading.Thread(target=watch, args=(before,))
            watcher.start()
            marks["key"] = time.perf_counter()
            await pilot.press("1")
            while watcher.is_alive():
                await asyncio.sleep(0.005)
            await pilot.press("q")

    asyncio.run(drive())
    return {
        "notes": count,
        "shown_after_frame_s": marks["notes"] - marks["frame"],
        "stance_saved_s": marks["saved"] - marks["key"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-app", action="store_true", help="skip the in-app measure")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    single = [bench_size(size, args.runs) for size in sizes]
    concurrent = [bench_concurrent(size, p) for size in sizes for p in (3, 8)]
    in_app = (
        []
        if args.no_app
        else [
            {**bench_app(max(sizes), on_sample=True), "article": "the sample"},
            {**bench_app(max(sizes)), "article": "one claim per note (long file)"},
        ]
    )
    if args.json:
        print(json.dumps({"single": single, "concurrent": concurrent, "app": in_app}, indent=2))
        return
    print(f"{'notes':>6} {'MB':>5} {'open':>7} {'1st save':>9} {'next':>7} {'merged':>7}")
    for row in single:
        print(
            f"{row['notes']:>6} {row['bytes'] / 1e6:>5.1f} {row['open_s'] * 1000:>5.0f}ms "
            f"{row['first_save_s'] * 1000:>7.0f}ms {row['next_save_s'] * 1000:>5.0f}ms "
            f"{row['save_after_other_s'] * 1000:>5.0f}ms"
        )
    print(
        f"\n{'notes':>6} {'procs':>5} {'adds':>5} {'failed':>6} {'lost':>5} {'wall':>7}"
        f" {'max add':>8} {'lock held: median':>17} {'max':>6}"
    )
    for row in concurrent:
        print(
            f"{row['notes']:>6} {row['processes']:>5} {row['adds']:>5} {row['failed']:>6} "
            f"{row['missing']:>5} {row['wall_s'] * 1000:>5.0f}ms"
            f" {row['longest_add_s'] * 1000:>6.0f}ms {row['lock_median_s'] * 1000:>15.0f}ms"
            f" {row['lock_max_s'] * 1000:>4.0f}ms"
        )
    big = max(single, key=lambda row: row["notes"])
    saves = max(big["first_save_s"], big["next_save_s"], big["save_after_other_s"])
    print()
    print(f"open {big['notes']:,} notes < 1 s: {'PASS' if big['open_s'] < 1 else 'MISS'}")
    print(f"save one change < 0.5 s: {'PASS' if saves < 0.5 else 'MISS'}")
    ok = all(row["failed"] == 0 and row["missing"] == 0 for row in concurrent)
    print(f"every concurrent add succeeds: {'PASS' if ok else 'MISS'}")
    for row in in_app:
        shown, saved = row["shown_after_frame_s"], row["stance_saved_s"]
        print(
            f"app, {row['article']}: {row['notes']:,} notes shown {shown * 1000:.0f} ms after "
            "the first frame "
            f"(< 1 s: {'PASS' if shown < 1 else 'MISS'}); a stance key on disk after "
            f"{saved * 1000:.0f} ms (< 0.5 s: {'PASS' if saved < 0.5 else 'MISS'})"
        )


if __name__ == "__main__":
    main()
