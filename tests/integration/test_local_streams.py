"""The local platform plays Lambda's stream event source mappings: events, batches, retries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import orjson
import pytest

from feedback_core.aggregate import create_counters_table
from feedback_core.aggregate.dynamodbstreams import lambda_stream_event, stream_records
from feedback_core.cli.local import LocalPlatform
from feedback_core.errors import StreamConfigurationError
from tests.events import load

REGION = "us-east-1"


def streams_client() -> Any:
    # Moto 5.2 serves DynamoDB Streams only on the classic endpoint (see test_dedup_dynamodb).
    return boto3.client(
        "dynamodbstreams", endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
    )


@pytest.fixture
def stream(aws: None) -> tuple[str, str]:
    """A streamed table with three writes: INSERT (with a binary attribute), MODIFY, REMOVE."""
    client = boto3.client("dynamodb")
    client.create_table(
        TableName="t",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    client.put_item(TableName="t", Item={"k": {"S": "a"}, "b": {"B": b"\x00\x01"}})
    client.put_item(TableName="t", Item={"k": {"S": "a"}, "n": {"N": "2"}})
    client.delete_item(TableName="t", Key={"k": {"S": "a"}})
    arn = client.describe_table(TableName="t")["Table"]["LatestStreamArn"]
    shard = streams_client().describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    return arn, shard["ShardId"]


def test_events_have_the_shape_lambda_gives_them(stream: tuple[str, str]) -> None:
    """Every record carries Lambda's keys; binary is base64 text, the time epoch seconds."""
    arn, shard = stream
    event = lambda_stream_event(
        stream_records(streams_client(), arn, shard), stream_arn=arn, region=REGION
    )
    lambdas = load("ddb_stream_votes")["Records"][0]
    assert [set(lambdas)] * 3 == [set(record) for record in event["Records"]]
    first = event["Records"][0]
    assert (arn, REGION, "AAE=") == (
        first["eventSourceARN"],
        first["awsRegion"],
        first["dynamodb"]["NewImage"]["b"]["B"],
    )
    assert isinstance(first["dynamodb"]["ApproximateCreationDateTime"], int)
    assert event == json.loads(json.dumps(event))  # plain JSON, as Lambda passes it
    assert ["INSERT", "MODIFY", "REMOVE"] == [r["eventName"] for r in event["Records"]]


def test_records_are_read_from_and_up_to_a_sequence_number(stream: tuple[str, str]) -> None:
    """at, after, until and limit select the range a replay or a batch needs."""
    arn, shard = stream
    client = streams_client()
    numbers = [r["dynamodb"]["SequenceNumber"] for r in stream_records(client, arn, shard)]

    def read(**where: Any) -> list[str]:
        return [
            r["dynamodb"]["SequenceNumber"] for r in stream_records(client, arn, shard, **where)
        ]

    assert numbers[1:] == read(at=numbers[1])
    assert numbers[2:] == read(after=numbers[1])
    assert numbers[:2] == read(until=numbers[1])
    assert numbers[1:2] == read(at=numbers[1], limit=1)


@pytest.fixture
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform(suffix="streams", log_level="ERROR") as deployed:
        yield deployed


def vote(platform: LocalPlatform, user: str, choice: str) -> None:
    event = load("apigw_v1_post_vote")
    event["body"] = orjson.dumps({"userId": user, "choice": choice}).decode()
    del event["headers"]["Idempotency-Key"]
    del event["multiValueHeaders"]["Idempotency-Key"]
    assert 201 == platform.handler("votes-submit-streams")(event)["statusCode"]


def tally(platform: LocalPlatform) -> Any:
    event = load("apigw_v1_get_poll_results")
    event["queryStringParameters"] = None
    response = platform.handler("polls-results-streams")(event)
    return orjson.loads(response["body"])


def votes_delivery(platform: LocalPlatform, **options: Any) -> tuple[int, int, int]:
    (delivery,) = [
        d
        for d in platform.deliver_streams(**options)
        if d.function_name == "votes-aggregate-streams"
    ]
    return delivery.invocations, delivery.records, delivery.retries


def test_each_delivery_brings_what_is_new(platform: LocalPlatform) -> None:
    """The mapping's checkpoint moves past each batch: a second delivery sends only new records."""
    vote(platform, "u-1", "pizza")
    vote(platform, "u-2", "salad")
    assert (1, 2, 0) == votes_delivery(platform)
    vote(platform, "u-3", "pizza")
    assert (1, 1, 0) == votes_delivery(platform)
    assert (0, 0, 0) == votes_delivery(platform)
    assert 3 == tally(platform)["totalVotes"]


def test_redelivering_from_the_start_changes_no_result(platform: LocalPlatform) -> None:
    """Every record delivered again, in the same batches: the markers skip them all."""
    for n in range(3):
        vote(platform, f"u-{n}", "pizza")
    platform.deliver_streams()
    before = tally(platform)
    assert (1, 3, 0) == votes_delivery(platform, from_start=True)
    assert before == tally(platform)
    assert 3 == before["totalVotes"]


def test_a_reported_failure_is_redelivered_from_that_record(platform: LocalPlatform) -> None:
    """The function reports its batch's first record; the next delivery starts there.

    With the counters table gone the commit fails, the handler reports the batch's first
    record, and the platform (like Lambda) redelivers from it until it gives up; once the
    table is back, the next delivery retries from that record and applies the batch.
    """
    vote(platform, "u-1", "pizza")
    client = boto3.client("dynamodb")
    # The template protects its tables from deletion (TableDeletionProtection): lift it first.
    client.update_table(TableName="counters-streams", DeletionProtectionEnabled=False)
    client.delete_table(TableName="counters-streams")
    with pytest.raises(RuntimeError, match="votes-aggregate-streams"):
        platform.deliver_streams(max_retries=2)
    create_counters_table("counters-streams", client=client)
    assert (1, 1, 1) == votes_delivery(platform)
    assert 1 == tally(platform)["totalVotes"]


def test_a_handler_that_raises_is_delivered_again_then_given_up_loudly(
    platform: LocalPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception fails the invocation (as in Lambda): the batch comes again, same records."""
    vote(platform, "u-1", "pizza")
    calls: list[list[str]] = []

    def failing(event: dict[str, Any]) -> dict[str, Any]:
        calls.append([r["dynamodb"]["SequenceNumber"] for r in event["Records"]])
        raise StreamConfigurationError("boom")

    monkeypatch.setattr(platform, "handler", lambda name: failing)
    with pytest.raises(RuntimeError) as raised:
        platform.deliver_streams(max_retries=2)
    assert (3, 1, "boom") == (
        len(calls),
        len({tuple(c) for c in calls}),
        str(raised.value.__cause__),
    )
