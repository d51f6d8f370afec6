"""POST /surveys/{surveyId}/responses: store once per Idempotency-Key or per respondent; 201.

Environment: SURVEY_RESPONSES_TABLE (required), ONE_RESPONSE_PER_RESPONDENT_SURVEYS (survey ids,
comma-separated, or "*"; default none), IDENTITY_FROM_BODY ("true": a request without an
authorizer identity may name its respondent in the body, samples only) and MAX_BODY_BYTES.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.dedup import DynamoDBDedupStore, idempotency_key_from_headers
from feedback_core.ingest import ProxyResponse, json_response, read_request
from feedback_core.intake import SurveyResponseIntake, authorizer_identity
from reference_handlers._api import answers_problems

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
MAX_BODY_BYTES = int(os.environ.get("MAX_BODY_BYTES", "65536"))
intake = SurveyResponseIntake(
    store=DynamoDBDedupStore(table_name=os.environ["SURVEY_RESPONSES_TABLE"]),
    one_per_respondent=os.environ.get("ONE_RESPONSE_PER_RESPONDENT_SURVEYS", ""),
    identity_from_body=os.environ.get("IDENTITY_FROM_BODY", "false") == "true",
)


@logger.inject_lambda_context(clear_state=True)
@answers_problems(logger, extensions=intake.problem_extensions)
def handler(event: dict[str, Any], context: LambdaContext) -> ProxyResponse:
    """Handle one API Gateway (REST v1 or HTTP API v2) request."""
    request = read_request(event, max_body_bytes=MAX_BODY_BYTES)
    response = intake.decode(
        request.body,
        survey_id=request.path_parameters.get("surveyId", ""),
        caller=authorizer_identity(event),
    )
    receipt = intake.submit(response, idempotency_key=idempotency_key_from_headers(request.headers))
    logger.info(
        "response stored",
        extra={"survey": response.survey_id, "receipt": receipt.body, "replayed": receipt.replayed},
    )
    return json_response(receipt.status, receipt.body, headers=receipt.headers)
