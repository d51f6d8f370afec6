"""The smallest correct API Gateway handler: every client mistake is a 4xx problem response."""

from __future__ import annotations

from typing import Any

from feedback_core.ingest import (
    Feedback,
    IngestError,
    ProxyResponse,
    json_response,
    problem_response,
    read_request,
)


def handler(event: dict[str, Any], context: object) -> ProxyResponse:
    """Validate a feedback body from a REST (v1) or HTTP API (v2) event."""
    try:
        request = read_request(event, max_body_bytes=16 * 1024)
        record = Feedback.decode(request.body)
    except IngestError as error:
        return problem_response(error)  # 400 with every field error, or 413 / 415
    return json_response(200, {"received": record.to_json()})
