"""Time to first paint in tmux: a bare Textual app, tuireader on the sample, on ~18 MB,
and on a library of 1,000 files."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tuireader
from tuireader.resources import sample_article

MB = 1_000_000
POLL = 0.010
"""Seconds between two captures of the pane."""
STATUS_MARKER = "? help"
"""The right end of tuireader's status bar, drawn in the same frame as the article."""
END_MARKER = "100%"
"""The status bar's position at the end of the document."""
BARE_MARKER = "bare-ready"
BIG_END_MARKER = "tuireader-benchmark-end"
"""The last line of (c): Latin, so it is the same on screen."""
LIBRARY_FILES = 1000
LIBRARY_MARKERS = [f"Library · {LIBRARY_FILES} documents", "Enter open"]
"""The library's header and key line, drawn in its first frame with every row."""

BARE_APP = f'''"""A bare Textual app that shows one line: the floor for time to first paint."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARKER}")


Bare().run()
'''

WRITE_SPY = '''"""tuireader's command, noting when its first frame is written to the terminal.

Textual's output thread writes each frame to sys.__stderr__ and flushes it: the first
flush after a write holding the marker is the moment the frame's bytes reach the
terminal, to the microsecond, without polling the screen.
"""

import os
import sys
import time

OUT = os.environ["TUIREADER_BENCH_WRITTEN"]
MARKER = os.environ["TUIREADER_BENCH_MARKER"]


class Spy:
    def __init__(self, stream):
        self._stream = stream
        self._pending = False
        self._done = False

    def write(self, text):
        written = self._stream.write(text)
        if not self._done and MARKER in text:
            self._pending = True
        return written

    def flush(self):
        self._stream.flush()
        if self._pending and not self._done:
            self._done = True
            with open(OUT, "w") as out:
                out.write(repr(time.time()))

    def __getattr__(self, name):
        return getattr(self._stream, name)


sys.__stderr__ = Spy(sys.__stderr__)
from tuireader.cli import main  # noqa: E402 - after the spy, as the command imports it

sys.argv[0] = "tuireader"
raise SystemExit(main())
'''


@dataclass
class Series:
    """Several measurements of one quantity, in its unit (ms or MB)."""

    name: str
    unit: str
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def best(self) -> float:
        return min(self.values) if self.values else float("nan")


@dataclass(frozen=True)
class Target:
    """A goal from the issue, reported as PASS or MISS (never asserted)."""

    series: Series
    text: str
    limit: float
    measured: float
    shown: str

    @property
    def verdict(self) -> str:
        return "PASS" if self.measured <= self.limit else "MISS"


class TmuxPane:
    """One detached tmux session of a fixed size, on a socket of its own."""

    def __init__(self, size: tuple[int, int], term: str, pycache: Path | None = None) -> None:
        executable = shutil.which("tmux")
        if executable is None:
            raise RuntimeError("tmux is not installed (apt-get install tmux)")
        self.base = [executable, "-u", "-L", f"tuireader-bench-{os.getpid()}", "-f", "/dev/null"]
        # The pane's programs inherit the environment the server starts with.
        self.env = {k: v for k, v in os.environ.items() if k not in {"TMUX", "LC_ALL"}}
        self.env["LANG"] = "C.UTF-8"
        if pycache is not None:
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(pycache)
        self.term = term
        self.target = "=bench:"
        width, height = size
        # A placeholder command holds the pane at the right size until each run respawns
        # it, so the clock starts at the spawn and never includes tmux's own start-up.
        self._tmux(
            "new-session", "-d", "-s", "bench", "-x", str(width), "-y", str(height), "sleep 86400"
        )
        self._tmux("set-option", "-t", self.target, "status", "off")
        self._tmux("set-option", "-s", "default-terminal", term)
        self._tmux("set-option", "-w", "-t", self.target, "remain-on-exit", "on")
        self._tmux("resize-window", "-t", self.target, "-x", str(width), "-y", str(height))

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            [*self.base, *args], capture_output=True, env=self.env, check=True, text=True
        )
        return done.stdout

    def spawn(self, argv: Sequence[str], env: dict[str, str]) -> float:
        """Replace the pane's program with argv; return the clock at the spawn."""
        settings = ["LANG=C.UTF-8", "LC_ALL=", f"TERM={self.term}"]
        settings += [f"{k}={v}" for k, v in env.items()]
        flags = [part for setting in settings for part in ("-e", setting)]
        start = time.perf_counter()
        self._tmux("respawn-pane", "-k", *flags, "-t", self.target, *argv)
        return start

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.target)

    def wait_for(self, markers: Sequence[str], since: float, timeout: float) -> float | None:
        """Milliseconds from `since` until every marker is on screen (None: timed out)."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.screen()
            now = time.perf_counter()
            if all(marker in screen for marker in markers):
                return (now - since) * 1000
            if now > deadline:
                return None
            time.sleep(POLL)

    def wait_for_any(self, markers: Sequence[str], since: float, timeout: float) -> float | None:
        """Milliseconds from `since` until one of the markers is on screen."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.screen()
            now = time.perf_counter()
            if any(marker in screen for marker in markers):
                return (now - since) * 1000
            if now > deadline:
                return None
            time.sleep(POLL)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.target, *keys)

    def pane_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", self.target, "#{pane_pid}"))

    def quit(self, timeout: float = 5.0) -> None:
        """Press q and wait for the program to end; kill it if it does not."""
        self.keys("q")
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self._tmux("display-message", "-p", "-t", self.target, "#{pane_dead}") == "1\n":
                return
            time.sleep(POLL)
        self._tmux("respawn-pane", "-k", "-t", self.target, "sleep", "86400")

    def close(self) -> None:
        """Stop the server and remove its socket (tmux leaves the file behind)."""
        try:
            socket = self._tmux("display-message", "-p", "#{socket_path}").strip()
        except subprocess.CalledProcessError:
            socket = ""
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env)
        if socket:
            Path(socket).unlink(missing_ok=True)


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (the peak resident set) of a running process, in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / MB
    return None


