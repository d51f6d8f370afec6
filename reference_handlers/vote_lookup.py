"""GET /polls/{pollId}/votes/{userId}: one user's vote, 200 or 404.

Settings: :class:`feedback_core.usecases.VotesConfig` (VOTES_TABLE; IDENTITY_FROM_BODY=true is
a sample without sign-in where anyone may read any vote; otherwise a caller reads only their own)
and :class:`feedback_core.http.AccessConfig` (ADMIN_GROUP: its members may read any vote).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from feedback_core.http import GET_VOTE, AccessConfig, ApiCall, NoParameters, VotePath, api_handler
from feedback_core.usecases import StoredVote, VotesConfig, VoteService

logger = Logger(service="feedback-api")
access = AccessConfig.from_env()
votes = VoteService.from_config(VotesConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
@api_handler(GET_VOTE, logger=logger, cors_origins=access.cors_allowed_origins)
def handler(call: ApiCall[VotePath, NoParameters]) -> StoredVote:
    """Read the vote; another user's vote is a 404, as a missing one is, except for admins."""
    reader = call.path.user_id if call.caller and access.is_admin(call.groups) else call.caller
    return votes.get(poll_id=call.path.poll_id, user_id=call.path.user_id, caller=reader)
