"""Field errors and RFC 9457 problem responses for API Gateway.

Every client mistake becomes an :class:`~feedback_core.errors.IngestError`; :func:`problem_response`
turns any of them into an API Gateway proxy response (REST v1 and HTTP API v2 share the shape),
so a handler never answers 500 for something a client sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

import orjson

from feedback_core.errors import FieldError, IngestError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "PROBLEM_TYPE_BASE",
    "FieldError",
    "ProxyResponse",
    "json_response",
    "problem_body",
    "problem_response",
]

PROBLEM_TYPE_BASE = "urn:feedback-core:problem:"
"""The prefix of every problem ``type`` we emit; the rest is the error's slug."""


class ProxyResponse(TypedDict):
    """An API Gateway Lambda proxy response (REST v1 and HTTP API v2 payload format 2.0)."""

    statusCode: int
    headers: dict[str, str]
    body: str


def problem_body(error: IngestError, *, instance: str | None = None) -> dict[str, object]:
    """Return the RFC 9457 problem document for ``error``.

    Example:
        >>> from feedback_core.errors import PayloadTooLargeError
        >>> problem_body(PayloadTooLargeError("body is 70000 bytes; the limit is 65536"))["status"]
        413
    """
    body: dict[str, object] = {
        "type": PROBLEM_TYPE_BASE + error.type_slug,
        "title": error.title,
        "status": error.status,
        "detail": error.detail if isinstance(error, ValidationError) else str(error),
    }
    if instance is not None:
        body["instance"] = instance
    if isinstance(error, ValidationError):
        body["errors"] = [e.to_json() for e in error.errors]
    return body


def json_response(
    status: int, body: object, *, headers: Mapping[str, str] | None = None
) -> ProxyResponse:
    """Return an API Gateway proxy response with a JSON body (Decimals written exactly)."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": dumps(body).decode(),
    }


def problem_response(error: IngestError, *, instance: str | None = None) -> ProxyResponse:
    """Turn any ingest error into an ``application/problem+json`` proxy response.

    Args:
        error: The error raised while reading the request.
        instance: Identifies this occurrence, e.g. the API Gateway request id.

    Example:
        >>> from feedback_core.errors import UnsupportedMediaTypeError
        >>> problem_response(UnsupportedMediaTypeError("text/plain is not JSON"))["statusCode"]
        415
    """
    response = json_response(error.status, problem_body(error, instance=instance))
    response["headers"]["Content-Type"] = "application/problem+json"
    return response


def _default(value: object) -> object:
    from decimal import Decimal  # noqa: PLC0415  # only reached when a body holds a Decimal

    if isinstance(value, Decimal):
        # A Fragment is written as it is: the exact decimal text, as a JSON number.
        return orjson.Fragment(str(value).encode())
    if isinstance(value, frozenset | set | tuple):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    if isinstance(value, bytes):
        import base64  # noqa: PLC0415  # rare: binary attributes in a response

        return base64.b64encode(value).decode()
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def dumps(value: object) -> bytes:
    """Serialize ``value`` as JSON with orjson; ``Decimal`` is written as an exact JSON number."""
    return orjson.dumps(value, default=_default)
