"""The submission use cases: votes and survey responses, typed commands in, outcomes out."""

from __future__ import annotations

import pytest

from feedback_core.dedup import IdempotencyKey
from feedback_core.errors import (
    DuplicateError,
    IdempotencyConflictError,
    NotFoundError,
    UnauthenticatedError,
    ValidationError,
)
from feedback_core.ingest import Feedback, SurveyResponse, Vote
from feedback_core.testing import InMemoryDedupStore
from feedback_core.usecases import (
    CastVote,
    FeedbackService,
    Status,
    SubmitFeedback,
    SubmitSurveyResponse,
    SurveyResponseService,
    VoteService,
)
from feedback_core.usecases.votes import VotePolicy

KEY = IdempotencyKey("0b0f3c8e-3b52-4cc4-b2c5-6b1f0a4e2f11")


class Ticking:
    """A clock that moves one second per reading: every attempt is a new request."""

    def __init__(self) -> None:
        self.seconds = 0

    def __call__(self) -> str:
        self.seconds += 1
        return f"2026-11-22T10:00:{self.seconds:02d}Z"


def frozen() -> str:
    return "2026-11-22T10:00:00Z"


def votes(policy: VotePolicy = "reject") -> VoteService:
    return VoteService(store=InMemoryDedupStore(), policy=policy, clock=Ticking())


def cast(choice: str, key: IdempotencyKey | None = None, user: str = "u-1") -> CastVote:
    return CastVote(vote=Vote(poll_id="p-1", user_id=user, choice=choice), idempotency_key=key)


def test_a_used_key_with_another_choice_is_a_second_vote_not_a_conflict() -> None:
    """The one-vote rule decides: another choice under a used key is a 409, not a 422."""
    service = votes()
    service.cast(cast("tabs", KEY))
    with pytest.raises(DuplicateError) as raised:
        service.cast(cast("spaces", KEY))
    assert "tabs" == raised.value.existing["choice"]


def test_a_retry_after_a_change_is_not_a_replay_of_the_first_vote() -> None:
    """Replace: tabs (key K), spaces, tabs again, then a retry of K: unchanged, not a replay."""
    service = votes("replace")
    service.cast(cast("tabs", KEY))
    service.cast(cast("spaces"))
    service.cast(cast("tabs"))
    retry = service.cast(cast("tabs", KEY))
    assert (Status.UNCHANGED, False, 3) == (retry.status, retry.replayed, retry.record.revision)


def test_a_retry_of_a_change_is_a_replay_of_the_change() -> None:
    """Replace: a change under key K, retried, is answered as the change was, replayed."""
    service = votes("replace")
    service.cast(cast("tabs"))
    change = service.cast(cast("spaces", KEY))
    retry = service.cast(cast("spaces", KEY))
    assert (Status.CHANGED, False, Status.CHANGED, True, change.record) == (
        change.status,
        change.replayed,
        retry.status,
        retry.replayed,
        retry.record,
    )


@pytest.mark.parametrize("policy", ["reject", "replace"])
def test_a_retry_in_the_same_second_is_a_replay(policy: VotePolicy) -> None:
    """A keyed retry arriving within the same second as its original is still a replay."""
    service = VoteService(store=InMemoryDedupStore(), policy=policy, clock=frozen)
    first = service.cast(cast("tabs", KEY))
    retry = service.cast(cast("tabs", KEY))
    assert (Status.CREATED, False, Status.CREATED, True) == (
        first.status,
        first.replayed,
        retry.status,
        retry.replayed,
    )


def test_an_unkeyed_twin_in_the_same_second_is_a_second_vote() -> None:
    """Without a key nothing tells a retry from a second vote: reject refuses it (409)."""
    service = VoteService(store=InMemoryDedupStore(), clock=frozen)
    service.cast(cast("tabs"))
    with pytest.raises(DuplicateError):
        service.cast(cast("tabs"))


