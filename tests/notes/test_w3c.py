"""Tests for notes as W3C Web Annotations: the model's required fields, and round trips."""

from __future__ import annotations

import dataclasses
import json

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.notes.factories import make_document, make_note, notes
from tuireader.notes.anchoring import AnchorStatus, anchor_note
from tuireader.notes.model import Note
from tuireader.notes.stance import Stance
from tuireader.notes.w3c import ID_PREFIX, notes_from_w3c, notes_to_w3c

SOURCE = "file:///articles/article.txt"

# Written for this test from the W3C Web Annotation Data Model (Recommendation,
# 23 February 2017): §3.1 Annotations (id, type, target MUST; body, created, modified,
# creator, motivation MAY), §3.2.4 TextualBody (value MUST), §3.3.5 purpose and §3.3.5
# motivations (the closed list below), §4.2.4 TextQuoteSelector (exact MUST), §4.2.5
# TextPositionSelector (start, end MUST, non-negative integers), §5.1
# AnnotationCollection and §5.2 AnnotationPage (items MUST).
MOTIVATIONS = [
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
]
W3C_SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["@context", "type", "first"],
    "properties": {
        "@context": {"const": "http://www.w3.org/ns/anno.jsonld"},
        "type": {"const": "AnnotationCollection"},
        "total": {"type": "integer", "minimum": 0},
        "first": {
            "type": "object",
            "required": ["type", "items"],
            "properties": {
                "type": {"const": "AnnotationPage"},
                "items": {"type": "array", "items": {"$ref": "#/$defs/annotation"}},
            },
        },
    },
    "$defs": {
        "time": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"},
        "annotation": {
            "type": "object",
            "required": ["id", "type", "target"],
            "properties": {
                "id": {"type": "string", "pattern": "^[a-zA-Z][a-zA-Z0-9+.-]*:"},
                "type": {"const": "Annotation"},
                "motivation": {"enum": MOTIVATIONS},
                "created": {"$ref": "#/$defs/time"},
                "modified": {"$ref": "#/$defs/time"},
                "creator": {
                    "type": "object",
                    "required": ["type", "name"],
                    "properties": {"type": {"const": "Person"}, "name": {"type": "string"}},
                },
                "body": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type", "value"],
                        "properties": {
                            "type": {"const": "TextualBody"},
                            "value": {"type": "string"},
                            "purpose": {"enum": MOTIVATIONS},
                        },
                    },
                },
                "target": {
                    "type": "object",
                    "required": ["source", "selector"],
                    "properties": {
                        "source": {"type": "string"},
                        "selector": {
                            "type": "array",
                            "items": {
                                "oneOf": [
                                    {
                                        "type": "object",
                                        "required": ["type", "exact"],
                                        "properties": {
                                            "type": {"const": "TextQuoteSelector"},
                                            "exact": {"type": "string"},
                                            "prefix": {"type": "string"},
                                            "suffix": {"type": "string"},
                                        },
                                    },
                                    {
                                        "type": "object",
                                        "required": ["type", "start", "end"],
                                        "properties": {
                                            "type": {"const": "TextPositionSelector"},
                                            "start": {"type": "integer", "minimum": 0},
                                            "end": {"type": "integer", "minimum": 0},
                                        },
                                    },
                                ]
                            },
                        },
                    },
                },
            },
        },
    },
}


def kept_fields(note: Note) -> tuple[object, ...]:
    """What a W3C round trip keeps: everything but the section and unknown keys."""
    return (
        note.id,
        note.created,
        max(note.created, note.updated),
        note.author,
        note.stance,
        tuple(dict.fromkeys(note.tags)),
        note.body,
        note.target.quote,
        note.target.position,
    )


def test_export_has_the_models_required_fields_and_motivations() -> None:
    exported = notes_to_w3c(
        [
            make_note("n-1", "قال الوزير", 0, stance=Stance.DISPUTED, tags=("اقتصاد",)),
            make_note("n-2", "the claim", 20, body="A comment"),
            make_note("n-3", "tagged", 40, tags=("sources",)),
        ],
        source=SOURCE,
        title="عنوان",
    )
    jsonschema.validate(exported, W3C_SCHEMA)
    first = exported["first"]
    assert isinstance(first, dict)
    items = first["items"]
    assert [item["motivation"] for item in items] == ["assessing", "commenting", "tagging"]
    assert items[0]["id"] == ID_PREFIX + "n-1"
    assert {"type": "TextualBody", "value": "disputed", "purpose": "assessing"}.items() <= items[0][
        "body"
    ][0].items()
    # JSON as it is written: Unicode as is, and it parses back the same.
    assert json.loads(json.dumps(exported, ensure_ascii=False)) == exported


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.lists(notes("n-x"), max_size=4))
def test_round_trip_keeps_every_field_the_model_carries(drawn: list[Note]) -> None:
    originals = [dataclasses.replace(note, id=f"n-{index}") for index, note in enumerate(drawn)]
    exported = notes_to_w3c(originals, source=SOURCE)
    jsonschema.validate(exported, W3C_SCHEMA)
    back, problems = notes_from_w3c(json.loads(json.dumps(exported)))
    readable = [note for note in originals if note.target.quote.exact]
    assert len(problems) == len(originals) - len(readable)
    assert [kept_fields(note) for note in back] == [kept_fields(note) for note in readable]


def test_import_reanchors_a_quote_that_moved_in_an_edited_article() -> None:
    old = make_document("الفقرة الأولى.\n\nقال الوزير إن الاقتصاد تحسن.")
    quote = "قال الوزير إن الاقتصاد تحسن."
    note = make_note("n-1", quote, old.text.index(quote), stance=Stance.SUPPORTED)
    exported = notes_to_w3c([note], source=SOURCE)
    edited = make_document("مقدمة جديدة أطول من قبل.\n\nالفقرة الأولى.\n\n" + quote)
    [imported], problems = notes_from_w3c(exported)
    assert problems == []
    anchor = anchor_note(imported, edited.text)
    assert anchor.status is AnchorStatus.MOVED
    assert edited.text[anchor.start : anchor.end] == quote


def test_import_reads_a_hypothesis_style_list_and_skips_what_it_cannot_anchor() -> None:
    hypothesis_rows = {
        "rows": [
            {
                "id": "https://hypothes.is/a/abc123",
                "type": "Annotation",
                "created": "2026-11-20T10:00:00.123456+00:00",
                "modified": "2026-11-21T10:00:00+00:00",
                "creator": "acct:jane@hypothes.is",
                "body": [{"type": "TextualBody", "value": "Check this", "purpose": "commenting"}]
                + [{"type": "TextualBody", "value": "economy", "purpose": "tagging"}],
                "target": [
                    {
                        "source": "https://example.org/a",
                        "selector": [
                            {"type": "TextPositionSelector", "start": 5, "end": 9},
                            {"type": "TextQuoteSelector", "exact": "word", "prefix": "a "},
                        ],
                    }
                ],
            },
            {"id": "x", "type": "Annotation", "target": {"source": "https://example.org/a"}},
            "not an annotation",
        ]
    }
    imported, problems = notes_from_w3c(hypothesis_rows)
    assert len(imported) == 1 and len(problems) == 2
    note = imported[0]
    assert note.id.startswith("w3c-") and note.author == "acct:jane@hypothes.is"
    assert (note.body, note.tags) == ("Check this", ("economy",))
    assert (note.target.position.start, note.target.position.end) == (5, 9)
    # The same annotation imported twice gets the same id: it merges, it does not double.
    assert notes_from_w3c(hypothesis_rows)[0][0].id == note.id
