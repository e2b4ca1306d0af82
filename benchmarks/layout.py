"""Layout throughput on ~5 MB of Arabic beside `fribidi`, and the cost of one screen of rows."""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuireader.bidi import layout as layout_module
from tuireader.bidi import levels as levels_module
from tuireader.bidi import shaping as shaping_module
from tuireader.bidi.document_layout import DocumentLayout
from tuireader.bidi.layout import DEFAULT_OPTIONS, VisualLine, layout_paragraph, layout_text
from tuireader.bidi.levels import resolve_levels
from tuireader.bidi.shaping import clear_shaping_caches, shape_text
from tuireader.resources import sample_article
from tuireader.text.document import Document, Paragraph
from tuireader.text.structure import load_document

MB = 1_000_000
TARGET_MB_PER_S = 3.0
FRIBIDI_NOTE = (
    "fribidi is a speed peer only: `--width` reorders the whole paragraph and then cuts "
    "the visual string, so wrapped RTL paragraphs come out with their rows in reverse order."
)


@dataclass
class Measure:
    """One line of the report: several timings of the same work."""

    name: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """Processor time of the same runs (time.process_time), when recorded: on a busy
    machine the wall-clock time also counts the other processes."""
    megabytes: float | None = None
    """Input size, when a throughput makes sense."""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "runs": len(self.seconds),
            "median_s": self.median,
            "min_s": self.best,
            "mb_per_s": self.megabytes / self.median if self.megabytes else None,
            "cpu_median_s": statistics.median(self.cpu) if self.cpu else None,
            "cpu_mb_per_s": (
                self.megabytes / statistics.median(self.cpu)
                if self.megabytes and self.cpu
                else None
            ),
            "note": self.note,
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Lay out a ~N MB Arabic text (the sample repeated) with tuireader's bidi "
        "pipeline: throughput per stage, fribidi on the same file, and the time to lay out one "
        "screen at the top, the middle and the end of the document from cold caches."
    )
    parser.add_argument("--size-mb", type=float, default=5.0, help="text size (default 5)")
    parser.add_argument("--width", type=int, default=80, help="cells per row (default 80)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="passes over the whole text (default 3)"
    )
    parser.add_argument(
        "--screen-runs", type=int, default=9, help="cold runs per screen position (default 9)"
    )
    parser.add_argument("--height", type=int, default=50, help="rows per screen (default 50)")
    parser.add_argument("--seed", type=int, default=10, help="seed of the news-like text")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.screen_runs < 1 or args.width < 1 or args.height < 1:
        parser.error("--repeat, --screen-runs, --width and --height must be at least 1")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tuireader-bench-") as folder:
        path = Path(folder) / "arabic.txt"
        size = write_repeated_sample(path, int(args.size_mb * MB))
        megabytes = size / MB
        report, rows = run_all(path, megabytes, args)
    meta = {
        "file_bytes": size,
        "width": args.width,
        "height": args.height,
        "rows": rows,
        "python": platform.python_version(),
        "fribidi": fribidi_version(),
        "elapsed_s": time.perf_counter() - started,
    }
    if args.json:
        print(json.dumps({"meta": meta, "measures": [m.as_json() for m in report]}, indent=2))
    else:
        print_table(report, meta)
    return 0


