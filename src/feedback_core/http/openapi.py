"""The API's OpenAPI 3.1 document and API Gateway's request models, from the route table.

Both come from the same declarations the handlers decode with (:data:`ALL_ROUTES` and the
``ingest`` schemas), so they cannot drift from the code:

- :func:`openapi_document` builds the document at run time (it is cheap, and built from the
  installed code it is always the code's own): request bodies, path and query parameters, every
  response with its body (RFC 9457 problems included) and the two security schemes (the Cognito
  user pool authorizer, IAM for the administrators' routes). ``feedback-core serve`` serves it at
  ``/openapi.json``; ``docs/openapi.json`` is a copy a test keeps current.
- :func:`record_schema` turns a :class:`~feedback_core.ingest.Record` class into a JSON Schema.
  With ``draft4=True`` it gives the part of it that API Gateway's request validator (JSON Schema
  draft 4) can check *on the raw body* without refusing anything the Lambda function accepts:
  types, required members, unknown members, numeric ranges, item and entry counts, map keys and
  control characters. Lengths, patterns and choices are left to the function, because it checks
  them after NFC normalization and trimming (``" tabs "`` is the choice ``tabs``), and answers
  them with a problem naming each field, which a gateway refusal cannot do; the template's
  ``AWS::ApiGateway::Model`` resources hold these models and a test keeps them equal.

Examples:
    >>> from feedback_core.ingest.schemas import Vote
    >>> record_schema(Vote, draft4=True)["required"]
    ['pollId', 'userId', 'choice']
    >>> sorted(openapi_document()["paths"])[:2]
    ['/analytics', '/customers/{customerId}/feedback']
"""

from __future__ import annotations

import collections.abc
import types
import typing
from decimal import Decimal
from typing import TYPE_CHECKING, Final, cast

import attrs

import feedback_core
from feedback_core.http import admin_routes as admin_routes_module
from feedback_core.http import routes as routes_module
from feedback_core.http.admin_routes import ADMIN_ROUTES
from feedback_core.http.openapi_models import COMPONENTS, SUCCESS
from feedback_core.http.routes import ROUTES, NoParameters
from feedback_core.ingest.fields import METADATA_KEY, Constraints
from feedback_core.ingest.schema import camel_case

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    from feedback_core.http.routes import Route
    from feedback_core.ingest.schema import Record

__all__ = [
    "AUTHORIZATION",
    "IDENTITY_FIELDS",
    "openapi_document",
    "record_schema",
    "request_body_schema",
]

Json = dict[str, object]

IDENTITY_FIELDS: Final = frozenset({"userId", "respondentId"})
"""Body members the server fills from the verified caller: a body may leave them out."""

AUTHORIZATION: Final[dict[tuple[str, str], str]] = {
    ("POST", "/feedback"): "cognito",
    ("POST", "/polls/{pollId}/votes"): "cognito",
    ("GET", "/polls/{pollId}/votes/{userId}"): "cognito",
    ("POST", "/surveys/{surveyId}/responses"): "cognito",
    ("GET", "/feedback"): "iam",
    ("DELETE", "/customers/{customerId}/feedback"): "iam",
}
"""Each secured route's scheme under the template's default ``Authentication=cognito``."""

# The characters the decoder refuses (control characters; a multi-line field allows tab, line
# feed and carriage return), as draft-4 patterns on the raw value. Normalization cannot add or
# remove them, so the raw check refuses exactly what the decoder refuses (a test compares every
# character). Surrogates are left to the function: a pattern cannot tell a lone one from a pair.
_NO_CONTROL: Final = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
_NO_CONTROL_MULTILINE: Final = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
_MAX_INT: Final = 10**38 - 1
_DAY: Final = r"\d{4}-\d{2}-\d{2}"


def _string(c: Constraints, *, draft4: bool, max_length: int | None) -> Json:
    schema: Json = {"type": "string", "minLength": max(c.min_length or 1, 1)}
    if draft4:  # an empty string gets the function's per-field problem
        return {"type": "string", "pattern": _NO_CONTROL_MULTILINE if c.multiline else _NO_CONTROL}
    if max_length is not None:
        schema["maxLength"] = max_length
    if c.pattern is not None and c.pattern.pattern == _DAY:  # and a real day: RFC 3339's date
        schema["format"] = "date"
    elif c.pattern is not None:
        schema["pattern"] = f"^(?:{c.pattern.pattern})$"
    if c.choices is not None:
        schema["enum"] = sorted(c.choices)
    return schema


