"""POST /polls/{pollId}/votes and GET /polls/{pollId}/votes/{userId} end to end, against moto."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import boto3
import orjson
import pytest

from feedback_core.errors import ConfigurationError
from tests.events import load
from tests.integration.handlers import create_table, invoke, load_handler

TABLE = "votes-test"
SUB = "5f2b8c1e-0d4a-4b7e-9f3c-6a1d2e3f4b5c"  # the sub claim in apigw_v1_post_vote_cognito


class Ticking:
    """A clock that moves one second per reading: every attempt is a new request."""

    def __init__(self) -> None:
        self.seconds = 0

    def __call__(self) -> str:
        self.seconds += 1
        return f"2026-11-22T10:{self.seconds // 60:02d}:{self.seconds % 60:02d}Z"


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_table(client, TABLE, [("pollId", "HASH"), ("userId", "RANGE")])
    return client


def vote_handler(monkeypatch: pytest.MonkeyPatch, policy: str, *, from_body: str = "true") -> Any:
    monkeypatch.setenv("VOTES_TABLE", TABLE)
    monkeypatch.setenv("VOTE_POLICY", policy)
    monkeypatch.setenv("IDENTITY_FROM_BODY", from_body)
    module = load_handler("votes")
    module.votes.clock = Ticking()
    return module


@pytest.fixture
def reject(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return vote_handler(monkeypatch, "reject")  # type: ignore[no-any-return]  # a module


@pytest.fixture
def replace(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return vote_handler(monkeypatch, "replace")  # type: ignore[no-any-return]  # a module


@pytest.fixture
def lookup(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("VOTES_TABLE", TABLE)
    monkeypatch.setenv("IDENTITY_FROM_BODY", "true")
    return load_handler("vote_lookup")


def vote(
    choice: str = "pizza", *, user: str | None = "u-1042", key: str | None = "default"
) -> dict[str, Any]:
    """The REST API sample vote with another choice, user or Idempotency-Key (None: no key)."""
    event = load("apigw_v1_post_vote")
    body: dict[str, str] = (
        {"choice": choice} if user is None else {"userId": user, "choice": choice}
    )
    event["body"] = orjson.dumps(body).decode()
    if key is None:
        del event["headers"]["Idempotency-Key"]
        del event["multiValueHeaders"]["Idempotency-Key"]
    elif key != "default":
        event["headers"]["Idempotency-Key"] = key
        event["multiValueHeaders"]["Idempotency-Key"] = [key]
    return event


def get_vote(user: str = "u-1042", poll: str = "lunch-2026") -> dict[str, Any]:
    event = load("apigw_v1_get_vote")
    event["pathParameters"] = {"pollId": poll, "userId": user}
    return event


def stored(dynamodb: Any) -> list[dict[str, Any]]:
    return dynamodb.scan(TableName=TABLE)["Items"]  # type: ignore[no-any-return]  # moto's answer


def test_new_vote_is_201_with_the_vote_and_its_location(reject: ModuleType, dynamodb: Any) -> None:
    """The sample vote is stored once and answered with the stored vote."""
    status, headers, body = invoke(reject, load("apigw_v1_post_vote"))
    (item,) = stored(dynamodb)
    assert 201 == status
    assert {
        "pollId": "lunch-2026",
        "userId": "u-1042",
        "choice": "pizza",
        "votedAt": "2026-11-22T10:00:01Z",
    } == body
    assert "/polls/lunch-2026/votes/u-1042" == headers["Location"]
    assert {"S": "pizza"} == item["choice"]
    assert item["payloadHash"]["S"].startswith("sha256:")  # a retry can be recognised


def test_second_vote_under_reject_is_409_with_the_existing_vote(
    reject: ModuleType, dynamodb: Any
) -> None:
    """Another vote by the same user is refused with the choice and time already recorded."""
    invoke(reject, vote("pizza"))
    status, headers, body = invoke(reject, vote("salad", key="a1b2c3d4-second"))
    assert (409, "application/problem+json") == (status, headers["Content-Type"])
    assert "urn:feedback-core:problem:duplicate" == body["type"]
    assert {"choice": "pizza", "votedAt": "2026-11-22T10:00:01Z"} == body["existing"]
    assert "already voted" in body["detail"]  # a sentence, not the key's repr
    assert "0b6f1a2c-7c61-11e6-9a41-93e8deadbeef" == body["instance"]  # the request id
    assert [{"S": "pizza"}] == [item["choice"] for item in stored(dynamodb)]


def test_retry_with_the_same_key_replays_under_reject(reject: ModuleType, dynamodb: Any) -> None:
    """A retried POST (same Idempotency-Key and body, a second later) gets the first answer."""
    first = invoke(reject, vote())
    second = invoke(reject, vote())
    assert (201, first[2]) == (second[0], second[2])
    assert "true" == second[1]["Idempotent-Replayed"]
    assert 1 == len(stored(dynamodb))


def test_repeat_without_a_key_is_a_second_vote_under_reject(reject: ModuleType) -> None:
    """Without an Idempotency-Key a repeat cannot be told from a second vote: 409."""
    invoke(reject, vote(key=None))
    status, _, body = invoke(reject, vote(key=None))
    assert (409, "pizza") == (status, body["existing"]["choice"])


def test_change_under_replace_is_200_with_old_and_new_choice(
    replace: ModuleType, dynamodb: Any
) -> None:
    """Under replace a second vote changes the choice, keeping the one before."""
    assert 201 == invoke(replace, vote("pizza"))[0]
    status, _, body = invoke(replace, vote("salad", key="a1b2c3d4-second"))
    (item,) = stored(dynamodb)
    assert 200 == status
    assert ("salad", "pizza", 2) == (body["choice"], body["previousChoice"], body["revision"])
    assert body["votedAt"] < body["changedAt"]  # votedAt keeps the first vote's time
    assert ({"S": "salad"}, {"N": "2"}) == (item["choice"], item["revision"])


def test_retried_change_under_replace_gets_the_same_answer(
    replace: ModuleType, dynamodb: Any
) -> None:
    """A retried change is answered like the change, and written once."""
    invoke(replace, vote("pizza"))
    change = invoke(replace, vote("salad", key="a1b2c3d4-second"))
    retry = invoke(replace, vote("salad", key="a1b2c3d4-second"))
    assert (change[0], change[2]) == (retry[0], retry[2])
    assert [{"N": "2"}] == [item["revision"] for item in stored(dynamodb)]


def test_retried_first_vote_under_replace_replays(replace: ModuleType) -> None:
    """A retried first vote (same key) is answered 201 again, as the first attempt was."""
    first = invoke(replace, vote())
    retry = invoke(replace, vote())
    assert (201, first[2], "true") == (retry[0], retry[2], retry[1]["Idempotent-Replayed"])


def test_same_choice_again_under_replace_is_200_unchanged(
    replace: ModuleType, dynamodb: Any
) -> None:
    """Voting for the held choice again (another request) writes nothing: 200, revision 1."""
    invoke(replace, vote(key=None))
    status, headers, body = invoke(replace, vote(key=None))
    assert (200, 1, None) == (status, body["revision"], headers.get("Idempotent-Replayed"))
    assert [{"N": "1"}] == [item["revision"] for item in stored(dynamodb)]


def test_get_returns_the_stored_vote(reject: ModuleType, lookup: ModuleType) -> None:
    """GET after a vote answers 200 with what the POST answered."""
    posted = invoke(reject, load("apigw_v1_post_vote"))[2]
    status, _, body = invoke(lookup, load("apigw_v1_get_vote"))
    assert (200, posted) == (status, body)


@pytest.mark.parametrize(("user", "poll"), [("u-404", "lunch-2026"), ("u-1042", "other-poll")])
def test_get_of_a_missing_vote_is_404(
    reject: ModuleType, lookup: ModuleType, user: str, poll: str
) -> None:
    """Another user or another poll: 404 problem."""
    invoke(reject, load("apigw_v1_post_vote"))
    status, headers, body = invoke(lookup, get_vote(user, poll))
    assert (404, "application/problem+json") == (status, headers["Content-Type"])
    assert "urn:feedback-core:problem:not-found" == body["type"]


def test_get_with_an_id_no_vote_can_have_is_400(reject: ModuleType, lookup: ModuleType) -> None:
    """Path ids follow the one id rule on GET as on POST: a malformed one is a 400, not a read."""
    status, _, body = invoke(lookup, get_vote("x" * 200, "lunch-2026"))
    assert (400, ["/userId"]) == (status, [e["pointer"] for e in body["errors"]])


def test_signed_in_caller_reads_only_their_own_vote(reject: ModuleType, lookup: ModuleType) -> None:
    """With an authorizer identity, another user's vote is a 404, whether or not it exists."""
    invoke(reject, load("apigw_v1_post_vote"))
    event = get_vote("u-1042")
    event["requestContext"]["authorizer"] = {"claims": {"sub": SUB}}
    assert 404 == invoke(lookup, event)[0]
    event["pathParameters"]["userId"] = SUB
    invoke(reject, load("apigw_v1_post_vote_cognito"))
    assert 200 == invoke(lookup, event)[0]


