"""POST /polls/{pollId}/votes and GET /polls/{pollId}/votes/{userId}, under reject or replace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core import dedup
from feedback_core.http import STATUS_OF
from feedback_core.ingest import Vote, json_response

from .responses import problem

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.ingest import ProxyResponse, Request


def post_vote(
    request: Request,
    *,
    user_id: str,
    policy: dedup.SubmissionPolicy,
    clock: Callable[[], str] = dedup.utc_timestamp,
) -> ProxyResponse:
    """Cast or change a vote. ``user_id`` comes from the caller's identity, never the body.

    Reject: 201 for a new vote, 409 with the existing choice and votedAt.
    Replace: 201 for a new vote, 200 with the old and the new choice.
    """
    poll_id = request.path_parameters["pollId"]
    # The path and the identity are the natural key: a body naming another poll or user is a 400.
    vote = Vote.decode(request.body, server_fields={"pollId": poll_id, "userId": user_id})
    key = dedup.Key.of(pollId=poll_id, userId=user_id)
    item = dedup.Item.of(vote.to_json(), votedAt=clock())
    try:
        submission = policy.submit(key, item)
    except dedup.DuplicateError as duplicate:
        existing = duplicate.existing
        return problem(
            409,
            "already-voted",
            "You have already voted in this poll.",
            "A user has one vote per poll.",
            choice=existing["choice"],
            votedAt=existing["votedAt"],
        )
    body: dict[str, object] = {
        "pollId": poll_id,
        "userId": user_id,
        "choice": submission.item["choice"],
        "votedAt": submission.item["votedAt"],
    }
    if submission.previous is not None:  # the replace policy changed the vote
        body["previousChoice"] = submission.previous["choice"]
    return json_response(STATUS_OF[submission.status], body)


def get_vote(request: Request, *, store: dedup.DedupStore) -> ProxyResponse:
    """Read one user's vote (strongly consistent by default): 200, or 404."""
    params = request.path_parameters
    vote = store.get(dedup.Key.of(pollId=params["pollId"], userId=params["userId"]))
    if vote is None:
        return problem(404, "no-vote", "No vote found.", "This user has not voted in this poll.")
    return json_response(200, vote.without("writeId").to_dict())
