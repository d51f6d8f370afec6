"""Properties of the notification decoder: keys round-trip, and no body makes it raise."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import orjson
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.bundle import Malformed, Notification, Skipped, parse_message

KEYS = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=200)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(KEYS)
def test_any_key_survives_s3_url_encoding(key: str) -> None:
    """Whatever the key, the decoded reference names it exactly, as S3 encoded it."""
    obj = {"key": quote_plus(key, safe="/"), "size": 1, "eTag": "e"}
    record: dict[str, Any] = {"eventName": "ObjectCreated:Put", "eventTime": "2026-01-01T00:00:00Z"}
    record["s3"] = {"bucket": {"name": "b"}, "object": obj}
    parsed = parse_message("m", orjson.dumps({"Records": [record]}).decode())
    assert isinstance(parsed, Notification)
    assert key == parsed.refs[0].key


@given(JSON)
def test_any_json_body_is_parsed_or_reported_never_raised(value: object) -> None:
    """A body of any JSON shape becomes a notification, a skip, or a malformed message."""
    parsed = parse_message("m", orjson.dumps(value).decode())
    assert isinstance(parsed, Notification | Skipped | Malformed)


@given(st.dictionaries(st.sampled_from(["Records", "Type", "Message", "source", "detail"]), JSON))
def test_bodies_shaped_like_notifications_never_raise(value: dict[str, object]) -> None:
    """Near-miss notifications (right keys, wrong values) are reported, not raised."""
    parsed = parse_message("m", orjson.dumps(value).decode())
    assert isinstance(parsed, Notification | Skipped | Malformed)
