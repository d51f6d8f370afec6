"""A local stand-in for API Gateway's REST API: HTTP requests in, Lambda proxy events out.

:func:`deployed_routes` reads the methods of a deployed REST API (in moto, the template's own
resources and integrations), :func:`match` finds the method for a request path as API Gateway
does (a literal path part before a ``{parameter}``), and :func:`proxy_event` builds the event
the template's ``AWS_PROXY`` integration sends: the REST (v1) shape the handler tests use, with
``headers`` and ``multiValueHeaders``, decoded query and path parameters, the request context,
and the body as text (base64 when it is not UTF-8). :func:`http_response` turns the function's
answer back into a status, headers and body bytes.

Examples:
    >>> route = GatewayRoute(method="GET", resource="/polls/{pollId}/results", target="r")
    >>> found = match((route,), "GET", "/polls/p%201/results")
    >>> found.path_parameters if found else None
    {'pollId': 'p 1'}
    >>> event = proxy_event(found, query="choices=a,b", headers=[("Accept", "*/*")], body=b"")
    >>> event["resource"], event["queryStringParameters"], event["body"]
    ('/polls/{pollId}/results', {'choices': 'a,b'}, None)
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qsl, unquote

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from mypy_boto3_apigateway import APIGatewayClient

__all__ = [
    "MISSING_TOKEN",
    "GatewayRoute",
    "Match",
    "deployed_routes",
    "http_response",
    "match",
    "proxy_event",
]

MISSING_TOKEN: Final = (
    403,
    {"Content-Type": "application/json", "x-amzn-ErrorType": "MissingAuthenticationTokenException"},
    b'{"message":"Missing Authentication Token"}',
)
"""What API Gateway's REST API answers for a path or method it does not define."""

_FUNCTION_URI: Final = re.compile(r":function:([^/:]+)(?::[^/]+)?/invocations$")


@attrs.frozen(kw_only=True)
class GatewayRoute:
    """One method of the REST API.

    Attributes:
        method: The HTTP method.
        resource: The resource path template, e.g. ``/polls/{pollId}/votes``.
        target: The Lambda function the integration invokes, or ``""`` for a MOCK integration.
        authorization: The method's ``authorizationType`` (``NONE``, ``AWS_IAM``, ...).
        mock_status: A MOCK integration's status code.
        mock_headers: A MOCK integration's static response headers.
    """

    method: str
    resource: str
    target: str
    authorization: str = "NONE"
    mock_status: int = 204
    mock_headers: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def parts(self) -> tuple[str, ...]:
        """The resource's path parts."""
        return tuple(p for p in self.resource.split("/") if p)


@attrs.frozen(kw_only=True)
class Match:
    """A request matched to a route.

    Attributes:
        route: The method that answers.
        path: The request path as sent (still percent-encoded).
        path_parameters: The decoded ``{parameter}`` values.
    """

    route: GatewayRoute
    path: str
    path_parameters: Mapping[str, str]


def deployed_routes(client: APIGatewayClient, rest_api_id: str) -> tuple[GatewayRoute, ...]:
    """Read every method of a deployed REST API, with the function each one invokes.

    Args:
        client: An API Gateway client (moto's, for the local platform).
        rest_api_id: The API's id.
    """
    routes: list[GatewayRoute] = []
    pages = client.get_paginator("get_resources").paginate(restApiId=rest_api_id, embed=["methods"])
    for page in pages:
        for resource in page["items"]:
            for method, spec in (resource.get("resourceMethods") or {}).items():
                integration = spec.get("methodIntegration") or {}
                found = _FUNCTION_URI.search(str(integration.get("uri", "")))
                answers = integration.get("integrationResponses") or {}
                mock = next(iter(answers.values()), None) or {}
                routes.append(
                    GatewayRoute(
                        method=method,
                        resource=resource["path"],
                        target=found.group(1) if found else "",
                        authorization=spec.get("authorizationType", "NONE"),
                        mock_status=int(mock.get("statusCode", "204")),
                        mock_headers={
                            k.removeprefix("method.response.header."): v.strip("'")
                            for k, v in (mock.get("responseParameters") or {}).items()
                        },
                    )
                )
    return tuple(routes)