def write_repeated_sample(path: Path, at_least: int) -> int:
    """Write the sample article again and again (a blank line between copies); return bytes."""
    sample = sample_article().read_text("utf-8").rstrip("\n")
    copies = max(1, -(-at_least // len(sample.encode("utf-8"))))
    path.write_text("\n\n".join([sample] * copies) + "\n", "utf-8")
    return path.stat().st_size


def run_all(path: Path, megabytes: float, args: argparse.Namespace) -> tuple[list[Measure], int]:
    loading = Measure("load_document", megabytes=megabytes)
    for _ in range(args.repeat):
        start = time.perf_counter()
        document = load_document(path)
        loading.seconds.append(time.perf_counter() - start)
    paragraphs = document.paragraphs
    loading.note = f"{len(paragraphs)} paragraphs"
    # The first call self-tests python-bidi's dump format and imports what layout needs:
    # a one-time cost that is not throughput.
    layout_paragraph(paragraphs[0], args.width)

    total = Measure("layout, every paragraph cold", megabytes=megabytes)
    total.note = "caches cleared before each paragraph but shaped words (a fresh process)"
    stages = [
        Measure("  levels (resolve_levels)", megabytes=megabytes),
        Measure("  shaping (shape_text)", megabytes=megabytes),
        Measure("  clusters + wrap + reorder", megabytes=megabytes),
    ]
    afresh = Measure("layout, cold, no word cache", megabytes=megabytes)
    afresh.note = "every word shaped again in every paragraph: the worst case"
    shared = Measure("layout, caches kept", megabytes=megabytes)
    shared.note = "repeated paragraphs hit the level and shape caches"
    no_gc = Measure("layout, caches kept, gc off", megabytes=megabytes)
    no_gc.note = "the difference is the collector walking the cached rows"
    rows = 0
    for _ in range(args.repeat):
        (times, cpus), rows = time_stages(paragraphs, args.width)
        for measure, seconds, cpu in zip(stages, times, cpus, strict=True):
            measure.seconds.append(seconds)
            measure.cpu.append(cpu)
        total.seconds.append(sum(times))
        total.cpu.append(sum(cpus))
        (times, cpus), _ = time_stages(paragraphs, args.width, words_afresh=True)
        afresh.seconds.append(sum(times))
        afresh.cpu.append(sum(cpus))
        shared.seconds.append(time_with_caches_kept(paragraphs, args.width))
        gc.disable()
        try:
            no_gc.seconds.append(time_with_caches_kept(paragraphs, args.width))
        finally:
            gc.enable()
    total.note += f"; {rows} rows"

    zipf_path = path.with_name("zipf.txt")
    zipf_megabytes = write_zipf_text(zipf_path, int(megabytes * MB), args.seed) / MB
    zipf = Measure("layout, cold, news-like vocabulary", megabytes=zipf_megabytes)
    zipf_document = load_document(zipf_path)
    for _ in range(args.repeat):
        (times, cpus), _ = time_stages(zipf_document.paragraphs, args.width)
        zipf.seconds.append(sum(times))
        zipf.cpu.append(sum(cpus))
    zipf.note = (
        f"{zipf_megabytes:.1f} MB of words drawn from {ZIPF_VOCABULARY:,} (Zipf): "
        "most words are new to the cache"
    )
    fribidi = time_fribidi(path, megabytes, args)
    report = [loading, total, *stages, afresh, zipf, shared, no_gc, *fribidi]
    report.extend(time_screens(document, args.width, args.height, args.screen_runs))
    return report, rows


def clear_paragraph_caches() -> None:
    """Forget every paragraph's levels, shaping and rows (the per-paragraph LRU caches)."""
    layout_text.cache_clear()
    resolve_levels.cache_clear()
    shape_text.cache_clear()


def clear_all_caches() -> None:
    """Also forget the per-character caches (cell widths, ligature letters): a fresh process."""
    for module in (layout_module, levels_module, shaping_module):
        for value in vars(module).values():
            if isinstance(value, type):
                continue
            clear: Callable[[], None] | None = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def time_stages(
    paragraphs: Sequence[Paragraph], width: int, *, words_afresh: bool = False
) -> tuple[tuple[list[float], list[float]], int]:
    """Lay out every paragraph from cold caches, timing the three stages apart.

    The sample is repeated, so most paragraphs have the text of an earlier one; the
    paragraph caches are cleared before each paragraph, or repeats would cost nothing.
    The cache of shaped words is kept, as in a process reading a long document
    (`words_afresh` clears it too). Levels and shaping are computed first with the very
    arguments layout uses, so that layout then finds them cached and its own time is
    what is left: clusters, wrap and reorder.

    Returns:
        ((wall seconds per stage, processor seconds per stage), rows).
    """
    wall = [0.0, 0.0, 0.0]
    cpu = [0.0, 0.0, 0.0]
    rows = 0
    options = DEFAULT_OPTIONS
    clear_all_caches()
    for paragraph in paragraphs:
        clear_paragraph_caches()
        if words_afresh:
            clear_shaping_caches()
        direction = options.direction or paragraph.direction
        t0, c0 = time.perf_counter(), time.process_time()
        resolve_levels(paragraph.text, direction)
        t1, c1 = time.perf_counter(), time.process_time()
        shape_text(paragraph.text, join=options.join, harakat=options.harakat)
        t2, c2 = time.perf_counter(), time.process_time()
        rows += len(layout_paragraph(paragraph, width, options))
        t3, c3 = time.perf_counter(), time.process_time()
        wall[0] += t1 - t0
        wall[1] += t2 - t1
        wall[2] += t3 - t2
        cpu[0] += c1 - c0
        cpu[1] += c2 - c1
        cpu[2] += c3 - c2
    return (wall, cpu), rows


ZIPF_VOCABULARY = 60_000
"""Distinct words of the news-like text: a megabyte of Arabic news holds ~100,000 words,
of which a few ten thousand are distinct (clitics and suffixes multiply the stems)."""


def write_zipf_text(path: Path, at_least: int, seed: int) -> int:
    """Write Arabic-like prose whose words follow Zipf's law over ZIPF_VOCABULARY words.

    The words are the sample's own (or halves of two glued), with the clitics and suffixes of
    Arabic (و ب ل ال ... ها هم ات ة) so that they look and shape like news; about one
    word in thirty is a number and one in eighty Latin, as in the sample. Returns bytes.
    """
    rng = random.Random(seed)
    sample = sample_article().read_text("utf-8")
    stems = sorted({w.strip("،.:؟!«»()-") for w in sample.split() if len(w) > 2})
    stems = [w for w in stems if w and all("\u0621" <= c <= "\u064a" for c in w)]
    prefixes = ["", "", "", "و", "ب", "ل", "ال", "وال", "بال", "لل", "ف", "ك"]
    suffixes = ["", "", "", "ها", "هم", "ات", "ة", "ين", "ون", "ي", "نا", "كم"]
    vocabulary: list[str] = []
    seen: set[str] = set()
    while len(vocabulary) < ZIPF_VOCABULARY:
        stem = rng.choice(stems)
        if rng.random() < 0.5:  # half of one stem, half of another: a new stem
            other = rng.choice(stems)
            stem = stem[: len(stem) // 2] + other[len(other) // 2 :]
        word = rng.choice(prefixes) + stem + rng.choice(suffixes)
        if word not in seen:
            seen.add(word)
            vocabulary.append(word)
    cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    size = 0
    paragraphs: list[str] = []
    while size < at_least:
        count = rng.randint(20, 120)
        words = rng.choices(vocabulary, cum_weights=cumulative, k=count)
        for k in range(count):
            roll = rng.random()
            if roll < 1 / 30:
                words[k] = str(rng.randint(2, 2030))
            elif roll < 1 / 30 + 1 / 80:
                words[k] = rng.choice(["Reuters", "Su-35", "BBC", "NATO", "A320neo"])
            elif roll < 0.15:
                words[k] += rng.choice(["،", ".", ":"])
        paragraph = " ".join(words)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    path.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    return path.stat().st_size


def time_with_caches_kept(paragraphs: Sequence[Paragraph], width: int) -> float:
    """Every paragraph once, with the caches as the app has them (cleared only at the start)."""
    clear_all_caches()
    start = time.perf_counter()
    for paragraph in paragraphs:
        layout_paragraph(paragraph, width)
    return time.perf_counter() - start


def time_fribidi(path: Path, megabytes: float, args: argparse.Namespace) -> list[Measure]:
    command = shutil.which("fribidi")
    if command is None:
        print(
            "note: fribidi is not installed (apt-get install libfribidi-bin): skipped",
            file=sys.stderr,
        )
        return []
    measures = []
    for flag in (["--width", str(args.width)], ["--nobreak"]):
        measure = Measure(f"fribidi {' '.join(flag)}", megabytes=megabytes)
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([command, *flag, str(path)], stdout=subprocess.DEVNULL, check=True)
            measure.seconds.append(time.perf_counter() - start)
        measure.note = "C, whole process; wrong row order" if flag[0] == "--width" else "C"
        measures.append(measure)
    return measures


def time_screens(document: Document, width: int, height: int, runs: int) -> list[Measure]:
    """Rows for one screen at the top, the middle and the end, as a reader jumping there."""
    build = Measure("DocumentLayout()", note="estimates every height; once per width")
    measures = [build]
    warm = Measure(f"screen of {height} rows, warm", note="the same screen drawn again")
    for where in ("top", "middle", "end"):
        measure = Measure(f"screen of {height} rows, {where}, cold")
        screen: list[VisualLine | None] = []
        for _ in range(runs):
            clear_all_caches()
            start = time.perf_counter()
            layout = DocumentLayout(document, width)
            built = time.perf_counter()
            screen = show_screen(layout, where, height)
            done = time.perf_counter()
            build.seconds.append(built - start)
            measure.seconds.append(done - built)
            start = time.perf_counter()
            show_screen(layout, where, height)
            warm.seconds.append(time.perf_counter() - start)
        exact = sum(layout.is_exact(i) for i in range(len(document.paragraphs)))
        text = sum(line is not None for line in screen)
        measure.note = f"{len(screen)} rows ({text} of text), {exact} paragraphs laid out"
        measures.append(measure)
    measures.append(warm)
    return measures


def show_screen(layout: DocumentLayout, where: str, height: int) -> list[VisualLine | None]:
    """The rows a reader sees (None: the blank row between paragraphs), laid out the way
    ArticleView does it."""
    paragraphs = layout.paragraphs
    if where == "end":
        # As the reader's `G`: lay out the last screenful exactly, then go to the end.
        seen = 0
        index = len(paragraphs) - 1
        while index >= 0 and seen < height:
            seen += len(layout.lines(index)) + 1
            index -= 1
        top = max(0, layout.total_rows - height)
    elif where == "middle":
        top = layout.total_rows // 2
    else:
        top = 0
    # As ArticleView._settle_viewport: the top paragraph's height becomes exact, then
    # every paragraph that reaches into the screen is laid out.
    index, _ = layout.locate(top)
    if not layout.is_exact(index):
        top = max(0, top + layout.settle(index))
    bottom = top + height
    while index < len(paragraphs) and layout.first_row(index) < bottom:
        layout.lines(index)
        index += 1
    screen: list[VisualLine | None] = []
    for row in range(top, min(bottom, layout.total_rows)):
        index, within = layout.locate(row)
        lines = layout.lines(index)
        screen.append(lines[within] if within < len(lines) else None)
    return screen


def fribidi_version() -> str | None:
    command = shutil.which("fribidi")
    if command is None:
        return None
    out = subprocess.run([command, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.splitlines()[0] if out.stdout else None


def print_table(report: list[Measure], meta: dict[str, Any]) -> None:
    print(
        f"tuireader layout: {meta['file_bytes'] / MB:.2f} MB of Arabic (the sample repeated), "
        f"width {meta['width']}, Python {meta['python']}"
    )
    header = f"{'measure':<36} {'median':>10} {'min':>10} {'MB/s':>7} {'CPU MB/s':>8}  note"
    print(header)
    print("-" * len(header))
    for m in report:
        rate = f"{m.megabytes / m.median:7.2f}" if m.megabytes else " " * 7
        cpu = f"{m.megabytes / statistics.median(m.cpu):8.2f}" if m.megabytes and m.cpu else " " * 8
        print(
            f"{m.name:<36} {_duration(m.median):>10} {_duration(m.best):>10} {rate} {cpu}  {m.note}"
        )
    if meta["fribidi"]:
        print(f"\n{meta['fribidi']}: {FRIBIDI_NOTE}")
    cold = next(m for m in report if m.name == "layout, every paragraph cold")
    assert cold.megabytes is not None
    wall, cpu = cold.megabytes / cold.median, cold.megabytes / statistics.median(cold.cpu)
    peer = next((m for m in report if m.name == "fribidi --nobreak"), None)
    beside = (
        f"; fribidi --nobreak {peer.megabytes / peer.median:.1f} MB/s"
        if peer and peer.megabytes
        else ""
    )
    print(
        f"\ntarget (issue 10) layout >= {TARGET_MB_PER_S:g} MB/s cold at width {meta['width']}: "
        f"{'PASS' if wall >= TARGET_MB_PER_S else 'MISS'} by the clock ({wall:.2f} MB/s), "
        f"{'PASS' if cpu >= TARGET_MB_PER_S else 'MISS'} in processor time ({cpu:.2f} MB/s)"
        f"{beside}"
    )
    print(f"MB = 10^6 bytes of UTF-8 input. Took {meta['elapsed_s']:.0f} s.")


def _duration(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


if __name__ == "__main__":
    sys.exit(main())