def visual_markers(command: str, sample: Path) -> tuple[list[str], list[str]]:
    """What the first screen and the end of (c) look like on screen.

    Arabic is shaped and reordered, so the logical text is never on screen: the title
    is taken from `tuireader render`, which prints the rows the reader shows. The end
    of (c) is its Latin last line (see `write_big`), with the position at 100%.
    """
    done = subprocess.run(
        [command, "render", "--width", "60", "--json", str(sample)],
        capture_output=True,
        check=True,
        text=True,
    )
    paragraphs = json.loads(done.stdout)["paragraphs"]
    title_rows = [row["text"].strip() for row in paragraphs[0]["lines"]]
    # The whole title row when it fits on one (the outline shows it cut short, so it is
    # only found in the article); else its longest word.
    title = title_rows[0] if len(title_rows) == 1 else max(title_rows[0].split(), key=len)
    return [title, STATUS_MARKER], [END_MARKER, BIG_END_MARKER]


def write_big(path: Path, at_least: int) -> int:
    """The sample repeated (a blank line between copies) to at least `at_least` bytes,
    then `BIG_END_MARKER`: every copy ends alike, and only the marker tells the file's
    end from the end of any copy (a screen of the file's start can show one)."""
    sample = sample_article().read_text("utf-8").rstrip("\n")
    copies = max(1, -(-at_least // len(sample.encode("utf-8"))))
    path.write_text("\n\n".join([*[sample] * copies, BIG_END_MARKER]) + "\n", "utf-8")
    return path.stat().st_size


def write_library(folder: Path, count: int) -> None:
    """`count` small articles, each the sample's start under a title of its own."""
    folder.mkdir()
    body = sample_article().read_text("utf-8").split("\n\n", 3)[-1][:2000]
    for k in range(count):
        (folder / f"doc-{k:04}.txt").write_text(f"Article number {k}\n\n{body}\n", "utf-8")


def bytecode_note(cached: bool) -> str:
    """Whether tuireader's modules are compiled on every start (it shows in the numbers)."""
    if cached:
        return "cached in a temporary PYTHONPYCACHEPREFIX"
    package = Path(tuireader.__file__).parent
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not (package / "__pycache__").is_dir():
        return "PYTHONDONTWRITEBYTECODE is set: tuireader is compiled on every start (--bytecode)"
    return "as the environment has it"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time to first paint in a tmux pane of (a) a bare Textual app, (b) "
        "tuireader on the sample, (c) tuireader on the sample repeated to ~18 MB, the time "
        "from `G` until the end of (c) shows, (d) tuireader on a folder of 1,000 files (the "
        "library), (h) a web page (its loading view, then its article), and the peak "
        "memory of each. Each is compared with the issue's target and reported as PASS or "
        "MISS."
    )
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--big-mb", type=float, default=18.0, help="size of (c) (default 18)")
    parser.add_argument("--size", default="100x30", help="pane size WxH (default 100x30)")
    parser.add_argument("--term", default="screen", help="TERM inside tmux (default screen)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for a screen (default 30)"
    )
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="let Python cache bytecode in a temporary PYTHONPYCACHEPREFIX, as an installed "
        "wheel has it, even when PYTHONDONTWRITEBYTECODE is set (the warm-up fills it)",
    )
    parser.add_argument(
        "--no-library",
        action="store_true",
        help="leave out (d), e.g. to time a tuireader from before the library",
    )
    parser.add_argument(
        "--compare-src",
        metavar="DIR",
        help="also time the sample with DIR (another checkout's src/) first on PYTHONPATH, "
        "in the same rounds: (b0), to compare with (b)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size wants WxH, got {args.size!r}")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    command = str(Path(sys.executable).with_name("tuireader"))
    if not Path(command).exists():
        command = shutil.which("tuireader") or ""
    if not command or shutil.which("tmux") is None:
        print("startup.py needs tmux and the tuireader command", file=sys.stderr)
        return 2

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tuireader-startup-") as folder:
        root = Path(folder)
        bare = root / "bare_app.py"
        bare.write_text(BARE_APP, "utf-8")
        spy = root / "write_spy.py"
        spy.write_text(WRITE_SPY, "utf-8")
        big = root / "big.txt"
        big_bytes = write_big(big, int(args.big_mb * MB))
        library = root / "library"
        write_library(library, LIBRARY_FILES)
        first, end = visual_markers(command, sample_article())
        pane = TmuxPane((width, height), args.term, root / "pycache" if args.bytecode else None)
        try:
            series = measure(
                pane,
                root,
                [sys.executable, str(bare)],
                command,
                big,
                first,
                end,
                args,
                library,
                spy,
            )
        finally:
            pane.close()
    elapsed = time.perf_counter() - started
    targets = judge(series)
    meta = {
        "size": f"{width}x{height}",
        "term": args.term,
        "runs": args.runs,
        "bytecode": bytecode_note(args.bytecode),
        "big_file_bytes": big_bytes,
        "first_screen_markers": first,
        "end_markers": end,
        "elapsed_s": elapsed,
    }
    if args.json:
        print(json.dumps(as_json(series, targets, meta), ensure_ascii=False, indent=2))
    else:
        print_table(series, targets, meta)
    return 0


