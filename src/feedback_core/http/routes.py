"""Routes: each API operation's method, path, and declared path, query and body parameters.

A :class:`Route` is the one declaration of an operation. The handler wrapper
(:func:`~feedback_core.http.api_handler`) checks the method against it (405 with ``Allow``),
decodes the path and query parameters with the route's :class:`~feedback_core.ingest.Record`
schemas (the same decoder, the same problem responses as bodies: every error at once, with a
JSON pointer naming the parameter), and reads the body within its size limit. The same table
(:data:`ROUTES`) describes the reference API for the docs, the local server and the template.

Query values arrive as strings: a field typed ``int`` is read as a whole number, a field typed
``tuple[str, ...]`` as a comma-separated list (blanks dropped, repeats removed), anything else
as the string itself; then the schema's constraints apply.
"""

from __future__ import annotations

import re
import types
import typing
from typing import TYPE_CHECKING, Final, Generic, TypeVar, cast

import attrs

from feedback_core.errors import FieldError, ValidationError
from feedback_core.ingest.fields import field
from feedback_core.ingest.schema import Record
from feedback_core.ingest.schemas import ID_PATTERN, Feedback, SurveyResponse, Vote

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ANALYTICS",
    "CAST_VOTE",
    "GET_VOTE",
    "MAX_LISTED",
    "NO_PARAMETERS",
    "POLL_RESULTS",
    "ROUTES",
    "SUBMIT_FEEDBACK",
    "SUBMIT_SURVEY_RESPONSE",
    "SURVEY_SUMMARY",
    "AnalyticsQuery",
    "NoParameters",
    "PollPath",
    "PollResultsQuery",
    "Route",
    "SurveyPath",
    "SurveySummaryQuery",
    "VotePath",
    "decode_parameters",
]

P = TypeVar("P", bound=Record)
P_co = TypeVar("P_co", bound=Record, covariant=True)
Q_co = TypeVar("Q_co", bound=Record, covariant=True)

MAX_LISTED: Final = 50
"""The most items a comma-separated query parameter may list."""

_DAY: Final = r"\d{4}-\d{2}-\d{2}"


@attrs.frozen(kw_only=True)
class NoParameters(Record):
    """A route without path or query parameters: anything sent is ignored."""

    unknown_fields = "ignore"


NO_PARAMETERS: Final = NoParameters()


def _kinds(schema: type[Record]) -> dict[str, str]:
    """Wire name -> how to read the string: ``int``, ``list`` or ``str``."""
    hints = typing.get_type_hints(schema)
    kinds: dict[str, str] = {}
    # Every Record subclass is an attrs class; the base itself declares no fields.
    for attribute in attrs.fields(cast("type[attrs.AttrsInstance]", schema)):
        wire = attribute.metadata.get("wire") or _camel(attribute.name)
        annotation = hints[attribute.name]
        members = (
            typing.get_args(annotation)
            if typing.get_origin(annotation) in (types.UnionType, typing.Union)
            else (annotation,)
        )
        if int in members:
            kinds[wire] = "int"
        elif any(typing.get_origin(m) is tuple for m in members):
            kinds[wire] = "list"
        else:
            kinds[wire] = "str"
    return kinds


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


_INT = re.compile(r"[+-]?\d{1,18}")
_KINDS: dict[type[Record], dict[str, str]] = {}


def decode_parameters(schema: type[P], values: Mapping[str, str], *, where: str) -> P:
    """Decode path or query parameters (strings) into ``schema``, every error at once.

    Args:
        schema: The parameters' record class.
        values: The parameters as API Gateway passed them.
        where: ``path`` or ``query``: named in the errors' ``detail``.

    Raises:
        ValidationError: every parameter error at once; pointers name the parameters.

    Examples:
        >>> decode_parameters(PollResultsQuery, {"choices": "tabs, spaces,,tabs"}, where="query")
        PollResultsQuery(choices=('tabs', 'spaces'))
    """
    kinds = _KINDS.get(schema)
    if kinds is None:
        kinds = _KINDS[schema] = _kinds(schema)
    data: dict[str, object] = {}
    for name, text in values.items():
        kind = kinds.get(name)
        if kind == "int" and _INT.fullmatch(text.strip()):
            data[name] = int(text)
        elif kind == "list":
            data[name] = list(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))
        else:
            data[name] = text
    try:
        return schema.from_json_value(data)
    except ValidationError as error:
        raise ValidationError(
            error.errors, detail=f"The request's {where} parameters are not valid."
        ) from None


