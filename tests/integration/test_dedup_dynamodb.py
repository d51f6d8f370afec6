"""The DynamoDB dedup store against moto: request counts, streams, retries and error translation.

Requests are counted with botocore's event system on the real client (``before-send`` fires once
per HTTP request, retries included). Faults are injected the same way: a ``before-send`` handler
that returns a response stands in for DynamoDB's answer, so no boto3 object is mocked.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import boto3
import orjson
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.httpsession import URLLib3Session

from feedback_core.aws import Backoff
from feedback_core.dedup import (
    Accepted,
    Duplicate,
    DynamoDBDedupStore,
    Item,
    Key,
    Reject,
    Replace,
    Replay,
    Status,
    fingerprint,
)
from feedback_core.errors import DuplicateError, ServiceError, ThrottledError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from botocore.awsrequest import AWSPreparedRequest
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeDefinitionTypeDef,
        KeySchemaElementTypeDef,
    )

VOTE = Key.of(pollId="p1", userId="u1")
T0 = "2026-11-22T23:20:32Z"
T1 = "2026-11-22T23:25:00Z"


def create_votes_table(client: DynamoDBClient, name: str = "votes", *, stream: bool = False) -> str:
    schema: list[KeySchemaElementTypeDef] = [
        {"AttributeName": "pollId", "KeyType": "HASH"},
        {"AttributeName": "userId", "KeyType": "RANGE"},
    ]
    attributes: list[AttributeDefinitionTypeDef] = [
        {"AttributeName": "pollId", "AttributeType": "S"},
        {"AttributeName": "userId", "AttributeType": "S"},
    ]
    if stream:
        response = client.create_table(
            TableName=name,
            KeySchema=schema,
            AttributeDefinitions=attributes,
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
    else:
        response = client.create_table(
            TableName=name,
            KeySchema=schema,
            AttributeDefinitions=attributes,
            BillingMode="PAY_PER_REQUEST",
        )
    return response["TableDescription"].get("LatestStreamArn", "")


class RequestLog:
    """Records the operation of every HTTP request a client sends."""

    def __init__(self, client: DynamoDBClient) -> None:
        self.operations: list[str] = []
        client.meta.events.register("before-send.dynamodb", self._record)

    def _record(self, event_name: str, **_: object) -> None:
        self.operations.append(event_name.rsplit(".", 1)[-1])

    def clear(self) -> None:
        self.operations.clear()


@pytest.fixture
def client(aws: None) -> DynamoDBClient:
    client = boto3.client("dynamodb", region_name="us-east-1")
    create_votes_table(client)
    return client


@pytest.fixture
def store(client: DynamoDBClient) -> DynamoDBDedupStore:
    return DynamoDBDedupStore(table_name="votes", client=client)


@pytest.fixture
def log(client: DynamoDBClient) -> RequestLog:
    return RequestLog(client)


def vote(choice: str, voted_at: str = T0) -> Item:
    return Item.of(choice=choice, votedAt=voted_at)


# Moto's support for ReturnValuesOnConditionCheckFailure, checked on the raw client.


def test_moto_returns_the_holder_when_the_condition_fails(client: DynamoDBClient) -> None:
    """Moto (5.2.x) honours ALL_OLD on a failed condition, as AWS does; the adapter relies on it."""
    item = {"pollId": {"S": "p1"}, "userId": {"S": "u1"}, "choice": {"S": "yes"}}
    client.put_item(TableName="votes", Item=item)
    with pytest.raises(client.exceptions.ConditionalCheckFailedException) as caught:
        client.put_item(
            TableName="votes",
            Item={**item, "choice": {"S": "no"}},
            ConditionExpression="attribute_not_exists(#key)",
            ExpressionAttributeNames={"#key": "pollId"},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    response: dict[str, Any] = dict(caught.value.response)
    assert item == response["Item"]


# Request counts.


def test_a_duplicate_costs_exactly_one_request(store: DynamoDBDedupStore, log: RequestLog) -> None:
    """Detecting a duplicate, holder included, is one PutItem: no GetItem follows."""
    store.claim(VOTE, vote("yes"))
    log.clear()
    outcome = store.claim(VOTE, vote("no", T1))
    assert isinstance(outcome, Duplicate)
    assert "yes" == outcome.existing["choice"]
    assert ["PutItem"] == log.operations


def test_an_accepted_claim_costs_one_request(store: DynamoDBDedupStore, log: RequestLog) -> None:
    """A claim on a free key is one PutItem."""
    assert isinstance(store.claim(VOTE, vote("yes")), Accepted)
    assert ["PutItem"] == log.operations


def test_a_rejected_vote_costs_one_request(store: DynamoDBDedupStore, log: RequestLog) -> None:
    """Under reject, the 409 with the existing vote costs one request."""
    votes = Reject(store=store)
    votes.submit(VOTE, vote("yes"))
    log.clear()
    with pytest.raises(DuplicateError):
        votes.submit(VOTE, vote("no", T1))
    assert ["PutItem"] == log.operations


def test_a_replay_costs_one_request(client: DynamoDBClient, log: RequestLog) -> None:
    """Under replay, answering a retry with the original result costs one request."""
    client.create_table(
        TableName="feedback",
        KeySchema=[{"AttributeName": "feedbackId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "feedbackId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    policy = Replay(store=DynamoDBDedupStore(table_name="feedback", client=client))
    payload = {"rating": 5, "message": "Great"}
    item = Item.of(payload, payloadHash=fingerprint(payload), createdAt=T0)
    policy.submit(Key.of(feedbackId="f-1"), item)
    log.clear()
    retry = policy.submit(Key.of(feedbackId="f-1"), item.evolve(createdAt=T1))
    assert (True, ["PutItem"]) == (retry.replayed, log.operations)


def test_replace_costs_one_request_unchanged_and_two_changed(
    store: DynamoDBDedupStore, log: RequestLog
) -> None:
    """Under replace, the same choice is one PutItem; a new choice adds one UpdateItem."""
    votes = Replace(store=store, clock=lambda: T1)
    votes.submit(VOTE, vote("yes"))
    log.clear()
    votes.submit(VOTE, vote("yes", T1))
    unchanged = list(log.operations)
    log.clear()
    votes.submit(VOTE, vote("no", T1))
    assert (["PutItem"], ["PutItem", "UpdateItem"]) == (unchanged, log.operations)


# Streams: what the aggregate fold will see.


def stream_events(arn: str) -> list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]:
    # Moto 5.2 serves DynamoDB Streams only on the classic endpoint; recent botocore sends
    # stream-ARN calls to the account-based one (ACCOUNT.streams-ddb...), which moto answers 404.
    streams = boto3.client(
        "dynamodbstreams",
        region_name="us-east-1",
        endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com",
    )
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    return [
        (
            record["eventName"],
            dict(record["dynamodb"].get("OldImage", {})) or None,
            dict(record["dynamodb"].get("NewImage", {})) or None,
        )
        for record in records
    ]


def test_replace_streams_an_insert_then_a_modify_and_nothing_else(aws: None) -> None:
    """A vote, its change and a repeat give INSERT and MODIFY; the repeat writes no record."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    arn = create_votes_table(client, "votes-streamed", stream=True)
    votes = Replace(
        store=DynamoDBDedupStore(table_name="votes-streamed", client=client), clock=lambda: T1
    )
    votes.submit(VOTE, vote("yes"))
    votes.submit(VOTE, vote("no", T1))
    votes.submit(VOTE, vote("no", T1))
    key = {"pollId": {"S": "p1"}, "userId": {"S": "u1"}}
    first = {**key, "choice": {"S": "yes"}, "votedAt": {"S": T0}, "revision": {"N": "1"}}
    second = {
        **first,
        "choice": {"S": "no"},
        "previousChoice": {"S": "yes"},
        "changedAt": {"S": T1},
        "revision": {"N": "2"},
    }
    def unstamped(image: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if image is None else {k: v for k, v in image.items() if k != "writeId"}

    events = [(name, unstamped(old), unstamped(new)) for name, old, new in stream_events(arn)]
    assert [("INSERT", None, first), ("MODIFY", first, second)] == events


def test_a_rejected_duplicate_streams_nothing(aws: None) -> None:
    """A failed conditional put is not a write: the stream holds only the first vote."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    arn = create_votes_table(client, "votes-rejected", stream=True)
    votes = Reject(store=DynamoDBDedupStore(table_name="votes-rejected", client=client))
    votes.submit(VOTE, vote("yes"))
    with pytest.raises(DuplicateError):
        votes.submit(VOTE, vote("no", T1))
    assert ["INSERT"] == [event for event, _, _ in stream_events(arn)]


# Errors at the boundary.


def test_a_missing_table_is_a_service_error_with_the_cause(
    client: DynamoDBClient, log: RequestLog
) -> None:
    """AWS errors do not cross the port: a ServiceError carries the code and chains the cause."""
    store = DynamoDBDedupStore(table_name="no-such-table", client=client)
    with pytest.raises(ServiceError) as caught:
        store.claim(VOTE, vote("yes"))
    assert ("PutItem", "ResourceNotFoundException") == (caught.value.operation, caught.value.code)
    assert isinstance(caught.value.__cause__, ClientError)
    assert ["PutItem"] == log.operations  # not a transient error: not retried


def test_an_endpoint_without_all_old_is_reported(client: DynamoDBClient) -> None:
    """If the endpoint ignores ReturnValuesOnConditionCheckFailure, the store says so."""

    def drop_item(parsed: dict[str, Any], **_: object) -> None:
        parsed.pop("Item", None)  # what an emulator without the feature answers

    client.meta.events.register("after-call.dynamodb.PutItem", drop_item)
    store = DynamoDBDedupStore(table_name="votes", client=client)
    store.claim(VOTE, vote("yes"))
    with pytest.raises(ServiceError, match="ReturnValuesOnConditionCheckFailure"):
        store.claim(VOTE, vote("no", T1))


def test_a_store_creates_its_client_on_first_use(aws: None) -> None:
    """Without an injected client the store makes one lazily and keeps it."""
    create_votes_table(boto3.client("dynamodb", region_name="us-east-1"))
    store = DynamoDBDedupStore(table_name="votes")
    store.claim(VOTE, vote("yes"))
    assert store.client is store.client
    assert Item.of(pollId="p1", userId="u1", choice="yes", votedAt=T0) == store.get(VOTE)


# Throttling and lost responses, against the moto server (no mock_aws: the HTTP path is real).


class _Body:
    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: object) -> Iterator[bytes]:
        yield self._content


def dynamodb_error(request: AWSPreparedRequest, status: int, code: str) -> AWSResponse:
    body = orjson.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": code})
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "fault"}
    return AWSResponse(request.url, status, headers, _Body(body))  # type: ignore[arg-type]  # the stubs want HTTPHeaders; botocore takes any mapping


@pytest.fixture
def server_client(moto_endpoint: str) -> DynamoDBClient:
    # botocore's own retries are off, so every retry seen is the adapter's.
    return boto3.client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        config=Config(retries={"total_max_attempts": 1}),
    )


def test_throttling_is_retried_with_backoff(server_client: DynamoDBClient) -> None:
    """Two throttled attempts, then success: the claim is accepted after two backoff sleeps."""
    table = f"votes-{uuid.uuid4().hex}"
    create_votes_table(server_client, table)
    throttles = [2]
    sends: list[str] = []

    def throttle(request: AWSPreparedRequest, **_: object) -> AWSResponse | None:
        sends.append("PutItem")
        if throttles[0]:
            throttles[0] -= 1
            return dynamodb_error(request, 400, "ThrottlingException")
        return None

    server_client.meta.events.register_first("before-send.dynamodb.PutItem", throttle)  # type: ignore[arg-type]  # a before-send handler may return the response
    sleeps: list[float] = []
    store = DynamoDBDedupStore(
        table_name=table, client=server_client, backoff=Backoff(sleep=sleeps.append)
    )
    outcome = store.claim(VOTE, vote("yes"))
    assert (True, 3, 2) == (isinstance(outcome, Accepted), len(sends), len(sleeps))


def test_throttling_past_the_budget_is_a_throttled_error(server_client: DynamoDBClient) -> None:
    """When every attempt is throttled, the claim fails with ThrottledError after the budget."""
    table = f"votes-{uuid.uuid4().hex}"
    create_votes_table(server_client, table)

    def throttle(request: AWSPreparedRequest, **_: object) -> AWSResponse:
        return dynamodb_error(request, 400, "ProvisionedThroughputExceededException")

    server_client.meta.events.register_first("before-send.dynamodb.PutItem", throttle)  # type: ignore[arg-type]  # a before-send handler may return the response
    sleeps: list[float] = []
    store = DynamoDBDedupStore(
        table_name=table, client=server_client, backoff=Backoff(attempts=4, sleep=sleeps.append)
    )
    with pytest.raises(ThrottledError) as caught:
        store.claim(VOTE, vote("yes"))
    assert ("ProvisionedThroughputExceededException", 3) == (caught.value.code, len(sleeps))
    assert isinstance(caught.value.__cause__, ClientError)


def test_a_retry_after_a_lost_response_finds_its_own_vote(moto_endpoint: str) -> None:
    """The first PutItem lands but its answer is lost; botocore resends, and gets 201, not 409."""
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=moto_endpoint)
    table = f"votes-{uuid.uuid4().hex}"
    create_votes_table(client, table)
    sends: list[int] = []

    def lose_first_answer(request: AWSPreparedRequest, **_: object) -> AWSResponse | None:
        sends.append(1)
        if len(sends) == 1:
            URLLib3Session().send(request)  # DynamoDB applies the write ...
            return dynamodb_error(request, 500, "InternalServerError")  # ... the answer is lost
        return None

    client.meta.events.register_first("before-send.dynamodb.PutItem", lose_first_answer)  # type: ignore[arg-type]  # a before-send handler may return the response
    votes = Reject(store=DynamoDBDedupStore(table_name=table, client=client))
    submission = votes.submit(VOTE, vote("yes"))
    assert (Status.CREATED, 2) == (submission.status, len(sends))
    assert Item.of(pollId="p1", userId="u1", choice="yes", votedAt=T0) == submission.item.without(
        "writeId"
    )


def test_a_resent_change_after_a_lost_response_is_applied_once(moto_endpoint: str) -> None:
    """The UpdateItem lands but its answer is lost; the resend reports the change, revision 2."""
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=moto_endpoint)
    table = f"votes-{uuid.uuid4().hex}"
    create_votes_table(client, table)
    votes = Replace(store=DynamoDBDedupStore(table_name=table, client=client), clock=lambda: T1)
    votes.submit(VOTE, vote("yes"))
    sends: list[int] = []

    def lose_first_answer(request: AWSPreparedRequest, **_: object) -> AWSResponse | None:
        sends.append(1)
        if len(sends) == 1:
            URLLib3Session().send(request)
            return dynamodb_error(request, 500, "InternalServerError")
        return None

    client.meta.events.register_first("before-send.dynamodb.UpdateItem", lose_first_answer)  # type: ignore[arg-type]  # a before-send handler may return the response
    changed = votes.submit(VOTE, vote("no", T1))
    assert (Status.CHANGED, "yes", 2, 2) == (
        changed.status,
        changed.item["previousChoice"],
        changed.item["revision"],
        len(sends),
    )
