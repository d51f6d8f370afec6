"""GET /surveys/{surveyId}/summary: each question's live answer distribution, NPS and CSAT.

Settings: :class:`feedback_core.usecases.ResultsConfig` (COUNTERS_TABLE, NPS_QUESTIONS,
CSAT_QUESTIONS). Query: nps, csat (comma-separated question ids): more such questions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from feedback_core.http import (
    SURVEY_SUMMARY,
    AccessConfig,
    ApiCall,
    SurveyPath,
    SurveySummaryQuery,
    api_handler,
)
from feedback_core.usecases import ResultsConfig, ResultsService

if TYPE_CHECKING:
    from feedback_core.aggregate import SurveySummary

logger = Logger(service="feedback-api")
access = AccessConfig.from_env()
results = ResultsService.from_config(ResultsConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
@api_handler(SURVEY_SUMMARY, logger=logger, cors_origins=access.cors_allowed_origins)
def handler(call: ApiCall[SurveyPath, SurveySummaryQuery]) -> SurveySummary:
    """Read the survey's summary."""
    query = call.query
    return results.survey(call.path.survey_id, nps=query.nps or (), csat=query.csat or ())
