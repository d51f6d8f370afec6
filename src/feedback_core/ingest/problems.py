"""RFC 9457 problem responses for API Gateway, for every error feedback_core raises.

Every client mistake becomes an :class:`~feedback_core.errors.IngestError` (4xx); a duplicate is
409, a reused idempotency key 422, an AWS outage 503 with ``Retry-After``. :func:`problem_response`
turns any :class:`~feedback_core.errors.FeedbackCoreError` into an API Gateway proxy response
(REST v1 and HTTP API v2 share the shape), so a handler never answers 500 for something a client
sent. Only a configuration error (the operator's mistake) is a 500.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypedDict

import orjson

from feedback_core.errors import (
    ConfigurationError,
    DuplicateError,
    FeedbackCoreError,
    FieldError,
    IdempotencyConflictError,
    IngestError,
    NotFoundError,
    ServiceError,
    ValidationError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "PROBLEM_TYPE_BASE",
    "FieldError",
    "ProxyResponse",
    "json_response",
    "problem_body",
    "problem_response",
    "problem_status",
]

PROBLEM_TYPE_BASE = "urn:feedback-core:problem:"
"""The prefix of every problem ``type`` we emit; the rest is the error's slug."""


class ProxyResponse(TypedDict):
    """An API Gateway Lambda proxy response (REST v1 and HTTP API v2 payload format 2.0)."""

    statusCode: int
    headers: dict[str, str]
    body: str


# Status, title and type slug of the errors that are not IngestErrors (which carry their own).
# Looked up along the class's MRO, so a subclass answers like its nearest listed parent.
_PROBLEMS: dict[type[FeedbackCoreError], tuple[int, str, str]] = {
    NotFoundError: (404, "Not found.", "not-found"),
    DuplicateError: (409, "This was already submitted.", "duplicate"),
    IdempotencyConflictError: (
        422,
        "The Idempotency-Key was already used for a different request.",
        "idempotency-key-reused",
    ),
    ServiceError: (503, "The service is busy; please retry shortly.", "service-unavailable"),
    ConfigurationError: (500, "The service is misconfigured.", "configuration-error"),
    FeedbackCoreError: (500, "The request could not be completed.", "internal-error"),
}


def problem_status(error: FeedbackCoreError) -> tuple[int, str, str]:
    """Return the HTTP status, title and type slug that describe ``error``."""
    if isinstance(error, IngestError):
        return error.status, error.title, error.type_slug
    for cls in type(error).__mro__:
        if cls in _PROBLEMS:
            return _PROBLEMS[cls]
    return _PROBLEMS[FeedbackCoreError]


def problem_body(
    error: FeedbackCoreError,
    *,
    instance: str | None = None,
    extensions: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """Return the RFC 9457 problem document for ``error``.

    Args:
        error: Any feedback_core error.
        instance: Identifies this occurrence, e.g. the API Gateway request id.
        extensions: Extra members, e.g. the existing vote for a 409.

    Examples:
        >>> from feedback_core.errors import PayloadTooLargeError
        >>> problem_body(PayloadTooLargeError("body is 70000 bytes; the limit is 65536"))["status"]
        413
    """
    status, title, slug = problem_status(error)
    body: dict[str, object] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        # A server-side failure's message may name tables or AWS codes: keep it out of the body.
        "detail": _detail(error) if status < 500 else title,
    }
    if instance is not None:
        body["instance"] = instance
    if isinstance(error, ValidationError):
        body["errors"] = [e.to_json() for e in error.errors]
    if extensions:
        body.update(extensions)
    return body


def _detail(error: FeedbackCoreError) -> str:
    return error.detail if isinstance(error, ValidationError) else str(error)


def json_response(
    status: int, body: object, *, headers: Mapping[str, str] | None = None
) -> ProxyResponse:
    """Return an API Gateway proxy response with a JSON body (Decimals written exactly)."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": dumps(body).decode(),
    }


def problem_response(
    error: FeedbackCoreError,
    *,
    instance: str | None = None,
    extensions: Mapping[str, object] | None = None,
) -> ProxyResponse:
    """Turn any feedback_core error into an ``application/problem+json`` proxy response.

    Args:
        error: The error raised while handling the request.
        instance: Identifies this occurrence, e.g. the API Gateway request id.
        extensions: Extra members for the problem document.

    Examples:
        >>> from feedback_core.errors import UnsupportedMediaTypeError
        >>> problem_response(UnsupportedMediaTypeError("text/plain is not JSON"))["statusCode"]
        415
    """
    body = problem_body(error, instance=instance, extensions=extensions)
    headers = {"Content-Type": "application/problem+json"}
    if isinstance(error, ServiceError):
        headers["Retry-After"] = "1"
    response = json_response(problem_status(error)[0], body)
    response["headers"].update(headers)
    return response


def _default(value: object) -> object:
    from decimal import Decimal  # only reached when a body holds a Decimal

    if isinstance(value, Decimal):
        # A Fragment is written as it is: the exact decimal text, as a JSON number.
        return orjson.Fragment(str(value).encode())
    if isinstance(value, frozenset | set | tuple):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    if isinstance(value, bytes):
        import base64  # rare: binary attributes in a response

        return base64.b64encode(value).decode()
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def dumps(value: object) -> bytes:
    r"""Serialize ``value`` as JSON with orjson; ``Decimal`` is written as an exact JSON number.

    A string that cannot be UTF-8 (a lone surrogate a client smuggled into a header or a query
    value, echoed back in a response) is written with U+FFFD in its place, never an exception.

    Examples:
        >>> dumps({"choice": "tabs\ud800"})
        b'{"choice":"tabs\xef\xbf\xbd"}'
    """
    try:
        return orjson.dumps(value, default=_default)
    except orjson.JSONEncodeError:
        return orjson.dumps(_valid_text(value), default=_default)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_text(value: object) -> object:
    """``value`` with every string's lone surrogates replaced by U+FFFD, containers rebuilt."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_valid_text(k): _valid_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_valid_text(v) for v in value]
    return value
