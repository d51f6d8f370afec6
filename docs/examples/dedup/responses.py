"""Problem responses for the dedup errors a handler turns into 409 and 422."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core.ingest import json_response

if TYPE_CHECKING:
    from feedback_core.ingest import ProxyResponse


def problem(status: int, slug: str, title: str, detail: str, **extra: object) -> ProxyResponse:
    """An RFC 9457 problem response; ``extra`` members carry data such as the existing vote."""
    body = {
        "type": f"urn:feedback-core:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    response = json_response(status, body)
    response["headers"]["Content-Type"] = "application/problem+json"
    return response


def idempotency_key_reused() -> ProxyResponse:
    """422, as the IETF idempotency-key draft asks for a key reused with another payload."""
    return problem(
        422,
        "idempotency-key-reused",
        "This Idempotency-Key was already used with a different request.",
        "Send a new Idempotency-Key for a new request; retry with the same body to replay.",
    )
