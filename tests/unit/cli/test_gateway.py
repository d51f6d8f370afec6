"""The local API Gateway: routing, the REST proxy event it builds, the answer it sends back."""

from __future__ import annotations

import base64

import orjson

from feedback_core.cli.gateway import GatewayRoute, http_response, match, proxy_event
from feedback_core.http import POLL_RESULTS, ApiCall, PollPath, PollResultsQuery, api_handler

ROUTES = (
    GatewayRoute(method="GET", resource="/polls/{pollId}/results", target="results"),
    GatewayRoute(method="GET", resource="/polls/{pollId}/votes/{userId}", target="vote"),
    GatewayRoute(method="GET", resource="/polls/special/results", target="special"),
    GatewayRoute(method="POST", resource="/feedback", target="feedback"),
)


def test_a_literal_path_part_wins_over_a_parameter() -> None:
    """/polls/special/results goes to its own method, as API Gateway routes it."""
    found = match(ROUTES, "GET", "/polls/special/results")
    assert found is not None
    assert ("special", {}) == (found.route.target, dict(found.path_parameters))


def test_path_parameters_are_decoded() -> None:
    """Percent-encoded path parts reach the function decoded."""
    found = match(ROUTES, "GET", "/polls/p%201/votes/u%40x")
    assert found is not None
    assert {"pollId": "p 1", "userId": "u@x"} == dict(found.path_parameters)


def test_an_undefined_method_or_path_matches_nothing() -> None:
    """A method or path the API does not define is API Gateway's 403 (no match)."""
    assert (None, None, None) == (
        match(ROUTES, "DELETE", "/feedback"),
        match(ROUTES, "GET", "/polls/p1"),
        match(ROUTES, "GET", "/polls//results"),
    )


def test_the_event_has_the_rest_proxy_shape() -> None:
    """Repeated headers and query values are kept, the last one in the single-value maps."""
    found = match(ROUTES, "POST", "/feedback")
    assert found is not None
    event = proxy_event(
        found,
        query="a=1&a=2&b=x%20y",
        headers=[("Idempotency-Key", "k1"), ("Idempotency-Key", "k2")],
        body=b'{"x": 1}',
    )
    assert (
        "/feedback",
        "POST",
        {"Idempotency-Key": "k2"},
        {"Idempotency-Key": ["k1", "k2"]},
        {"a": "2", "b": "x y"},
        {"a": ["1", "2"], "b": ["x y"]},
        '{"x": 1}',
        False,
    ) == (
        event["resource"],
        event["httpMethod"],
        event["headers"],
        event["multiValueHeaders"],
        event["queryStringParameters"],
        event["multiValueQueryStringParameters"],
        event["body"],
        event["isBase64Encoded"],
    )


def test_a_body_that_is_not_utf8_travels_base64_encoded() -> None:
    """Bytes that are not UTF-8 text reach the function intact."""
    found = match(ROUTES, "POST", "/feedback")
    assert found is not None
    event = proxy_event(found, query="", headers=[], body=b"\xff\xfe")
    assert (True, b"\xff\xfe") == (event["isBase64Encoded"], base64.b64decode(str(event["body"])))


def test_the_library_handler_reads_the_event() -> None:
    """api_handler decodes the path and query parameters from the event the gateway builds."""
    seen: list[tuple[str, tuple[str, ...] | None]] = []

    @api_handler(POLL_RESULTS)
    def handler(call: ApiCall[PollPath, PollResultsQuery]) -> None:
        seen.append((call.path.poll_id, call.query.choices))

    found = match(ROUTES, "GET", "/polls/lunch/results")
    assert found is not None
    response = handler(proxy_event(found, query="choices=soup,pizza", headers=[], body=b""), None)
    assert (204, [("lunch", ("soup", "pizza"))]) == (response["statusCode"], seen)


def test_the_functions_answer_becomes_the_http_answer() -> None:
    """Status, headers (multi-value ones joined) and the body, base64-decoded when flagged."""
    answer = {
        "statusCode": 201,
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {"Vary": ["Origin", "Accept"]},
        "body": base64.b64encode(orjson.dumps({"ok": True})).decode(),
        "isBase64Encoded": True,
    }
    assert (
        201,
        {"Content-Type": "application/json", "Vary": "Origin, Accept"},
        b'{"ok":true}',
    ) == (http_response(answer))


def test_an_answer_without_a_status_is_api_gateways_502() -> None:
    """A function that returns something other than a proxy response gets a 502."""
    assert 502 == http_response({"body": "hello"})[0]
