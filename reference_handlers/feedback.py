"""POST /feedback: validate, label sentiment, store once (Idempotency-Key), answer 201.

Environment: FEEDBACK_TABLE (required), MAX_BODY_BYTES (default 65536), and the sentiment
settings of feedback_core.sentiment.config (SENTIMENT_ANALYZER: offline by default).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.dedup import DynamoDBDedupStore, idempotency_key_from_headers
from feedback_core.ingest import Feedback, ProxyResponse, json_response, read_request
from feedback_core.intake import FeedbackIntake
from feedback_core.sentiment import analyzer_from_env
from reference_handlers._api import answers_problems

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
MAX_BODY_BYTES = int(os.environ.get("MAX_BODY_BYTES", "65536"))
intake = FeedbackIntake(
    store=DynamoDBDedupStore(table_name=os.environ["FEEDBACK_TABLE"]),
    analyzer=analyzer_from_env(),
)


@logger.inject_lambda_context(clear_state=True)
@answers_problems(logger)
def handler(event: dict[str, Any], context: LambdaContext) -> ProxyResponse:
    """Handle one API Gateway (REST v1 or HTTP API v2) request."""
    request = read_request(event, max_body_bytes=MAX_BODY_BYTES)
    record = Feedback.decode(request.body)
    receipt = intake.submit(record, idempotency_key=idempotency_key_from_headers(request.headers))
    logger.info(
        "feedback stored",
        extra={"feedback": record.to_log(), "receipt": receipt.body, "replayed": receipt.replayed},
    )
    return json_response(receipt.status, receipt.body, headers=receipt.headers)
