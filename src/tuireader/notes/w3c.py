"""Notes as W3C Web Annotations (JSON-LD), out and back in.

The Web Annotation Data Model (W3C Recommendation, 2017) is what Hypothesis and other
annotation tools exchange. A notes file becomes an `AnnotationCollection` whose first
page holds one `Annotation` per note:

- `id` is `urn:tuireader:note:<note id>`, so a round trip keeps the note's id;
- `motivation` is `assessing` for a note with a stance, else `commenting` for one
  with a body, else `tagging` (or `highlighting` with neither);
- `body` is a list of `TextualBody` values, each with its `purpose`: the note's text
  (`commenting`), its stance (`assessing`) and each tag (`tagging`);
- `target` names the document (`source`) and holds a `TextQuoteSelector` (exact,
  prefix, suffix) and a `TextPositionSelector` (start, end: code points into the
  logical text, as the model defines them);
- `creator`, `created`, `modified` as the model has them.

Import reads such a collection, a page, a list of annotations or one annotation
(Hypothesis exports a list, each target a list), and turns each into a `Note`;
anchoring it in the current text and merging by id is the caller's (the same rules as
everywhere: `tuireader.notes.merge`). What cannot be read is reported, one line each,
and skipped: never guessed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tuireader.notes.anchoring import anchor_note, reanchor_note
from tuireader.notes.merge import merge_note
from tuireader.notes.model import Note, PositionSelector, QuoteSelector, Target, utc_now
from tuireader.notes.schema import format_time
from tuireader.notes.stance import Stance

if TYPE_CHECKING:
    from tuireader.notes.store import NotesStore
    from tuireader.text.document import Document

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ID_PREFIX = "urn:tuireader:note:"


def notes_to_w3c(
    notes: Iterable[Note], *, source: str, title: str | None = None
) -> dict[str, object]:
    """Return the notes as a W3C `AnnotationCollection` (plain JSON data).

    Args:
        source: The IRI of the annotated document: its URL, or a `file:` URI.
        title: The document's title, the collection's `label`.
    """
    items = [annotation_of(note, source) for note in notes]
    collection: dict[str, object] = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": title or source,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return collection


def annotation_of(note: Note, source: str) -> dict[str, object]:
    """Return one note as a W3C `Annotation` (without its own `@context`)."""
    bodies: list[dict[str, object]] = []
    if note.body:
        bodies.append(_textual(note.body, "commenting"))
    if note.stance is not None:
        bodies.append(_textual(note.stance.value, "assessing"))
    bodies.extend(_textual(tag, "tagging") for tag in note.tags)
    quote, position = note.target.quote, note.target.position
    annotation: dict[str, object] = {
        "id": ID_PREFIX + note.id,
        "type": "Annotation",
        "motivation": _motivation(note),
        "created": format_time(note.created),
        "modified": format_time(note.updated),
        "creator": {"type": "Person", "name": note.author},
    }
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = {
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": quote.exact,
                "prefix": quote.prefix,
                "suffix": quote.suffix,
            },
            {"type": "TextPositionSelector", "start": position.start, "end": position.end},
        ],
    }
    return annotation


def notes_from_w3c(data: object) -> tuple[list[Note], list[str]]:
    """Return the notes an annotation collection holds, and what could not be read.

    Accepts a collection (with `first.items` or `items`), a page, a list of annotations
    or a single annotation. An annotation without a `TextQuoteSelector` is skipped with
    a problem (there is nothing to anchor it by); one without a position gets 0, 0 and
    is anchored by its quote alone.
    """
    notes: list[Note] = []
    problems: list[str] = []
    for index, item in enumerate(_annotations(data)):
        try:
            notes.append(note_of(item))
        except ValueError as error:
            problems.append(f"annotation {index + 1}: {error}")
    return notes, problems


def note_of(annotation: object) -> Note:
    """Return the note a W3C annotation describes.

    Raises:
        ValueError: when it is not an annotation with a quote to anchor by.
    """
    if not isinstance(annotation, Mapping):
        raise ValueError("not an object")
    kind = annotation.get("type")
    if kind != "Annotation" and not (isinstance(kind, list) and "Annotation" in kind):
        raise ValueError(f"type is {kind!r}, not 'Annotation'")
    quote, position = _selectors(annotation.get("target"))
    if quote is None:
        raise ValueError("its target has no TextQuoteSelector")
    body, stance, tags = _bodies(annotation.get("body"))
    created = _time(annotation.get("created")) or utc_now()
    updated = _time(annotation.get("modified")) or created
    return Note(
        id=_note_id(annotation.get("id"), quote),
        created=created,
        updated=max(created, updated),
        author=_creator(annotation.get("creator")),
        stance=stance,
        tags=tuple(dict.fromkeys(tags)),
        body=body,
        target=Target(quote=quote, position=position or PositionSelector(0, 0)),
    )


def _textual(value: str, purpose: str) -> dict[str, object]:
    return {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}


def _motivation(note: Note) -> str:
    if note.stance is not None:
        return "assessing"
    if note.body:
        return "commenting"
    return "tagging" if note.tags else "highlighting"


def _annotations(data: object) -> Sequence[object]:
    if isinstance(data, list):
        return data
    if not isinstance(data, Mapping):
        return [data]
    first = data.get("first")
    if isinstance(first, Mapping) and isinstance(first.get("items"), list):
        return list(first["items"])
    if isinstance(data.get("items"), list):
        return list(data["items"])
    # Hypothesis' API answers `{"rows": [...]}`.
    if isinstance(data.get("rows"), list):
        return list(data["rows"])
    return [data]


def _selectors(target: object) -> tuple[QuoteSelector | None, PositionSelector | None]:
    quote: QuoteSelector | None = None
    position: PositionSelector | None = None
    targets = target if isinstance(target, list) else [target]
    for one in targets:
        if not isinstance(one, Mapping):
            continue
        selectors = one.get("selector")
        for selector in selectors if isinstance(selectors, list) else [selectors]:
            if not isinstance(selector, Mapping):
                continue
            kind = selector.get("type")
            if kind == "TextQuoteSelector" and quote is None:
                exact = selector.get("exact")
                if isinstance(exact, str) and exact:
                    quote = QuoteSelector(
                        exact, _text(selector.get("prefix")), _text(selector.get("suffix"))
                    )
            elif kind == "TextPositionSelector" and position is None:
                start, end = _offset(selector.get("start")), _offset(selector.get("end"))
                if start is not None and end is not None and start <= end:
                    position = PositionSelector(start, end)
    return quote, position


def _bodies(body: object) -> tuple[str, Stance | None, list[str]]:
    texts: list[str] = []
    stance: Stance | None = None
    tags: list[str] = []
    for one in body if isinstance(body, list) else [body]:
        if isinstance(one, str):
            texts.append(one)
            continue
        if not isinstance(one, Mapping):
            continue
        value = one.get("value")
        if not isinstance(value, str):
            continue
        purpose = one.get("purpose")
        if purpose == "tagging":
            tags.append(value)
        elif purpose == "assessing" and value in {s.value for s in Stance} and stance is None:
            stance = Stance(value)
        else:
            texts.append(value)
    # Hypothesis keeps tags beside the body, not in it.
    return "\n\n".join(texts), stance, tags


def _note_id(raw: object, quote: QuoteSelector) -> str:
    if isinstance(raw, str) and raw.startswith(ID_PREFIX) and len(raw) > len(ID_PREFIX):
        return raw[len(ID_PREFIX) :]
    # Another tool's IRI: a stable id of our shape, so importing twice merges, not doubles.
    seed = raw if isinstance(raw, str) and raw else quote.prefix + quote.exact + quote.suffix
    return "w3c-" + hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _creator(raw: object) -> str:
    creators = raw if isinstance(raw, list) else [raw]
    for creator in creators:
        if isinstance(creator, str):
            return creator
        if isinstance(creator, Mapping):
            for key in ("name", "nickname", "id"):
                if isinstance(creator.get(key), str):
                    return str(creator[key])
    return ""


def _time(raw: object) -> datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text(raw: object) -> str:
    return raw if isinstance(raw, str) else ""


def _offset(raw: object) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    return None


def import_annotations(
    store: NotesStore, document: Document, data: object
) -> tuple[int, int, int, list[str]]:
    """Anchor a collection's annotations in the document and merge them into the store.

    Each annotation is found again by its selectors (quote, then position, then fuzzy,
    as every note is); one that is not found is kept as an orphan. A note whose id the
    store already holds is merged with it by field, with no common version: every field
    that differs is kept as a conflict on the note, never dropped.

    Returns:
        How many notes were added, merged and orphaned, and the annotations skipped
        (one line each).

    Raises:
        NotesReadOnly, NotesLocked, NotesError: when nothing could be saved.
    """
    imported, problems = notes_from_w3c(data)
    added = merged = orphans = 0
    new: list[Note] = []
    changed: list[Note] = []
    for note in imported:
        anchor = anchor_note(note, document.text, hint=note.target.position.start)
        if anchor.start is None:
            orphans += 1
        note = reanchor_note(note, anchor, document)
        existing = store.get(note.id)
        if existing is None:
            new.append(note)
            continue
        result, _conflicts = merge_note(None, existing, note)
        if result is not None and result != existing:
            changed.append(result)
            merged += 1
    for note in new:
        store.add(note)
        added += 1
    if changed:
        store.update_many(changed)
    return added, merged, orphans, problems
