"""Tests for re-anchoring notes in an edited document: exact, moved, fuzzy, orphan."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.notes.factories import make_document, make_note
from tuireader.notes.anchoring import (
    FUZZY_THRESHOLD,
    Anchor,
    AnchorStatus,
    anchor_note,
    anchor_notes,
    reanchor_note,
)
from tuireader.notes.model import Note, new_note

VENUE = "اختار الزعيمان الاجتماع في قاعدة «فوستوشني» الفضائية الروسية الجديدة نسبياً."
ROCKETS = "وقال بوتين إن قرار اللقاء كان بمثابة اعتراف باهتمام كيم الكبير بتكنولوجيا الصواريخ."
ROCKETS_REWORDED = (
    "وقال بوتين إن قرار اللقاء هناك كان بمثابة اعتراف باهتمام كيم الشديد بتكنولوجيا الصواريخ."
)
FAILED = "لكن محاولتين لإطلاق القمر الصناعي فشلتا هذا العام."
SHELLS = "وتملك بيونغ يانغ مخزونات كبيرة من القذائف المتوافقة مع الأسلحة السوفييتية."
NO_DEAL = "ولم يعلن أي من الطرفين عن صفقة رسمية (حتى الآن) في 2023."

ARTICLE = f"""# مكان انعقاد القمة

ولم يكن اختيار مكان انعقاد قمة كيم- بوتين عبثياً. {VENUE} {ROCKETS}

وفي الواقع أن كوريا الشمالية تحاول تطوير برنامج فضائي ناضج. {FAILED} ويمكن للمساعدة الروسية \
أن تقطع شوطاً طويلاً في تعزيز طموحات بيونغ يانغ.

# مكاسب الاجتماع