def _schema(annotation: object, c: Constraints, *, draft4: bool) -> Json:  # noqa: PLR0911  # one per kind
    if annotation is str:
        return _string(c, draft4=draft4, max_length=c.max_length)
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        low = c.ge if c.ge is not None else -_MAX_INT
        high = c.le if c.le is not None else _MAX_INT
        return {"type": "integer", "minimum": int(low), "maximum": int(high)}
    if annotation is Decimal:
        return {"type": "number"}
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is tuple:
        item = _string(c, draft4=draft4, max_length=c.item_max_length)
        schema: Json = {"type": "array", "items": item}
        if c.max_length is not None:
            schema["maxItems"] = c.max_length
        return schema
    if origin in (dict, collections.abc.Mapping):
        return _map(_schema(args[1], c, draft4=draft4), c, draft4=draft4)
    if origin in (types.UnionType, typing.Union):
        return _answer(args, c, draft4=draft4)
    raise TypeError(f"no JSON Schema for {annotation!r}")


def _map(values: Json, c: Constraints, *, draft4: bool) -> Json:
    schema: Json = {"type": "object", "additionalProperties": values}
    if c.min_length:
        schema["minProperties"] = c.min_length
    if c.max_length is not None:
        schema["maxProperties"] = c.max_length
    if c.key_pattern is not None:
        key = f"^(?:{c.key_pattern.pattern})$"
        if draft4:  # draft 4 has no propertyNames: keys outside the pattern are refused
            schema["patternProperties"] = {key: schema.pop("additionalProperties")}
            schema["additionalProperties"] = False
        else:
            schema["propertyNames"] = {"pattern": key}
    return schema


def _answer(members: tuple[object, ...], c: Constraints, *, draft4: bool) -> Json:
    """A value of one of several kinds (a survey answer): strings and lists use the item limits."""
    options: list[Json] = []
    for member in members:
        if member is str:
            options.append(_string(c, draft4=draft4, max_length=c.item_max_length))
        elif typing.get_origin(member) is tuple:
            plain = attrs.evolve(c, pattern=None, choices=None)
            item = _string(plain, draft4=draft4, max_length=c.item_max_length)
            listed: Json = {"type": "array", "items": item}
            if c.max_items is not None:
                listed["maxItems"] = c.max_items
            options.append(listed)
        elif member is bool:
            options.append({"type": "boolean"})
        elif {"type": "number"} not in options:  # int and Decimal: one JSON number
            options.append({"type": "number"})
    if not draft4:
        return {"anyOf": options}
    # Draft 4 as API Gateway reads it: one schema, its keywords applying to the matching kind.
    merged: Json = {"type": [str(o["type"]) for o in options]}
    for option in options:
        merged.update({k: v for k, v in option.items() if k != "type"})
    return merged


def record_schema(
    schema: type[Record], *, draft4: bool = False, optional: Collection[str] = ()
) -> Json:
    """The JSON Schema of a record class's JSON form.

    Args:
        schema: The record class.
        draft4: Only what API Gateway's draft-4 validator can check on the raw body (above).
        optional: Wire names to leave out of ``required`` (filled by the server).
    """
    hints = typing.get_type_hints(schema)
    properties: Json = {}
    required: list[str] = []
    for attribute in attrs.fields(cast("type[attrs.AttrsInstance]", schema)):
        c = attribute.metadata.get(METADATA_KEY, Constraints())
        wire = c.wire or camel_case(attribute.name)
        annotation = hints[attribute.name]
        args = typing.get_args(annotation)
        nullable = type(None) in args
        if nullable:
            rest = tuple(a for a in args if a is not type(None))
            annotation = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007  # built at run time
        member = _schema(annotation, c, draft4=draft4)
        if nullable:
            member = {"anyOf": [member, {"type": "null"}]}
        properties[wire] = member
        if attribute.default is attrs.NOTHING and wire not in optional:
            required.append(wire)
    document: Json = {"type": "object", "properties": properties}
    if required:
        document["required"] = required
    if schema.unknown_fields == "reject":
        document["additionalProperties"] = False
    if draft4:
        document = {"$schema": "http://json-schema.org/draft-04/schema#", **document}
    else:
        document = {"title": schema.__name__, **document}
    return document


