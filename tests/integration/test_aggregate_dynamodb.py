"""The DynamoDB counter store on moto: request shapes, retries, and outcomes AWS can produce.

Faults are injected on the real boto3 client through botocore's event system: a ``before-call``
handler that answers instead of moto (throttling, cancelled transactions, connection errors)
and an ``after-call`` handler that raises once the transaction has gone through (a lost
response). Moto ignores ClientRequestToken: on AWS a retry of a committed transaction with the
same token returns success without applying it again; on moto the retry fails the marker's
condition instead. Either way nothing is applied twice, and the tests assert only that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import ClientError, EndpointConnectionError

from feedback_core.aggregate import (
    Commit,
    CommitOutcome,
    CounterKey,
    CounterUpdate,
    DynamoDBCounterStore,
    MarkerKey,
    Position,
    StreamAggregator,
    create_counters_table,
    vote_tally,
)
from feedback_core.aws import Backoff
from feedback_core.errors import ServiceError, ThrottledError
from tests.unit.aggregate.test_aggregate_service import event, failures, vote_record

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

TABLE = "counters"
MARKER = MarkerKey(consumer="vote-tally", stream="arn:stream", origin="batch:1")


class Requests:
    """Records every DynamoDB call's operation and parameters (botocore event system)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.calls.append((model.name, params))

    def named(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == operation]


@pytest.fixture
def client(aws: None) -> DynamoDBClient:
    import boto3

    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    create_counters_table(TABLE, client=dynamodb)
    return dynamodb


@pytest.fixture
def requests(client: DynamoDBClient) -> Requests:
    recorder = Requests()
    client.meta.events.register("before-parameter-build.dynamodb.*", recorder)
    return recorder


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def store(client: DynamoDBClient, sleeps: list[float]) -> DynamoDBCounterStore:
    return DynamoDBCounterStore(
        table_name=TABLE, client=client, backoff=Backoff(sleep=sleeps.append)
    )


