"""Decode a Lambda DynamoDB stream event into typed, ordered stream records.

Lambda hands a stream handler JSON: AttributeValues in their wire shape (``{"N": "4"}``), binary
values base64-encoded, sequence numbers as digit strings. :func:`decode_event` turns that into a
:class:`StreamBatch` of :class:`StreamRecord` values whose images hold plain Python values:
integral numbers as ``int``, other numbers as exact ``Decimal``, binary as ``bytes``, sets as
``frozenset``. It is written for speed (see ``benchmarks/bench_aggregate_decode.py``): a handler
decodes every image of every record on every invocation.

Examples:
    >>> event = {"Records": [{
    ...     "eventID": "1", "eventName": "INSERT", "eventSource": "aws:dynamodb",
    ...     "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/votes/stream/x",
    ...     "dynamodb": {
    ...         "Keys": {"pollId": {"S": "p1"}, "userId": {"S": "u1"}},
    ...         "NewImage": {"pollId": {"S": "p1"}, "userId": {"S": "u1"},
    ...                      "choice": {"S": "yes"}, "revision": {"N": "1"}},
    ...         "SequenceNumber": "100", "SizeBytes": 40,
    ...         "StreamViewType": "NEW_AND_OLD_IMAGES"}}]}
    >>> record = decode_event(event).records[0]
    >>> record.event_name, record.new_image["choice"], record.new_image["revision"]
    (<EventName.INSERT: 'INSERT'>, 'yes', 1)
"""

from __future__ import annotations

import binascii
import enum
from base64 import b64decode
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

import attrs

from feedback_core.errors import StreamConfigurationError

if TYPE_CHECKING:
    from feedback_core.attributes import Value

__all__ = [
    "TTL_PRINCIPAL",
    "EventName",
    "StreamBatch",
    "StreamRecord",
    "WindowInfo",
    "decode_event",
    "decode_image",
    "decode_record",
    "decode_value",
    "iso_seconds",
    "parse_number",
]

TTL_PRINCIPAL = "dynamodb.amazonaws.com"
"""The ``userIdentity.principalId`` DynamoDB puts on a REMOVE made by Time to Live."""


class EventName(enum.Enum):
    """What happened to the item: created, changed or deleted."""

    INSERT = "INSERT"
    MODIFY = "MODIFY"
    REMOVE = "REMOVE"


_EVENT_NAMES = {name.value: name for name in EventName}


@attrs.frozen(kw_only=True, slots=False)  # a dict class: see _record() for why
class StreamRecord:
    """One decoded DynamoDB stream record.

    Attributes:
        event_id: Lambda's ``eventID``, unique per record.
        event_name: INSERT, MODIFY or REMOVE.
        sequence_number: The record's ``SequenceNumber`` text, as Lambda reports it back in
            ``batchItemFailures``.
        sequence: The same number as an ``int``, for ordering (the text has no fixed width).
        keys: The item's primary key attributes.
        new_image: The item after the change; ``None`` for REMOVE or when the stream does not
            carry new images.
        old_image: The item before the change; ``None`` for INSERT or when the stream does not
            carry old images.
        created_at: ``ApproximateCreationDateTime`` in whole epoch seconds, if present.
        size_bytes: ``SizeBytes``, if present.
        stream_view_type: ``StreamViewType`` (e.g. ``NEW_AND_OLD_IMAGES``), if present.
        event_source_arn: The stream's ARN.
        is_ttl_expiry: True for a REMOVE that DynamoDB's Time to Live made, not a user.
    """

    event_id: str
    event_name: EventName
    sequence_number: str
    sequence: int
    keys: Mapping[str, Value]
    new_image: Mapping[str, Value] | None
    old_image: Mapping[str, Value] | None
    created_at: int | None = None
    size_bytes: int | None = None
    stream_view_type: str | None = None
    event_source_arn: str = ""
    is_ttl_expiry: bool = False


@attrs.frozen(kw_only=True)
class WindowInfo:
    """The tumbling-window fields of a stream event (present only when a window is configured).

    Attributes:
        start: The window's start, as Lambda sends it (ISO-8601).
        end: The window's end.
        shard_id: The stream shard the records come from.
        state: The state the previous invocation in this window returned (``{}`` at first).
        is_final: ``isFinalInvokeForWindow``: the window is closing; flush now.
        terminated_early: ``isWindowTerminatedEarly``: the window closes early (the state grew
            past Lambda's 1 MB limit); flush now, the window continues with a fresh state.
    """

    start: str
    end: str
    shard_id: str
    state: Mapping[str, object]
    is_final: bool
    terminated_early: bool