def _parts_match(template: tuple[str, ...], parts: list[str]) -> dict[str, str] | None:
    if len(template) != len(parts):
        return None
    parameters: dict[str, str] = {}
    for want, got in zip(template, parts, strict=True):
        if want.startswith("{") and want.endswith("}"):
            if not got:
                return None
            parameters[want[1:-1]] = unquote(got)
        elif want != got:
            return None
    return parameters


def match(routes: Sequence[GatewayRoute], method: str, path: str) -> Match | None:
    """Find the route for ``method`` and ``path`` (``None``: API Gateway's 403).

    A literal path part wins over a ``{parameter}`` at the same place, as in API Gateway.
    """
    parts = path.split("?", 1)[0].strip("/").split("/") if path.strip("/") else []
    candidates = []
    for route in routes:
        if route.method != method.upper():
            continue
        parameters = _parts_match(route.parts, parts)
        if parameters is not None:
            literal = tuple(not p.startswith("{") for p in route.parts)
            candidates.append((literal, route, parameters))
    if not candidates:
        return None
    _, route, parameters = max(candidates, key=lambda c: c[0])
    return Match(route=route, path=path, path_parameters=parameters)


def proxy_event(
    found: Match,
    *,
    query: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    source_ip: str = "127.0.0.1",
    stage: str = "local",
) -> dict[str, object]:
    """The REST API (v1) proxy event API Gateway sends the route's function.

    Args:
        found: The matched route.
        query: The raw query string (without ``?``).
        headers: The request's headers in order, repeats included.
        body: The raw body bytes.
        source_ip: The client's address.
        stage: The stage name in the request context.
    """
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in headers:
        single[name] = value
        multi.setdefault(name, []).append(value)
    pairs = parse_qsl(query, keep_blank_values=True)
    queries: dict[str, list[str]] = {}
    for name, value in pairs:
        queries.setdefault(name, []).append(value)
    text: str | None
    try:
        text, encoded = (body.decode("utf-8"), False) if body else (None, False)
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode("ascii"), True
    route = found.route
    path = found.path.split("?", 1)[0]
    return {
        "resource": route.resource,
        "path": unquote(path),
        "httpMethod": route.method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": {k: v[-1] for k, v in queries.items()} or None,
        "multiValueQueryStringParameters": queries or None,
        "pathParameters": dict(found.path_parameters) or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.resource,
            "httpMethod": route.method,
            "path": f"/{stage}{unquote(path)}",
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "protocol": "HTTP/1.1",
            "accountId": "123456789012",
            "apiId": "local",
            "identity": {"sourceIp": source_ip, "userAgent": single.get("User-Agent")},
        },
        "body": text,
        "isBase64Encoded": encoded,
    }


def http_response(response: Mapping[str, object]) -> tuple[int, dict[str, str], bytes]:
    """A Lambda proxy response as the HTTP status, headers and body API Gateway sends.

    A response that is not a valid proxy response is API Gateway's 502.
    """
    status = response.get("statusCode")
    if not isinstance(status, int) or isinstance(status, bool):
        return 502, {"Content-Type": "application/json"}, b'{"message": "Internal server error"}'
    headers = {str(k): str(v) for k, v in _mapping(response.get("headers")).items()}
    for name, values in _mapping(response.get("multiValueHeaders")).items():
        if isinstance(values, list) and values:
            headers[str(name)] = ", ".join(str(v) for v in values)
    raw = response.get("body")
    text = raw if isinstance(raw, str) else ""
    body = base64.b64decode(text) if response.get("isBase64Encoded") else text.encode("utf-8")
    return status, headers, body


def _mapping(value: object) -> Mapping[object, object]:
    return value if isinstance(value, dict) else {}
