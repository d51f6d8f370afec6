"""Decoding Lambda DynamoDB stream events into typed records."""

from __future__ import annotations

from base64 import b64encode
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from boto3.dynamodb.types import TypeDeserializer
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.aggregate.stream import (
    EventName,
    StreamRecord,
    decode_event,
    decode_image,
    decode_record,
    decode_value,
    parse_number,
)
from feedback_core.attributes import to_attribute, to_item
from feedback_core.errors import StreamConfigurationError

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/votes/stream/2026-01-01T00:00:00.000"


def record(
    sequence: str = "100",
    name: str = "INSERT",
    *,
    new: dict[str, Any] | None = None,
    old: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "SequenceNumber": sequence,
        "Keys": {"pollId": {"S": "p1"}, "userId": {"S": "u1"}},
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        "SizeBytes": 64,
        "ApproximateCreationDateTime": 1795000000,
    }
    if new is not None:
        data["NewImage"] = to_item(new)
    if old is not None:
        data["OldImage"] = to_item(old)
    return {"eventID": "e1", "eventName": name, "eventSourceARN": ARN, "dynamodb": data, **extra}


VOTE: dict[str, Any] = {"pollId": "p1", "userId": "u1", "choice": "yes", "revision": 2}


def json_attribute(value: Any) -> Any:
    """An AttributeValue as Lambda's JSON carries it (binary as base64 text)."""
    attribute: Any = to_attribute(value)
    return _base64(attribute)


