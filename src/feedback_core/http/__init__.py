"""API Gateway requests and responses: routes, the handler wrapper, outcomes to responses.

Write an API handler as the reference handlers do::

    @api_handler(CAST_VOTE, logger=logger, location=vote_location)
    def handler(call: ApiCall[PollPath, NoParameters]) -> Outcome:
        vote = votes.decode(call.body, poll_id=call.path.poll_id, caller=call.caller)
        return votes.cast(CastVote(vote=vote, idempotency_key=call.idempotency_key))

The wrapper answers 405 for other methods, checks the envelope and the declared parameters,
maps the outcome by one table (:func:`respond`) and every error to its RFC 9457 problem.
Nothing here imports boto3 or Powertools.
"""

from feedback_core.http.access import AccessConfig, caller_groups
from feedback_core.http.admin_routes import ADMIN_ROUTES, ERASE_CUSTOMER, HEALTH, LIST_FEEDBACK
from feedback_core.http.handler import (
    ApiCall,
    LoggerLike,
    api_handler,
    authorizer_identity,
    idempotency_key,
    problem_for,
)
from feedback_core.http.responses import STATUS_OF, HttpResponse, Outcome, respond
from feedback_core.http.routes import (
    ANALYTICS,
    CAST_VOTE,
    GET_VOTE,
    NO_PARAMETERS,
    POLL_RESULTS,
    ROUTES,
    SUBMIT_FEEDBACK,
    SUBMIT_SURVEY_RESPONSE,
    SURVEY_SUMMARY,
    AnalyticsQuery,
    NoParameters,
    PollPath,
    PollResultsQuery,
    Route,
    SurveyPath,
    SurveySummaryQuery,
    VotePath,
    decode_parameters,
)

__all__ = [
    "ADMIN_ROUTES",
    "ALL_ROUTES",
    "ANALYTICS",
    "CAST_VOTE",
    "ERASE_CUSTOMER",
    "GET_VOTE",
    "HEALTH",
    "LIST_FEEDBACK",
    "NO_PARAMETERS",
    "POLL_RESULTS",
    "ROUTES",
    "STATUS_OF",
    "SUBMIT_FEEDBACK",
    "SUBMIT_SURVEY_RESPONSE",
    "SURVEY_SUMMARY",
    "AccessConfig",
    "AnalyticsQuery",
    "ApiCall",
    "HttpResponse",
    "LoggerLike",
    "NoParameters",
    "Outcome",
    "PollPath",
    "PollResultsQuery",
    "Route",
    "SurveyPath",
    "SurveySummaryQuery",
    "VotePath",
    "api_handler",
    "authorizer_identity",
    "caller_groups",
    "decode_parameters",
    "idempotency_key",
    "problem_for",
    "respond",
]

ALL_ROUTES = ROUTES + ADMIN_ROUTES
"""Every route of the reference API: the public ones and the administrators' (and health)."""
