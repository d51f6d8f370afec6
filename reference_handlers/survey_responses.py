"""POST /surveys/{surveyId}/responses: store once per Idempotency-Key or per respondent; 201.

Settings: :class:`feedback_core.usecases.SurveysConfig` (SURVEY_RESPONSES_TABLE,
ONE_RESPONSE_PER_RESPONDENT_SURVEYS, IDENTITY_FROM_BODY, MAX_BODY_BYTES).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from feedback_core.http import (
    SUBMIT_SURVEY_RESPONSE,
    AccessConfig,
    ApiCall,
    NoParameters,
    SurveyPath,
    api_handler,
)
from feedback_core.http.metrics import MetricsConfig
from feedback_core.http.presenters import survey_response_problem
from feedback_core.usecases import (
    ResponseReceipt,
    SubmitSurveyResponse,
    Submitted,
    SurveyResponseService,
    SurveysConfig,
)

logger = Logger(service="feedback-api")
metrics = MetricsConfig.from_env().metrics()  # EMF business figures (METRICS_SERVICE)
access = AccessConfig.from_env()
config = SurveysConfig.from_env()
surveys = SurveyResponseService.from_config(config)


@logger.inject_lambda_context(clear_state=True)
@api_handler(
    SUBMIT_SURVEY_RESPONSE,
    logger=logger,
    cors_origins=access.cors_allowed_origins,
    max_body_bytes=config.max_body_bytes,
    problem_extensions=survey_response_problem,
    metrics=metrics,
)
def handler(call: ApiCall[SurveyPath, NoParameters]) -> Submitted[ResponseReceipt]:
    """Store the response to the survey of the path."""
    response = surveys.decode(call.body, survey_id=call.path.survey_id, caller=call.caller)
    key = call.idempotency_key
    return surveys.submit(SubmitSurveyResponse(response=response, idempotency_key=key))
