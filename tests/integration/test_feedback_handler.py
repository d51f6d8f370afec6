"""POST /feedback end to end: API Gateway events through the reference handler into moto."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import orjson
import pytest

from tests.events import load
from tests.integration.handlers import create_table, invoke, load_handler

TABLE = "feedback-test"


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_table(client, TABLE, [("feedbackId", "HASH")])
    return client


@pytest.fixture
def feedback(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.setenv("FEEDBACK_TABLE", TABLE)
    monkeypatch.setenv("MAX_BODY_BYTES", "4096")
    return load_handler("feedback")


def stored(dynamodb: Any) -> list[dict[str, Any]]:
    return dynamodb.scan(TableName=TABLE)["Items"]  # type: ignore[no-any-return]  # moto's answer


def test_v1_event_is_stored_and_answered_201(feedback: ModuleType, dynamodb: Any) -> None:
    """The REST API sample is stored with its id, timestamp and fingerprint."""
    status, _, body = invoke(feedback, load("apigw_v1_post_feedback"))
    (item,) = stored(dynamodb)
    assert 201 == status
    assert body["feedbackId"] == item["feedbackId"]["S"]
    assert {"N": "5"} == item["rating"]
    assert {"S": "cust-1042"} == item["customerId"]
    assert item["createdAt"]["S"].endswith("Z")
    assert ({"S": "positive"}, {"S": "offline"}) == (item["sentiment"], item["sentimentSource"])
    assert body["sentiment"] == "positive"


def test_v2_base64_event_is_stored(feedback: ModuleType, dynamodb: Any) -> None:
    """The HTTP API sample (base64, multi-byte text) is stored exactly."""
    status, _, _ = invoke(feedback, load("apigw_v2_post_feedback_base64"))
    (item,) = stored(dynamodb)
    assert (201, "José Núñez") == (status, item["name"]["S"])


def test_invalid_body_is_400_with_every_error_and_nothing_stored(
    feedback: ModuleType, dynamodb: Any
) -> None:
    """Three bad fields give one 400 naming all three; the table stays empty."""
    event = load("apigw_v1_post_feedback")
    event["body"] = '{"name": "", "email": "nope", "rating": 4.5, "message": "hi"}'
    status, headers, body = invoke(feedback, event)
    assert (400, "application/problem+json") == (status, headers["Content-Type"])
    assert ["/name", "/email", "/rating"] == [e["pointer"] for e in body["errors"]]
    assert [] == stored(dynamodb)


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"headers": {"Content-Type": "text/plain"}, "multiValueHeaders": {}}, 415),
        ({"body": "{" + " " * 5000 + "}"}, 413),
        ({"body": None}, 400),
        ({"body": "{not json"}, 400),
        ({"body": "[1, 2, 3]"}, 400),
        ({"headers": {"Content-Type": "application/json", "Idempotency-Key": "x"}}, 400),
    ],
)
def test_client_mistakes_are_4xx_never_500(
    feedback: ModuleType, dynamodb: Any, change: dict[str, Any], status: int
) -> None:
    """Wrong content type, oversized, empty, malformed bodies and bad keys all get a 4xx."""
    event = {**load("apigw_v1_post_feedback"), **change}
    actual, _, body = invoke(feedback, event)
    assert (status, status) == (actual, body["status"])
    assert [] == stored(dynamodb)


def test_retry_with_same_idempotency_key_replays(feedback: ModuleType, dynamodb: Any) -> None:
    """A retried POST gets the same id and body, and the table holds one item."""
    # The retry comes a second later, so its own item would differ from the first's.
    feedback.feedback.clock = iter(["2026-11-22T10:00:00Z", "2026-11-22T10:00:01Z"]).__next__
    first = invoke(feedback, load("apigw_v1_post_feedback"))
    second = invoke(feedback, load("apigw_v1_post_feedback"))
    assert first[2] == second[2]
    assert ("true", 201) == (second[1].get("Idempotent-Replayed"), second[0])
    assert 1 == len(stored(dynamodb))


def test_same_key_with_another_body_is_422(feedback: ModuleType, dynamodb: Any) -> None:
    """Reusing an Idempotency-Key for a different body is refused with 422."""
    invoke(feedback, load("apigw_v1_post_feedback"))
    event = load("apigw_v1_post_feedback")
    event["body"] = event["body"].replace('"rating": 5', '"rating": 1')
    status, _, body = invoke(feedback, event)
    assert (422, "urn:feedback-core:problem:idempotency-key-reused") == (status, body["type"])
    assert 1 == len(stored(dynamodb))


def test_without_idempotency_key_each_post_is_new(feedback: ModuleType, dynamodb: Any) -> None:
    """Two POSTs without a key are two records."""
    for _ in range(2):
        event = load("apigw_v1_post_feedback")
        del event["headers"]["Idempotency-Key"]
        del event["multiValueHeaders"]["Idempotency-Key"]
        invoke(feedback, event)
    assert 2 == len(stored(dynamodb))


def test_logs_never_hold_the_email(
    feedback: ModuleType, dynamodb: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The structured log line names the route and the outcome, never the person or the text."""
    event = load("apigw_v2_post_feedback_base64")
    invoke(feedback, event)
    # Format the captured records with the handler's own Powertools JSON formatter.
    lines = [feedback.logger.registered_formatter.format(r) for r in caplog.records]
    out = "\n".join(lines)
    assert "request handled" in out
    assert "jose@example.org" not in out
    assert "José" not in out


def test_addresses_in_free_text_and_ids_never_reach_the_logs(
    feedback: ModuleType, dynamodb: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """An address in the message or as the customer id is not logged, accepted or refused."""
    accepted = load("apigw_v1_post_feedback")
    accepted["body"] = orjson.dumps(
        {
            "name": "Bob",
            "email": "bob@example.com",
            "rating": 2,
            "message": "Call me back at carol@example.net please",
            "customerId": "dave@example.org",
        }
    ).decode()
    refused = {**accepted, "body": accepted["body"].replace('"rating":2', '"rating":9')}
    statuses = [invoke(feedback, accepted)[0], invoke(feedback, refused)[0]]
    out = "\n".join(feedback.logger.registered_formatter.format(r) for r in caplog.records)
    assert [201, 400] == statuses
    assert "@example." not in out
    assert "Call me back" not in out


def test_dynamodb_outage_is_503_not_500(
    feedback: ModuleType, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the table is gone (an outage, as clients see it) the answer is 503 with Retry-After."""
    dynamodb.delete_table(TableName=TABLE)
    status, headers, body = invoke(feedback, load("apigw_v1_post_feedback"))
    assert (503, "1") == (status, headers.get("Retry-After"))
    assert "feedback-test" not in orjson.dumps(body).decode()