def answer_with_error(
    client: DynamoDBClient,
    code: str,
    *,
    times: int,
    reasons: list[str] | None = None,
    after: int = 0,
) -> None:
    """Let ``after`` TransactWriteItems calls through, then fail ``times`` with ``code``."""
    remaining = [times]
    passing = [after]

    def respond(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if passing[0]:
            passing[0] -= 1
            return None
        if remaining[0] == 0:
            return None
        remaining[0] -= 1
        parsed: dict[str, Any] = {
            "Error": {"Code": code, "Message": "injected"},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        if reasons is not None:
            parsed["CancellationReasons"] = [{"Code": r} for r in reasons]
        headers = HTTPHeaders()
        return AWSResponse("https://dynamodb.us-east-1.amazonaws.com", 400, headers, None), parsed

    # A before-call handler that returns a response short-circuits the request (botocore).
    client.meta.events.register("before-call.dynamodb.TransactWriteItems", respond)  # type: ignore[arg-type]  # the stubs type handlers as returning None


def fail_after_commit(
    client: DynamoDBClient, make_error: Callable[[], Exception], *, times: int = 1
) -> None:
    """Raise ``make_error()`` after the next ``times`` transactions were applied."""
    remaining = [times]

    def lose(**_: Any) -> None:
        if remaining[0]:
            remaining[0] -= 1
            raise make_error()

    client.meta.events.register("after-call.dynamodb.TransactWriteItems", lose)


def one_vote(expected: Position | None = None, position: int = 5) -> Commit:
    return Commit(
        marker=MARKER,
        expected=expected,
        position=Position(sequence=position),
        updates=(
            CounterUpdate(key=CounterKey(group="poll#p1", name="tally"), deltas={"choice:yes": 1}),
        ),
        expires_at=1_800_000_000,
    )


def yes_votes(store: DynamoDBCounterStore) -> object:
    return store.read_group("poll#p1").get("tally", "choice:yes")


def test_a_hot_poll_batch_is_one_transaction_and_no_read(
    store: DynamoDBCounterStore, requests: Requests
) -> None:
    """A hundred votes on one poll: one TransactWriteItems (counter + marker), no GetItem."""
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    aggregator.handle(event(*[vote_record(i) for i in range(1, 101)]))
    (transaction,) = requests.named("TransactWriteItems")
    assert (2, [], [], 100) == (
        len(transaction["TransactItems"]),
        requests.named("GetItem"),
        requests.named("UpdateItem"),
        yes_votes(store),
    )


def test_a_wide_batch_uses_transactions_of_at_most_100_distinct_items(
    store: DynamoDBCounterStore, requests: Requests
) -> None:
    """250 polls in a batch: three transactions, each within 100 actions, no item twice."""
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    aggregator.handle(event(*[vote_record(i, poll=f"p{i}") for i in range(1, 251)]))
    transactions = requests.named("TransactWriteItems")
    sizes = [len(t["TransactItems"]) for t in transactions]
    distinct = [len({str(a["Update"]["Key"]) for a in t["TransactItems"]}) for t in transactions]
    assert ([100, 100, 53], sizes) == (distinct, sizes)


def test_counter_updates_use_flat_attribute_names(
    store: DynamoDBCounterStore, requests: Requests
) -> None:
    """ADD targets top-level attributes through placeholders: never a path into a map."""
    StreamAggregator(projection=vote_tally(), store=store).handle(event(vote_record(1, "a.b")))
    update = requests.named("TransactWriteItems")[0]["TransactItems"][0]["Update"]
    assert ("ADD #f0 :v0 SET #updatedAt = :updatedAt", "choice:a.b") == (
        update["UpdateExpression"],
        update["ExpressionAttributeNames"]["#f0"],
    )


def test_the_marker_update_is_conditioned_on_its_previous_position(
    store: DynamoDBCounterStore, requests: Requests
) -> None:
    """The first commit requires the marker absent, the next one its previous position."""
    store.commit(one_vote())
    store.commit(one_vote(expected=Position(sequence=5), position=9))
    conditions = [
        t["TransactItems"][-1]["Update"]["ConditionExpression"]
        for t in requests.named("TransactWriteItems")
    ]
    assert ["attribute_not_exists(#position)", "#position = :expected"] == conditions


def test_the_request_token_is_derived_from_the_content(
    store: DynamoDBCounterStore, requests: Requests
) -> None:
    """The same commit carries the same ClientRequestToken; a different one another."""
    store.commit(one_vote())
    store.commit(one_vote())
    store.commit(one_vote(position=6))
    tokens = [t["ClientRequestToken"] for t in requests.named("TransactWriteItems")]
    assert (True, False, 36) == (tokens[0] == tokens[1], tokens[0] == tokens[2], len(tokens[0]))


def test_throttling_is_retried_with_backoff(
    client: DynamoDBClient, store: DynamoDBCounterStore, sleeps: list[float]
) -> None:
    """Two throttled attempts, then success: applied once, after two backoff sleeps."""
    answer_with_error(client, "ProvisionedThroughputExceededException", times=2)
    assert (CommitOutcome.COMMITTED, 2, 1) == (
        store.commit(one_vote()),
        len(sleeps),
        yes_votes(store),
    )


def test_a_transaction_conflict_is_retried(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """A cancellation for TransactionConflict (another writer on the item) is retried."""
    answer_with_error(
        client, "TransactionCanceledException", times=1, reasons=["TransactionConflict", "None"]
    )
    assert (CommitOutcome.COMMITTED, 1) == (store.commit(one_vote()), yes_votes(store))


def test_persistent_throttling_is_a_definite_refusal(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """When every attempt is throttled, ThrottledError says nothing was applied."""
    answer_with_error(client, "ThrottlingException", times=10)
    with pytest.raises(ThrottledError):
        store.commit(one_vote())
    assert 0 == yes_votes(store)


def test_persistent_conflicts_are_a_definite_refusal(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """Cancelled every time for conflicts: ThrottledError (nothing applied)."""
    answer_with_error(
        client, "TransactionCanceledException", times=10, reasons=["TransactionConflict", "None"]
    )
    with pytest.raises(ThrottledError):
        store.commit(one_vote())


def test_a_lost_response_then_retry_applies_once(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """The transaction lands, its response is lost, the retry cannot apply it again."""
    fail_after_commit(
        client,
        lambda: ClientError(
            {"Error": {"Code": "InternalServerError", "Message": "lost"}}, "TransactWriteItems"
        ),
    )
    outcome = store.commit(one_vote())
    # AWS: the same ClientRequestToken makes the retry a no-op success (COMMITTED).
    # moto: the retry fails the marker's condition (CONFLICT). Both mean "applied once".
    assert (True, 1, Position(sequence=5)) == (
        outcome in (CommitOutcome.COMMITTED, CommitOutcome.CONFLICT),
        yes_votes(store),
        store.load_marker(MARKER),
    )


def test_a_connection_failure_is_an_unknown_outcome(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """A timeout after the transaction landed is reported as ServiceError, never as a refusal."""
    fail_after_commit(client, lambda: EndpointConnectionError(endpoint_url="https://dynamodb"))
    with pytest.raises(ServiceError) as raised:
        store.commit(one_vote())
    assert (False, 1) == (isinstance(raised.value, ThrottledError), yes_votes(store))


def test_throttling_after_an_unknown_outcome_is_not_a_refusal(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """Once an attempt may have landed, later throttling cannot claim nothing was applied."""
    answer_with_error(client, "InternalServerError", times=1)
    answer_with_error(client, "ThrottlingException", times=10)
    with pytest.raises(ServiceError) as raised:
        store.commit(one_vote())
    assert not isinstance(raised.value, ThrottledError)


def test_the_aggregator_survives_a_lost_response_without_double_counting(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """End to end: a lost commit response, a retried batch, and the vote counts once."""
    fail_after_commit(client, lambda: EndpointConnectionError(endpoint_url="https://dynamodb"))
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    batch = event(vote_record(1), vote_record(2))
    first = aggregator.handle(batch)
    second = aggregator.handle(batch)
    assert (["1"], [], 2) == (failures(first), failures(second), yes_votes(store))


def test_the_aggregator_reports_throttling_from_the_failed_chunk(
    client: DynamoDBClient, store: DynamoDBCounterStore
) -> None:
    """A throttled chunk is reported by its first record, so Lambda keeps earlier progress."""
    from feedback_core.aggregate import CommitLimits

    aggregator = StreamAggregator(
        projection=vote_tally(), store=store, limits=CommitLimits(max_items=1)
    )
    answer_with_error(client, "ThrottlingException", times=10, after=1)
    response = aggregator.handle(event(vote_record(1), vote_record(2, poll="p2")))
    assert (["2"], 1) == (failures(response), yes_votes(store))


def test_reads_follow_every_page(client: DynamoDBClient) -> None:
    """A group spread over many Query pages is read whole, not just its first page."""
    store = DynamoDBCounterStore(table_name=TABLE, client=client, page_size=3)
    keys = [CounterKey(group="feedback", name=f"day:2026-11-{d:02d}") for d in range(1, 11)]
    store.commit(
        Commit(
            marker=MARKER,
            expected=None,
            position=Position(sequence=1),
            updates=tuple(CounterUpdate(key=k, deltas={"count": 1}) for k in keys),
            expires_at=0,
        )
    )
    assert 10 == len(store.read_group("feedback").items)


def test_reserved_field_names_are_refused(store: DynamoDBCounterStore) -> None:
    """A projection field named like a key or bookkeeping attribute is a programming error."""
    bad = Commit(
        marker=MARKER,
        expected=None,
        position=Position(sequence=1),
        updates=(CounterUpdate(key=CounterKey(group="g", name="n"), deltas={"pk": 1}),),
        expires_at=0,
    )
    with pytest.raises(ValueError, match="reserved"):
        store.commit(bad)


def test_the_counters_table_has_the_documented_schema(client: DynamoDBClient) -> None:
    """pk/sk string keys, on-demand, Time to Live on expiresAt."""
    table = client.describe_table(TableName=TABLE)["Table"]
    ttl = client.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert (
        [("pk", "HASH"), ("sk", "RANGE")],
        "expiresAt",
        "ENABLED",
    ) == (
        [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]],
        ttl.get("AttributeName"),
        ttl.get("TimeToLiveStatus"),
    )


def test_importing_the_package_does_not_import_boto3() -> None:
    """A Lambda cold start pays for boto3 only when an adapter first needs a client."""
    import subprocess
    import sys

    code = (
        "import sys, feedback_core.aggregate, feedback_core.testing; print('boto3' in sys.modules)"
    )
    # A fixed argument list, no shell: nothing untrusted reaches the subprocess.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "False" == result.stdout.strip()
