"""Tests for search folding and the map from folded hits back to original offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.text.normalize import FoldedText, find_matches, fold_query, fold_text

# Chars that exercise every folding rule, mixed into random text by the properties.
_TRICKY = (
    "أإآٱاءؤئوىيیيكکةهۀہھە"  # Arabic and Persian/Urdu letter variants
    "\u064b\u064e\u064f\u0650\u0651\u0652\u0654\u0670\u06d6\u0640"  # harakat, tatweel
    "שׁבְּ\u0591\u05b0\u05be"  # Hebrew letters, points, cantillation, maqaf
    "٠١٢۰۱۲0129२"  # digits in four scripts
    "aAeéÉßSsİiı\u0301ǅﬁﻻﷺﹰＡ"  # case, accents, expansions, presentation forms
    "\u200c\u200d\u200e\u200f\u061c\u2067\u2069\u202b\u202c\u00ad\ufeff"  # invisibles
    " \t\n\u00a0\u3000"  # whitespace
)
_texts = st.text(st.sampled_from(_TRICKY) | st.characters(codec="utf-8"), max_size=40)


def _matched(text: str, query: str) -> list[str]:
    return [text[start:end] for start, end in find_matches(query, fold_text(text))]


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        # Arabic hamza seats, both ways round.
        ("قال أحمد", "احمد", ["أحمد"]),
        ("قال احمد", "أحمد", ["احمد"]),
        ("إسلام وآمن", "اسلام", ["إسلام"]),
        ("إسلام وآمن", "امن", ["آمن"]),
        ("ٱلْحَمْدُ", "الحمد", ["ٱلْحَمْدُ"]),
        ("مسؤول", "مسوول", ["مسؤول"]),
        ("رئيس", "رييس", ["رئيس"]),
        # Harakat, both ways round; the trailing tanween belongs to the hit.
        ("مُحَمَّدٌ رسول", "محمد", ["مُحَمَّدٌ"]),
        ("محمد رسول", "مُحَمَّد", ["محمد"]),
        # Tatweel.
        ("جميـــل جداً", "جميل", ["جميـــل"]),
        # Alef maqsura and yaa, taa marbuta and haa.
        ("في المستشفى", "مستشفي", ["مستشفى"]),
        ("على", "علي", ["على"]),
        ("المدرسة الكبيرة", "مدرسه", ["مدرسة"]),
        ("مدرسه", "مدرسة", ["مدرسه"]),
        # Digits in any script.
        ("عام ٢٠١٩", "2019", ["٢٠١٩"]),
        ("سال ۲۰۱۹", "2019", ["۲۰۱۹"]),
        ("in 2019", "٢٠١٩", ["2019"]),
        ("वर्ष २०१९", "۲۰۱۹", ["२०१९"]),
        # Persian and Urdu letter variants.
        ("ایران", "ايران", ["ایران"]),
        ("فارسی", "فارسي", ["فارسی"]),
        ("کتاب", "كتاب", ["کتاب"]),
        ("كتاب", "کتاب", ["كتاب"]),
        ("ہے شھر", "شهر", ["شھر"]),
        ("خانۀ ما", "خانه", ["خانۀ"]),
        # ZWNJ inside a Persian word does not split it.
        ("می\u200cخواهم", "میخواهم", ["می\u200cخواهم"]),
        # Hebrew points and cantillation.
        ("בְּרֵאשִׁ֖ית בָּרָ֣א", "בראשית", ["בְּרֵאשִׁ֖ית"]),
        ("בראשית", "בְּרֵאשִׁית", ["בראשית"]),
        # Latin case and accents, precomposed or not.
        ("Café au lait", "cafe", ["Café"]),
        ("CAFÉ", "café", ["CAFÉ"]),
        ("Cafe\u0301 noir", "CAFÉ", ["Cafe\u0301"]),
        ("Ça va", "ca", ["Ça"]),
        # Case folding that changes length.
        ("Straße", "strasse", ["Straße"]),
        ("STRASSE", "straße", ["STRASSE"]),
        ("İstanbul", "istanbul", ["İstanbul"]),
        ("Straße", "ss", ["ß"]),
        # Presentation forms from PDFs.
        ("ﻻ تنس", "لا", ["ﻻ"]),
        # Whitespace runs match any whitespace run.
        ("a \n\t b", "a b", ["a \n\t b"]),
        ("a b", "a   b", ["a b"]),
        ("a\u00a0\u200fb", "a b", ["a\u00a0\u200fb"]),
        # Bidi controls inside the text are invisible to search.
        ("\u2067قال\u2069 \u200fنعم", "قال نعم", ["قال\u2069 \u200fنعم"]),
        # A match that stops before trailing harakat still covers them.
        ("كتابٌ جديد", "كتاب", ["كتابٌ"]),
        ("محمَّد", "محم", ["محمَّ"]),
        # Nothing to find.
        ("محمد", "", []),
        ("محمد", "\u064e\u200f", []),
        ("محمد", "احمد", []),
        # Occurrences that overlap come back once each, left to right.
        ("aaaa", "aa", ["aa", "aa"]),
        ("ababa", "aba", ["aba"]),
    ],
)
def test_query_finds_the_folded_original_substrings(
    text: str, query: str, expected: list[str]
) -> None:
    assert _matched(text, query) == expected


def test_folded_text_maps_each_char_to_its_original_offset() -> None:
    folded = fold_text("أَحمد  ب")
    assert folded.text == "احمد ب"
    assert list(folded.origin) == [0, 2, 3, 4, 5, 7, 8]


def test_expanded_char_maps_every_folded_char_to_itself() -> None:
    folded = fold_text("aßb")
    assert folded.text == "assb"
    assert list(folded.origin) == [0, 1, 1, 2, 3]


def test_hits_are_original_offsets_after_dropped_chars() -> None:
    text = "\u200fأَحْمَد وأحمد"
    assert find_matches("احمد", fold_text(text)) == [(1, 8), (10, 14)]


def test_two_hits_inside_one_expanded_char_count_once() -> None:
    assert find_matches("s", fold_text("ßs")) == [(0, 1), (1, 2)]


def test_empty_text_folds_to_a_lone_sentinel() -> None:
    folded = fold_text("")
    assert folded.text == ""
    assert list(folded.origin) == [0]
    assert find_matches("a", folded) == []


def test_query_folds_like_text() -> None:
    assert fold_query("  Café  مُحَمَّد\t\u200f ٢٠١٩  ") == " cafe محمد 2019 "


def _base_offsets(folded: FoldedText) -> list[int]:
    """Original offsets that start a folded char, plus the end of the text."""
    return sorted(set(folded.origin))


@given(_texts)
def test_origin_is_monotone_and_within_bounds(text: str) -> None:
    folded = fold_text(text)
    origin = list(folded.origin)
    assert len(origin) == len(folded.text) + 1
    assert origin[-1] == len(text)
    assert all(0 <= offset < len(text) for offset in origin[:-1])
    assert origin == sorted(origin)


@given(_texts)
def test_query_folding_matches_text_folding_and_is_idempotent(text: str) -> None:
    assert fold_query(text) == fold_text(text).text
    assert fold_query(fold_query(text)) == fold_query(text)


@given(_texts, st.data())
def test_slice_between_base_chars_folds_to_the_matching_folded_slice(
    text: str, data: st.DataObject
) -> None:
    folded = fold_text(text)
    bases = _base_offsets(folded)
    start = data.draw(st.sampled_from(bases))
    end = data.draw(st.sampled_from([b for b in bases if b >= start]))
    first = folded.origin.index(start) if start < len(text) else len(folded.text)
    stop = folded.origin.index(end) if end < len(text) else len(folded.text)
    piece = fold_text(text[start:end])
    assert piece.text == folded.text[first:stop]
    assert list(piece.origin) == [o - start for o in folded.origin[first:stop]] + [end - start]


@given(_texts, st.data())
def test_searching_for_a_slice_finds_a_hit_at_its_position(text: str, data: st.DataObject) -> None:
    folded = fold_text(text)
    bases = _base_offsets(folded)[:-1]
    if not bases:
        return
    start = data.draw(st.sampled_from(bases))
    end = data.draw(st.sampled_from([b for b in [*bases, len(text)] if b > start]))
    hits = find_matches(text[start:end], folded)
    # Hits are greedy left to right, so an earlier overlapping occurrence may win; either
    # way some hit covers the slice's first char.
    assert any(hit_start <= start < hit_end for hit_start, hit_end in hits)


@given(_texts, _texts)
def test_hits_are_ordered_disjoint_and_contain_the_query(text: str, query: str) -> None:
    needle = fold_query(query)
    hits = find_matches(query, fold_text(text))
    bounds = [offset for hit in hits for offset in hit]
    assert bounds == sorted(bounds)
    assert all(start < end for start, end in hits)
    assert all(needle in fold_query(text[start:end]) for start, end in hits)
