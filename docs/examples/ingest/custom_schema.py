"""Declare your own payload schema and decode bodies with it."""

from __future__ import annotations

from decimal import Decimal

import attrs

from feedback_core.ingest import ID_PATTERN, Record, ValidationError, field


@attrs.frozen(kw_only=True)
class EventRating(Record):
    """A rating of one talk at a conference."""

    talk_id: str = field(pattern=ID_PATTERN)
    score: Decimal = field(ge=Decimal("0"), le=Decimal("10"))  # e.g. 7.5, kept exact
    track: str = field(choices={"main", "workshop", "lightning"})
    comment: str | None = field(default=None, max_length=2000, multiline=True)
    tags: tuple[str, ...] = field(default=(), max_length=5, item_max_length=30)


def decode_examples() -> tuple[EventRating, list[tuple[str, str]]]:
    """Decode one good body and one bad one; return the record and the bad one's errors."""
    good = EventRating.decode(b'{"talkId": "t-42", "score": 7.5, "track": "main", "tags": ["ai"]}')
    try:
        EventRating.decode(b'{"talkId": "", "score": 11, "track": "keynote", "colour": "red"}')
    except ValidationError as error:
        return good, [(e.pointer, e.code) for e in error.errors]
    raise AssertionError("the bad body was accepted")
