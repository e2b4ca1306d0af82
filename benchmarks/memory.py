"""Peak memory (RSS) of `tuireader render` and of the app on files made of one huge line."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MB = 1_000_000
TARGET_MB = 300
"""Issue 9: `render` and the app stay under this peak for a 16 MB single-line file."""

LATIN = "The committee met on 12 March 2024 and voted (7-2) to publish the report. "
ARABIC = "عقدت اللجنة اجتماعها في ١٢ مارس وصوّتت على نشر التقرير «كاملًا» بعد نقاشٍ طويل. "
MIXED = "قال الوزير إن الخطة (2019-2020) نجحت، وذكر Reuters أن 40% من المشاريع انتهت. "
NO_SPACES_LATIN = "Supercalifragilistic-expialidocious_0123456789"
NO_SPACES_ARABIC = "مستشفىالجامعةالأمريكيةفيبيروت"
MARKUP = "**bold** *it* [link](http://example.org) `code` &amp; <b>tag</b> "

# The child measures itself: VmHWM is the peak RSS of its own address space, in KiB.
# Not ru_maxrss: Linux keeps that across exec, so a child would report its parent's
# peak (this script's, holding the generated text) whenever its own is lower.
_PEAK = """
def peak_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

_RENDER_CHILD = (
    _PEAK
    + """
import sys
from tuireader.cli import main
sys.argv = ["tuireader", *sys.argv[1:]]
code = main()
sys.stdout.flush()
print(f"{code} {peak_kib()}", file=sys.stderr)
"""
)

_APP_CHILD = (
    _PEAK
    + """
import asyncio, sys
from pathlib import Path
from tuireader.ui.app import make_app
from tuireader.ui.config import AppConfig

async def main(path: str, home: str) -> None:
    folders = Path(home)
    config = AppConfig(folders / "config", folders / "state", folders / "data", folders / "cache")
    app = make_app(path, folders / "notes.yaml", config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in ("end", "pageup", "pageup", "home", "pagedown", "end"):
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        complete = app.document.complete and len(app.document.text) > 500_000
    print(f"{int(complete)} {peak_kib()}", file=sys.stderr)

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""
)


def write_line(path: Path, unit: str, size: int) -> None:
    """`unit` repeated to `size` bytes of UTF-8, as one line ending in a newline (written
    in chunks: this script's own memory stays small)."""
    encoded = unit.encode("utf-8")
    count = max(1, size // len(encoded))
    chunk = encoded * 4096
    with path.open("wb") as out:
        for _ in range(count // 4096):
            out.write(chunk)
        out.write(encoded * (count % 4096) + b"\n")


def make_files(folder: Path, size_mb: float, small_mb: float) -> list[Path]:
    """The files to measure: one line each (Latin, Arabic, mixed, no spaces; Markdown)."""
    size = int(size_mb * MB)
    small = int(small_mb * MB)
    cases = {
        f"latin-{size_mb:g}mb.txt": (LATIN, size),
        f"arabic-{size_mb:g}mb.txt": (ARABIC, size),
        f"nospace-latin-{size_mb:g}mb.txt": (NO_SPACES_LATIN, size),
        f"nospace-arabic-{size_mb:g}mb.txt": (NO_SPACES_ARABIC, size),
        f"mixed-{size_mb:g}mb.md": (MIXED, size),
        f"markup-{size_mb:g}mb.md": (MARKUP, size),
        f"mixed-{small_mb:g}mb.txt": (MIXED, small),
    }
    paths = []
    for name, (unit, length) in cases.items():
        path = folder / name
        write_line(path, unit, length)
        paths.append(path)
    return paths


def measure(code: str, args: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    """(exit status, peak RSS in MB, seconds) of one child run."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - began
    last = done.stderr.strip().splitlines()[-1:] or ["? 0"]
    try:
        status, kib = last[0].split()
        return int(status), int(kib) * 1024 / MB, seconds
    except ValueError:
        return done.returncode or -1, float("nan"), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=16, help="the big line (default 16)")
    parser.add_argument("--small-mb", type=float, default=1, help="the small line (default 1)")
    parser.add_argument("--no-app", action="store_true", help="measure `render` only")
    parser.add_argument("--only", metavar="TEXT", help="only the files whose name holds TEXT")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    options = parser.parse_args()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tuireader-memory-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "HOME": str(folder), "XDG_STATE_HOME": str(folder / "state")}
        env.update(XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"))
        env.update(XDG_CACHE_HOME=str(folder / "cache"), COLUMNS="80", LINES="24")
        for path in make_files(folder, options.size_mb, options.small_mb):
            if options.only and options.only not in path.name:
                continue
            runs = [
                ("render --width 80", _RENDER_CHILD, ["render", "--width", "80", str(path)]),
                ("render --width 0", _RENDER_CHILD, ["render", "--width", "0", str(path)]),
                ("render --json", _RENDER_CHILD, ["render", "--json", "--width", "80", str(path)]),
            ]
            if not options.no_app:
                runs.append(("app, scrolled to the end", _APP_CHILD, [str(path), tmp]))
            for label, code, args in runs:
                status, peak, seconds = measure(code, args, env)
                results.append(
                    {
                        "file": path.name,
                        "bytes": path.stat().st_size,
                        "run": label,
                        "status": status,
                        "peak_rss_mb": round(peak, 1),
                        "seconds": round(seconds, 2),
                    }
                )
                if not options.json:
                    row = results[-1]
                    verdict = "PASS" if peak < TARGET_MB else "MISS"
                    print(
                        f"{row['file']:<24} {label:<26} status {status:>2}  "
                        f"peak {peak:8.1f} MB  {seconds:6.1f} s  {verdict}",
                        flush=True,
                    )
    if options.json:
        print(json.dumps({"target_mb": TARGET_MB, "results": results}, indent=2))
    else:
        print(
            f"Peak RSS of each child (VmHWM); target < {TARGET_MB} MB. "
            "App status 1 = the whole file loaded."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
