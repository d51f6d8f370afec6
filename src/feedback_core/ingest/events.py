"""API Gateway proxy events (REST API v1 and HTTP API v2) to a plain request, with body limits.

:func:`read_request` does what every handler needs before validation: find the body, undo
base64, enforce a JSON content type (415) and a size limit (413, checked before decoding), and
refuse a missing body (400). Header names are matched case-insensitively, as HTTP requires.
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping
from typing import Final

import attrs

from feedback_core.errors import (
    FieldError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    ValidationError,
)

__all__ = ["DEFAULT_MAX_BODY_BYTES", "Request", "read_request"]

DEFAULT_MAX_BODY_BYTES: Final = 64 * 1024
"""The default body limit: far above any sane feedback, far below DynamoDB's 400 KB item limit."""


@attrs.frozen(kw_only=True)
class Request:
    """The parts of an API Gateway request that handlers use.

    Attributes:
        method: The HTTP method, upper case.
        path: The request path.
        body: The decoded body bytes (empty for a request without one).
        headers: Header values by lower-case name.
        path_parameters: Path parameters, e.g. ``{"pollId": "p1"}``.
        query: Query string parameters (last value wins).
        request_id: API Gateway's request id, for problem ``instance`` and logs.
        source_ip: The client's address as API Gateway saw it.
        header_values: Every value of every header by lower-case name, in order (a REST API's
            ``multiValueHeaders``, and each spelling of a name), for headers that must appear
            once, such as ``Idempotency-Key``.
    """

    method: str
    path: str
    body: bytes
    headers: Mapping[str, str]
    path_parameters: Mapping[str, str]
    query: Mapping[str, str]
    request_id: str | None
    source_ip: str | None
    header_values: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def header(self, name: str) -> str | None:
        """Return a header's value by case-insensitive name, or None."""
        return self.headers.get(name.lower())

    def all_values(self, name: str) -> tuple[str, ...]:
        """Return every value the request sent for header ``name`` (case-insensitive)."""
        return self.header_values.get(name.lower(), ())


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None}


def _headers(event: Mapping[str, object]) -> dict[str, str]:
    headers = {k.lower(): v for k, v in _strings(event.get("headers")).items()}
    multi = event.get("multiValueHeaders")
    if isinstance(multi, Mapping):
        for name, values in multi.items():
            if isinstance(values, list) and values and str(name).lower() not in headers:
                headers[str(name).lower()] = str(values[-1])
    return headers


def _header_values(event: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    """Every value per lower-case name; ``multiValueHeaders`` (REST) is the full list for a name."""
    values: dict[str, list[str]] = {}
    multi = event.get("multiValueHeaders")
    if isinstance(multi, Mapping):
        for name, listed in multi.items():
            if isinstance(listed, list):
                values.setdefault(str(name).lower(), []).extend(str(v) for v in listed)
    covered = set(values)
    single = event.get("headers")
    if isinstance(single, Mapping):
        for name, value in single.items():
            lower = str(name).lower()
            listed = values.setdefault(lower, [])
            # A REST event repeats a header's last value in ``headers``; count it once.
            if value is not None and (lower not in covered or str(value) not in listed):
                listed.append(str(value))
    return {name: tuple(listed) for name, listed in values.items() if listed}


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media_type, _, params = content_type.partition(";")
    media_type = media_type.strip().lower()
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return False
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True


def _missing_body() -> ValidationError:
    return ValidationError(
        (FieldError(pointer="", code="missing_body", message="The request has no body."),),
        detail="The request body is missing or empty.",
    )


def read_request(
    event: Mapping[str, object],
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    require_json_body: bool = True,
) -> Request:
    """Read an API Gateway proxy event (REST v1 or HTTP API v2) into a :class:`Request`.

    Args:
        event: The Lambda event as API Gateway sent it.
        max_body_bytes: The largest decoded body accepted.
        require_json_body: Enforce a non-empty JSON body (POST, PUT); False for GET.

    Raises:
        UnsupportedMediaTypeError: a body whose content type is not JSON (415).
        PayloadTooLargeError: a body over ``max_body_bytes`` (413).
        ValidationError: a missing, empty or badly base64-encoded body (400).

    Examples:
        >>> request = read_request(
        ...     {"version": "2.0", "body": '{"a": 1}', "isBase64Encoded": False,
        ...      "headers": {"content-type": "application/json"},
        ...      "requestContext": {"http": {"method": "POST", "path": "/feedback"}}}
        ... )
        >>> request.method, request.body
        ('POST', b'{"a": 1}')
    """
    context = event.get("requestContext")
    context = context if isinstance(context, Mapping) else {}
    http = context.get("http")
    if isinstance(http, Mapping):  # HTTP API, payload format 2.0
        method = str(http.get("method", ""))
        path = str(http.get("path", event.get("rawPath", "")))
        source_ip = http.get("sourceIp")
    else:  # REST API (and HTTP API payload format 1.0)
        method = str(event.get("httpMethod", ""))
        path = str(event.get("path", ""))
        identity = context.get("identity")
        source_ip = identity.get("sourceIp") if isinstance(identity, Mapping) else None
    headers = _headers(event)
    raw = event.get("body")
    text = raw if isinstance(raw, str) else ""
    body = _decode_body(text, bool(event.get("isBase64Encoded")), max_body_bytes)
    if require_json_body:
        if not body.strip():
            raise _missing_body()
        content_type = headers.get("content-type")
        if not _is_json(content_type):
            shown = content_type or "no content type"
            raise UnsupportedMediaTypeError(
                f"Send the body as application/json (UTF-8); got {shown}."
            )
    request_id = context.get("requestId")
    return Request(
        method=method.upper(),
        path=path,
        body=body,
        headers=headers,
        path_parameters=_strings(event.get("pathParameters")),
        query=_strings(event.get("queryStringParameters")),
        request_id=str(request_id) if request_id is not None else None,
        source_ip=str(source_ip) if source_ip is not None else None,
        header_values=_header_values(event),
    )


def _decode_body(text: str, is_base64: bool, max_body_bytes: int) -> bytes:
    if is_base64:
        # Refuse by the encoded length first, so a huge body is never decoded.
        if len(text) // 4 * 3 - 2 > max_body_bytes:
            raise _too_large(len(text) // 4 * 3, max_body_bytes)
        try:
            # What base64.b64decode(text, validate=True) does, without importing base64.
            body = binascii.a2b_base64(text, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(
                (FieldError(pointer="", code="invalid_base64", message="Bad base64 body."),),
                detail="The request body is marked base64 but does not decode.",
            ) from exc
    else:
        if len(text) > max_body_bytes:  # a character is at least one byte
            raise _too_large(len(text), max_body_bytes)
        try:
            body = text.encode()
        except UnicodeEncodeError as exc:  # lone surrogates from a bad \u escape upstream
            raise ValidationError(
                (FieldError(pointer="", code="invalid_json", message="Body is not UTF-8."),),
                detail="The request body is not valid UTF-8.",
            ) from exc
    if len(body) > max_body_bytes:
        raise _too_large(len(body), max_body_bytes)
    return body


def _too_large(size: int, limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"The body is {size} bytes; the limit is {limit} bytes.")
