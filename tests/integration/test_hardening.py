"""Requests a hostile client can send: each once made a handler misbehave, none may now.

One test per finding of the review in issue 8, each against the real handlers on moto.
"""

from __future__ import annotations

import copy
from types import ModuleType
from typing import Any

import boto3
import orjson
import pytest

from feedback_core.ingest import SurveyResponse
from tests.events import load
from tests.integration.handlers import create_table, invoke, load_handler

VOTES = "votes-hardening"
FEEDBACK = "feedback-hardening"
COUNTERS = "counters-hardening"
KELVIN = "\u212aelvin-poll"  # KELVIN SIGN, whose NFC form is the ASCII "Kelvin-poll"


@pytest.fixture
def tables(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    client = boto3.client("dynamodb")
    create_table(client, VOTES, [("pollId", "HASH"), ("userId", "RANGE")])
    create_table(client, FEEDBACK, [("feedbackId", "HASH")])
    create_table(client, COUNTERS, [("pk", "HASH"), ("sk", "RANGE")])
    monkeypatch.setenv("VOTES_TABLE", VOTES)
    monkeypatch.setenv("FEEDBACK_TABLE", FEEDBACK)
    monkeypatch.setenv("COUNTERS_TABLE", COUNTERS)
    monkeypatch.setenv("IDENTITY_FROM_BODY", "true")
    return client


@pytest.fixture
def votes(tables: Any) -> ModuleType:
    module = load_handler("votes")
    module.votes.clock = lambda: "2026-11-22T10:00:00Z"  # every attempt in the same second
    return module


def vote_event(poll_id: str = "lunch-2026") -> dict[str, Any]:
    event = load("apigw_v1_post_vote")
    event["pathParameters"] = {"pollId": poll_id}
    event["path"] = f"/polls/{poll_id}/votes"
    return event


def test_a_lone_surrogate_in_the_content_type_is_a_415_not_an_exception(tables: Any) -> None:
    """``Content-Type: text/\\ud800`` is echoed in the 415's detail without breaking JSON."""
    event = load("apigw_v1_post_feedback")
    event["headers"]["Content-Type"] = "text/\ud800"
    event["multiValueHeaders"]["Content-Type"] = ["text/\ud800"]
    status, headers, body = invoke(load_handler("feedback"), event)
    assert (415, "application/problem+json", 415) == (
        status,
        headers["Content-Type"],
        body["status"],
    )


def test_a_lone_surrogate_in_a_query_value_is_a_400_not_an_exception(tables: Any) -> None:
    """``?choices=\\ud800`` on poll results is a field error, answered as JSON."""
    event = load("apigw_v1_get_poll_results")
    event["queryStringParameters"] = {"choices": "\ud800"}
    status, _, body = invoke(load_handler("poll_results"), event)
    assert (400, ["/choices/0"]) == (status, [e["pointer"] for e in body["errors"]])


def test_a_lone_surrogate_in_a_path_id_is_a_400(tables: Any) -> None:
    """A path id that cannot be text is refused like any malformed id."""
    status, _, body = invoke(load_handler("votes"), vote_event("poll\udfff"))
    assert (400, ["/pollId"]) == (status, [e["pointer"] for e in body["errors"]])


def test_a_user_id_that_is_an_address_never_reaches_the_logs(
    votes: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """A vote cast by (or refused for) a user whose id is an e-mail address logs no address."""
    event = load("apigw_v1_post_vote")
    event["body"] = orjson.dumps({"userId": "erin@example.com", "choice": "pizza"}).decode()
    first, second = invoke(votes, event)[0], invoke(votes, event)[0]
    out = "\n".join(votes.logger.registered_formatter.format(r) for r in caplog.records)
    assert (201, 201) == (first, second)
    assert "erin@" not in out


def test_multiple_choice_answers_may_be_as_long_as_any_listed_string() -> None:
    """A 51-character option is fine: the 50 limit counts answers, not characters."""
    body = orjson.dumps({"surveyId": "s", "answers": {"q1": ["o" * 51, "p" * 2000]}})
    response = SurveyResponse.decode(body)
    assert ("o" * 51, "p" * 2000) == response.answers["q1"]


@pytest.mark.parametrize("how", ["multi-value", "two-spellings"])
def test_two_idempotency_keys_are_400(votes: ModuleType, how: str) -> None:
    """Several Idempotency-Key values, however they arrive, are refused as the docs say."""
    event = vote_event()
    if how == "multi-value":
        event["multiValueHeaders"]["Idempotency-Key"] = ["key-aaaaaaaa", "key-bbbbbbbb"]
        event["headers"]["Idempotency-Key"] = "key-bbbbbbbb"
    else:
        event["multiValueHeaders"] = None
        event["headers"]["Idempotency-Key"] = "key-aaaaaaaa"
        event["headers"]["idempotency-key"] = "key-bbbbbbbb"
    status, _, body = invoke(votes, event)
    assert (400, "urn:feedback-core:problem:invalid-idempotency-key") == (status, body["type"])


def test_a_non_canonical_path_id_reads_back_what_it_wrote(votes: ModuleType) -> None:
    """POST and GET apply the same id rule, so the GET on the POST's URL finds the vote."""
    posted = invoke(votes, vote_event(KELVIN))
    get = load("apigw_v1_get_vote")
    get["pathParameters"] = {"pollId": KELVIN, "userId": "u-1042"}
    status, _, body = invoke(load_handler("vote_lookup"), get)
    assert (201, 200, "Kelvin-poll") == (posted[0], status, body["pollId"])


def test_a_retry_within_the_same_second_is_marked_replayed(votes: ModuleType) -> None:
    """The same keyed request twice in one second: 201, then 201 with Idempotent-Replayed."""
    first = invoke(votes, vote_event())
    retry = invoke(votes, vote_event())
    assert (201, None, 201, "true") == (
        first[0],
        first[1].get("Idempotent-Replayed"),
        retry[0],
        retry[1].get("Idempotent-Replayed"),
    )


HANDLERS = {
    "feedback": ("apigw_v1_post_feedback", "POST"),
    "votes": ("apigw_v1_post_vote", "POST"),
    "vote_lookup": ("apigw_v1_get_vote", "GET"),
    "survey_responses": ("apigw_v1_post_survey_response", "POST"),
    "poll_results": ("apigw_v1_get_poll_results", "GET"),
    "feedback_analytics": ("apigw_v2_get_analytics", "GET"),
    "survey_summary": ("apigw_v1_get_survey_summary", "GET"),
}


OTHER_METHODS = [
    (name, method)
    for name, (_, allowed) in sorted(HANDLERS.items())
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH")
    if method != allowed
]


@pytest.mark.parametrize(("name", "method"), OTHER_METHODS)
def test_each_handler_answers_only_its_own_method(
    tables: Any, monkeypatch: pytest.MonkeyPatch, name: str, method: str
) -> None:
    """Another method is a 405 with Allow, and nothing is written."""
    monkeypatch.setenv("SURVEY_RESPONSES_TABLE", "responses-hardening")
    sample, allowed = HANDLERS[name]
    event = copy.deepcopy(load(sample))
    if "httpMethod" in event:
        event["httpMethod"] = method
    else:
        event["requestContext"]["http"]["method"] = method
    status, headers, body = invoke(load_handler(name), event)
    assert (405, allowed, 405) == (status, headers.get("Allow"), body["status"])
    assert [] == tables.scan(TableName=VOTES)["Items"] + tables.scan(TableName=FEEDBACK)["Items"]
