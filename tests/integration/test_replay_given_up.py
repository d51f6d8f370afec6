"""The docs' replay of a given-up stream batch, against moto: counted once, however often."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import boto3
import orjson
import pytest

from docs.examples.templates.replay_given_up import replay
from feedback_core.aggregate import DynamoDBCounterStore, create_counters_table
from feedback_core.aggregate.dynamodbstreams import lambda_stream_event, stream_records
from feedback_core.testing.lambda_context import FakeLambdaContext
from tests.integration.handlers import create_table, load_handler

REGION = "us-east-1"


@pytest.fixture
def setup(aws: None, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str, str, ModuleType]:
    """Three votes in a streamed table; the votes stream function; the stream's one shard."""
    client = boto3.client("dynamodb")
    streamed = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    create_table(
        client, "votes", [("pollId", "HASH"), ("userId", "RANGE")], StreamSpecification=streamed
    )
    create_counters_table("counters", client=client)
    for user, choice in [("u1", "tabs"), ("u2", "spaces"), ("u3", "tabs")]:
        item = {"pollId": {"S": "p1"}, "userId": {"S": user}, "choice": {"S": choice}}
        client.put_item(TableName="votes", Item=item)
    monkeypatch.setenv("COUNTERS_TABLE", "counters")
    monkeypatch.setenv("PROJECTION", "votes")
    # Moto 5.2 serves DynamoDB Streams only on the classic endpoint (see test_dedup_dynamodb).
    streams = boto3.client(
        "dynamodbstreams", endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
    )
    arn = client.describe_table(TableName="votes")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    return streams, arn, shard, load_handler("stream_aggregator")


def on_failure_message(arn: str, shard: str, records: list[dict[str, Any]]) -> str:
    """The message Lambda sends the on-failure destination when it gives a batch up."""
    numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
    return orjson.dumps(
        {
            "requestContext": {
                "requestId": "316aa6d0-8154-xmpl-9af7-85d5f4a6bc81",
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:votes-aggregate-dev",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": 6,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "version": "1.0",
            "timestamp": "2026-11-22T21:10:00.000Z",
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "startSequenceNumber": numbers[0],
                "endSequenceNumber": numbers[-1],
                "approximateArrivalOfFirstRecord": "2026-11-22T21:00:00Z",
                "approximateArrivalOfLastRecord": "2026-11-22T21:00:01Z",
                "batchSize": len(numbers),
                "streamArn": arn,
            },
        }
    ).decode()


def tally() -> dict[str, int]:
    store = DynamoDBCounterStore(table_name="counters", consistent_reads=True)
    item = store.read_group("poll#p1").items["tally"]
    return {k: int(v) for k, v in item.fields.items()}


def test_a_given_up_batch_is_counted_once_by_its_replay(
    setup: tuple[Any, str, str, ModuleType],
) -> None:
    """Lambda gave up the first two records and went on; the replay counts them, once."""
    streams, arn, shard, handler = setup
    records = stream_records(streams, arn, shard)

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = handler.handler(event, FakeLambdaContext(function_name="agg"))
        return response

    invoke(lambda_stream_event(records[2:], stream_arn=arn, region=REGION))  # the next batch
    message = on_failure_message(arn, shard, records[:2])
    assert 2 == replay(message, invoke, streams)
    assert 2 == replay(message, invoke, streams)  # SQS delivered the message twice
    assert {"choice:tabs": 2, "choice:spaces": 1} == tally()


def test_records_no_longer_in_the_stream_cannot_be_replayed(
    setup: tuple[Any, str, str, ModuleType],
) -> None:
    """A range the stream no longer holds is a LookupError: rebuild with recount() instead."""
    streams, arn, shard, _ = setup
    records = stream_records(streams, arn, shard)
    gone = [
        {"dynamodb": {"SequenceNumber": str(int(records[-1]["dynamodb"]["SequenceNumber"]) + 10)}}
    ]
    with pytest.raises(LookupError, match="recount"):
        replay(on_failure_message(arn, shard, gone), lambda event: {}, streams)