def measure(
    pane: TmuxPane,
    root: Path,
    bare: list[str],
    command: str,
    big: Path,
    first: list[str],
    end: list[str],
    args: argparse.Namespace,
    library: Path,
    spy: Path,
) -> dict[str, Series]:
    series = {
        "a": Series("(a) bare Textual app, first paint", "ms"),
        "b": Series("(b) tuireader sample, first paint", "ms"),
        "c": Series("(c) tuireader 18 MB, first paint", "ms"),
        "g": Series("(c) `G` until the end is shown", "ms"),
        "d": Series(f"(d) library of {LIBRARY_FILES} files, first paint", "ms"),
        "b0": Series("(b0) sample, --compare-src, first paint", "ms"),
        "written_b": Series("(b) sample, first frame written", "ms"),
        "written_b0": Series("(b0) sample, first frame written", "ms"),
        "h0": Series("(h) web page, first frame (loading view)", "ms"),
        "h": Series("(h) tuireader web page, first paint", "ms"),
        "mem_a": Series("(a) peak RSS", "MB"),
        "mem_b": Series("(b) peak RSS", "MB"),
        "mem_c": Series("(c) peak RSS", "MB"),
        "mem_d": Series("(d) peak RSS", "MB"),
        "mem_b0": Series("(b0) peak RSS", "MB"),
    }
    series["c"].name = f"(c) tuireader {big.stat().st_size / MB:.0f} MB, first paint"
    programs = {
        "a": (bare, [BARE_MARKER]),
        # The sample through the write spy (the command's own code, as `tuireader`
        # runs it): besides the screen, the moment its first frame is written.
        "b": ([sys.executable, str(spy), str(sample_article())], first),
        "c": ([command, str(big)], first),
        "d": ([command, str(library)], LIBRARY_MARKERS),
        # A saved news page: trafilatura and lxml are imported only for it.
        "h": ([command, str(HTML_PAGE)], [HTML_MARKER]),
    }
    if args.no_library:
        del programs["d"]
    if args.compare_src:
        # The same command with another tuireader's source first on the path, in the
        # same rounds: "not slower than before" measured under the same load.
        programs["b0"] = ([sys.executable, str(spy), str(sample_article())], first)
    for round_ in range(args.warmup + args.runs):
        timed = round_ >= args.warmup
        # Round-robin, so that a slow spell of the machine touches every program alike.
        for key, (argv, markers) in programs.items():
            # A fresh state folder each run: a remembered reading position (the end,
            # after `G`) would otherwise open the next run of (c) at its end.
            home = root / f"home-{round_}-{key}"
            env = {
                "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_STATE_HOME": str(home / "state"),
                "XDG_DATA_HOME": str(home / "data"),
                # One cache for every run, filled by the warm-up as by a user's first
                # start: the validated themes (see tuireader.ui.themes).
                "XDG_CACHE_HOME": str(root / "cache"),
            }
            if key == "b0":
                env["PYTHONPATH"] = args.compare_src
            written = root / f"written-{round_}-{key}"
            env["TUIREADER_BENCH_WRITTEN"] = str(written)
            env["TUIREADER_BENCH_MARKER"] = STATUS_MARKER
            wall = time.time()
            since = pane.spawn(argv, env)
            first_frame = None
            if key == "h":
                # The loading view while a worker extracts the article (or the article,
                # should it come first).
                first_frame = pane.wait_for_any([LOADING_MARKER, *markers], since, args.timeout)
            shown = pane.wait_for(markers, since, args.timeout)
            if shown is None:
                raise SystemExit(f"timed out waiting for {markers} from {argv}:\n{pane.screen()}")
            to_end = None
            if key == "c":
                pressed = time.perf_counter()
                pane.keys("G")
                to_end = pane.wait_for(end, pressed, args.timeout)
                if to_end is None:
                    raise SystemExit(f"timed out waiting for the end {end}:\n{pane.screen()}")
            memory = peak_rss_mb(pane.pane_pid())
            pane.quit()
            if timed:
                series[key].values.append(shown)
                if to_end is not None:
                    series["g"].values.append(to_end)
                if first_frame is not None:
                    series["h0"].values.append(first_frame)
                if memory is not None and f"mem_{key}" in series:
                    series[f"mem_{key}"].values.append(memory)
                if written.exists() and f"written_{key}" in series:
                    moment = float(written.read_text())
                    series[f"written_{key}"].values.append((moment - wall) * 1000)
    return series


