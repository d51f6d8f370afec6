"""Business figures as EMF lines: what each outcome counts, and the line CloudWatch reads."""

from __future__ import annotations

import json

from feedback_core.dedup.policies import Status
from feedback_core.http.metrics import NAMESPACE, BusinessMetrics, MetricsConfig, figures
from feedback_core.usecases import FeedbackReceipt, ResponseReceipt, StoredVote, Submitted

FEEDBACK = FeedbackReceipt(feedback_id="f-1", created_at="2026-11-22T10:00:00Z", sentiment="mixed")
VOTE = StoredVote(poll_id="p-1", user_id="u-1", choice="tabs", voted_at="2026-11-22T10:00:00Z")
RESPONSE = ResponseReceipt(survey_id="s", response_id="r", submitted_at="2026-11-22T10:00:00Z")


def submitted(record: object, status: Status = Status.CREATED, *, replayed: bool = False) -> object:
    return Submitted(status=status, replayed=replayed, record=record)


def test_new_feedback_counts_a_submission_and_its_sentiment() -> None:
    """A created feedback is one feedback submission and one of its sentiment label."""
    assert {
        "Submissions": (1, {"Kind": "feedback"}),
        "FeedbackBySentiment": (1, {"Sentiment": "mixed"}),
    } == figures(submitted(FEEDBACK))


def test_votes_count_new_and_changed_apart() -> None:
    """A new vote counts in Votes, a changed one in VoteChanges, an unchanged one nowhere."""
    found = [
        figures(submitted(VOTE, s)) for s in (Status.CREATED, Status.CHANGED, Status.UNCHANGED)
    ]
    assert [{"Votes": (1, {})}, {"VoteChanges": (1, {})}, {}] == found


def test_a_replay_counts_nothing() -> None:
    """A retried request (same Idempotency-Key) was counted the first time."""
    assert {} == figures(submitted(RESPONSE, replayed=True))


def test_the_line_is_emf_with_one_directive_per_metric() -> None:
    """Each metric's dimensions are root keys of the line, as CloudWatch requires."""
    lines: list[str] = []
    metrics = BusinessMetrics(service="feedback-api-dev", write=lines.append, clock=lambda: 1.5)
    metrics.record(submitted(FEEDBACK))
    (line,) = lines
    document = json.loads(line)
    directives = document["_aws"]["CloudWatchMetrics"]
    assert 1500 == document["_aws"]["Timestamp"]
    assert [
        (NAMESPACE, [["Service", "Kind"]], "Submissions"),
        (NAMESPACE, [["Service", "Sentiment"]], "FeedbackBySentiment"),
    ] == [(d["Namespace"], d["Dimensions"], d["Metrics"][0]["Name"]) for d in directives]
    keys = {k for d in directives for k in d["Dimensions"][0]} | {"Submissions"}
    assert keys <= set(document)


def test_no_service_means_no_figures() -> None:
    """Without METRICS_SERVICE a handler gets no writer; with it, one for that service."""
    assert MetricsConfig.from_env({}).metrics() is None
    found = MetricsConfig.from_env({"METRICS_SERVICE": "feedback-api-prod"}).metrics()
    assert found is not None
    assert "feedback-api-prod" == found.service
