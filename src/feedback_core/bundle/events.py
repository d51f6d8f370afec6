"""S3 object-created notifications out of SQS messages, whatever path they took to the queue.

One SQS message body may be an S3 notification (``{"Records": [...]}``), the same wrapped in an
SNS envelope (``{"Type": "Notification", "Message": "..."}``; with raw delivery it arrives bare),
or an EventBridge event (``{"source": "aws.s3", "detail-type": "Object Created", ...}``).
Keys are URL-decoded (``unquote_plus``) in every form, as S3 encodes them in every form.
``s3:TestEvent`` and events that create nothing are skipped; a body that is none of these is
malformed, and reported as that message's failure alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import unquote_plus

import attrs
import orjson

from feedback_core.bundle.core import utc
from feedback_core.bundle.ports import SourceRef

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Malformed", "Notification", "Parsed", "Skipped", "parse_message", "parse_sqs_event"]


@attrs.frozen(kw_only=True)
class Notification:
    """A message that announces object versions to bundle."""

    message_id: str
    refs: tuple[SourceRef, ...]


@attrs.frozen(kw_only=True)
class Skipped:
    """A message with nothing to bundle (a test event, a delete): acknowledge it."""

    message_id: str
    reason: str


@attrs.frozen(kw_only=True)
class Malformed:
    """A message that cannot be understood: report it failed so the redrive policy moves it."""

    message_id: str
    reason: str


Parsed: TypeAlias = Notification | Skipped | Malformed
"""What one SQS message becomes."""


class _BadMessageError(ValueError):
    pass


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise _BadMessageError(f"{what} is missing")
    return value


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _BadMessageError(f"{what} is missing")
    return value


def _size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _BadMessageError("object size is missing")
    return value


def _object_ref(bucket: object, obj: object, *, version: str, etag: str, time: object) -> SourceRef:
    """The reference an S3 notification or an EventBridge event gives (their spellings differ)."""
    fields = _mapping(obj, "object")
    return SourceRef(
        bucket=_text(_mapping(bucket, "bucket").get("name"), "bucket name"),
        key=unquote_plus(_text(fields.get("key"), "object key")),
        version_id=fields.get(version) or None,
        etag=str(fields.get(etag, "")).strip('"'),
        size=_size(fields.get("size")),
        event_time=utc(_text(time, "event time")),
    )


def _from_s3_record(record: Mapping[str, Any]) -> SourceRef | None:
    if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
        return None
    s3 = _mapping(record.get("s3"), "s3")
    return _object_ref(
        s3.get("bucket"),
        s3.get("object"),
        version="versionId",
        etag="eTag",
        time=record.get("eventTime"),
    )


def _from_eventbridge(event: Mapping[str, Any]) -> SourceRef | None:
    if event.get("detail-type") != "Object Created":
        return None
    detail = _mapping(event.get("detail"), "detail")
    return _object_ref(
        detail.get("bucket"),
        detail.get("object"),
        version="version-id",
        etag="etag",
        time=event.get("time"),
    )


def _refs(body: Mapping[str, Any], *, in_envelope: bool = False) -> tuple[list[SourceRef], str]:
    if body.get("Type") == "Notification" and "Message" in body:  # SNS envelope, not raw
        if in_envelope:  # SNS wraps once; deeper nesting is no notification
            raise _BadMessageError("an SNS envelope inside an SNS envelope")
        inner = orjson.loads(_text(body["Message"], "SNS Message"))
        return _refs(_mapping(inner, "SNS Message"), in_envelope=True)
    if body.get("Event") == "s3:TestEvent":
        return [], "s3:TestEvent"
    if body.get("source") == "aws.s3":
        ref = _from_eventbridge(body)
        return ([ref] if ref else []), f"EventBridge {body.get('detail-type')}"
    records = body.get("Records")
    if not isinstance(records, list):
        raise _BadMessageError("not an S3 notification")
    refs: list[SourceRef] = []
    for record in records:
        ref = _from_s3_record(_mapping(record, "record"))
        if ref is not None:
            refs.append(ref)
    return refs, "no object created"


def parse_message(message_id: str, body: str) -> Parsed:
    """Parse one SQS message body.

    Examples:
        >>> s3 = {"bucket": {"name": "in"}, "object": {"key": "a+b%21.json", "size": 3}}
        >>> record = {"eventName": "ObjectCreated:Put", "eventTime": "2026-01-02T03:04Z", "s3": s3}
        >>> parse_message("m1", orjson.dumps({"Records": [record]}).decode()).refs[0].key
        'a b!.json'
        >>> parse_message("m2", '{"Event": "s3:TestEvent"}').reason
        's3:TestEvent'
        >>> parse_message("m3", "{nope").reason
        'not JSON'
    """
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        return Malformed(message_id=message_id, reason="not JSON")
    try:
        refs, why_none = _refs(_mapping(decoded, "body"))
    except (_BadMessageError, ValueError, TypeError) as exc:
        return Malformed(message_id=message_id, reason=str(exc))
    if not refs:
        return Skipped(message_id=message_id, reason=why_none)
    return Notification(message_id=message_id, refs=tuple(refs))


def parse_sqs_event(records: Iterable[Mapping[str, Any]]) -> list[Parsed]:
    """Parse the ``Records`` of a Lambda SQS event (``messageId`` and ``body`` of each)."""
    return [parse_message(str(r.get("messageId", "")), str(r.get("body", ""))) for r in records]