@attrs.frozen(kw_only=True)
class StreamBatch:
    """The records of one invocation, in stream order, and the window fields if any.

    Attributes:
        records: The decoded records, strictly increasing by sequence number.
        event_source_arn: The stream's ARN (from the records, or the event in window mode).
        window: Tumbling-window fields; ``None`` when no window is configured.
    """

    records: tuple[StreamRecord, ...]
    event_source_arn: str
    window: WindowInfo | None = None


def iso_seconds(epoch: int) -> str:
    """Return epoch seconds as ISO-8601 UTC text, as stream times and window bounds are written.

    Examples:
        >>> iso_seconds(1_795_000_000)
        '2026-11-18T11:06:40Z'
    """
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_number(text: str) -> int | Decimal:
    """Parse DynamoDB number text: ``int`` when integral (``"4"``, ``"4.0"``), else ``Decimal``.

    Examples:
        >>> parse_number("4.0"), parse_number("4.5"), parse_number("1E+2")
        (4, Decimal('4.5'), 100)
    """
    # Plain digit strings are by far the most common numbers (ratings, counts, revisions).
    if text.isdigit():
        return int(text)
    if "e" in text or "E" in text:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else number
    if "." in text:
        whole, _, fraction = text.partition(".")
        # "4.0" is integral: only zeros after the point (DynamoDB usually strips them anyway).
        if not fraction.strip("0"):
            return int(whole or "0")
        return Decimal(text)
    return int(text)


def _binary(raw: object) -> bytes:
    if isinstance(raw, bytes | bytearray):
        # Records read with the low-level DynamoDB Streams client already carry bytes.
        return bytes(raw)
    if not isinstance(raw, str):
        raise TypeError(f"binary value is a {type(raw).__name__}, not base64 text")
    return b64decode(raw, validate=True)


# The private decoders below take ``Any``: they are the hot path of every stream handler, and
# ``typing.cast`` is a real call at run time. The public wrappers keep typed signatures.


def _value(attribute: Any) -> Value:  # noqa: PLR0911  # hot path; one return per type
    for tag, raw in attribute.items():
        if tag == "S":
            return cast("str", raw)
        if tag == "N":
            return int(raw) if raw.isdigit() else parse_number(raw)
        if tag == "M":
            return _image(raw)
        if tag == "BOOL":
            return cast("bool", raw)
        if tag == "L":
            return [_value(v) for v in raw]
        if tag == "NULL":
            return None
        if tag == "B":
            return _binary(raw)
        if tag == "SS":
            return frozenset(raw)
        if tag == "NS":
            return frozenset(parse_number(n) for n in raw)
        if tag == "BS":
            return frozenset(_binary(b) for b in raw)
        break
    raise ValueError(f"not an AttributeValue: keys {sorted(attribute)}")


def _image(image: Any) -> dict[str, Value]:  # hot path, see above
    decoded: dict[str, Value] = {}
    for name, attribute in image.items():
        # Strings and plain integers dominate real images; test them inline before the
        # general decoder to save a call per attribute.
        text = attribute.get("S")
        if text is not None:
            decoded[name] = text
            continue
        number = attribute.get("N")
        if number is not None:
            decoded[name] = int(number) if number.isdigit() else parse_number(number)
            continue
        decoded[name] = _value(attribute)
    return decoded


def decode_value(attribute: Mapping[str, object]) -> Value:
    """Decode one AttributeValue as it appears in a Lambda stream event.

    Args:
        attribute: A mapping with exactly one type key, e.g. ``{"N": "4.5"}``.

    Returns:
        The Python value: ``str``, ``int`` (integral numbers), ``Decimal``, ``bytes`` (binary is
        base64 in Lambda's JSON), ``bool``, ``None``, ``list``, ``dict`` or ``frozenset``.

    Raises:
        ValueError: if the mapping is not an AttributeValue.

    Examples:
        >>> decode_value({"M": {"n": {"N": "2.50"}, "b": {"B": "aGk="}}})
        {'n': Decimal('2.50'), 'b': b'hi'}
    """
    return _value(attribute)


def decode_image(image: Mapping[str, Mapping[str, object]]) -> dict[str, Value]:
    """Decode a whole stream image (``NewImage``, ``OldImage`` or ``Keys``) into Python values.

    Args:
        image: Attribute name to AttributeValue, as in a Lambda stream event.

    Returns:
        Attribute name to Python value (see :func:`decode_value`).

    Raises:
        ValueError: if an attribute is not an AttributeValue.
    """
    return _image(image)


def _creation_time(value: object) -> int | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, datetime):
        # Records read with the boto3 DynamoDB Streams client carry a parsed datetime.
        return int(value.timestamp())
    if isinstance(value, float):
        return int(value)
    if isinstance(value, Decimal | str):
        return int(Decimal(value))
    raise ValueError(f"ApproximateCreationDateTime is not a number: {value!r}")


_DECODE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, InvalidOperation, binascii.Error)