@attrs.frozen(kw_only=True)
class Route(Generic[P_co, Q_co]):
    """One API operation.

    Attributes:
        method: The HTTP method it answers (others get 405 with ``Allow``).
        path: The resource path template, as in the template and OpenAPI: ``/polls/{pollId}``.
        path_schema: The path parameters' record class.
        query_schema: The query parameters' record class.
        body_schema: The body's record class, or ``None`` for a route without a body.
        summary: One line for the docs and the OpenAPI document.
    """

    method: str
    path: str
    path_schema: type[P_co]
    query_schema: type[Q_co]
    body_schema: type[Record] | None = None
    summary: str = ""

    @property
    def has_body(self) -> bool:
        """Whether requests carry a JSON body."""
        return self.body_schema is not None

    def parameters(self, path: Mapping[str, str], query: Mapping[str, str]) -> tuple[P_co, Q_co]:
        """Decode the path and the query parameters, reporting every error of both at once.

        Raises:
            ValidationError: 400; pointers name the parameters (``/pollId``, ``/choices/1``).
        """
        errors: list[FieldError] = []
        decoded: list[Record] = []
        for schema, values, where in (
            (self.path_schema, path, "path"),
            (self.query_schema, query, "query"),
        ):
            try:
                decoded.append(decode_parameters(schema, values, where=where))
            except ValidationError as error:
                errors.extend(error.errors)
        if errors:
            raise ValidationError(
                tuple(errors), detail="The request's path or query parameters are not valid."
            )
        path_record, query_record = decoded
        return cast("P_co", path_record), cast("Q_co", query_record)


# The reference API's parameters. Ids in paths follow the one rule for ids everywhere
# (ID_PATTERN after NFC normalization and trimming), so POST and GET find the same key.


@attrs.frozen(kw_only=True)
class PollPath(Record):
    """``/polls/{pollId}/...``."""

    poll_id: str = field(pattern=ID_PATTERN)


@attrs.frozen(kw_only=True)
class VotePath(Record):
    """``/polls/{pollId}/votes/{userId}``."""

    poll_id: str = field(pattern=ID_PATTERN)
    user_id: str = field(pattern=ID_PATTERN)


@attrs.frozen(kw_only=True)
class SurveyPath(Record):
    """``/surveys/{surveyId}/...``."""

    survey_id: str = field(pattern=ID_PATTERN)


@attrs.frozen(kw_only=True)
class PollResultsQuery(Record):
    """``?choices=a,b``: choices to list first, in this order, even at zero votes."""

    choices: tuple[str, ...] | None = field(
        default=None, max_length=MAX_LISTED, item_max_length=100
    )


@attrs.frozen(kw_only=True)
class AnalyticsQuery(Record):
    """``?since=YYYY-MM-DD&until=YYYY-MM-DD``: the days the daily series covers, inclusive."""

    since: str | None = field(default=None, pattern=_DAY)
    until: str | None = field(default=None, pattern=_DAY)


@attrs.frozen(kw_only=True)
class SurveySummaryQuery(Record):
    """``?nps=q1,q2&csat=q3``: more questions to score, for this request."""

    nps: tuple[str, ...] | None = field(
        default=None, max_length=MAX_LISTED, pattern=ID_PATTERN, item_max_length=128
    )
    csat: tuple[str, ...] | None = field(
        default=None, max_length=MAX_LISTED, pattern=ID_PATTERN, item_max_length=128
    )


SUBMIT_FEEDBACK: Final = Route(
    method="POST",
    path="/feedback",
    path_schema=NoParameters,
    query_schema=NoParameters,
    body_schema=Feedback,
    summary="Submit feedback (idempotent under Idempotency-Key).",
)
CAST_VOTE: Final = Route(
    method="POST",
    path="/polls/{pollId}/votes",
    path_schema=PollPath,
    query_schema=NoParameters,
    body_schema=Vote,
    summary="Vote in a poll: one vote per user.",
)
GET_VOTE: Final = Route(
    method="GET",
    path="/polls/{pollId}/votes/{userId}",
    path_schema=VotePath,
    query_schema=NoParameters,
    summary="Read one user's vote.",
)
SUBMIT_SURVEY_RESPONSE: Final = Route(
    method="POST",
    path="/surveys/{surveyId}/responses",
    path_schema=SurveyPath,
    query_schema=NoParameters,
    body_schema=SurveyResponse,
    summary="Answer a survey (once per Idempotency-Key, or once per respondent).",
)
POLL_RESULTS: Final = Route(
    method="GET",
    path="/polls/{pollId}/results",
    path_schema=PollPath,
    query_schema=PollResultsQuery,
    summary="A poll's live results.",
)
ANALYTICS: Final = Route(
    method="GET",
    path="/analytics",
    path_schema=NoParameters,
    query_schema=AnalyticsQuery,
    summary="Live feedback analytics.",
)
SURVEY_SUMMARY: Final = Route(
    method="GET",
    path="/surveys/{surveyId}/summary",
    path_schema=SurveyPath,
    query_schema=SurveySummaryQuery,
    summary="A survey's live answer distributions.",
)

ROUTES: Final[tuple[Route[Record, Record], ...]] = (
    SUBMIT_FEEDBACK,
    CAST_VOTE,
    GET_VOTE,
    SUBMIT_SURVEY_RESPONSE,
    POLL_RESULTS,
    ANALYTICS,
    SURVEY_SUMMARY,
)
"""The reference API, one entry per operation."""
