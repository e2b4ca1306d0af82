"""Sentence splitting: throughput on ~18 MB of Arabic, and accuracy beside pysbd.

Issue 10 asks whether the well-kept `pysbd` should replace our splitter: it must be
more accurate on the cases analysts meet and split 18 MB in at most 1 s. This prints
both on a small table of hand-labelled cases (English, Arabic, Persian) and on the
sample article repeated. pysbd is not a dependency: `pip install pysbd` to compare.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tuireader.resources import sample_article
from tuireader.text.document import BlockKind, Direction, Paragraph
from tuireader.text.sentences import split_sentences
from tuireader.text.structure import load_document

MB = 1_000_000

LABELLED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("en", "It ended at 5 p.m. Officials left.", ("It ended at 5 p.m.", "Officials left.")),
    ("en", "From 9 a.m. to 5 p.m. on Monday.", ("From 9 a.m. to 5 p.m. on Monday.",)),
    (
        "en",
        "Dr. Lee paid $3.5 to the U.S. Treasury. Done.",
        ("Dr. Lee paid $3.5 to the U.S. Treasury.", "Done."),
    ),
    (
        "en",
        "Mr. Smith met J. R. Jones. They talked.",
        ("Mr. Smith met J. R. Jones.", "They talked."),
    ),
    (
        "ar",
        "قال د. أحمد إن الوضع صعب، لكنه مستقر. هل هذا صحيح؟ نعم!",
        ("قال د. أحمد إن الوضع صعب، لكنه مستقر.", "هل هذا صحيح؟", "نعم!"),
    ),
    ("ar", "وأكد ذلك أ.د. محمد علي. ثم غادر.", ("وأكد ذلك أ.د. محمد علي.", "ثم غادر.")),
    ("ar", "تمتد حتى 2030م. وأضاف.", ("تمتد حتى 2030م.", "وأضاف.")),
    ("ar", "ارتفع المؤشر 2.5 نقطة. ثم هبط.", ("ارتفع المؤشر 2.5 نقطة.", "ثم هبط.")),
    (
        "fa",
        "دولت برنامه تازه‌ای اعلام کرد. آیا اجرا می‌شود؟ هنوز معلوم نیست.",
        ("دولت برنامه تازه‌ای اعلام کرد.", "آیا اجرا می‌شود؟", "هنوز معلوم نیست."),
    ),
)


def ours(text: str) -> tuple[str, ...]:
    paragraph = Paragraph(0, BlockKind.PARAGRAPH, 0, len(text), text, Direction.LTR)
    return tuple(text[s.start : s.end] for s in split_sentences(paragraph))


def theirs(language: str, text: str) -> tuple[str, ...] | None:
    try:
        import pysbd  # type: ignore[import-not-found]
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language=language, clean=False)
    return tuple(part.strip() for part in segmenter.segment(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=18.0)
    parser.add_argument("--pysbd-mb", type=float, default=0.5, help="pysbd is slow: a slice")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    report: dict[str, object] = {}
    right = {"tuireader": 0, "pysbd": 0}
    for language, text, expected in LABELLED:
        right["tuireader"] += ours(text) == expected
        got = theirs(language, text)
        right["pysbd"] += got == expected
        if got is None:
            right.pop("pysbd", None)
    report["labelled_cases"] = len(LABELLED)
    report["right"] = right

    document = load_document(sample_article())
    body = [p.text for p in document.paragraphs if p.kind is BlockKind.PARAGRAPH]
    unit = "\n".join(body)
    repeats = max(1, int(args.size_mb * MB / len(unit.encode())))
    paragraphs = [
        Paragraph(i, BlockKind.PARAGRAPH, 0, len(t), t, Direction.RTL)
        for i, t in enumerate(body * repeats)
    ]
    split_sentences.cache_clear()
    started = time.perf_counter()
    for paragraph in paragraphs:
        split_sentences.__wrapped__(paragraph)
    seconds = time.perf_counter() - started
    size = len(unit.encode()) * repeats / MB
    report["tuireader"] = {"mb": round(size, 1), "seconds": round(seconds, 3)}
    target = "PASS" if seconds * 18 / size <= 1.0 else "MISS"

    try:
        import pysbd
    except ImportError:
        report["pysbd"] = "not installed"
    else:
        segmenter = pysbd.Segmenter(language="ar", clean=False)
        slice_text = unit * max(1, int(args.pysbd_mb * MB / len(unit.encode())))
        started = time.perf_counter()
        for line in slice_text.split("\n"):
            segmenter.segment(line)
        pysbd_seconds = time.perf_counter() - started
        pysbd_mb = len(slice_text.encode()) / MB
        report["pysbd"] = {
            "mb": round(pysbd_mb, 2),
            "seconds": round(pysbd_seconds, 3),
            "seconds_for_18_mb": round(pysbd_seconds * 18 / pysbd_mb, 1),
        }

    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"labelled cases right, of {len(LABELLED)}: {right}")
    print(
        f"tuireader: {size:.1f} MB of Arabic paragraphs in {seconds:.3f} s "
        f"({size / seconds:.1f} MB/s); 18 MB <= 1 s: {target}"
    )
    print(f"pysbd: {report['pysbd']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
