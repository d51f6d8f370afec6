"""RETENTION_DAYS: submissions carry ``expiresAt`` for the tables' TTL, only when configured."""

from __future__ import annotations

import pytest

from feedback_core.dedup import Key
from feedback_core.errors import ConfigurationError
from feedback_core.ingest import Feedback, SurveyResponse, Vote
from feedback_core.testing import InMemoryDedupStore
from feedback_core.usecases import (
    CastVote,
    FeedbackConfig,
    FeedbackService,
    SubmitFeedback,
    SubmitSurveyResponse,
    SurveyResponseService,
    SurveysConfig,
    VotesConfig,
    VoteService,
)
from feedback_core.usecases.retention import expiry

NOW = "2026-11-22T10:00:00Z"
IN_30_DAYS = 1_795_341_600 + 30 * 86_400  # NOW as epoch seconds, plus 30 days


def frozen() -> str:
    return NOW


def test_expiry_counts_days_from_the_items_own_time() -> None:
    """30 days after 2026-11-22T10:00:00Z, in epoch seconds."""
    assert {"expiresAt": IN_30_DAYS} == expiry(NOW, 30)


def test_a_vote_expires_when_the_service_keeps_votes_for_days() -> None:
    """retention_days=30 stores expiresAt with the vote."""
    store = InMemoryDedupStore()
    VoteService(store=store, clock=frozen, retention_days=30).cast(
        CastVote(vote=Vote(poll_id="p-1", user_id="u-1", choice="tabs"))
    )
    item = store.get(Key.of(pollId="p-1", userId="u-1"))
    assert item is not None
    assert IN_30_DAYS == item.get("expiresAt")


def test_feedback_keeps_no_expiry_by_default() -> None:
    """Without retention the item has no expiresAt: it is kept until erased."""
    store = InMemoryDedupStore()
    record = Feedback(name="Ana", email="ana@example.com", rating=5, message="Lovely")
    receipt = FeedbackService(store=store, clock=frozen, new_id=lambda: "f-1").submit(
        SubmitFeedback(feedback=record)
    )
    item = store.get(Key.of(feedbackId=receipt.record.feedback_id))
    assert item is not None
    assert "expiresAt" not in item


def test_a_survey_response_expires_and_its_receipt_shows_no_expiry() -> None:
    """The attribute is stored for DynamoDB, not shown to the client."""
    store = InMemoryDedupStore()
    service = SurveyResponseService(
        store=store, clock=frozen, retention_days=30, one_per_respondent="*"
    )
    response = SurveyResponse(survey_id="s", answers={"q1": 9}, respondent_id="r-1")
    receipt = service.submit(SubmitSurveyResponse(response=response)).record
    item = store.get(Key.of(surveyId="s", responseId=receipt.response_id))
    assert item is not None
    assert (IN_30_DAYS, False) == (item.get("expiresAt"), "expiresAt" in receipt.to_json())


def test_every_submission_config_reads_retention_days() -> None:
    """RETENTION_DAYS reaches the feedback, votes and survey configs alike."""
    tables = {"FEEDBACK_TABLE": "f", "VOTES_TABLE": "v", "SURVEY_RESPONSES_TABLE": "s"}
    environ = {**tables, "RETENTION_DAYS": "90"}
    found = {
        FeedbackConfig.from_env(environ).retention_days,
        VotesConfig.from_env(environ).retention_days,
        SurveysConfig.from_env(environ).retention_days,
    }
    assert {90} == found


def test_a_negative_retention_is_a_configuration_error() -> None:
    """A negative RETENTION_DAYS names the variable at cold start."""
    with pytest.raises(ConfigurationError, match="RETENTION_DAYS"):
        VotesConfig.from_env({"VOTES_TABLE": "v", "RETENTION_DAYS": "-1"})
