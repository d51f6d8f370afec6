"""POST /polls/{pollId}/votes: one vote per user per poll; 201, then 409 (reject) or 200 (replace).

Environment: VOTES_TABLE (required), VOTE_POLICY (reject or replace; default reject),
IDENTITY_FROM_BODY ("true" lets a request without an authorizer identity name its user in the
body: samples without sign-in only; default false) and MAX_BODY_BYTES (default 65536).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.dedup import DynamoDBDedupStore, idempotency_key_from_headers
from feedback_core.ingest import ProxyResponse, json_response, read_request
from feedback_core.intake import VoteIntake, authorizer_identity
from reference_handlers._api import answers_problems

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
MAX_BODY_BYTES = int(os.environ.get("MAX_BODY_BYTES", "65536"))
intake = VoteIntake(
    store=DynamoDBDedupStore(table_name=os.environ["VOTES_TABLE"]),
    policy=os.environ.get("VOTE_POLICY", "reject"),
    identity_from_body=os.environ.get("IDENTITY_FROM_BODY", "false") == "true",
)


@logger.inject_lambda_context(clear_state=True)
@answers_problems(logger, extensions=intake.problem_extensions)
def handler(event: dict[str, Any], context: LambdaContext) -> ProxyResponse:
    """Handle one API Gateway (REST v1 or HTTP API v2) request."""
    request = read_request(event, max_body_bytes=MAX_BODY_BYTES)
    vote = intake.decode(
        request.body,
        poll_id=request.path_parameters.get("pollId", ""),
        caller=authorizer_identity(event),
    )
    receipt = intake.submit(vote, idempotency_key=idempotency_key_from_headers(request.headers))
    logger.info(
        "vote recorded",
        extra={"vote": vote.to_log(), "status": receipt.status, "replayed": receipt.replayed},
    )
    return json_response(receipt.status, receipt.body, headers=receipt.headers)
