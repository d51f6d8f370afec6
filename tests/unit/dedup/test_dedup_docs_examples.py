"""The dedup recipes in docs/dedup.md run on the in-memory store and answer as documented."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from docs.examples.dedup import testing_with_memory
from docs.examples.dedup.feedback import post_feedback
from docs.examples.dedup.surveys import post_response
from docs.examples.dedup.votes import get_vote, post_vote
from feedback_core import dedup
from feedback_core.errors import InvalidIdempotencyKeyError
from feedback_core.ingest import ProxyResponse, Request, read_request

KEY = "0b0f3c8e-3b52-4cc4-b2c5-6b1f0a4e2f11"
FEEDBACK = {"name": "Ana", "email": "ana@example.com", "rating": 5, "message": "Quick and kind."}
ANSWERS = {"answers": {"q1": "yes", "q2": 4}}


class Ticking:
    """A clock that moves one second per reading, so every attempt is a new request."""

    def __init__(self) -> None:
        self.seconds = 0

    def __call__(self) -> str:
        self.seconds += 1
        return f"2026-11-22T23:{self.seconds // 60:02d}:{self.seconds % 60:02d}Z"


CLOCK = Ticking()


def request(
    path: str,
    body: object = None,
    *,
    method: str = "POST",
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Request:
    event: dict[str, Any] = {
        "version": "2.0",
        "headers": {"content-type": "application/json", **(headers or {})},
        "pathParameters": params or {},
        "requestContext": {"http": {"method": method, "path": path}, "requestId": "r-1"},
    }
    if body is not None:
        event["body"] = orjson.dumps(body).decode()
        event["isBase64Encoded"] = False
    return read_request(event, require_json_body=body is not None)


def answer(response: ProxyResponse) -> tuple[int, dict[str, Any]]:
    return response["statusCode"], orjson.loads(response["body"])


# Votes


def vote(choice: str, poll: str = "p1") -> Request:
    return request(f"/polls/{poll}/votes", {"choice": choice}, params={"pollId": poll})


def test_reject_answers_201_then_409_with_the_existing_vote() -> None:
    """Under reject, the second vote is a 409 problem carrying the first choice and its time."""
    policy = dedup.Reject(store=dedup.InMemoryDedupStore())
    status, created = answer(post_vote(vote("tabs"), user_id="u1", policy=policy, clock=CLOCK))
    status2, refused = answer(post_vote(vote("spaces"), user_id="u1", policy=policy, clock=CLOCK))
    assert (201, "tabs") == (status, created["choice"])
    assert (409, "tabs", created["votedAt"]) == (status2, refused["choice"], refused["votedAt"])


def test_replace_answers_201_then_200_with_old_and_new_choice() -> None:
    """Under replace, a changed vote is a 200 naming the new and the previous choice."""
    policy = dedup.Replace(store=dedup.InMemoryDedupStore())
    assert 201 == post_vote(vote("tabs"), user_id="u1", policy=policy, clock=CLOCK)["statusCode"]
    status, changed = answer(post_vote(vote("spaces"), user_id="u1", policy=policy, clock=CLOCK))
    assert (200, "spaces", "tabs") == (status, changed["choice"], changed["previousChoice"])


def test_get_vote_reads_the_vote_or_404() -> None:
    """GET answers 200 with the vote, and 404 for a user who has not voted."""
    store = dedup.InMemoryDedupStore()
    post_vote(vote("tabs"), user_id="u1", policy=dedup.Reject(store=store), clock=CLOCK)

    def get(user: str) -> tuple[int, dict[str, Any]]:
        path = f"/polls/p1/votes/{user}"
        params = {"pollId": "p1", "userId": user}
        return answer(get_vote(request(path, method="GET", params=params), store=store))

    (found, body), (missing, _) = get("u1"), get("u2")
    assert (200, "tabs", 404) == (found, body["choice"], missing)


# Feedback


def post(
    policy: dedup.Replay, body: object, key: str | None = KEY, tenant: str = "t1"
) -> ProxyResponse:
    headers = {"Idempotency-Key": key} if key else {}
    return post_feedback(
        request("/feedback", body, headers=headers), tenant=tenant, policy=policy, clock=CLOCK
    )


def test_a_retried_feedback_post_gets_the_same_id_and_body() -> None:
    """The retry is a 201 with the same body (id, createdAt) and an Idempotent-Replayed header."""
    policy = dedup.Replay(store=dedup.InMemoryDedupStore())
    first, retry = post(policy, FEEDBACK), post(policy, FEEDBACK)
    assert (201, 201) == (first["statusCode"], retry["statusCode"])
    assert first["body"] == retry["body"]
    assert "true" == retry["headers"]["Idempotent-Replayed"]
    assert dedup.derive_id("POST /feedback", "t1", KEY) == orjson.loads(first["body"])["feedbackId"]


def test_a_reused_key_with_another_payload_is_a_422() -> None:
    """A different body under a used key is refused with a 422 problem."""
    policy = dedup.Replay(store=dedup.InMemoryDedupStore())
    post(policy, FEEDBACK)
    response = post(policy, {**FEEDBACK, "rating": 1})
    assert (422, "application/problem+json") == (
        response["statusCode"],
        response["headers"]["Content-Type"],
    )


def test_the_same_key_from_two_tenants_makes_two_records() -> None:
    """Scoping by tenant keeps one tenant's key from replaying another tenant's record."""
    store = dedup.InMemoryDedupStore()
    policy = dedup.Replay(store=store)
    post(policy, FEEDBACK, tenant="t1")
    assert 201 == post(policy, {**FEEDBACK, "rating": 2}, tenant="t2")["statusCode"]
    assert 2 == len(store)


def test_feedback_without_a_key_is_stored_each_time() -> None:
    """Without the header there is nothing to dedup on: each post is a new record."""
    store = dedup.InMemoryDedupStore()
    policy = dedup.Replay(store=store)
    post(policy, FEEDBACK, key=None)
    post(policy, FEEDBACK, key=None)
    assert 2 == len(store)


def test_a_bad_key_raises_the_400_error_for_the_handler() -> None:
    """A malformed header surfaces as InvalidIdempotencyKeyError, which ingest renders as 400."""
    with pytest.raises(InvalidIdempotencyKeyError):
        post(dedup.Replay(store=dedup.InMemoryDedupStore()), FEEDBACK, key="short")


# Survey responses


def respond(
    policy: dedup.Replay,
    body: object,
    *,
    one_per_respondent: bool,
    respondent: str | None = "r1",
    key: str | None = KEY,
) -> ProxyResponse:
    headers = {"Idempotency-Key": key} if key else {}
    return post_response(
        request("/surveys/s1/responses", body, params={"surveyId": "s1"}, headers=headers),
        tenant="t1",
        respondent_id=respondent,
        one_per_respondent=one_per_respondent,
        policy=policy,
        clock=CLOCK,
    )


def test_one_response_per_respondent_replays_a_retry_and_refuses_a_second() -> None:
    """A retry replays (201); different answers from the same respondent are a 409."""
    policy = dedup.Replay(store=dedup.InMemoryDedupStore())
    first = respond(policy, ANSWERS, one_per_respondent=True, key=None)
    retry = respond(policy, ANSWERS, one_per_respondent=True, key=None)
    other = respond(policy, {"answers": {"q1": "no"}}, one_per_respondent=True, key=None)
    assert (201, 201, 409) == (first["statusCode"], retry["statusCode"], other["statusCode"])
    assert first["body"] == retry["body"]


def test_keyed_responses_need_the_header_and_refuse_reuse() -> None:
    """Without one-per-respondent, the key is required, and reusing it for new answers is 422."""
    policy = dedup.Replay(store=dedup.InMemoryDedupStore())
    with pytest.raises(InvalidIdempotencyKeyError) as caught:
        respond(policy, ANSWERS, one_per_respondent=False, key=None)
    first = respond(policy, ANSWERS, one_per_respondent=False)
    reused = respond(policy, {"answers": {"q1": "no"}}, one_per_respondent=False)
    assert ("missing", 201, 422) == (
        caught.value.reason,
        first["statusCode"],
        reused["statusCode"],
    )


def test_a_response_records_its_day() -> None:
    """The stored response carries submittedAt and its day, for the per-day index."""
    policy = dedup.Replay(store=dedup.InMemoryDedupStore())
    _, body = answer(respond(policy, ANSWERS, one_per_respondent=True))
    assert body["submittedAt"][:10] == body["submittedDay"]
    assert ("s1", "r1") == (body["surveyId"], body["respondentId"])


# Integrators' testing


def test_the_integrator_test_example_passes() -> None:
    """The example of testing with the in-memory store holds."""
    testing_with_memory.test_a_second_vote_is_refused()
