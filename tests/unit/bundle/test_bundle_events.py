"""S3 notifications are read from SQS bodies in every shape they arrive in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from feedback_core.bundle import Malformed, Notification, Skipped, parse_message, parse_sqs_event


def s3_record(key: str = "in/a+b%2Bc.json", **extra: Any) -> dict[str, Any]:
    obj = {"key": key, "size": 12, "eTag": "0123abcd", "versionId": "v1", **extra}
    return {
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Put",
        "eventTime": "2026-05-04T03:02:01.000Z",
        "s3": {"bucket": {"name": "sources"}, "object": obj},
    }


def body(value: object) -> str:
    return orjson.dumps(value).decode()


def test_direct_notification_gives_the_decoded_key_and_version() -> None:
    """A plain S3 notification: key URL-decoded (+ is a space), version id and time kept."""
    parsed = parse_message("m1", body({"Records": [s3_record()]}))
    assert isinstance(parsed, Notification)
    (ref,) = parsed.refs
    assert ("sources", "in/a b+c.json", "v1", "0123abcd", 12) == (
        ref.bucket,
        ref.key,
        ref.version_id,
        ref.etag,
        ref.size,
    )
    assert datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC) == ref.event_time


def test_sns_envelope_is_unwrapped() -> None:
    """Through SNS without raw delivery, the notification is the envelope's Message string."""
    envelope = {"Type": "Notification", "Message": body({"Records": [s3_record()]})}
    parsed = parse_message("m1", body(envelope))
    assert isinstance(parsed, Notification)
    assert "in/a b+c.json" == parsed.refs[0].key


def test_sns_raw_delivery_is_the_bare_notification() -> None:
    """With raw message delivery SNS passes the S3 notification through unchanged."""
    direct = parse_message("m1", body({"Records": [s3_record()]}))
    assert isinstance(direct, Notification)


def test_eventbridge_object_created_is_read() -> None:
    """An EventBridge "Object Created" event names the object under detail."""
    event = {
        "version": "0",
        "source": "aws.s3",
        "detail-type": "Object Created",
        "time": "2026-05-04T03:02:01Z",
        "detail": {
            "bucket": {"name": "sources"},
            "object": {"key": "in/x%3Dy.json", "size": 5, "etag": "e1", "version-id": "v9"},
        },
    }
    parsed = parse_message("m1", body(event))
    assert isinstance(parsed, Notification)
    ref = parsed.refs[0]
    assert ("in/x=y.json", "v9", "e1", 5) == (ref.key, ref.version_id, ref.etag, ref.size)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"Service": "Amazon S3", "Event": "s3:TestEvent"}, "s3:TestEvent"),
        ({"Records": [{**s3_record(), "eventName": "ObjectRemoved:Delete"}]}, "no object created"),
        ({"source": "aws.s3", "detail-type": "Object Deleted"}, "EventBridge Object Deleted"),
    ],
)
def test_test_events_and_deletes_are_skipped(value: object, reason: str) -> None:
    """Nothing to bundle: the message is acknowledged, with the reason."""
    assert Skipped(message_id="m1", reason=reason) == parse_message("m1", body(value))


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        body([1, 2]),
        body({"hello": "world"}),
        body({"Records": [{"eventName": "ObjectCreated:Put", "s3": {}}]}),
        body({"Records": [s3_record(size=-1)]}),
        body({"Type": "Notification", "Message": "{broken"}),
        body({"Type": "Notification", "Message": body({"Type": "Notification", "Message": "{}"})}),
    ],
)
def test_malformed_bodies_are_reported_not_raised(text: str) -> None:
    """A body that is no notification becomes Malformed, so only that message fails."""
    assert isinstance(parse_message("m1", text), Malformed)


def test_sqs_event_keeps_message_ids_in_order() -> None:
    """Each record of the Lambda event becomes one parsed message, by its messageId."""
    records = [
        {"messageId": "a", "body": body({"Records": [s3_record()]})},
        {"messageId": "b", "body": "nope"},
    ]
    assert ["a", "b"] == [m.message_id for m in parse_sqs_event(records)]
