"""Property-based tests of whole requests: headers, path and query parameters, and bodies.

Every reference API handler takes 10,000 generated requests: 2,000 generated events (REST v1
and HTTP API v2 shapes, right and wrong methods, arbitrary header names and values, lone
surrogates, repeated Idempotency-Keys, odd content types, base64 and plain bodies, near-valid and
arbitrary JSON), each sent five ways (see ``variants``). None may raise, none may answer 5xx,
and every answer is a JSON (or empty 204) proxy response.
The handlers run as deployed, with their services rebuilt over the in-memory adapters so that
tens of thousands of requests take seconds, not minutes.
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import os
import sys
from types import ModuleType
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback_core.testing import InMemoryCounterStore, InMemoryDedupStore
from feedback_core.testing.lambda_context import FakeLambdaContext
from feedback_core.usecases import (
    FeedbackService,
    ResultsService,
    SurveyResponseService,
    VoteService,
)

EXAMPLES = int(os.environ.get("FEEDBACK_CORE_PROPERTY_EXAMPLES", "10000"))

text = st.text(
    alphabet=st.characters(max_codepoint=0x1FFFF, exclude_categories=("Cs",))
    | st.sampled_from(["\ud800", "\udfff", "\u212a", "\u0000", "\n", ",", "@", " ", "/"]),
    max_size=20,
)
# Sampled rather than from_regex / emails(): generation, not the handler, is what costs here.
ids = (
    st.sampled_from(["lunch-2026", "p1", "u-1042", "nps", "q1", "Kelvin-poll", "a.b:c@d"])
    | st.text(alphabet="abcXYZ019._:@-", min_size=1, max_size=12)
    | text
)
keys = st.sampled_from(["7d3c5a10-9b2e-4f4a-8c61-2e0f5b9d7a31", "short", ""]) | text
content_types = (
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/problem+json",
            "text/plain",
            "application/json; charset=latin-1",
            "text/\ud800",
            "",
        ]
    )
    | text
)
json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | text
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=5),
    max_leaves=20,
)
near_valid = st.fixed_dictionaries(
    {},
    optional={
        "name": text,
        "email": st.sampled_from(["ana@example.com", "no-at-sign", "a@b"]) | text,
        "rating": st.integers(-1, 7) | json_leaf,
        "message": text,
        "customerId": ids,
        "choice": text,
        "userId": ids,
        "pollId": ids,
        "surveyId": ids,
        "answers": st.dictionaries(ids, json_leaf | st.lists(text, max_size=3), max_size=4),
        "respondentId": ids,
    },
)
# json.dumps, not orjson: it writes a lone surrogate as a \ud800 escape, which clients may send.
bodies = near_valid.map(json.dumps) | json_values.map(json.dumps) | text | st.none()
query_names = st.sampled_from(["choices", "since", "until", "nps", "csat", "limit"]) | text


@st.composite
def events(draw: st.DrawFn, method: str, path_names: tuple[str, ...]) -> dict[str, Any]:
    """One API Gateway event, v1 or v2, for a route with these path parameter names."""
    chosen = draw(st.sampled_from([method, method, method, "GET", "POST", "DELETE", "\ud800"]))
    headers = draw(st.dictionaries(text, text, max_size=3))
    headers["Content-Type"] = draw(content_types)
    key_values = draw(st.lists(keys, max_size=2))
    spellings = ["Idempotency-Key", "idempotency-key"]
    for n, value in enumerate(key_values):
        headers[spellings[n]] = value
    path = {name: draw(ids) for name in path_names if draw(st.booleans()) or True}
    query = draw(st.none() | st.dictionaries(query_names, text | ids, max_size=3))
    body = draw(bodies)
    encoded = draw(st.booleans()) and body is not None
    if encoded and body is not None:
        body = base64.b64encode(body.encode("utf-8", "surrogatepass")).decode()
    context: dict[str, Any] = {"requestId": "r-1"}
    if draw(st.booleans()):
        context["authorizer"] = {"claims": {"sub": draw(ids)}}
    if draw(st.booleans()):  # REST API (v1)
        multi = {name: [value] for name, value in headers.items()}
        return {
            "httpMethod": chosen,
            "path": "/x",
            "headers": headers,
            "multiValueHeaders": multi if draw(st.booleans()) else None,
            "pathParameters": path,
            "queryStringParameters": query,
            "body": body,
            "isBase64Encoded": encoded,
            "requestContext": context,
        }
    context["http"] = {"method": chosen, "path": "/x", "sourceIp": "203.0.113.7"}
    return {
        "version": "2.0",
        "headers": {name.lower(): value for name, value in headers.items()},
        "pathParameters": path,
        "queryStringParameters": query,
        "body": body,
        "isBase64Encoded": encoded,
        "requestContext": context,
    }


def handler_module(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    for variable, value in {
        "FEEDBACK_TABLE": "f",
        "VOTES_TABLE": "v",
        "SURVEY_RESPONSES_TABLE": "s",
        "COUNTERS_TABLE": "c",
        "IDENTITY_FROM_BODY": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(variable, value)
    sys.modules.pop(f"reference_handlers.{name}", None)
    module = importlib.import_module(f"reference_handlers.{name}")
    module.logger.setLevel(logging.WARNING)  # logging is tested elsewhere; here it costs time
    # The same use cases, over the in-memory adapters (same semantics as DynamoDB's).
    if hasattr(module, "feedback"):
        module.feedback = FeedbackService(store=InMemoryDedupStore(), analyzer=None)
    if hasattr(module, "votes"):
        module.votes = VoteService(store=InMemoryDedupStore(), identity_from_body=True)
    if hasattr(module, "surveys"):
        module.surveys = SurveyResponseService(store=InMemoryDedupStore(), identity_from_body=True)
    if hasattr(module, "results"):
        module.results = ResultsService(store=InMemoryCounterStore())
    return module


ROUTES = {
    "feedback": ("POST", ()),
    "votes": ("POST", ("pollId",)),
    "vote_lookup": ("GET", ("pollId", "userId")),
    "survey_responses": ("POST", ("surveyId",)),
    "poll_results": ("GET", ("pollId",)),
    "feedback_analytics": ("GET", ()),
    "survey_summary": ("GET", ("surveyId",)),
}


def variants(event: dict[str, Any], method: str) -> list[dict[str, Any]]:
    """The generated event and cheap variations of it: with the route's own method (so most
    requests get past the method check), body in base64 or not, and without a query string.

    Generating an event costs hypothesis about a hundred times what the handler costs, so each
    generated event is sent five ways.
    """
    v2 = "version" in event
    with_method = {**event}
    if v2:
        context = {**event["requestContext"], "http": {**event["requestContext"]["http"]}}
        context["http"]["method"] = method
        with_method["requestContext"] = context
    else:
        with_method["httpMethod"] = method
    body = with_method.get("body")
    flipped = {**with_method}
    if isinstance(body, str) and not with_method.get("isBase64Encoded"):
        flipped["body"] = base64.b64encode(body.encode("utf-8", "surrogatepass")).decode()
        flipped["isBase64Encoded"] = True
    no_query = {**with_method, "queryStringParameters": None}
    bare = {**with_method, "headers": None, "multiValueHeaders": None}
    return [event, with_method, flipped, no_query, bare]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_request_raises_or_gets_a_5xx(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 generated requests per handler: every answer is a 2xx-4xx JSON proxy response."""
    module = handler_module(name, monkeypatch)
    method, path_names = ROUTES[name]
    context = FakeLambdaContext(function_name=name)
    statuses: set[int] = set()
    sent: list[int] = []

    @settings(
        max_examples=EXAMPLES // 5,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(event=events(method, path_names))
    def answer(event: dict[str, Any]) -> None:
        for request in variants(event, method):
            response = module.handler(request, context)
            status = response["statusCode"]
            assert 200 <= status < 500, (status, response["body"])
            if status != 204:
                orjson.loads(response["body"])
            statuses.add(status)
            sent.append(status)

    answer()
    assert len(sent) >= EXAMPLES  # every generated event sent five ways: 10,000 requests
    assert 405 in statuses  # the generator reached the method check ...
    assert statuses & {200, 201, 400, 404}  # ... and got past it
