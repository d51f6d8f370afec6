"""GET /feedback, DELETE /customers/{customerId}/feedback and GET /health on moto.

The feedback is written by the POST /feedback use case (so items carry what the listing index
needs), read back page by page through the listing handler, erased through the erasure handler,
and the live counters follow the erasure through the table's stream (the REMOVE deltas).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from feedback_core.aggregate import StreamAggregator, feedback_analytics, feedback_stats
from feedback_core.aggregate.dynamodbstreams import lambda_stream_event, stream_records
from feedback_core.dedup.dynamodb import DynamoDBDedupStore
from feedback_core.ingest import Feedback
from feedback_core.testing import InMemoryCounterStore
from feedback_core.usecases import FeedbackService, SubmitFeedback
from tests.events import load
from tests.feedback_tables import create_feedback_table
from tests.integration.handlers import invoke, load_handler

if TYPE_CHECKING:
    from types import ModuleType

TABLE = "feedback-test"
SECRET = "feedback-api-test/cursor-signing-key"
REGION = "us-east-1"


def event(method: str, path: str, **parts: Any) -> dict[str, Any]:
    """A REST API (v1) proxy event with no body."""
    return {
        "httpMethod": method,
        "resource": path,
        "path": path,
        "headers": {},
        "body": None,
        "isBase64Encoded": False,
        "requestContext": {"requestId": "req-1", "httpMethod": method},
        **parts,
    }


@pytest.fixture
def table(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The feedback table (with its indexes and stream), 25 feedback, 3 of them customer c-1's."""
    client = boto3.client("dynamodb")
    create_feedback_table(
        client,
        TABLE,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    boto3.client("secretsmanager").create_secret(Name=SECRET, SecretString="s" * 64)
    monkeypatch.setenv("FEEDBACK_TABLE", TABLE)
    monkeypatch.setenv("CURSOR_SECRET_ID", SECRET)
    minutes = itertools.count()
    service = FeedbackService(
        store=DynamoDBDedupStore(table_name=TABLE, client=client),
        clock=lambda: f"2026-11-22T10:{next(minutes):02d}:00Z",
        new_id=iter(f"f{n:03d}" for n in range(1000)).__next__,
    )
    for n in range(25):
        customer = "c-1" if n in (3, 10, 20) else f"c-{n + 100}" if n % 2 else None
        record = Feedback(
            name=f"Person {n}",
            email=f"p{n}@example.com",
            rating=1 + n % 5,
            message="Fine",
            customer_id=customer,
        )
        service.submit(SubmitFeedback(feedback=record))
    return client


def list_page(module: ModuleType, **query: str) -> tuple[int, Any]:
    status, _, body = invoke(module, event("GET", "/feedback", queryStringParameters=query))
    return status, body


def test_pages_cover_the_table_once_newest_first_without_emails(table: Any) -> None:
    """Pages of 10 follow nextCursor: 25 items, each once, newest first, no e-mail anywhere."""
    module = load_handler("feedback_list")
    seen: list[dict[str, Any]] = []
    query: dict[str, str] = {"limit": "10"}
    for _ in range(5):
        status, body = list_page(module, **query)
        assert 200 == status
        seen += body["items"]
        if body["nextCursor"] is None:
            break
        query["cursor"] = body["nextCursor"]
    assert [f"f{n:03d}" for n in range(24, -1, -1)] == [item["feedbackId"] for item in seen]
    assert [] == [item for item in seen if "email" in item]


def test_the_cursor_key_is_read_on_the_first_cursor_not_at_cold_start(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold start calls no Secrets Manager; an unreadable key is a 503, read again next time."""
    monkeypatch.setenv("CURSOR_SECRET_ID", "feedback-api-test/not-created-yet")
    module = load_handler("feedback_list")  # (it raised here when the key was read at init)
    assert 503 == list_page(module, limit="10")[0]
    boto3.client("secretsmanager").create_secret(
        Name="feedback-api-test/not-created-yet", SecretString="t" * 64
    )
    status, body = list_page(module, limit="10")
    assert (200, 10) == (status, len(body["items"]))
    assert 200 == list_page(module, limit="10", cursor=body["nextCursor"])[0]


def test_the_default_page_is_twenty(table: Any) -> None:
    """Without a limit, 20 entries and a cursor to the rest."""
    status, body = list_page(load_handler("feedback_list"))
    assert (200, 20, True) == (status, len(body["items"]), body["nextCursor"] is not None)


def test_a_tampered_cursor_is_a_400_not_a_scan(table: Any) -> None:
    """Changing one character of a real cursor gets a 400 problem pointing at the cursor."""
    module = load_handler("feedback_list")
    cursor = list_page(module, limit="5")[1]["nextCursor"]
    tampered = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")
    status, body = list_page(module, cursor=tampered)
    assert (400, ["/cursor"]) == (status, [e["pointer"] for e in body["errors"]])


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_a_limit_outside_1_to_100_is_a_400(table: Any, limit: str) -> None:
    """limit is a whole number from 1 to 100."""
    status, body = list_page(load_handler("feedback_list"), limit=limit)
    assert (400, ["/limit"]) == (status, [e["pointer"] for e in body["errors"]])


def test_the_email_is_listed_when_the_deployer_opts_in(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LIST_INCLUDE_EMAIL=true shows each entry's address."""
    monkeypatch.setenv("LIST_INCLUDE_EMAIL", "true")
    status, body = list_page(load_handler("feedback_list"), limit="1")
    assert (200, "p24@example.com") == (status, body["items"][0]["email"])


def test_the_listing_answers_only_get(table: Any) -> None:
    """A POST to the listing function is a 405 with Allow: GET, not a write."""
    status, headers, _ = invoke(load_handler("feedback_list"), event("POST", "/feedback"))
    assert (405, "GET") == (status, headers["Allow"])


def erase(module: ModuleType, customer: str) -> tuple[int, Any]:
    path = "/customers/{customerId}/feedback"
    status, _, body = invoke(module, event("DELETE", path, pathParameters={"customerId": customer}))
    return status, body


def test_erasure_deletes_the_customers_feedback_and_is_idempotent(table: Any) -> None:
    """The first DELETE erases 3 records, the second 0; the listing no longer shows them."""
    module = load_handler("erasure")
    assert [(200, 3), (200, 0)] == [
        (status, body["erased"]) for status, body in (erase(module, "c-1"), erase(module, "c-1"))
    ]
    _, body = list_page(load_handler("feedback_list"), limit="100")
    assert (22, []) == (
        len(body["items"]),
        [i for i in body["items"] if i.get("customerId") == "c-1"],
    )


def test_erasure_refuses_a_malformed_customer_id(table: Any) -> None:
    """A customer id outside the id rule is a 400, and nothing is deleted."""
    status, _ = erase(load_handler("erasure"), "../c-1")
    assert 400 == status


def deliver(aggregator: StreamAggregator, after: str | None) -> str | None:
    """Play Lambda once over the stream's records after ``after``; return the last sequence."""
    streams = boto3.client(
        "dynamodbstreams", endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
    )
    arn = boto3.client("dynamodb").describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    records = stream_records(streams, arn, shard["ShardId"], after=after)
    if records:
        event = lambda_stream_event(records, stream_arn=arn, region=REGION)
        assert {"batchItemFailures": []} == aggregator.handle(event)
        return str(records[-1]["dynamodb"]["SequenceNumber"])
    return after


def test_live_counters_follow_an_erasure_through_the_stream(table: Any) -> None:
    """The REMOVE records subtract the erased feedback: 25 counted, then 22, ratings too."""
    store = InMemoryCounterStore()
    aggregator = StreamAggregator(projection=feedback_stats(), store=store)
    last = deliver(aggregator, None)
    before = feedback_analytics(store)
    erase(load_handler("erasure"), "c-1")
    deliver(aggregator, last)
    after = feedback_analytics(store)
    histogram = {r.rating: r.count for r in after.rating_histogram}
    # c-1 wrote feedback 3, 10 and 20: ratings 4, 1 and 1.
    assert (25, 22) == (before.count, after.count)
    assert {1: 3, 2: 5, 3: 5, 4: 4, 5: 5} == histogram


def health(module: ModuleType) -> tuple[int, dict[str, str], Any]:
    return invoke(module, event("GET", "/health"))


def test_health_is_200_when_every_table_answers(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both tables described: 200, each label ok, no table name in the body."""
    monkeypatch.setenv("HEALTH_TABLES", f"feedback={TABLE},again={TABLE}")
    status, _, body = health(load_handler("health"))
    assert (200, {"status": "ok", "checks": {"again": "ok", "feedback": "ok"}}) == (status, body)


def test_health_is_503_naming_the_dependency_that_does_not_answer(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing table: 503 (with Retry-After) whose checks say which one is unavailable."""
    monkeypatch.setenv("HEALTH_TABLES", f"feedback={TABLE},votes=no-such-table")
    status, headers, body = health(load_handler("health"))
    assert (503, "1", {"feedback": "ok", "votes": "unavailable"}) == (
        status,
        headers["Retry-After"],
        body["checks"],
    )
    assert "no-such-table" not in str(body)


def test_the_admin_samples_are_answered_as_the_api_sends_them(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The IAM-signed listing and erasure samples and the health sample get their answers."""
    monkeypatch.setenv("HEALTH_TABLES", f"feedback={TABLE}")
    status, _, listing = invoke(load_handler("feedback_list"), load("apigw_v1_get_feedback"))
    assert (200, 20) == (status, len(listing["items"]))
    status, _, erased = invoke(load_handler("erasure"), load("apigw_v1_delete_customer_feedback"))
    assert (200, 3) == (status, erased["erased"])
    assert 200 == invoke(load_handler("health"), load("apigw_v1_get_health"))[0]
