"""The vote and survey response use cases on the in-memory store: the rules handlers rely on."""

from __future__ import annotations

from typing import Any

import pytest

from feedback_core.dedup import IdempotencyKey, InMemoryDedupStore, Item
from feedback_core.errors import (
    ConfigurationError,
    DuplicateError,
    IdempotencyConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from feedback_core.ingest import SurveyResponse, Vote
from feedback_core.intake import (
    Receipt,
    SurveyResponseIntake,
    VoteIntake,
    authorizer_identity,
    survey_ids,
)

KEY = IdempotencyKey("0b0f3c8e-3b52-4cc4-b2c5-6b1f0a4e2f11")


class Ticking:
    """A clock that moves one second per reading: every attempt is a new request."""

    def __init__(self) -> None:
        self.seconds = 0

    def __call__(self) -> str:
        self.seconds += 1
        return f"2026-11-22T10:00:{self.seconds:02d}Z"


def votes(policy: str = "reject") -> VoteIntake:
    return VoteIntake(store=InMemoryDedupStore(), policy=policy, clock=Ticking())


def ballot(choice: str, user: str = "u-1") -> Vote:
    return Vote(poll_id="p-1", user_id=user, choice=choice)


@pytest.mark.parametrize(
    ("authorizer", "expected"),
    [
        ({"claims": {"sub": "cognito-sub"}}, "cognito-sub"),  # REST API, Cognito user pool
        ({"jwt": {"claims": {"sub": "jwt-sub"}, "scopes": []}}, "jwt-sub"),  # HTTP API, JWT
        ({"lambda": {"sub": "lambda-sub"}}, "lambda-sub"),  # HTTP API, Lambda authorizer
        ({"principalId": "principal", "integrationLatency": 12}, "principal"),  # REST, Lambda
        ({"claims": {"sub": ""}}, None),
        ({"claims": "not a map"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_authorizer_identity_reads_each_authorizer_kind(
    authorizer: dict[str, Any] | None, expected: str | None
) -> None:
    """Each API Gateway authorizer puts the user in its own place; all are found."""
    assert expected == authorizer_identity({"requestContext": {"authorizer": authorizer}})


def test_authorizer_identity_reads_another_claim() -> None:
    """A deployment may name users by another claim."""
    event = {"requestContext": {"authorizer": {"claims": {"sub": "s", "custom:id": "c-9"}}}}
    assert "c-9" == authorizer_identity(event, claim="custom:id")


def test_survey_ids_read_a_comma_separated_setting() -> None:
    """Blanks and spaces around ids are ignored; an iterable is taken as it is."""
    assert (frozenset({"a", "b"}), frozenset({"c"})) == (survey_ids(" a,,b , "), survey_ids(["c"]))


def test_unknown_vote_policy_is_a_configuration_error() -> None:
    """A policy name that is neither reject nor replace is refused when the intake is built."""
    with pytest.raises(ConfigurationError, match="replay"):
        VoteIntake(store=InMemoryDedupStore(), policy="replay")


def test_vote_policy_name_is_case_insensitive() -> None:
    """``Replace`` from a hand-edited environment works like ``replace``."""
    assert "replace" == VoteIntake(store=InMemoryDedupStore(), policy=" Replace ").policy


def test_a_used_key_with_another_choice_is_a_second_vote_not_a_conflict() -> None:
    """The one-vote rule decides: another choice under a used key is a 409, not a 422."""
    intake = votes()
    intake.submit(ballot("tabs"), idempotency_key=KEY)
    with pytest.raises(DuplicateError) as raised:
        intake.submit(ballot("spaces"), idempotency_key=KEY)
    assert "tabs" == raised.value.existing["choice"]


def test_a_retry_after_a_change_is_not_a_replay_of_the_first_vote() -> None:
    """Replace: tabs (key K), spaces, tabs again, then a retry of K: 200, not a replayed 201."""
    intake = votes("replace")
    intake.submit(ballot("tabs"), idempotency_key=KEY)
    intake.submit(ballot("spaces"), idempotency_key=None)
    intake.submit(ballot("tabs"), idempotency_key=None)
    retry = intake.submit(ballot("tabs"), idempotency_key=KEY)
    assert (200, False, 3) == (retry.status, retry.replayed, retry.body["revision"])


def test_an_identical_twin_in_the_same_second_counts_as_created() -> None:
    """Two identical requests in one second build one identical item: both are answered 201.

    That is dedup's own-write rule (a lost response resent by botocore looks just like it).
    """
    intake = VoteIntake(store=InMemoryDedupStore(), clock=lambda: "2026-11-22T10:00:00Z")
    first = intake.submit(ballot("tabs"), idempotency_key=None)
    twin = intake.submit(ballot("tabs"), idempotency_key=None)
    assert (201, 201, first.body) == (first.status, twin.status, twin.body)


def test_vote_receipt_never_shows_the_fingerprint() -> None:
    """``payloadHash`` is stored to recognise retries but is not part of the answer."""
    receipt = votes().submit(ballot("tabs"), idempotency_key=KEY)
    assert ("payloadHash" in receipt.item, "payloadHash" in receipt.body) == (True, False)


def test_get_of_a_vote_needs_a_caller_unless_bodies_may_say_who() -> None:
    """Reading without an authorizer identity is a configuration error by default."""
    intake = votes()
    with pytest.raises(ConfigurationError):
        intake.get(poll_id="p-1", user_id="u-1", caller=None)


def test_get_of_an_absent_vote_is_not_found() -> None:
    """No vote: NotFoundError, which problem_response renders as 404."""
    with pytest.raises(NotFoundError):
        votes().get(poll_id="p-1", user_id="u-1", caller="u-1")


def test_location_is_sent_only_with_201() -> None:
    """A 200 (a change) carries no Location; a 201 names the vote's URL path."""
    item = Item.of(pollId="p", userId="u")
    created = Receipt(status=201, body={}, replayed=False, item=item, location="/polls/p/votes/u")
    changed = Receipt(status=200, body={}, replayed=False, item=item, location="/polls/p/votes/u")
    assert ({"Location": "/polls/p/votes/u"}, {}) == (created.headers, changed.headers)


def test_problem_extensions_are_only_for_dedup_outcomes() -> None:
    """Other errors get no extra members: the standard problem body says it all."""
    error = ServiceError("PutItem", "InternalServerError", "boom")
    assert (None, None) == (
        votes().problem_extensions(error),
        SurveyResponseIntake(store=InMemoryDedupStore()).problem_extensions(error),
    )


def test_survey_conflict_extension_says_what_to_do() -> None:
    """A 422 explains that a new response needs a new key."""
    intake = SurveyResponseIntake(store=InMemoryDedupStore(), clock=Ticking())
    intake.submit(SurveyResponse(survey_id="s", answers={"q": 1}), idempotency_key=KEY)
    with pytest.raises(IdempotencyConflictError) as raised:
        intake.submit(SurveyResponse(survey_id="s", answers={"q": 2}), idempotency_key=KEY)
    extensions = intake.problem_extensions(raised.value)
    assert extensions is not None
    assert "new key" in str(extensions["detail"])


def test_one_each_survey_refuses_a_response_without_respondent() -> None:
    """A record built by hand without a respondent cannot enter a one-each survey."""
    intake = SurveyResponseIntake(store=InMemoryDedupStore(), one_per_respondent="s")
    with pytest.raises(ValidationError):
        intake.submit(SurveyResponse(survey_id="s", answers={"q": 1}), idempotency_key=None)


def test_one_each_ids_are_scoped_by_survey_and_tenant() -> None:
    """The same respondent gets one response per survey and per tenant, no more, no less."""
    intake = SurveyResponseIntake(store=InMemoryDedupStore(), one_per_respondent="*")
    ids = {
        intake.submit(
            SurveyResponse(survey_id=survey, answers={"q": 1}, respondent_id="r-1"),
            idempotency_key=None,
            tenant=tenant,
        ).body["responseId"]
        for survey in ("s-1", "s-2")
        for tenant in ("t-1", "t-2")
    }
    assert 4 == len(ids)


def test_only_identity_conflicts_get_the_sign_in_message() -> None:
    """A caller's id that breaks the id format keeps the format message, not a conflict one."""
    with pytest.raises(ValidationError) as raised:
        votes().decode(b'{"choice": "tabs"}', poll_id="p-1", caller="no spaces allowed")
    ((pointer, code, message),) = [(e.pointer, e.code, e.message) for e in raised.value.errors]
    assert ("/userId", "pattern") == (pointer, code)
    assert "signed-in" not in message


def test_identity_conflict_names_the_signed_in_caller() -> None:
    """A body naming another user than the caller gets a message about sign-in, not the path."""
    with pytest.raises(ValidationError) as raised:
        votes().decode(b'{"userId": "u-2", "choice": "tabs"}', poll_id="p-1", caller="u-1")
    ((pointer, code, message),) = [(e.pointer, e.code, e.message) for e in raised.value.errors]
    assert ("/userId", "conflict", "Does not match the signed-in caller; leave it out.") == (
        pointer,
        code,
        message,
    )
