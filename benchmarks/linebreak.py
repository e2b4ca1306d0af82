"""tuireader's line breaker against `uniseg` (UAX #14): agreement, disagreements by class, speed."""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from rich.cells import cell_len

from tuireader.bidi.linebreak import break_opportunities, wide_opportunities

try:
    from uniseg.linebreak import line_break, line_break_boundaries
except ImportError:  # pragma: no cover - the dev extra installs it
    sys.exit("needs uniseg: pip install -e '.[dev]'")

REPO = Path(__file__).resolve().parents[1]
CORPORA = [
    *sorted((REPO / "seeds").glob("*.txt")),
    *sorted((REPO / "tests" / "text" / "data").glob("*")),
    *sorted((REPO.parent / "shared" / "seeds").glob("*.txt")),
]
RANDOM_ALPHABET = (
    "abcdefXYZ ابتثجحخدذرزسشصضطظعغفقكلمنهوي שלום 0123456789 ٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹"
    " .,;:!?-/()[]«»“”%$#+،؛؟٪\u00a0\u202f\u2007\u2060\ufeff\u200b\u2011–—\u064e\u0651"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--random", type=int, default=3000, help="random paragraphs (3000)")
    parser.add_argument("--seed", type=int, default=10, help="seed of the random text")
    parser.add_argument("--top", type=int, default=15, help="disagreement classes shown")
    args = parser.parse_args(argv)

    corpus = [line for path in CORPORA if path.is_file() for line in paragraphs(path)]
    rng = random.Random(args.seed)
    randoms = [
        "".join(rng.choice(RANDOM_ALPHABET) for _ in range(rng.randint(5, 120)))
        for _ in range(args.random)
    ]
    print(f"corpora: {len(CORPORA)} files, {len(corpus)} paragraphs")
    for name, texts in (("corpora", corpus), ("random text", randoms)):
        report(name, texts, args.top)
    speed(corpus)
    return 0


def paragraphs(path: Path) -> Iterable[str]:
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            yield line


def ours(text: str) -> set[int]:
    found = {start for _, start in break_opportunities(text)}
    if any(cell_len(char) == 2 for char in text):
        widths = [cell_len(char) for char in text]
        found |= {start for _, start in wide_opportunities(text, widths)}
    return found


def theirs(text: str) -> set[int]:
    return set(line_break_boundaries(text)) - {0, len(text)}


def report(name: str, texts: list[str], top: int) -> None:
    positions = agree = 0
    only_ours: Counter[tuple[str, str]] = Counter()
    only_theirs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        a, b = ours(text), theirs(text)
        positions += max(0, len(text) - 1)
        agree += max(0, len(text) - 1) - len(a ^ b)
        for position in a - b:
            only_ours[classes(text, position)] += 1
        for position in b - a:
            only_theirs[classes(text, position)] += 1
    print(f"\n{name}: {len(texts)} paragraphs, {positions} positions between characters")
    print(
        f"  agree: {agree} ({100 * agree / max(positions, 1):.2f}%); "
        f"a break only tuireader allows: {sum(only_ours.values())}; "
        f"only uniseg allows: {sum(only_theirs.values())}"
    )
    for label, counter in (("only tuireader", only_ours), ("only uniseg", only_theirs)):
        if counter:
            print(f"  {label} breaks, by (class before, class after):")
            for (before, after), count in counter.most_common(top):
                print(f"    {before:>3} ÷ {after:<3} {count}")


def classes(text: str, position: int) -> tuple[str, str]:
    """UAX #14 classes on both sides of a position (spaces skipped backwards)."""
    before = position - 1
    while before > 0 and text[before] == " ":
        before -= 1
    return str(line_break(text[before])), str(line_break(text[position]))


def speed(texts: list[str]) -> None:
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    print(f"\nspeed on the corpora ({megabytes:.3f} MB):")
    for label, function in (("tuireader", ours), ("uniseg", theirs)):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            for text in texts:
                function(text)
            runs.append(time.perf_counter() - start)
        best = min(runs)
        print(f"  {label:<10} {best * 1000:8.1f} ms  {megabytes / best:8.2f} MB/s")


if __name__ == "__main__":
    sys.exit(main())
