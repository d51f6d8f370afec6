"""How the reference routes present their outcomes and errors beyond the common table.

A route's ``Location`` for a 201 and the extra problem members of its 409 and 422 are HTTP
presentation, so they live here rather than in the use cases; pass them to
:func:`~feedback_core.http.api_handler` as ``location=`` and ``problem_extensions=``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from feedback_core.errors import DuplicateError, FeedbackCoreError, IdempotencyConflictError
from feedback_core.usecases.outcomes import StoredVote, Submitted

if TYPE_CHECKING:
    from feedback_core.http.responses import Outcome

__all__ = ["survey_response_problem", "vote_location", "vote_problem"]


def vote_location(outcome: Outcome) -> str | None:
    """``/polls/{pollId}/votes/{userId}`` for a vote, where ``GET_VOTE`` reads it back.

    Examples:
        >>> from feedback_core.dedup.policies import Status
        >>> vote = StoredVote(poll_id="p1", user_id="u 1", choice="tabs", voted_at="t")
        >>> vote_location(Submitted(status=Status.CREATED, replayed=False, record=vote))
        '/polls/p1/votes/u%201'
    """
    if isinstance(outcome, Submitted) and isinstance(outcome.record, StoredVote):
        vote = outcome.record
        return f"/polls/{quote(vote.poll_id, safe='')}/votes/{quote(vote.user_id, safe='')}"
    return None


def vote_problem(error: FeedbackCoreError) -> dict[str, object] | None:
    """For a 409: a plain ``detail`` and ``existing``, the held vote's choice and time only."""
    if not isinstance(error, DuplicateError):
        return None
    existing = error.existing
    return {
        "detail": "This user has already voted in this poll, and a vote cannot change.",
        "existing": {"choice": existing.get("choice"), "votedAt": existing.get("votedAt")},
    }


def survey_response_problem(error: FeedbackCoreError) -> dict[str, object] | None:
    """For a 409: the stored response's id and time (not its answers); for a 422: what to do."""
    if isinstance(error, DuplicateError):
        existing = error.existing
        return {
            "detail": "This respondent has already answered this survey.",
            "existing": {
                "responseId": existing.get("responseId"),
                "submittedAt": existing.get("submittedAt"),
            },
        }
    if isinstance(error, IdempotencyConflictError):
        return {
            "detail": "This Idempotency-Key was used for other answers. Send a new key for "
            "a new response; retry with the same body to get the first answer again."
        }
    return None