def _parameters(route: Route[Record, Record]) -> list[Json]:
    parameters: list[Json] = []
    for where, schema in (("path", route.path_schema), ("query", route.query_schema)):
        if schema is NoParameters:
            continue
        body = record_schema(schema)
        required = set(cast("list[str]", body.get("required", [])))
        for name, declared in cast("Json", body["properties"]).items():
            member = cast("Json", declared)
            member = cast("list[Json]", member["anyOf"])[0] if "anyOf" in member else member
            parameter: Json = {
                "name": name,
                "in": where,
                "required": name in required or where == "path",
            }
            parameter["schema"] = member
            if member.get("type") == "array":
                parameter["style"], parameter["explode"] = "form", False
            parameters.append(parameter)
    return parameters


def _responses(route: Route[Record, Record], authorization: Mapping[tuple[str, str], str]) -> Json:
    key = (route.method, route.path)
    status, name, headers = SUCCESS[key]
    success: Json = {
        "description": "Done.",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }
    if headers:
        success["headers"] = {h: {"$ref": f"#/components/headers/{h}"} for h in headers}
    responses: Json = {str(status): success}
    if key == ("POST", "/polls/{pollId}/votes"):  # VotePolicy=replace: a changed vote
        responses["200"] = {**success, "description": "The vote changed (or did not)."}
    problems = ["400", "500", "503"]
    if route.has_body:
        problems += ["413", "415"]
    if route.method == "POST":
        problems += ["409", "422"]
    if route.method == "GET" and "{" in route.path:  # a vote, or a poll or survey not counted yet
        problems.append("404")
    if key in authorization:
        problems.append("401" if authorization[key] == "cognito" else "403")
    for code in sorted(problems):
        responses[code] = {"$ref": f"#/components/responses/Problem{code}"}
    return responses


def _operation(route: Route[Record, Record], authorization: Mapping[tuple[str, str], str]) -> Json:
    operation: Json = {
        "operationId": _operation_id(route),
        "summary": route.summary,
        "parameters": _parameters(route),
        "responses": _responses(route, authorization),
    }
    body = request_body_schema(route)
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
        operation["parameters"] = [
            *cast("list[Json]", operation["parameters"]),
            {"$ref": "#/components/parameters/IdempotencyKey"},
        ]
    scheme = authorization.get((route.method, route.path))
    operation["security"] = [{scheme: []}] if scheme else []
    return operation


def _operation_id(route: Route[Record, Record]) -> str:
    """The route constant's name in camelCase: ``CAST_VOTE`` is ``castVote``."""
    for module in (routes_module, admin_routes_module):
        for name, value in vars(module).items():
            if value is route:
                return camel_case(name.lower())
    return camel_case(f"{route.method} {route.path}".lower().replace("/", "_").replace(" ", "_"))


def request_body_schema(route: Route[Record, Record], *, draft4: bool = False) -> Json | None:
    """The JSON Schema of the route's body, members the server fills left optional.

    The path's parameters (a body may repeat them) and the caller's identity
    (:data:`IDENTITY_FIELDS`) are optional; ``draft4`` as in :func:`record_schema`.
    """
    if route.body_schema is None:
        return None
    optional = IDENTITY_FIELDS | {p[1:-1] for p in route.path.split("/") if p.startswith("{")}
    return record_schema(route.body_schema, draft4=draft4, optional=optional)


def openapi_document(
    routes: Sequence[Route[Record, Record]] = ROUTES + ADMIN_ROUTES,
    *,
    server: str | None = None,
    authorization: Mapping[tuple[str, str], str] = AUTHORIZATION,
) -> Json:
    """The OpenAPI 3.1 document of ``routes`` (the reference API by default).

    Args:
        routes: The operations.
        server: The server URL to list (``feedback-core serve`` names itself).
        authorization: The security scheme (``cognito`` or ``iam``) of each secured route, by
            method and path; ``{}`` for a deployment without sign-in (``serve``'s sample mode).
    """
    paths: dict[str, Json] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, authorization)
    document: Json = {
        "openapi": "3.1.0",
        "info": {
            "title": "feedback_core reference API",
            "version": feedback_core.__version__,
            "description": (
                "The reference handlers behind API Gateway (templates/feedback-api.yaml). "
                "Strings are NFC-normalized and trimmed before their limits apply; every "
                "refusal is an RFC 9457 problem listing every field error at once."
            ),
        },
        "paths": dict(sorted(paths.items())),
        "components": COMPONENTS,
    }
    if server is not None:
        document["servers"] = [{"url": server}]
    return document
