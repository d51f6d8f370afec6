"""POST /feedback: validate, label sentiment, store once (Idempotency-Key), answer 201.

Settings: :class:`feedback_core.usecases.FeedbackConfig` (FEEDBACK_TABLE, MAX_BODY_BYTES) and
the sentiment settings of feedback_core.sentiment.config (SENTIMENT_ANALYZER: offline default).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from feedback_core.http import SUBMIT_FEEDBACK, AccessConfig, ApiCall, NoParameters, api_handler
from feedback_core.http.metrics import MetricsConfig
from feedback_core.ingest import Feedback
from feedback_core.usecases import (
    FeedbackConfig,
    FeedbackReceipt,
    FeedbackService,
    SubmitFeedback,
    Submitted,
)

logger = Logger(service="feedback-api")
metrics = MetricsConfig.from_env().metrics()  # EMF business figures (METRICS_SERVICE)
access = AccessConfig.from_env()
config = FeedbackConfig.from_env()
feedback = FeedbackService.from_env()


@logger.inject_lambda_context(clear_state=True)
@api_handler(
    SUBMIT_FEEDBACK,
    logger=logger,
    cors_origins=access.cors_allowed_origins,
    max_body_bytes=config.max_body_bytes,
    metrics=metrics,
)
def handler(call: ApiCall[NoParameters, NoParameters]) -> Submitted[FeedbackReceipt]:
    """Store the feedback in the body; a retry with the same Idempotency-Key is a replay."""
    record = Feedback.decode(call.body)
    return feedback.submit(SubmitFeedback(feedback=record, idempotency_key=call.idempotency_key))
