"""The wrapper every API handler uses, the reference handlers and yours alike.

:func:`api_handler` turns a function of an :class:`ApiCall` (typed path and query parameters,
the body, the verified caller, the ``Idempotency-Key``) that returns a use case's outcome into a
Lambda handler for API Gateway (REST v1 and HTTP API v2 events):

1. a method other than the route's is 405 with ``Allow``, before anything else is read;
2. the envelope (body size 413, content type 415, missing body 400), then the path and query
   parameters (400, every error at once) are read and checked;
3. the function's outcome becomes a response by :func:`~feedback_core.http.respond`'s table;
4. any :class:`~feedback_core.errors.FeedbackCoreError` becomes its RFC 9457 problem, and any
   other exception a 500 problem, logged with its traceback: the client never sees a stack
   trace or API Gateway's 502.

Logs carry the route template, the status, the problem type and the request id: never a body,
a path parameter or a header value, which may hold personal data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import attrs

from feedback_core.aws import Deadline, deadline_scope
from feedback_core.dedup.keys import IDEMPOTENCY_KEY_HEADER, IdempotencyKey
from feedback_core.errors import (
    FeedbackCoreError,
    InvalidIdempotencyKeyError,
    MethodNotAllowedError,
    UnauthenticatedError,
)
from feedback_core.http.access import caller_groups, cors_headers
from feedback_core.http.responses import HttpResponse, Outcome, respond
from feedback_core.ingest.events import DEFAULT_MAX_BODY_BYTES, read_request
from feedback_core.ingest.problems import problem_response, problem_status
from feedback_core.ingest.schema import Record

if TYPE_CHECKING:
    from feedback_core.http.metrics import BusinessMetrics
    from feedback_core.http.routes import Route
    from feedback_core.ingest.events import Request
    from feedback_core.ingest.problems import ProxyResponse

__all__ = [
    "ApiCall",
    "LoggerLike",
    "MethodNotAllowedError",
    "api_handler",
    "authorizer_identity",
    "idempotency_key",
    "problem_for",
]

P = TypeVar("P", bound=Record)
Q = TypeVar("Q", bound=Record)


class LoggerLike(Protocol):
    """What the wrapper logs to: a ``logging.Logger`` or a Powertools ``Logger``."""

    def info(self, msg: object, *, extra: Mapping[str, object] | None = None) -> None:
        """Log a client's mistake or a handled request."""

    def exception(self, msg: object, *, extra: Mapping[str, object] | None = None) -> None:
        """Log a server-side failure with its traceback."""


@attrs.frozen(kw_only=True)
class ApiCall(Generic[P, Q]):
    """One request, read and checked, as a route function receives it.

    Attributes:
        request: The request envelope (headers, body bytes, ids).
        path: The decoded path parameters.
        query: The decoded query parameters.
        caller: Who the API's authorizer says is calling (``None`` without an authorizer).
        groups: The caller's verified user pool groups (empty without sign-in).
        idempotency_key: The validated ``Idempotency-Key``, if the request sent one.
    """

    request: Request
    path: P
    query: Q
    caller: str | None
    idempotency_key: IdempotencyKey | None
    groups: frozenset[str] = frozenset()

    @property
    def body(self) -> bytes:
        """The request body (checked for size and content type when the route has one)."""
        return self.request.body


def authorizer_identity(event: Mapping[str, object], *, claim: str = "sub") -> str | None:
    """Return the caller's id that the API's authorizer put in the event, or ``None``.

    API Gateway writes what the authorizer vouched for into ``requestContext.authorizer``; a
    client cannot set it. Read, in this order: a REST API's Cognito claims
    (``authorizer.claims``), an HTTP API's JWT claims (``authorizer.jwt.claims``), an HTTP API's
    Lambda authorizer context (``authorizer.lambda``), a REST API Lambda authorizer's
    ``principalId``.

    Args:
        event: The Lambda event as API Gateway sent it.
        claim: The claim that names the user; ``sub`` is stable for a user's lifetime, unlike an
            e-mail address or a user name.

    Examples:
        >>> authorizer_identity({"requestContext": {"authorizer": {"claims": {"sub": "u-42"}}}})
        'u-42'
        >>> authorizer_identity({"requestContext": {"identity": {"sourceIp": "203.0.113.7"}}})
    """
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, Mapping) else None
    if not isinstance(authorizer, Mapping):
        return None
    jwt = authorizer.get("jwt")
    candidates = (
        _member(authorizer.get("claims"), claim),
        _member(jwt.get("claims") if isinstance(jwt, Mapping) else None, claim),
        _member(authorizer.get("lambda"), claim),
        authorizer.get("principalId"),
    )
    return next((c for c in candidates if isinstance(c, str) and c), None)


def _member(value: object, name: str) -> object:
    return value.get(name) if isinstance(value, Mapping) else None


def idempotency_key(request: Request) -> IdempotencyKey | None:
    """Return the request's validated ``Idempotency-Key``, or ``None`` when it sent none.

    Raises:
        InvalidIdempotencyKeyError: more than one value (repeated, or two spellings of the name),
            or a malformed one (400).
    """
    values = request.all_values(IDEMPOTENCY_KEY_HEADER)
    if len(values) > 1:
        raise InvalidIdempotencyKeyError(
            "multiple-values", "Send exactly one Idempotency-Key header, with one value."
        )
    return IdempotencyKey.parse(values[0]) if values else None


