"""Outcomes, read models and errors to API Gateway responses: the one table.

=================================  ======  ==============================================
What the use case returned         Status  Headers
=================================  ======  ==============================================
``Submitted``, ``CREATED``         201     ``Location`` where the route names one
``Submitted``, ``CHANGED``         200
``Submitted``, ``UNCHANGED``       200
``Submitted``, ``replayed``        as the first request's answer, plus ``Idempotent-Replayed: true``
a read model (``to_json()``)       200
``None``                           204
=================================  ======  ==============================================

Errors become RFC 9457 problems (:func:`feedback_core.ingest.problem_response`): 400, 404, 405,
409, 413, 415, 422, 503 with ``Retry-After``; 500 only for a configuration error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from feedback_core.dedup.policies import Status
from feedback_core.ingest.problems import dumps
from feedback_core.usecases.outcomes import JsonReadModel, Submitted

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.ingest.problems import ProxyResponse

__all__ = ["STATUS_OF", "HttpResponse", "Outcome", "respond"]

Outcome = Submitted[JsonReadModel] | JsonReadModel | None
"""What a route function may return."""

STATUS_OF: Final[Mapping[Status, int]] = {
    Status.CREATED: 201,
    Status.CHANGED: 200,
    Status.UNCHANGED: 200,
}
"""The HTTP status of each submission status (a replay answers as its first request did)."""


@attrs.frozen(kw_only=True)
class HttpResponse:
    """A response before it takes API Gateway's shape (or Powertools' ``Response``).

    Attributes:
        status: The HTTP status code.
        headers: Response headers, ``Content-Type`` included when there is a body.
        body: The body text (empty for 204).
    """

    status: int
    headers: Mapping[str, str]
    body: str

    def to_proxy(self) -> ProxyResponse:
        """Return the Lambda proxy response (REST v1 and HTTP API v2 share the shape)."""
        return {"statusCode": self.status, "headers": dict(self.headers), "body": self.body}


def respond(outcome: Outcome, *, location: str | None = None) -> HttpResponse:
    """Turn what a use case returned into a response, by the table above.

    Args:
        outcome: A ``Submitted``, a read model, or ``None``.
        location: The created resource's URL path, sent as ``Location`` on a 201.

    Examples:
        >>> from feedback_core.usecases.outcomes import FeedbackReceipt
        >>> receipt = FeedbackReceipt(feedback_id="f-1", created_at="2026-11-22T10:00:00Z")
        >>> response = respond(Submitted(status=Status.CREATED, replayed=True, record=receipt))
        >>> response.status, response.headers["Idempotent-Replayed"]
        (201, 'true')
    """
    if outcome is None:
        return HttpResponse(status=204, headers={}, body="")
    headers = {"Content-Type": "application/json"}
    if isinstance(outcome, Submitted):
        status = STATUS_OF[outcome.status]
        if outcome.replayed:
            headers["Idempotent-Replayed"] = "true"
        if location is not None and status == 201:
            headers["Location"] = location
        return HttpResponse(
            status=status, headers=headers, body=dumps(dict(outcome.record.to_json())).decode()
        )
    return HttpResponse(status=200, headers=headers, body=dumps(dict(outcome.to_json())).decode())