def test_signed_in_sample_reads_the_callers_own_vote(
    reject: ModuleType, lookup: ModuleType
) -> None:
    """The signed-in GET sample (the cold-start benchmark's event) reads its caller's vote."""
    assert 404 == invoke(lookup, load("apigw_v1_get_vote_cognito"))[0]
    invoke(reject, load("apigw_v1_post_vote_cognito"))
    status, _, body = invoke(lookup, load("apigw_v1_get_vote_cognito"))
    assert (200, SUB, "salad") == (status, body["userId"], body["choice"])


def test_signed_in_vote_is_cast_by_the_authorizers_user(reject: ModuleType, dynamodb: Any) -> None:
    """A Cognito-authorized request votes as its token's sub; the body names no user."""
    status, _, body = invoke(reject, load("apigw_v1_post_vote_cognito"))
    (item,) = stored(dynamodb)
    assert (201, SUB, {"S": SUB}) == (status, body["userId"], item["userId"])


def test_http_api_jwt_vote_is_cast_by_the_tokens_subject(reject: ModuleType, dynamodb: Any) -> None:
    """An HTTP API request with a JWT authorizer votes as the token's sub."""
    status, _, body = invoke(reject, load("apigw_v2_post_vote_jwt"))
    assert (201, "u-2026", "curry") == (status, body["userId"], body["choice"])


