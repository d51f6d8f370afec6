"""Reading API Gateway REST (v1) and HTTP API (v2) proxy events."""

from __future__ import annotations

import base64

import pytest

from feedback_core.errors import PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError
from feedback_core.ingest import Feedback, problem_response, read_request
from tests.events import load


def test_v1_event_is_read() -> None:
    """The REST API sample gives method, path, body, headers and request id."""
    request = read_request(load("apigw_v1_post_feedback"))
    assert ("POST", "/feedback", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "203.0.113.7") == (
        request.method,
        request.path,
        request.request_id,
        request.source_ip,
    )
    assert "Ana Silva" == Feedback.decode(request.body).name


def test_v2_base64_event_is_read() -> None:
    """The HTTP API sample's base64 body is decoded, multi-byte text intact."""
    request = read_request(load("apigw_v2_post_feedback_base64"))
    record = Feedback.decode(request.body)
    assert ("José Núñez", "The app crashed twice \U0001f61e\nbut support helped.") == (
        record.name,
        record.message,
    )


def test_headers_are_case_insensitive() -> None:
    """Idempotency-Key is found whatever its case."""
    request = read_request(load("apigw_v1_post_feedback"))
    assert "4f1c2d8e-2b7a-4f7e-9d51-0c6b1e3a9f10" == request.header("IDEMPOTENCY-KEY")


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_non_json_content_type_is_415(content_type: str | None) -> None:
    """Anything but UTF-8 JSON is refused with 415."""
    event = load("apigw_v1_post_feedback")
    event["headers"] = {"Content-Type": content_type} if content_type else {}
    event["multiValueHeaders"] = {}
    with pytest.raises(UnsupportedMediaTypeError):
        read_request(event)


def test_vendor_json_content_type_is_accepted() -> None:
    """application/vnd.api+json is JSON too."""
    event = load("apigw_v1_post_feedback")
    event["headers"]["Content-Type"] = "application/vnd.api+json"
    assert read_request(event).body


@pytest.mark.parametrize("body", [None, "", "   "])
def test_missing_or_empty_body_is_400(body: str | None) -> None:
    """No body, or only whitespace, is a 400 missing_body."""
    event = load("apigw_v1_post_feedback")
    event["body"] = body
    with pytest.raises(ValidationError) as caught:
        read_request(event)
    assert ["missing_body"] == [e.code for e in caught.value.errors]


def test_large_body_is_413() -> None:
    """A body over the limit is refused before it is parsed."""
    event = load("apigw_v1_post_feedback")
    event["body"] = "x" * 2049
    with pytest.raises(PayloadTooLargeError):
        read_request(event, max_body_bytes=2048)


def test_large_base64_body_is_413_without_decoding() -> None:
    """A base64 body is measured by its encoded length first."""
    event = load("apigw_v2_post_feedback_base64")
    event["body"] = base64.b64encode(b"{" + b" " * 10_000 + b"}").decode()
    with pytest.raises(PayloadTooLargeError):
        read_request(event, max_body_bytes=2048)


def test_multibyte_body_is_measured_in_bytes() -> None:
    """1,000 three-byte characters are 3,000 bytes, over a 2,048-byte limit."""
    event = load("apigw_v1_post_feedback")
    event["body"] = '"' + "€" * 1000 + '"'
    with pytest.raises(PayloadTooLargeError):
        read_request(event, max_body_bytes=2048)


def test_bad_base64_is_400() -> None:
    """A body flagged base64 that is not base64 is a client error."""
    event = load("apigw_v2_post_feedback_base64")
    event["body"] = "not base64!!"
    with pytest.raises(ValidationError) as caught:
        read_request(event)
    assert ["invalid_base64"] == [e.code for e in caught.value.errors]


def test_get_needs_no_body() -> None:
    """With require_json_body=False a GET without body or content type is fine."""
    event = {"httpMethod": "GET", "path": "/polls/p1/results", "pathParameters": {"pollId": "p1"}}
    request = read_request(event, require_json_body=False)
    assert ("GET", {"pollId": "p1"}, b"") == (request.method, request.path_parameters, request.body)


def test_problem_response_lists_every_error() -> None:
    """A ValidationError becomes a 400 problem document with one entry per field error."""
    with pytest.raises(ValidationError) as caught:
        Feedback.decode(b'{"email": "x", "rating": 0}')
    response = problem_response(caught.value, instance="req-1")
    assert 400 == response["statusCode"]
    assert "application/problem+json" == response["headers"]["Content-Type"]
    assert '"pointer":"/name","code":"required"' in response["body"]
    assert '"instance":"req-1"' in response["body"]
