"""GET /polls/{pollId}/votes/{userId}: one user's vote, 200 or 404.

Environment: VOTES_TABLE (required) and IDENTITY_FROM_BODY ("true" for a sample without
sign-in: anyone may read any vote; otherwise a caller reads only their own; default false).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.dedup import DynamoDBDedupStore
from feedback_core.ingest import ProxyResponse, json_response, read_request
from feedback_core.intake import VoteIntake, authorizer_identity
from reference_handlers._api import answers_problems

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
intake = VoteIntake(
    store=DynamoDBDedupStore(table_name=os.environ["VOTES_TABLE"]),
    identity_from_body=os.environ.get("IDENTITY_FROM_BODY", "false") == "true",
)


@logger.inject_lambda_context(clear_state=True)
@answers_problems(logger)
def handler(event: dict[str, Any], context: LambdaContext) -> ProxyResponse:
    """Handle one API Gateway (REST v1 or HTTP API v2) request."""
    request = read_request(event, require_json_body=False)
    receipt = intake.get(
        poll_id=request.path_parameters.get("pollId", ""),
        user_id=request.path_parameters.get("userId", ""),
        caller=authorizer_identity(event),
    )
    return json_response(receipt.status, receipt.body)
