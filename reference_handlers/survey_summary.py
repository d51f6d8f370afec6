"""GET /surveys/{surveyId}/summary: each question's live answer distribution, NPS and CSAT.

Environment: COUNTERS_TABLE (required): the counters the survey responses stream aggregator
keeps; NPS_QUESTIONS and CSAT_QUESTIONS (optional, comma-separated question ids): questions on
the 0-10 recommend scale and on a 1-5 satisfaction scale, in any survey.
Query: nps, csat (optional, comma-separated question ids): more such questions, for this request.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.aggregate import DynamoDBCounterStore
from feedback_core.ingest import ProxyResponse, json_response, read_request
from feedback_core.intake import LiveResults
from reference_handlers._api import answers_problems

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
results = LiveResults(
    store=DynamoDBCounterStore(table_name=os.environ["COUNTERS_TABLE"]),
    nps_questions=os.environ.get("NPS_QUESTIONS", ""),
    csat_questions=os.environ.get("CSAT_QUESTIONS", ""),
)


@logger.inject_lambda_context(clear_state=True)
@answers_problems(logger)
def handler(event: dict[str, Any], context: LambdaContext) -> ProxyResponse:
    """Handle one API Gateway (REST v1 or HTTP API v2) request."""
    request = read_request(event, require_json_body=False)
    body = results.survey(
        survey_id=request.path_parameters.get("surveyId", ""), query=request.query
    )
    return json_response(200, body)
