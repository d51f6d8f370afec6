"""GET /polls/{pollId}/results: the poll's live tally with percentages; 200, 404 or 400.

Settings: :class:`feedback_core.usecases.ResultsConfig` (COUNTERS_TABLE: the counters the votes
stream aggregator keeps). Query: choices (comma-separated): choices to list first, even at zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from feedback_core.http import (
    POLL_RESULTS,
    AccessConfig,
    ApiCall,
    PollPath,
    PollResultsQuery,
    api_handler,
)
from feedback_core.usecases import ResultsConfig, ResultsService

if TYPE_CHECKING:
    from feedback_core.aggregate import PollResults

logger = Logger(service="feedback-api")
access = AccessConfig.from_env()
results = ResultsService.from_config(ResultsConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
@api_handler(POLL_RESULTS, logger=logger, cors_origins=access.cors_allowed_origins)
def handler(call: ApiCall[PollPath, PollResultsQuery]) -> PollResults:
    """Read the poll's tally."""
    return results.poll(call.path.poll_id, choices=call.query.choices)