HTML_PAGE = Path(__file__).resolve().parents[1] / "tests/text/data/html/en_news.html"
HTML_MARKER = "Port expansion stalls as costs double"
"""The page's title, as the reader shows it (Latin: the same in logical and visual order)."""
LOADING_MARKER = "Loading…"
"""The loading view's title."""


def judge(series: dict[str, Series]) -> list[Target]:
    return [
        _ratio_target(series["b"], series["a"], 1.3),
        _ratio_target(series["c"], series["a"], 1.5),
        Target(series["g"], "<= 500 ms", 500, series["g"].median, ""),
        *(
            [Target(series["d"], "<= 1000 ms", 1000, series["d"].median, "")]
            if series["d"].values
            else []
        ),
        *([_ratio_target(series["b0"], series["a"], 1.3)] if series["b0"].values else []),
        *([_not_slower(series["written_b"], series["written_b0"])] if series["b0"].values else []),
        Target(series["mem_c"], "< 400 MB", 400, series["mem_c"].median, ""),
    ]


def _ratio_target(measured: Series, bare: Series, limit: float) -> Target:
    """How much slower than the bare app: the median of each round's own ratio.

    This machine's speed drifts between rounds (the bare app alone ranges over 50% in
    one run), and each round runs (a), (b) and (c) back to back: pairing every run with
    its round's bare run cancels the drift that a ratio of two medians keeps.
    """
    ratio = statistics.median(m / b for m, b in zip(measured.values, bare.values, strict=True))
    return Target(measured, f"<= {limit}x (a)", limit, ratio, f"{ratio:.2f}x")


def _not_slower(measured: Series, before: Series) -> Target:
    """Whether the sample's first frame is written no later than with the older source
    (--compare-src): the median of each round's own ratio, as for the bare app."""
    ratio = statistics.median(m / b for m, b in zip(measured.values, before.values, strict=True))
    return Target(measured, "<= 1.0x (b0)", 1.0, ratio, f"{ratio:.3f}x")


def print_table(series: dict[str, Series], targets: list[Target], meta: dict[str, Any]) -> None:
    print(
        f"tuireader start-up in tmux {meta['size']} (TERM={meta['term']}), "
        f"median and min of {meta['runs']} runs; ratios are medians of each round's own"
    )
    by_series = {id(t.series): t for t in targets}
    header = f"{'measure':<38} {'median':>10} {'min':>10}  {'target':<12} {'ratio':>6}  result"
    print(header)
    print("-" * len(header))
    for s in series.values():
        target = by_series.get(id(s))
        goal = f"{target.text:<12} {target.shown:>6}  {target.verdict}" if target else ""
        median, best = f"{s.median:.0f} {s.unit}", f"{s.best:.0f} {s.unit}"
        print(f"{s.name:<38} {median:>10} {best:>10}  {goal}")
    print(f"\nBytecode: {meta['bytecode']}.")
    print(f"First screen markers: {meta['first_screen_markers']}")
    print(f"End markers: {meta['end_markers']}")
    print(f"Took {meta['elapsed_s']:.0f} s.")


def as_json(
    series: dict[str, Series], targets: list[Target], meta: dict[str, Any]
) -> dict[str, Any]:
    return {
        "meta": meta,
        "measures": {
            key: {
                "name": s.name,
                "unit": s.unit,
                "values": s.values,
                "median": s.median,
                "min": s.best,
            }
            for key, s in series.items()
        },
        "targets": [
            {
                "name": t.series.name,
                "target": t.text,
                "measured": t.measured,
                "result": t.verdict,
            }
            for t in targets
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
