"""Replay a stream batch that Lambda gave up on, from its StreamFailuresQueue message.

Only needed with finite StreamMaximumRetryAttempts or StreamMaximumRecordAgeSeconds, and only
while the records are still in the stream (24 hours). The message names the shard and the
batch's first and last sequence numbers; the replay hands the function exactly that batch, from
the same first record, so the batch's progress marker skips whatever an earlier attempt applied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from feedback_core.aggregate.dynamodbstreams import lambda_stream_event, stream_records

if TYPE_CHECKING:
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


def replay(message_body: str, invoke: Invoke, streams: DynamoDBStreamsClient) -> int:
    """Deliver the given-up batch to the stream function again, as Lambda would have.

    Args:
        message_body: The SQS message Lambda sent to the on-failure destination.
        invoke: Calls the stream function with an event and returns its response, e.g. a
            ``lambda_client.invoke`` wrapper, or the handler itself.
        streams: A DynamoDB Streams client in the stream's region.

    Returns:
        How many records the function was handed.

    Raises:
        LookupError: the records have left the stream: rebuild the counters with recount().
    """
    info = orjson.loads(message_body)["DDBStreamBatchInfo"]
    arn, region = info["streamArn"], info["streamArn"].split(":")[3]
    records = stream_records(
        streams,
        arn,
        info["shardId"],
        at=info["startSequenceNumber"],
        until=info["endSequenceNumber"],
        max_empty_pages=10,  # GetRecords may return empty pages before the records
    )
    if not records or records[0]["dynamodb"]["SequenceNumber"] != info["startSequenceNumber"]:
        raise LookupError("the batch is no longer in the stream; rebuild with recount()")
    response = invoke(lambda_stream_event(records, stream_arn=arn, region=region))
    if response["batchItemFailures"]:
        # Not applied this time either (throttling, say): keep the message and try later.
        raise RuntimeError(f"the function reported {response['batchItemFailures']}")
    return len(records)
