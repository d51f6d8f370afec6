"""The generated decoder's three paths (nested, whole body, clean body) report the same errors.

``Record.decode`` takes a shortcut for bodies that cannot hold a control character and builds
whole-body errors in advance; these tests pin the cases where a wrong shortcut would show.
"""

from __future__ import annotations

import json

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_core.errors import FieldError, ValidationError
from feedback_core.ingest import Feedback, Record, field

VALID = {"name": "Ana", "email": "ana@example.com", "rating": 4, "message": "Quick and kind."}


@attrs.frozen(kw_only=True)
class Guest(Record):
    """A nested record with every inline kind of check."""

    name: str = field(min_length=3, max_length=10)
    nickname: str = field(min_length=0, default="")
    age: int = field(ge=18, le=120)
    meal: str | None = field(default=None, choices=("fish", "veg"))


@attrs.frozen(kw_only=True)
class Rsvp(Record):
    """A record holding a nested record."""

    event_id: str = field(pattern=r"[a-z0-9-]+")
    guest: Guest


def utf8(value: object) -> bytes:
    """Write JSON the way most clients do: raw UTF-8, big integers kept."""
    return json.dumps(value, ensure_ascii=False).encode()


def outcome(schema: type[Record], body: bytes | str) -> Record | list[FieldError]:
    """The record decoded from the body, or its field errors."""
    try:
        return schema.decode(body)
    except ValidationError as error:
        return list(error.errors)


def codes(schema: type[Record], body: bytes | str) -> list[tuple[str, str]]:
    """The (pointer, code) of every field error the body gets."""
    result = outcome(schema, body)
    assert isinstance(result, list), "the body was expected to be refused"
    return [(e.pointer, e.code) for e in result]


def test_raw_delete_character_is_refused() -> None:
    """A raw DEL byte (JSON allows it unescaped) is still a control character."""
    body = orjson.dumps({**VALID, "name": "a\x7fb"})
    assert b"\x7f" in body
    assert [("/name", "control_character")] == codes(Feedback, body)


def test_raw_c1_control_is_refused() -> None:
    """A raw C1 control (NEL, UTF-8 C2 85) in a multiline field is still refused."""
    body = orjson.dumps({**VALID, "message": "line\x85two"})
    assert b"\xc2\x85" in body
    assert [("/message", "control_character")] == codes(Feedback, body)


def test_escaped_control_is_refused() -> None:
    """An escaped NUL in an otherwise plain body is refused."""
    assert [("/email", "control_character")] == codes(
        Feedback, b'{"name":"Ana","email":"a\\u0000@b.co","rating":4,"message":"ok"}'
    )


@pytest.mark.parametrize("text", ['"a\x7fb"', '"a\\u0007b"', '"a\\u0085b"', '"a\x85b"'])
def test_controls_in_a_text_body_are_refused(text: str) -> None:
    """A str body (ASCII or not) gets the same control-character check as a bytes body."""
    body = '{"name":' + text + ',"email":"a@b.co","rating":4,"message":"ok"}'
    assert [("/name", "control_character")] == codes(Feedback, body)


def test_raw_non_ascii_text_is_normalized() -> None:
    """A raw UTF-8 body with a decomposed accent gets the composed character."""
    record = outcome(Feedback, orjson.dumps({**VALID, "message": "cafe\u0301"}))
    assert isinstance(record, Feedback)
    assert "caf\u00e9" == record.message


def test_errors_of_a_repeated_body_are_equal() -> None:
    """Decoding the same invalid body twice gives equal, separate ValidationErrors."""
    body = orjson.dumps({"name": "", "email": "nope", "rating": 9, "message": 3, "x": 1})
    first, second = outcome(Feedback, body), outcome(Feedback, body)
    assert first == second
    assert [
        FieldError(pointer="/name", code="empty", message="Must not be empty."),
        FieldError(pointer="/email", code="pattern", message="Is not in the expected format."),
        FieldError(pointer="/rating", code="maximum", message="Must be at most 5."),
        FieldError(pointer="/message", code="type", message="Must be a string."),
        FieldError(pointer="/x", code="unknown_field", message="This field is not allowed."),
    ] == first


@pytest.mark.parametrize(
    ("rating", "code"),
    [
        (0, "minimum"),
        (6, "maximum"),
        (-(10**38), "out_of_range"),
        (10**38, "out_of_range"),
        (True, "type"),
        ("4", "type"),
        (4.5, "type"),
        (4.0, "type"),
    ],
)
def test_integer_errors_keep_their_order(rating: object, code: str) -> None:
    """Range, digit-count and type errors of an integer field are told apart."""
    assert [("/rating", code)] == codes(Feedback, utf8({**VALID, "rating": rating}))


def test_nested_record_errors_point_inside_it() -> None:
    """Errors in a nested record carry its field's pointer as a prefix."""
    body = {"eventId": "gala", "guest": {"name": "Al", "age": 17, "meal": "meat", "x/y": 1}}
    assert [
        ("/guest/name", "min_length"),
        ("/guest/age", "minimum"),
        ("/guest/meal", "enum"),
        ("/guest/x~1y", "unknown_field"),
    ] == codes(Rsvp, orjson.dumps(body))


def test_nested_record_decodes() -> None:
    """A valid nested record decodes, an empty string allowed where min_length is 0."""
    body = {"eventId": "gala", "guest": {"name": "Alma", "nickname": " ", "age": 30}}
    assert Rsvp(event_id="gala", guest=Guest(name="Alma", nickname="", age=30)) == outcome(
        Rsvp, orjson.dumps(body)
    )


def test_empty_and_short_strings_have_their_own_codes() -> None:
    """Under a minimum of 3, an empty name is "empty" and a 2-letter one "min_length"."""
    assert [("/guest/name", "empty")] == codes(
        Rsvp, orjson.dumps({"eventId": "e", "guest": {"name": " ", "age": 30}})
    )
    assert [("/guest/name", "max_length")] == codes(
        Rsvp, orjson.dumps({"eventId": "e", "guest": {"name": "A" * 11, "age": 30}})
    )


texts = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(["\x7f", "\x85", "\n", "\\", " "]),
    max_size=12,
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "name": texts,
        "email": texts | st.emails(),
        "rating": st.integers(min_value=-2, max_value=8) | texts,
        "message": texts,
        "customerId": texts,
        "eventId": texts,
        "guest": st.fixed_dictionaries(
            {},
            optional={
                "name": texts,
                "nickname": texts,
                "age": st.integers() | texts,
                "meal": texts,
            },
        ),
    },
)


@settings(max_examples=400, deadline=None)
@given(bodies)
def test_bytes_text_and_parsed_values_agree(body: dict[str, object]) -> None:
    """The same body gets the same outcome as raw UTF-8, as text and as a parsed value."""
    raw = utf8(body)
    for schema in (Feedback, Rsvp):
        expected = outcome(schema, raw)
        assert expected == outcome(schema, raw.decode())
        try:
            parsed: Record | list[FieldError] = schema.from_json_value(body)
        except ValidationError as error:
            parsed = list(error.errors)
        assert expected == parsed
