"""The ingest examples shown in the docs run and do what the docs say."""

from __future__ import annotations

import base64
from decimal import Decimal

import orjson

from docs.examples.ingest.custom_schema import EventRating, decode_examples
from docs.examples.ingest.minimal_handler import handler


def test_custom_schema_decodes_and_reports_all_errors() -> None:
    """The custom schema keeps 7.5 exact and reports the four problems of the bad body."""
    good, errors = decode_examples()
    assert EventRating(talk_id="t-42", score=Decimal("7.5"), track="main", tags=("ai",)) == good
    assert [
        ("/talkId", "empty"),
        ("/score", "maximum"),
        ("/track", "enum"),
        ("/colour", "unknown_field"),
    ] == errors


def test_minimal_handler_accepts_base64_v2_event() -> None:
    """A base64 body from an HTTP API event is decoded and validated."""
    body = {"name": "Ana", "email": "ana@example.com", "rating": 5, "message": "Great"}
    event = {
        "version": "2.0",
        "headers": {"content-type": "application/json; charset=utf-8"},
        "isBase64Encoded": True,
        "body": base64.b64encode(orjson.dumps(body)).decode(),
        "requestContext": {"http": {"method": "POST", "path": "/feedback"}},
    }
    response = handler(event, None)
    assert (200, {"received": body}) == (response["statusCode"], orjson.loads(response["body"]))


def test_minimal_handler_answers_415_for_form_posts() -> None:
    """A form-encoded body gets 415, as a problem document."""
    event = {
        "httpMethod": "POST",
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        "body": "name=Ana",
    }
    response = handler(event, None)
    assert 415 == response["statusCode"]
    assert "application/problem+json" == response["headers"]["Content-Type"]