def _deadline(context: object, reserve_seconds: float) -> Deadline | None:
    """The request's deadline from a Lambda context (none without one, e.g. in doctests)."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return None
    return Deadline.after(int(remaining()) / 1000 - reserve_seconds)


def _method(event: Mapping[str, object]) -> str:
    context = event.get("requestContext")
    http = context.get("http") if isinstance(context, Mapping) else None
    method = http.get("method") if isinstance(http, Mapping) else event.get("httpMethod")
    return str(method or "").upper()


def problem_for(
    error: FeedbackCoreError,
    *,
    request_id: str | None = None,
    extensions: Mapping[str, object] | None = None,
) -> HttpResponse:
    """The problem response for ``error`` (for Powertools resolvers' exception handlers too).

    Examples:
        >>> from feedback_core.errors import NotFoundError
        >>> problem_for(NotFoundError("No such vote.")).status
        404
    """
    proxy = problem_response(error, instance=request_id, extensions=extensions)
    headers = dict(proxy["headers"])
    if isinstance(error, MethodNotAllowedError):
        headers["Allow"] = ", ".join(error.allow)
    if isinstance(error, UnauthenticatedError):
        headers["WWW-Authenticate"] = "Bearer"  # RFC 9110: a 401 names its scheme
    return HttpResponse(status=proxy["statusCode"], headers=headers, body=proxy["body"])


RouteFunction = Callable[[ApiCall[P, Q]], Outcome]
LambdaHandler = Callable[[dict[str, object], object], "ProxyResponse"]


def api_handler(
    route: Route[P, Q],
    *,
    logger: LoggerLike | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    location: Callable[[Outcome], str | None] | None = None,
    problem_extensions: Callable[[FeedbackCoreError], Mapping[str, object] | None] | None = None,
    caller_claim: str = "sub",
    cors_origins: frozenset[str] = frozenset(),
    reserve_seconds: float = 0.5,
    metrics: BusinessMetrics | None = None,
) -> Callable[[RouteFunction[P, Q]], LambdaHandler]:
    """Make a Lambda handler for ``route`` from a function of an :class:`ApiCall`.

    Args:
        route: The operation: method, path, parameter schemas, body.
        logger: Where to log each refusal and failure (a Powertools ``Logger`` works).
        max_body_bytes: The largest body accepted (413 beyond).
        location: The created resource's URL path for a 201, from the outcome.
        problem_extensions: Extra problem members for an error (e.g. the vote a 409 keeps).
        caller_claim: The authorizer claim that names the caller.
        cors_origins: Browser origins whose requests get ``Access-Control-Allow-Origin`` on every
            response, problems included (:class:`~feedback_core.http.AccessConfig`).
        reserve_seconds: Time kept back from the Lambda context's remaining time to answer:
            AWS calls are retried only while an attempt still fits before that deadline
            (:func:`feedback_core.aws.deadline_scope`), so throttling is a 503, not a timeout.
        metrics: Writes the business figures of each accepted submission as an EMF line
            (:class:`~feedback_core.http.metrics.MetricsConfig`); ``None`` writes none.

    Returns:
        A decorator; the decorated function is the Lambda handler ``(event, context)``.

    Examples:
        >>> from feedback_core.http.routes import ANALYTICS
        >>> @api_handler(ANALYTICS)
        ... def handler(call):
        ...     return None
        >>> handler({"httpMethod": "POST", "body": "{}"}, None)["statusCode"]
        405
    """

    def wrap(function: RouteFunction[P, Q]) -> LambdaHandler:
        @functools.wraps(function)
        def handle(event: dict[str, object], context: object) -> ProxyResponse:
            with deadline_scope(_deadline(context, reserve_seconds)):
                proxy = answer(event, context)
            proxy["headers"].update(cors_headers(event, cors_origins))
            return proxy

        def answer(event: dict[str, object], context: object) -> ProxyResponse:
            del context  # the route function has what it needs in the call
            request_id: str | None = None
            try:
                method = _method(event)
                if method != route.method:
                    raise MethodNotAllowedError(method, (route.method,))
                request = read_request(
                    event, max_body_bytes=max_body_bytes, require_json_body=route.has_body
                )
                request_id = request.request_id
                path, query = route.parameters(request.path_parameters, request.query)
                call = ApiCall(
                    request=request,
                    path=path,
                    query=query,
                    caller=authorizer_identity(event, claim=caller_claim),
                    idempotency_key=idempotency_key(request),
                    groups=caller_groups(event),
                )
                outcome = function(call)
                response = respond(outcome, location=location(outcome) if location else None)
                if metrics is not None:
                    metrics.record(outcome)
            except FeedbackCoreError as error:
                status = problem_status(error)[0]
                if logger is not None:
                    log = logger.exception if status >= 500 else logger.info
                    log(
                        "request refused",
                        extra={
                            "route": f"{route.method} {route.path}",
                            "status": status,
                            "problem": type(error).__name__,
                            "requestId": request_id,
                        },
                    )
                extra = problem_extensions(error) if problem_extensions is not None else None
                return problem_for(error, request_id=request_id, extensions=extra).to_proxy()
            except Exception:  # a bug of ours must still answer a problem
                if logger is not None:
                    logger.exception(
                        "request failed",
                        extra={"route": f"{route.method} {route.path}", "requestId": request_id},
                    )
                failure = FeedbackCoreError("internal error")
                return problem_for(failure, request_id=request_id).to_proxy()
            if logger is not None:
                logger.info(
                    "request handled",
                    extra={
                        "route": f"{route.method} {route.path}",
                        "status": response.status,
                        "replayed": "Idempotent-Replayed" in response.headers,
                        "requestId": request_id,
                    },
                )
            return response.to_proxy()

        return handle

    return wrap
