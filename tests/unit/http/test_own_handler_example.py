"""The "write your own handler" example answers exactly as the reference handlers do."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest

from docs.examples.http import own_handler, powertools_resolver
from feedback_core.testing import InMemoryDedupStore
from feedback_core.testing.lambda_context import FakeLambdaContext
from feedback_core.usecases import VoteService

KEY = "5b3a7f1e-8c2d-4e6f-9a0b-1c2d3e4f5a6b"


def event(
    body: str | None = '{"rating": 5, "text": "Sturdy."}',
    *,
    method: str = "POST",
    product: str = "kettle-2",
    content_type: str = "application/json",
    key: str | None = KEY,
) -> dict[str, Any]:
    headers = {"Content-Type": content_type}
    if key is not None:
        headers["Idempotency-Key"] = key
    return {
        "httpMethod": method,
        "path": f"/products/{product}/reviews",
        "headers": headers,
        "pathParameters": {"productId": product},
        "body": body,
        "requestContext": {"requestId": "r-1"},
    }


def call(request: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    response = own_handler.handler(request, FakeLambdaContext(function_name="reviews"))
    return response["statusCode"], response["headers"], orjson.loads(response["body"])


@pytest.fixture(autouse=True)
def fresh_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        own_handler, "reviews", own_handler.ReviewService(store=InMemoryDedupStore())
    )


def test_a_review_is_created_and_its_retry_replayed() -> None:
    """201, then the same body again with Idempotent-Replayed: true."""
    first, retry = call(event()), call(event())
    assert (201, 201, first[2], "true") == (
        first[0],
        retry[0],
        retry[2],
        retry[1].get("Idempotent-Replayed"),
    )


@pytest.mark.parametrize(
    ("request_event", "status", "problem"),
    [
        (event(method="GET"), 405, "method-not-allowed"),
        (event(content_type="text/plain"), 415, "unsupported-media-type"),
        (event("{" + " " * 17000 + "}"), 413, "payload-too-large"),
        (event(None), 400, "validation-error"),
        (event('{"rating": 9, "text": 3, "extra": 1}'), 400, "validation-error"),
        (event(product="no spaces"), 400, "validation-error"),
        (event(key="k"), 400, "invalid-idempotency-key"),
    ],
)
def test_client_mistakes_get_the_reference_problems(
    request_event: dict[str, Any], status: int, problem: str
) -> None:
    """Every mistake gets the problem type and status the reference handlers give it."""
    actual, headers, body = call(request_event)
    assert (status, status, f"urn:feedback-core:problem:{problem}") == (
        actual,
        body["status"],
        body["type"],
    )
    assert "application/problem+json" == headers["Content-Type"]


def test_every_field_error_comes_at_once() -> None:
    """Three bad fields, three pointers."""
    _, _, body = call(event('{"rating": 9, "text": 3, "extra": 1}'))
    assert ["/rating", "/text", "/extra"] == [e["pointer"] for e in body["errors"]]


def test_a_reused_key_with_another_review_is_422() -> None:
    """The same key for a different body is refused, as POST /feedback refuses it."""
    call(event())
    status, _, body = call(event('{"rating": 1, "text": "Leaks."}'))
    assert (422, "urn:feedback-core:problem:idempotency-key-reused") == (status, body["type"])


def test_the_powertools_resolver_example_maps_outcomes_and_errors() -> None:
    """Inside APIGatewayRestResolver: 201 for a vote, 409 for a second, 400 for a bad body."""
    powertools_resolver.votes = VoteService(store=InMemoryDedupStore(), identity_from_body=True)

    def vote(body: str) -> dict[str, Any]:
        request = {
            "httpMethod": "POST",
            "path": "/polls/p1/votes",
            "resource": "/polls/{poll_id}/votes",
            "headers": {"Content-Type": "application/json"},
            "pathParameters": {"poll_id": "p1"},
            "requestContext": {"requestId": "r", "stage": "test", "resourcePath": "/x"},
            "body": base64.b64encode(body.encode()).decode(),
            "isBase64Encoded": True,
        }
        return powertools_resolver.lambda_handler(request, FakeLambdaContext(function_name="pt"))

    answers = [
        vote('{"userId": "u1", "choice": "tabs"}'),
        vote('{"userId": "u1", "choice": "spaces"}'),
        vote('{"choice": 3}'),
    ]
    assert [201, 409, 400] == [a["statusCode"] for a in answers]
