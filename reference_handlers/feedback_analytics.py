"""GET /analytics: live feedback analytics (count, average rating, histogram, CSAT, sentiment).

Settings: :class:`feedback_core.usecases.ResultsConfig` (COUNTERS_TABLE: the counters the
feedback stream aggregator keeps). Query: since, until (YYYY-MM-DD, inclusive).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from feedback_core.http import (
    ANALYTICS,
    AccessConfig,
    AnalyticsQuery,
    ApiCall,
    NoParameters,
    api_handler,
)
from feedback_core.usecases import ResultsConfig, ResultsService

if TYPE_CHECKING:
    from feedback_core.aggregate import FeedbackAnalytics

logger = Logger(service="feedback-api")
access = AccessConfig.from_env()
results = ResultsService.from_config(ResultsConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
@api_handler(ANALYTICS, logger=logger, cors_origins=access.cors_allowed_origins)
def handler(call: ApiCall[NoParameters, AnalyticsQuery]) -> FeedbackAnalytics:
    """Read the analytics, with the daily series between since and until."""
    return results.analytics(since=call.query.since, until=call.query.until)
