"""Time to list a library of 1,000 documents, and to read what its rows show.

In process and headless (`benchmarks/startup.py` times the library's first paint in a
real terminal): the folder scan, the app from its start until the list holds every
document, until every title is read (empty cache), and the same with the cache the
first run left (a second start).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tuireader.resources import sample_article


def write_library(folder: Path, count: int) -> None:
    """`count` small articles, each the sample's start under a title of its own."""
    folder.mkdir(parents=True)
    body = sample_article().read_text("utf-8").split("\n\n", 3)[-1][:2000]
    for k in range(count):
        (folder / f"doc-{k:04}.txt").write_text(f"Article number {k}\n\n{body}\n", "utf-8")


async def run_library(paths: list[Path], root: Path) -> dict[str, float]:
    """Milliseconds from the app's start until the list is full, every title is read,
    and every count is read."""
    from tuireader.ui.app import make_library_app
    from tuireader.ui.config import AppConfig
    from tuireader.ui.screens.library import LibraryScreen

    config = AppConfig(
        config_dir=root / "config",
        state_dir=root / "state",
        data_dir=root / "data",
        cache_dir=root / "cache",
    )
    started = time.perf_counter()
    app = make_library_app(paths, config)
    times: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        library = app.screen_stack[0]
        assert isinstance(library, LibraryScreen)
        while library.table.row_count < len(paths):
            await pilot.pause(0.001)
        times["listed"] = (time.perf_counter() - started) * 1000
        while any(row.heading is None for row in library.rows):
            await pilot.pause(0.005)
        times["titles"] = (time.perf_counter() - started) * 1000
        while any(row.count is None for row in library.rows):
            await pilot.pause(0.005)
        times["counts"] = (time.perf_counter() - started) * 1000
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)  # the cache is written on a thread
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000, help="documents (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    from tuireader.text.sources import find_documents

    with tempfile.TemporaryDirectory(prefix="tuireader-library-") as folder:
        root = Path(folder)
        library = root / "library"
        write_library(library, args.files)
        scans, cold, warm = [], [], []
        for run in range(args.runs):
            started = time.perf_counter()
            paths = find_documents([library])
            scans.append((time.perf_counter() - started) * 1000)
            home = root / f"home-{run}"
            cold.append(asyncio.run(run_library(paths, home)))
            warm.append(asyncio.run(run_library(paths, home)))
        print(f"tuireader library of {args.files} files, median of {args.runs} runs (ms)")
        print(f"  scan the folder                         {statistics.median(scans):8.0f}")
        for name, runs in (("empty cache", cold), ("cache of the first start", warm)):
            for key, what in (
                ("listed", "every document listed"),
                ("titles", "every title read"),
                ("counts", "every count read"),
            ):
                value = statistics.median(r[key] for r in runs)
                print(f"  {name:<25} {what:<24} {value:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