ومن المرجح أن تحصل روسيا على ذخائر مدفعية من كوريا الشمالية. {SHELLS} {NO_DEAL}"""

INSERTED = (
    "تمهيد: قبل الدخول في التفاصيل، لا بد من الإشارة إلى أن اللقاء جاء بعد انقطاع طويل، "
    "وأن المراقبين في سيول وطوكيو وواشنطن تابعوه باهتمام بالغ.\n\n"
)


def notes_on(text: str, *claims: str) -> list[Note]:
    document = make_document(text)
    result = []
    for claim in claims:
        start = text.index(claim)
        result.append(new_note(document, start, start + len(claim), author="analyst"))
    return result


def edited_article() -> str:
    text = INSERTED + ARTICLE
    text = text.replace(ROCKETS, ROCKETS_REWORDED)
    text = text.replace(FAILED + " ", "")
    # The venue sentence is repeated in another section, in other words around it.
    return text.replace(SHELLS, f"وكما ذكرنا، {VENUE} {SHELLS}")


def test_every_note_lands_on_its_claim_or_is_reported_orphaned_after_edits() -> None:
    notes = notes_on(ARTICLE, VENUE, ROCKETS, FAILED, SHELLS, NO_DEAL)
    text = edited_article()
    anchored = anchor_notes(notes, make_document(text))

    assert [item.note for item in anchored] == notes
    venue, rockets, failed, shells, no_deal = (item.anchor for item in anchored)
    assert venue == Anchor(AnchorStatus.MOVED, text.index(VENUE), text.index(VENUE) + len(VENUE), 1)
    assert text.index(VENUE) < text.index("وكما ذكرنا")  # the original, not the repeat
    assert rockets.status is AnchorStatus.FUZZY
    assert text[rockets.start : rockets.end] == ROCKETS_REWORDED
    assert rockets.similarity >= FUZZY_THRESHOLD
    assert failed == Anchor(AnchorStatus.ORPHAN, None, None, 0.0)
    assert shells.status is AnchorStatus.MOVED
    assert text[shells.start : shells.end] == SHELLS
    assert no_deal.status is AnchorStatus.MOVED
    assert text[no_deal.start : no_deal.end] == NO_DEAL


def test_unchanged_text_anchors_every_note_exactly() -> None:
    notes = notes_on(ARTICLE, VENUE, ROCKETS, NO_DEAL)
    anchored = anchor_notes(notes, make_document(ARTICLE))
    assert [item.anchor.status for item in anchored] == [AnchorStatus.EXACT] * 3


def test_nearest_occurrence_wins_when_context_cannot_tell_repeats_apart() -> None:
    repeated = "هذه جملة مكررة تماماً. "
    text = repeated * 5
    note = make_note("n-1", repeated, len(repeated) * 3 + 4)  # just after the fourth
    anchor = anchor_note(note, text)
    assert anchor.status is AnchorStatus.MOVED
    assert anchor.start == len(repeated) * 3


def test_the_occurrence_with_its_old_context_wins_over_a_nearer_one() -> None:
    notes = notes_on(ARTICLE, SHELLS)
    heading = "# مكاسب الاجتماع\n\n"
    text = ARTICLE.replace(heading, f"{heading}{SHELLS}\n\n{INSERTED}")
    old, copy, original = ARTICLE.index(SHELLS), text.index(SHELLS), text.rindex(SHELLS)
    assert abs(copy - old) < abs(original - old)
    [item] = anchor_notes(notes, make_document(text))
    assert item.anchor.start == original


def test_a_reworded_claim_is_found_after_a_long_insertion_above_it() -> None:
    notes = notes_on(ARTICLE, VENUE, ROCKETS)
    text = INSERTED * 40 + ARTICLE.replace(ROCKETS, ROCKETS_REWORDED)
    rockets = anchor_notes(notes, make_document(text))[1].anchor
    assert rockets.status is AnchorStatus.FUZZY
    assert text[rockets.start : rockets.end] == ROCKETS_REWORDED


def test_unrelated_text_in_the_claims_place_is_never_matched() -> None:
    [note] = notes_on(ARTICLE, ROCKETS)
    replacement = "وأشار محللون غربيون إلى أن العقوبات لم تمنع تبادل التكنولوجيا بين البلدين."
    anchor = anchor_note(note, ARTICLE.replace(ROCKETS, replacement))
    assert anchor.status is AnchorStatus.ORPHAN


def test_a_short_quote_is_only_found_exactly() -> None:
    note = make_note("n-1", "كيم", ARTICLE.index("كيم"))
    assert anchor_note(note, ARTICLE.replace("كيم", "كين")).status is AnchorStatus.ORPHAN


def test_reanchoring_takes_new_selectors_and_keeps_everything_else() -> None:
    [note] = notes_on(ARTICLE, ROCKETS)
    note = dataclasses.replace(note, body="ملاحظة", extra={"reviewer": "سارة"})
    text = edited_article()
    document = make_document(text)
    [item] = anchor_notes([note], document)
    moved = reanchor_note(note, item.anchor, document)
    assert moved.target.quote.exact == ROCKETS_REWORDED
    assert moved.target.position.start == text.index(ROCKETS_REWORDED)
    assert moved.target.quote.prefix == text[moved.target.position.start - 32 :][:32]
    assert moved.target.section == "مكان انعقاد القمة"
    assert (moved.id, moved.body, moved.extra, moved.updated) == (
        note.id,
        note.body,
        note.extra,
        note.updated,
    )
    unchanged = anchor_note(note, ARTICLE)
    assert reanchor_note(note, unchanged, make_document(ARTICLE)) is note
    orphan = Anchor(AnchorStatus.ORPHAN, None, None, 0.0)
    assert reanchor_note(note, orphan, document) is note


# --- properties --------------------------------------------------------------------------

SENTENCES = [
    f"الجملة رقم {number} تقول إن المؤشر {number * 7} ارتفع في المنطقة {chr(0x41 + number % 26)}."
    for number in range(12)
]
BASE = (
    " ".join(SENTENCES[:4]) + "\n\n" + " ".join(SENTENCES[4:8]) + "\n\n" + " ".join(SENTENCES[8:])
)
filler = st.text(alphabet=st.sampled_from("ابتثجحخد سشصض،.\n"), min_size=1, max_size=30)


def levenshtein(a: str, b: str) -> int:
    """Reference edit distance (plain dynamic programming) to check the fast one."""
    previous = list(range(len(b) + 1))
    for row, left in enumerate(a, 1):
        current = [row]
        for column, right in enumerate(b, 1):
            cost = previous[column - 1] + (left != right)
            current.append(min(previous[column] + 1, current[column - 1] + 1, cost))
        previous = current
    return previous[-1]


@st.composite
def outside_edits(draw: st.DrawFn) -> tuple[list[Note], str, list[int]]:
    """Notes on some sentences, then insertions and deletions that avoid them all."""
    chosen = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6, unique=True))
    notes = notes_on(BASE, *chosen)
    ranges = [(n.target.position.start, n.target.position.end) for n in notes]
    text, starts = BASE, [start for start, _ in ranges]
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        if any(start < at < end for start, end in ranges):
            continue
        if draw(st.booleans()):
            inserted = draw(filler)
            text = text[:at] + inserted + text[at:]
            shift = len(inserted)
            ranges = [(s + shift, e + shift) if s >= at else (s, e) for s, e in ranges]
        else:
            end = draw(st.integers(at, min(len(text), at + 40)))
            if any(at < e and s < end for s, e in ranges):
                continue
            text = text[:at] + text[end:]
            shift = end - at
            ranges = [(s - shift, e - shift) if s >= end else (s, e) for s, e in ranges]
        starts = [start for start, _ in ranges]
    return notes, text, starts


@settings(max_examples=150, deadline=None)
@given(outside_edits())
def test_edits_outside_annotated_claims_reanchor_every_note_exactly(
    case: tuple[list[Note], str, list[int]],
) -> None:
    notes, text, starts = case
    anchored = anchor_notes(notes, make_document(text))
    for item, start in zip(anchored, starts, strict=True):
        exact = item.note.target.quote.exact
        assert item.anchor.status in (AnchorStatus.EXACT, AnchorStatus.MOVED)
        assert item.anchor.start is not None
        assert text[item.anchor.start : item.anchor.end] == exact
        if text.count(exact) == 1:
            assert item.anchor.start == start


@st.composite
def any_edits(draw: st.DrawFn) -> tuple[list[Note], str]:
    """Notes on some sentences, then insertions, deletions and swaps anywhere."""
    chosen = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6, unique=True))
    notes = notes_on(BASE, *chosen)
    text = BASE
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + draw(st.sampled_from([3, 40, 400])))))
        text = text[:at] + draw(st.just("") | filler) + text[end:]
    return notes, text


@settings(max_examples=150, deadline=None)
@given(any_edits())
def test_edits_anywhere_never_lose_a_note_and_matches_resemble_the_quote(
    case: tuple[list[Note], str],
) -> None:
    notes, text = case
    anchored = anchor_notes(notes, make_document(text))
    assert [item.note for item in anchored] == notes
    for item in anchored:
        anchor, exact = item.anchor, item.note.target.quote.exact
        if anchor.start is None or anchor.end is None:
            assert anchor.status is AnchorStatus.ORPHAN
            continue
        found = text[anchor.start : anchor.end]
        if anchor.status is AnchorStatus.FUZZY:
            distance = levenshtein(found, exact)
            assert 1 - distance / max(len(found), len(exact)) >= FUZZY_THRESHOLD
        else:
            assert found == exact