def test_body_naming_another_user_than_the_caller_is_400(reject: ModuleType, dynamodb: Any) -> None:
    """A signed-in caller cannot vote as someone else: 400 at /userId, nothing stored."""
    event = load("apigw_v1_post_vote_cognito")
    event["body"] = '{"userId": "u-1042", "choice": "salad"}'
    status, _, body = invoke(reject, event)
    assert (400, [("/userId", "conflict")]) == (
        status,
        [(e["pointer"], e["code"]) for e in body["errors"]],
    )
    assert "signed-in" in body["errors"][0]["detail"]
    assert [] == stored(dynamodb)


@pytest.mark.parametrize(
    ("change", "pointers"),
    [
        ({"body": '{"userId": "u-1042"}'}, ["/choice"]),
        ({"body": '{"userId": "u 1042", "choice": ""}'}, ["/userId", "/choice"]),
        ({"pathParameters": {"pollId": "no spaces"}}, ["/pollId"]),
        ({"body": '{"pollId": "other", "userId": "u-1042", "choice": "x"}'}, ["/pollId"]),
    ],
)
def test_invalid_votes_are_400_with_every_error(
    reject: ModuleType, dynamodb: Any, change: dict[str, Any], pointers: list[str]
) -> None:
    """A bad body or path gets one 400 naming every bad field; nothing is stored."""
    status, _, body = invoke(reject, {**load("apigw_v1_post_vote"), **change})
    assert (400, pointers) == (status, [e["pointer"] for e in body["errors"]])
    assert [] == stored(dynamodb)


def test_bad_idempotency_key_is_400(reject: ModuleType, dynamodb: Any) -> None:
    """A malformed Idempotency-Key header is the client's mistake to fix."""
    status, _, body = invoke(reject, vote(key="short"))
    assert (400, "urn:feedback-core:problem:invalid-idempotency-key") == (status, body["type"])
    assert [] == stored(dynamodb)


def test_without_an_authorizer_or_body_identity_the_caller_is_unauthenticated(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IDENTITY_FROM_BODY=false and no verified caller: 401 problem+json, nothing stored."""
    module = vote_handler(monkeypatch, "reject", from_body="false")
    status, headers, body = invoke(module, vote())
    assert (401, "urn:feedback-core:problem:unauthenticated", "Bearer") == (
        status,
        body["type"],
        headers["WWW-Authenticate"],
    )
    assert [] == stored(dynamodb)


def test_unknown_vote_policy_fails_at_cold_start(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelt VOTE_POLICY stops the function from starting rather than guessing."""
    with pytest.raises(ConfigurationError, match="maybe"):
        vote_handler(monkeypatch, "maybe")


def test_dynamodb_outage_is_503(reject: ModuleType, dynamodb: Any) -> None:
    """When the table is unreachable the answer is 503 with Retry-After, naming no table."""
    dynamodb.delete_table(TableName=TABLE)
    status, headers, body = invoke(reject, vote())
    assert (503, "1") == (status, headers.get("Retry-After"))
    assert TABLE not in orjson.dumps(body).decode()
