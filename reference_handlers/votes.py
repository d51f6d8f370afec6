"""POST /polls/{pollId}/votes: one vote per user per poll; 201, then 409 (reject) or 200 (replace).

Settings: :class:`feedback_core.usecases.VotesConfig` (VOTES_TABLE, VOTE_POLICY,
IDENTITY_FROM_BODY, MAX_BODY_BYTES).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from feedback_core.http import CAST_VOTE, AccessConfig, ApiCall, NoParameters, PollPath, api_handler
from feedback_core.http.metrics import MetricsConfig
from feedback_core.http.presenters import vote_location, vote_problem
from feedback_core.usecases import CastVote, StoredVote, Submitted, VotesConfig, VoteService

logger = Logger(service="feedback-api")
metrics = MetricsConfig.from_env().metrics()  # EMF business figures (METRICS_SERVICE)
access = AccessConfig.from_env()
config = VotesConfig.from_env()
votes = VoteService.from_config(config)


@logger.inject_lambda_context(clear_state=True)
@api_handler(
    CAST_VOTE,
    logger=logger,
    cors_origins=access.cors_allowed_origins,
    max_body_bytes=config.max_body_bytes,
    location=vote_location,
    problem_extensions=vote_problem,
    metrics=metrics,
)
def handler(call: ApiCall[PollPath, NoParameters]) -> Submitted[StoredVote]:
    """Record the caller's vote in the poll of the path."""
    vote = votes.decode(call.body, poll_id=call.path.poll_id, caller=call.caller)
    return votes.cast(CastVote(vote=vote, idempotency_key=call.idempotency_key))
