"""Reading DynamoDB Streams as Lambda would, and writing the event Lambda would send.

For replaying what Lambda gave up on (a batch announced on the failures queue), for the local
platform, and for integration tests: :func:`stream_records` reads one shard in order from a
position; :func:`lambda_stream_event` shapes GetRecords output into the event a stream
function receives, so :class:`~feedback_core.aggregate.StreamAggregator` gets the same input.
boto3 is not imported here: pass a DynamoDB Streams client.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
    from mypy_boto3_dynamodbstreams.type_defs import GetShardIteratorInputTypeDef

__all__ = ["lambda_stream_event", "stream_records"]


def _sequence(record: Mapping[str, Any]) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


def _lambda_json(value: object) -> object:
    """JSON for what GetRecords gives as Python objects, written as Lambda writes it."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()  # binary attributes travel as base64 text
    if isinstance(value, datetime):
        return int(value.timestamp())  # ApproximateCreationDateTime: epoch seconds
    raise TypeError(f"cannot write a {type(value).__name__} into a stream event")


def lambda_stream_event(
    records: Sequence[Mapping[str, Any]], *, stream_arn: str, region: str
) -> dict[str, Any]:
    """Build the event Lambda passes a function for these DynamoDB stream records.

    GetRecords (boto3) gives records with ``bytes`` for binary attributes and a ``datetime``
    creation time, and without the stream's ARN. Lambda's event is JSON: binary as base64 text,
    ``ApproximateCreationDateTime`` in epoch seconds, and ``eventSourceARN`` and ``awsRegion``
    on each record. This writes the records that way.

    Args:
        records: Records of one shard, in order, as ``get_records`` returned them.
        stream_arn: The stream they come from.
        region: The stream's region.

    Returns:
        ``{"Records": [...]}``, plain JSON values only.
    """
    shaped = [
        {
            **{k: v for k, v in record.items() if k not in ("eventSourceARN", "awsRegion")},
            "awsRegion": region,
            "eventSourceARN": stream_arn,
        }
        for record in records
    ]
    event: dict[str, Any] = orjson.loads(
        orjson.dumps(
            {"Records": shaped},
            default=_lambda_json,
            option=orjson.OPT_PASSTHROUGH_DATETIME,  # to _lambda_json, not ISO text
        )
    )
    return event


def stream_records(
    client: DynamoDBStreamsClient,
    stream_arn: str,
    shard_id: str,
    *,
    at: str | None = None,
    after: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    max_empty_pages: int = 1,
) -> list[dict[str, Any]]:
    """Read one shard's records in order, from the start or from a sequence number.

    Args:
        client: A DynamoDB Streams client.
        stream_arn: The stream.
        shard_id: The shard.
        at: Start at this sequence number (``AT_SEQUENCE_NUMBER``).
        after: Start after it (``AFTER_SEQUENCE_NUMBER``); with neither, at ``TRIM_HORIZON``.
        until: Stop after this sequence number (inclusive).
        limit: Return at most this many records.
        max_empty_pages: Stop after this many empty pages in a row (an open shard has no end).
            One suits moto, which returns records as soon as they exist; on AWS, GetRecords
            may return empty pages before records further on, so pass more with ``until``.

    Returns:
        The records, as ``get_records`` returns them.
    """
    request: GetShardIteratorInputTypeDef = {
        "StreamArn": stream_arn,
        "ShardId": shard_id,
        "ShardIteratorType": "TRIM_HORIZON",
    }
    if at is not None:
        request["ShardIteratorType"], request["SequenceNumber"] = "AT_SEQUENCE_NUMBER", at
    elif after is not None:
        request["ShardIteratorType"], request["SequenceNumber"] = "AFTER_SEQUENCE_NUMBER", after
    iterator: str | None = client.get_shard_iterator(**request)["ShardIterator"]
    last = None if until is None else int(until)
    records: list[dict[str, Any]] = []
    empty = 0
    while iterator is not None and (limit is None or len(records) < limit):
        wanted = 1000 if limit is None else min(1000, limit - len(records))
        page = client.get_records(ShardIterator=iterator, Limit=wanted)
        got = [dict(record) for record in page.get("Records", [])]
        kept = [r for r in got if last is None or _sequence(r) <= last]
        records += kept
        if len(kept) < len(got) or (last is not None and kept and _sequence(kept[-1]) == last):
            break  # past, or at, the last record asked for
        empty = 0 if got else empty + 1
        if empty >= max_empty_pages:
            break
        iterator = page.get("NextShardIterator")
    return records
