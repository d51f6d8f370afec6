"""GET /analytics: live feedback analytics (count, average rating, histogram, CSAT, sentiment).

Environment: COUNTERS_TABLE (required): the counters the feedback stream aggregator keeps.
Query: since, until (optional, YYYY-MM-DD, inclusive): the days the daily series covers.
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
results = LiveResults(store=DynamoDBCounterStore(table_name=os.environ["COUNTERS_TABLE"]))


@logger.inject_lambda_context(clear_state=True)
@answers_problems(logger)
def handler(event: dict[str, Any], context: LambdaContext) -> ProxyResponse:
    """Handle one API Gateway (REST v1 or HTTP API v2) request."""
    request = read_request(event, require_json_body=False)
    return json_response(200, results.analytics(query=request.query))