def _record(raw: Any, default_arn: str) -> StreamRecord:  # hot path, see above
    data = raw["dynamodb"]
    event_name = _EVENT_NAMES[raw["eventName"]]
    sequence_number = data["SequenceNumber"]
    new_raw = data.get("NewImage")
    old_raw = data.get("OldImage")
    new_image = None if new_raw is None else _image(new_raw)
    old_image = None if old_raw is None else _image(old_raw)
    keys = _image(data.get("Keys") or {})
    identity = raw.get("userIdentity")
    size = data.get("SizeBytes")
    # Building the frozen record through attrs' __init__ (one guarded setattr per field) costs
    # as much as decoding an image; filling the instance dict directly gives the same value
    # (a test compares the two) at a fraction of the cost, on every record of every batch.
    record = object.__new__(StreamRecord)
    record.__dict__.update(
        event_id=raw.get("eventID", ""),
        event_name=event_name,
        sequence_number=sequence_number,
        sequence=int(sequence_number),
        keys=keys,
        new_image=new_image,
        old_image=old_image,
        created_at=_creation_time(data.get("ApproximateCreationDateTime")),
        size_bytes=size if isinstance(size, int) else None,
        stream_view_type=data.get("StreamViewType"),
        event_source_arn=raw.get("eventSourceARN", default_arn),
        is_ttl_expiry=(
            identity is not None
            and event_name is EventName.REMOVE
            and identity.get("principalId") == TTL_PRINCIPAL
        ),
    )
    return record


def _not_a_record(exc: Exception) -> StreamConfigurationError:
    return StreamConfigurationError(
        f"not a DynamoDB stream record ({type(exc).__name__}: {exc}); is the function "
        "subscribed to a DynamoDB stream?"
    )


def decode_record(raw: Mapping[str, object], *, event_source_arn: str = "") -> StreamRecord:
    """Decode one record of a Lambda DynamoDB stream event.

    Args:
        raw: One element of the event's ``Records`` list.
        event_source_arn: The ARN to use when the record carries none.

    Returns:
        The typed record.

    Raises:
        StreamConfigurationError: if the record is not a DynamoDB stream record.
    """
    try:
        return _record(raw, event_source_arn)
    except _DECODE_ERRORS as exc:
        raise _not_a_record(exc) from exc


def _window(event: Mapping[str, object]) -> WindowInfo | None:
    window = event.get("window")
    if window is None:
        return None
    try:
        bounds = cast("Mapping[str, str]", window)
        state = event.get("state") or {}
        if not isinstance(state, Mapping):
            raise TypeError(f"state is a {type(state).__name__}, not an object")
        return WindowInfo(
            start=bounds["start"],
            end=bounds["end"],
            shard_id=cast("str", event["shardId"]),
            state=cast("Mapping[str, object]", state),
            is_final=bool(event.get("isFinalInvokeForWindow", False)),
            terminated_early=bool(event.get("isWindowTerminatedEarly", False)),
        )
    except (KeyError, TypeError) as exc:
        raise StreamConfigurationError(f"malformed tumbling-window event: {exc}") from exc


def decode_event(event: Mapping[str, object]) -> StreamBatch:
    """Decode a Lambda DynamoDB stream event (with or without a tumbling window).

    Args:
        event: The event exactly as Lambda passes it to the handler.

    Returns:
        The batch: records in stream order, the stream ARN and the window fields if any.

    Raises:
        StreamConfigurationError: if the event is not a DynamoDB stream event.

    Records out of order are put back in stream order, and a record present twice (same
    sequence number) is kept once: AWS documents that reprocessed records may arrive out of
    order, and refusing such a batch would stall the shard for good.
    """
    raw_records = event.get("Records")
    if not isinstance(raw_records, Sequence) or isinstance(raw_records, str | bytes):
        raise StreamConfigurationError("not a DynamoDB stream event: no Records list")
    event_arn = event.get("eventSourceARN")
    default_arn = event_arn if isinstance(event_arn, str) else ""
    try:
        records = tuple([_record(raw, default_arn) for raw in raw_records])
    except _DECODE_ERRORS as exc:
        raise _not_a_record(exc) from exc
    if any(a.sequence >= b.sequence for a, b in pairwise(records)):
        # AWS documents that reprocessed records "might be processed out of order". One
        # shard's batch is a run of its records from the checkpoint, so restoring stream order
        # (and dropping a record delivered twice in one batch) gives the batch Lambda meant;
        # refusing it would fail the invocation on every retry and stall the shard.
        unique = {record.sequence: record for record in records}
        records = tuple(unique[sequence] for sequence in sorted(unique))
    arn = records[0].event_source_arn if records else default_arn
    return StreamBatch(records=records, event_source_arn=arn, window=_window(event))
