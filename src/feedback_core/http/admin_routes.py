"""The administrators' routes and the health check: declarations and presentation.

- ``GET /feedback`` (:data:`LIST_FEEDBACK`): stored feedback, newest first, ``limit`` 1-100
  (default 20), ``cursor`` from the previous page. It lists people's words: the template puts
  it behind IAM authorization, for an administrators' group.
- ``DELETE /customers/{customerId}/feedback`` (:data:`ERASE_CUSTOMER`): the right to erasure;
  200 with the count, 0 when repeated. Administrators only, as above.
- ``GET /health`` (:data:`HEALTH`): 200 when every dependency answers, 503 (with which did
  not) otherwise; for a canary.

:data:`ADMIN_ROUTES` lists them for the route table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from feedback_core.http.routes import NoParameters, Route
from feedback_core.ingest.fields import field
from feedback_core.ingest.schema import Record
from feedback_core.ingest.schemas import ID_PATTERN
from feedback_core.usecases.health import UnhealthyError
from feedback_core.usecases.listing import MAX_LIMIT

if TYPE_CHECKING:
    from feedback_core.errors import FeedbackCoreError

__all__ = [
    "ADMIN_ROUTES",
    "ERASE_CUSTOMER",
    "HEALTH",
    "LIST_FEEDBACK",
    "CustomerPath",
    "ListFeedbackQuery",
    "health_problem",
]

_CURSOR: Final = r"[A-Za-z0-9_-]{1,512}\.[A-Za-z0-9_-]{1,64}"


@attrs.frozen(kw_only=True)
class ListFeedbackQuery(Record):
    """``?limit=20&cursor=...``: the page size, and where the previous page ended."""

    limit: int | None = field(default=None, ge=1, le=MAX_LIMIT)
    cursor: str | None = field(default=None, pattern=_CURSOR)


@attrs.frozen(kw_only=True)
class CustomerPath(Record):
    """``/customers/{customerId}/...``."""

    customer_id: str = field(pattern=ID_PATTERN)


LIST_FEEDBACK: Final = Route(
    method="GET",
    path="/feedback",
    path_schema=NoParameters,
    query_schema=ListFeedbackQuery,
    summary="List stored feedback, newest first (administrators).",
)
ERASE_CUSTOMER: Final = Route(
    method="DELETE",
    path="/customers/{customerId}/feedback",
    path_schema=CustomerPath,
    query_schema=NoParameters,
    summary="Erase a customer's feedback (administrators; idempotent).",
)
HEALTH: Final = Route(
    method="GET",
    path="/health",
    path_schema=NoParameters,
    query_schema=NoParameters,
    summary="Whether every dependency answers: 200, or 503 naming those that do not.",
)

ADMIN_ROUTES: Final[tuple[Route[Record, Record], ...]] = (LIST_FEEDBACK, ERASE_CUSTOMER, HEALTH)
"""The routes this module declares."""


def health_problem(error: FeedbackCoreError) -> dict[str, object] | None:
    """For the health check's 503: ``checks``, each dependency's ``ok`` or ``unavailable``.

    Examples:
        >>> from feedback_core.health import ProbeResult
        >>> from feedback_core.usecases.health import HealthReport
        >>> report = HealthReport(checks=(ProbeResult(name="feedback", ok=False, reason="x"),))
        >>> health_problem(UnhealthyError(report))
        {'checks': {'feedback': 'unavailable'}}
    """
    if isinstance(error, UnhealthyError):
        return {"checks": error.report.check_states()}
    return None
