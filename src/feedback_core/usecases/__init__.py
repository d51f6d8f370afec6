"""The use cases: typed commands in, typed outcomes and read models out, no HTTP.

- :class:`FeedbackService`: store feedback once, with its sentiment.
- :class:`VoteService`: one vote per user per poll (reject or replace), and reading a vote.
- :class:`SurveyResponseService`: one response per ``Idempotency-Key`` or per respondent.
- :class:`ResultsService`: live poll results, feedback analytics and survey summaries.
- :class:`FeedbackListing`: stored feedback for administrators, newest first, signed cursors.
- :class:`ErasureService`: the right to erasure, a customer's feedback deleted.
- :class:`HealthService`: does each dependency answer (``GET /health``)?
- :mod:`feedback_core.usecases.reports`: the daily survey report and poll snapshots (imported
  on its own, so the request handlers' cold starts do not load the report code).

Each has a ``<Service>Config.from_env(environ)`` (or ``from_env``) that reads its settings at
cold start and names the variable in every :class:`~feedback_core.errors.ConfigurationError`.
Submissions return :class:`Submitted` (``status``, ``replayed``, ``record``); errors are
:mod:`feedback_core.errors` exceptions. :mod:`feedback_core.http` answers them.
"""

from feedback_core._lazy import lazy_exports

# Lazy (PEP 562): a handler that imports one service does not load the others' modules.
# Not "from typing import TYPE_CHECKING": type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from feedback_core.usecases.erasure import EraseCustomer, Erasure, ErasureConfig, ErasureService
    from feedback_core.usecases.feedback import (
        FEEDBACK_SCOPE,
        FeedbackConfig,
        FeedbackService,
        SubmitFeedback,
    )
    from feedback_core.usecases.health import (
        HealthConfig,
        HealthReport,
        HealthService,
        UnhealthyError,
    )
    from feedback_core.usecases.listing import (
        FeedbackListing,
        FeedbackListPage,
        ListFeedback,
        ListingConfig,
    )
    from feedback_core.usecases.outcomes import (
        FeedbackReceipt,
        ResponseReceipt,
        Status,
        StoredVote,
        Submitted,
    )
    from feedback_core.usecases.results import ResultsConfig, ResultsService
    from feedback_core.usecases.surveys import (
        ALL_SURVEYS,
        SubmitSurveyResponse,
        SurveyResponseService,
        SurveysConfig,
    )
    from feedback_core.usecases.votes import VOTE_POLICIES, CastVote, VotesConfig, VoteService

__all__ = [
    "ALL_SURVEYS",
    "FEEDBACK_SCOPE",
    "VOTE_POLICIES",
    "CastVote",
    "EraseCustomer",
    "Erasure",
    "ErasureConfig",
    "ErasureService",
    "FeedbackConfig",
    "FeedbackListPage",
    "FeedbackListing",
    "FeedbackReceipt",
    "FeedbackService",
    "HealthConfig",
    "HealthReport",
    "HealthService",
    "ListFeedback",
    "ListingConfig",
    "ResponseReceipt",
    "ResultsConfig",
    "ResultsService",
    "Status",
    "StoredVote",
    "SubmitFeedback",
    "SubmitSurveyResponse",
    "Submitted",
    "SurveyResponseService",
    "SurveysConfig",
    "UnhealthyError",
    "VoteService",
    "VotesConfig",
]

_HOMES = {
    "erasure": ("EraseCustomer", "Erasure", "ErasureConfig", "ErasureService"),
    "feedback": ("FEEDBACK_SCOPE", "FeedbackConfig", "FeedbackService", "SubmitFeedback"),
    "health": ("HealthConfig", "HealthReport", "HealthService", "UnhealthyError"),
    "listing": ("FeedbackListing", "FeedbackListPage", "ListFeedback", "ListingConfig"),
    "outcomes": ("FeedbackReceipt", "ResponseReceipt", "Status", "StoredVote", "Submitted"),
    "results": ("ResultsConfig", "ResultsService"),
    "surveys": ("ALL_SURVEYS", "SubmitSurveyResponse", "SurveyResponseService", "SurveysConfig"),
    "votes": ("VOTE_POLICIES", "CastVote", "VotesConfig", "VoteService"),
}
__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals())