def test_a_stored_vote_never_shows_bookkeeping() -> None:
    """``payloadHash`` and ``writeId`` are stored to recognise retries, not shown."""
    record = votes().cast(cast("tabs", KEY)).record.to_json()
    assert {"pollId", "userId", "choice", "votedAt"} == set(record)


def test_get_of_a_vote_needs_a_caller_unless_bodies_may_say_who() -> None:
    """Reading without an authorizer identity is unauthenticated (401) by default."""
    with pytest.raises(UnauthenticatedError):
        votes().get(poll_id="p-1", user_id="u-1", caller=None)


def test_get_of_an_absent_vote_is_not_found() -> None:
    """No vote: NotFoundError (404)."""
    with pytest.raises(NotFoundError):
        votes().get(poll_id="p-1", user_id="u-1", caller="u-1")


def test_get_of_another_users_vote_is_not_found() -> None:
    """A caller reads only their own vote; another's looks absent."""
    service = votes()
    service.cast(cast("tabs", user="u-2"))
    with pytest.raises(NotFoundError):
        service.get(poll_id="p-1", user_id="u-2", caller="u-1")


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


def surveys(one_per_respondent: str = "") -> SurveyResponseService:
    return SurveyResponseService(
        store=InMemoryDedupStore(), one_per_respondent=one_per_respondent, clock=Ticking()
    )


def answer(survey: str, value: int, respondent: str | None = None) -> SurveyResponse:
    return SurveyResponse(survey_id=survey, answers={"q": value}, respondent_id=respondent)


def test_a_keyed_survey_response_is_replayed_and_its_key_not_reused() -> None:
    """Same key and answers: a replay; same key, other answers: 422."""
    service = surveys()
    first = service.submit(SubmitSurveyResponse(response=answer("s", 1), idempotency_key=KEY))
    retry = service.submit(SubmitSurveyResponse(response=answer("s", 1), idempotency_key=KEY))
    with pytest.raises(IdempotencyConflictError):
        service.submit(SubmitSurveyResponse(response=answer("s", 2), idempotency_key=KEY))
    assert (False, True, first.record) == (first.replayed, retry.replayed, retry.record)


def test_one_each_survey_refuses_a_response_without_respondent() -> None:
    """A record built by hand without a respondent cannot enter a one-each survey."""
    with pytest.raises(ValidationError):
        surveys("s").submit(SubmitSurveyResponse(response=answer("s", 1)))


def test_one_each_ids_are_scoped_by_survey_and_tenant() -> None:
    """The same respondent gets one response per survey and per tenant, no more, no less."""
    service = surveys("*")
    ids = {
        service.submit(
            SubmitSurveyResponse(response=answer(survey, 1, "r-1"), tenant=tenant)
        ).record.response_id
        for survey in ("s-1", "s-2")
        for tenant in ("t-1", "t-2")
    }
    assert 4 == len(ids)


def test_one_each_second_answer_is_a_duplicate_and_the_same_answer_a_replay() -> None:
    """One response per respondent: the same answers replay, other answers are a 409."""
    service = surveys("*")
    service.submit(SubmitSurveyResponse(response=answer("s", 1, "r-1")))
    again = service.submit(SubmitSurveyResponse(response=answer("s", 1, "r-1")))
    with pytest.raises(DuplicateError):
        service.submit(SubmitSurveyResponse(response=answer("s", 2, "r-1")))
    assert again.replayed


def test_feedback_retry_in_the_same_second_is_a_replay() -> None:
    """POST /feedback retried at once with its key gets the first answer, replayed."""
    service = FeedbackService(store=InMemoryDedupStore(), clock=frozen)
    record = Feedback(name="Ana", email="ana@example.com", rating=5, message="Lovely")
    first = service.submit(SubmitFeedback(feedback=record, idempotency_key=KEY))
    retry = service.submit(SubmitFeedback(feedback=record, idempotency_key=KEY))
    assert (False, True, first.record) == (first.replayed, retry.replayed, retry.record)
