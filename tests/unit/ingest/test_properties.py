"""Property-based tests: decoders raise nothing but ValidationError, and records round-trip.

Together these tests generate more than 10,000 bodies (4,000 + 3,000 + 3,000 + 1,000).
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback_core.errors import ValidationError
from feedback_core.ingest import Feedback, Record, SurveyResponse, Vote

SCHEMAS: tuple[type[Record], ...] = (Feedback, SurveyResponse, Vote)

_json_leaf = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    _json_leaf,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=30,
)
tricky_text = st.text(
    alphabet=st.characters(codec="utf-8")
    | st.sampled_from(["\u0000", "\n", "\t", "\u0301", " ", "\U0001f600", "@", "."]),
    max_size=40,
)
scalar = st.one_of(
    tricky_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.lists(tricky_text, max_size=3),
)
near_valid = st.fixed_dictionaries(
    {},
    optional={
        "name": scalar,
        "email": st.emails() | scalar,
        "rating": st.integers(min_value=-1, max_value=7) | scalar,
        "message": scalar,
        "customerId": scalar,
        "surveyId": st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True) | scalar,
        "answers": st.dictionaries(
            st.from_regex(r"q[0-9]{1,2}", fullmatch=True) | tricky_text, scalar, max_size=6
        )
        | scalar,
        "respondentId": scalar,
        "pollId": scalar,
        "userId": st.from_regex(r"u[0-9]{1,4}", fullmatch=True) | scalar,
        "choice": scalar,
        "extra": scalar,
    },
)


def dumps(value: object) -> bytes:
    """Write JSON like a client would, big integers and exact decimals included."""

    def text(v: object) -> str:
        if isinstance(v, Decimal):
            return str(v)
        if isinstance(v, dict):
            return "{" + ",".join(f"{json.dumps(str(k))}:{text(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list | tuple):
            return "[" + ",".join(text(x) for x in v) + "]"
        return json.dumps(v)

    return text(value).encode()


def decode_all(body: bytes | str) -> list[Record]:
    """Decode the body with every schema; return the records that were accepted."""
    accepted, refused = [], []
    for schema in SCHEMAS:
        try:
            accepted.append(schema.decode(body))
        except ValidationError as error:
            refused.append(error)
    assert all(error.errors for error in refused), "a ValidationError names its field errors"
    return accepted


def assert_round_trips(record: Record) -> None:
    assert record == type(record).from_item(record.to_item())
    assert record == type(record).decode(record.to_json_bytes())


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_valid)
def test_near_valid_bodies_raise_only_validation_errors(body: dict[str, object]) -> None:
    """Bodies close to valid either decode and round-trip, or raise ValidationError."""
    for record in decode_all(dumps(body)):
        assert_round_trips(record)


@settings(max_examples=3000, deadline=None)
@given(json_values)
def test_arbitrary_json_raises_only_validation_errors(value: object) -> None:
    """Any JSON document is accepted or refused with a ValidationError, never anything else."""
    for record in decode_all(dumps(value)):
        assert_round_trips(record)


@settings(max_examples=3000, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_bytes_raise_only_validation_errors(body: bytes | str) -> None:
    """Random bytes and text never escape as anything but a ValidationError."""
    for record in decode_all(body):
        assert_round_trips(record)


@settings(max_examples=1000, deadline=None)
@given(
    st.builds(
        dict,
        name=st.text(min_size=1, max_size=120).filter(lambda s: s.strip() != ""),
        email=st.emails(),
        rating=st.integers(min_value=1, max_value=5),
        message=st.text(min_size=1, max_size=300).filter(lambda s: s.strip() != ""),
    )
)
def test_accepted_feedback_round_trips(body: dict[str, object]) -> None:
    """Every Feedback that is accepted comes back unchanged from a DynamoDB item and from JSON."""
    try:
        record = Feedback.decode(dumps(body))
    except ValidationError:
        return
    assert_round_trips(record)