def _base64(node: Any) -> Any:
    if isinstance(node, bytes):
        return b64encode(node).decode()
    if isinstance(node, dict):
        return {k: _base64(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_base64(v) for v in node]
    return node


def test_an_insert_decodes_to_a_typed_record() -> None:
    """Event name, sequence number, keys, image, time and ARN all come through typed."""
    decoded = decode_record(record(new=VOTE))
    expected = StreamRecord(
        event_id="e1",
        event_name=EventName.INSERT,
        sequence_number="100",
        sequence=100,
        keys={"pollId": "p1", "userId": "u1"},
        new_image=VOTE,
        old_image=None,
        created_at=1795000000,
        size_bytes=64,
        stream_view_type="NEW_AND_OLD_IMAGES",
        event_source_arn=ARN,
        is_ttl_expiry=False,
    )
    assert expected == decoded


def test_integral_numbers_decode_as_int_and_others_as_decimal() -> None:
    """N "4", "4.0" and "4E0" are the int 4; "4.5" and "-0.25" stay exact Decimals."""
    decoded = [decode_value({"N": n}) for n in ("4", "4.0", "4E0", "4.5", "-0.25", "-3")]
    assert [4, 4, 4, Decimal("4.5"), Decimal("-0.25"), -3] == decoded


def test_binary_decodes_from_base64_to_bytes() -> None:
    """Lambda's JSON carries B as base64 text; it decodes to the original bytes."""
    assert b"\x00\xffhi" == decode_value({"B": b64encode(b"\x00\xffhi").decode()})


def test_sets_decode_to_frozensets() -> None:
    """SS, NS and BS decode to frozensets of their members."""
    decoded = decode_image(
        {"s": {"SS": ["a", "b"]}, "n": {"NS": ["1", "2.5"]}, "b": {"BS": ["aGk="]}}
    )
    assert {
        "s": frozenset({"a", "b"}),
        "n": frozenset({1, Decimal("2.5")}),
        "b": frozenset({b"hi"}),
    } == decoded


def test_a_ttl_removal_is_marked_as_expiry() -> None:
    """A REMOVE by the DynamoDB service principal is flagged as a Time to Live expiry."""
    identity = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    decoded = decode_record(record(name="REMOVE", old=VOTE, userIdentity=identity))
    assert decoded.is_ttl_expiry


def test_a_user_removal_is_not_an_expiry() -> None:
    """A REMOVE without the service principal is a user's delete."""
    assert not decode_record(record(name="REMOVE", old=VOTE)).is_ttl_expiry


def test_keys_decode_without_an_image() -> None:
    """A KEYS_ONLY record still carries its decoded keys."""
    assert {"pollId": "p1", "userId": "u1"} == decode_record(record(name="REMOVE")).keys


def test_a_fractional_creation_time_is_truncated_to_seconds() -> None:
    """Millisecond-precision creation times become whole epoch seconds."""
    raw = record(new=VOTE)
    raw["dynamodb"]["ApproximateCreationDateTime"] = 1795000000.875
    assert 1795000000 == decode_record(raw).created_at


def test_records_read_with_the_streams_client_decode_too() -> None:
    """GetRecords output (bytes for B, a datetime creation time) decodes like Lambda's JSON."""
    raw = record(new=VOTE)
    raw["dynamodb"]["ApproximateCreationDateTime"] = datetime(2026, 11, 18, 11, 6, 40, tzinfo=UTC)
    raw["dynamodb"]["NewImage"]["blob"] = {"B": b"\x00\x01"}
    decoded = decode_event({"Records": [raw], "eventSourceARN": ARN}).records[0]
    assert (1795000000, b"\x00\x01") == (
        decoded.created_at,
        decoded.new_image and decoded.new_image["blob"],
    )


def test_an_event_decodes_records_in_order() -> None:
    """The batch holds every record in order, with the stream ARN."""
    batch = decode_event({"Records": [record("1", new=VOTE), record("2", "REMOVE", old=VOTE)]})
    assert (["1", "2"], ARN, None) == (
        [r.sequence_number for r in batch.records],
        batch.event_source_arn,
        batch.window,
    )


def test_records_out_of_order_are_put_back_in_stream_order() -> None:
    """Reprocessed records may arrive out of order (AWS says so): sorted, not refused."""
    batch = decode_event({"Records": [record("20", new=VOTE), record("3", new=VOTE)]})
    assert ["3", "20"] == [r.sequence_number for r in batch.records]


def test_a_record_delivered_twice_in_one_batch_is_kept_once() -> None:
    """The same sequence number twice in a batch is one record, not two votes."""
    batch = decode_event({"Records": [record("5", new=VOTE), record("5", new=VOTE)]})
    assert ["5"] == [r.sequence_number for r in batch.records]


def test_an_event_without_records_is_a_configuration_error() -> None:
    """An API Gateway event sent to a stream handler is not silently ignored."""
    with pytest.raises(StreamConfigurationError, match="Records"):
        decode_event({"httpMethod": "GET"})


def test_a_record_without_stream_data_is_a_configuration_error() -> None:
    """An SQS record in a stream handler gets a clear error naming the problem."""
    with pytest.raises(StreamConfigurationError, match="DynamoDB stream"):
        decode_event({"Records": [{"messageId": "m1", "body": "{}"}]})


def test_a_malformed_attribute_value_is_a_configuration_error() -> None:
    """An AttributeValue without a known type key is refused."""
    raw = record()
    raw["dynamodb"]["NewImage"] = {"x": {"Q": "1"}}
    with pytest.raises(StreamConfigurationError, match="AttributeValue"):
        decode_event({"Records": [raw]})


def test_window_fields_decode() -> None:
    """A tumbling-window event carries its window, shard, state and flags."""
    event = {
        "Records": [],
        "window": {"start": "2026-11-22T23:20:00Z", "end": "2026-11-22T23:21:00Z"},
        "state": {"v": 1},
        "shardId": "shardId-1",
        "eventSourceARN": ARN,
        "isFinalInvokeForWindow": True,
        "isWindowTerminatedEarly": False,
    }
    batch = decode_event(event)
    assert batch.window is not None
    assert (ARN, "shardId-1", {"v": 1}, True, False) == (
        batch.event_source_arn,
        batch.window.shard_id,
        batch.window.state,
        batch.window.is_final,
        batch.window.terminated_early,
    )


def test_a_window_without_shard_is_a_configuration_error() -> None:
    """A window event missing its shard id is refused."""
    event = {"Records": [], "window": {"start": "a", "end": "b"}}
    with pytest.raises(StreamConfigurationError, match="window"):
        decode_event(event)


def test_the_fast_record_equals_one_built_by_attrs() -> None:
    """The decoder's direct construction gives the same frozen value as the attrs initializer."""
    decoded = decode_record(record(name="MODIFY", new=VOTE, old={**VOTE, "choice": "no"}))
    rebuilt = StreamRecord(
        event_id=decoded.event_id,
        event_name=decoded.event_name,
        sequence_number=decoded.sequence_number,
        sequence=decoded.sequence,
        keys=decoded.keys,
        new_image=decoded.new_image,
        old_image=decoded.old_image,
        created_at=decoded.created_at,
        size_bytes=decoded.size_bytes,
        stream_view_type=decoded.stream_view_type,
        event_source_arn=decoded.event_source_arn,
        is_ttl_expiry=decoded.is_ttl_expiry,
    )
    assert rebuilt == decoded


def test_a_decoded_record_is_frozen() -> None:
    """Records are values: assigning to one fails."""
    decoded = decode_record(record(new=VOTE))
    with pytest.raises(AttributeError):
        decoded.sequence = 5  # type: ignore[misc]  # the point: frozen


values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.decimals(allow_nan=False, allow_infinity=False, places=6).map(lambda d: d.normalize())
    | st.text(max_size=20)
    | st.binary(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def _expected(value: Any) -> Any:
    """What the decoder should return: integral Decimals as int."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, list):
        return [_expected(v) for v in value]
    if isinstance(value, dict):
        return {k: _expected(v) for k, v in value.items()}
    return value


@given(values)
def test_decoding_inverts_encoding(value: Any) -> None:
    """Any value written as a Lambda-JSON AttributeValue decodes back to itself."""
    assert _expected(value) == decode_value(json_attribute(value))


@given(values.filter(lambda v: not isinstance(v, bytes)))
def test_decoding_agrees_with_boto3(value: Any) -> None:
    """Numbers aside (int vs Decimal), decoding agrees with boto3's TypeDeserializer."""
    ours = decode_value(json_attribute(value))
    theirs = TypeDeserializer().deserialize(cast("Any", to_attribute(value)))
    assert _as_decimal(theirs) == _as_decimal(ours)


def _as_decimal(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, list):
        return [_as_decimal(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_decimal(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return frozenset(_as_decimal(v) for v in value)
    return value


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_number_parsing_is_exact(number: Decimal) -> None:
    """Every finite number text parses to the same value, as int when integral."""
    parsed = parse_number(str(number))
    assert (Decimal(parsed) == number, isinstance(parsed, int)) == (
        True,
        number == number.to_integral_value(),
    )
