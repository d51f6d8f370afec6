"""The lake's record layout: a versioned schema derived from the ``ingest`` records.

Each lake table (``feedback``, ``votes``, ``survey_responses``) is one :class:`LakeTable`: an
envelope every row carries (schema version, operation, event time, sequence number, event id),
the item's key and creation time, then one column per field of the ``ingest`` record
(:class:`~feedback_core.ingest.Feedback`, :class:`~feedback_core.ingest.Vote`,
:class:`~feedback_core.ingest.SurveyResponse`), minus the fields marked ``sensitive`` (names and
e-mail addresses stay out of the lake), then the few attributes the service adds (sentiment).
A field added to a record shows up here, in the Glue table and in DuckDB, from one place.

Types: ``string``, ``bigint``, ``boolean``, ``timestamp`` (ISO-8601 UTC with milliseconds and a
``Z``) and ``map<string,string>``. Decimals are written as strings, so no digit is lost between
DynamoDB and the query engine; cast them where you compute (``CAST(x AS DECIMAL(9,4))``).
"""

from __future__ import annotations

import functools
import typing
from datetime import UTC, datetime
from decimal import Decimal
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, cast

import attrs
import orjson

from feedback_core.aggregate.stream import EventName
from feedback_core.bundle.core import utc
from feedback_core.ingest import schemas
from feedback_core.ingest.fields import METADATA_KEY, Constraints
from feedback_core.ingest.schema import camel_case

if TYPE_CHECKING:
    from collections.abc import Mapping

    from attrs import AttrsInstance

    from feedback_core.aggregate.stream import StreamRecord
    from feedback_core.attributes import Value
    from feedback_core.ingest.schema import Record

__all__ = [
    "ENVELOPE",
    "FEEDBACK",
    "LAKE_SCHEMA_VERSION",
    "SURVEY_RESPONSES",
    "TABLES",
    "VOTES",
    "Column",
    "ColumnType",
    "LakeTable",
    "TableName",
    "lake_time",
]

LAKE_SCHEMA_VERSION: Final = 1
"""Bumped when a column changes meaning or type; adding a column keeps the version."""

ColumnType: TypeAlias = Literal["string", "bigint", "boolean", "timestamp", "map<string,string>"]
"""A column's type, as Glue (Hive DDL) spells it."""

TableName: TypeAlias = Literal["feedback", "votes", "survey_responses"]
"""The lake's tables, one per source table."""

_DUCKDB: Final = {
    "string": "VARCHAR",
    "bigint": "BIGINT",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "map<string,string>": "MAP(VARCHAR, VARCHAR)",
}


@attrs.frozen(kw_only=True)
class Column:
    """One column of a lake table.

    Attributes:
        name: The column name (snake_case, as Athena lower-cases names anyway).
        type: Its Glue type.
        comment: What it holds.
        source: The item attribute it is read from (camelCase); ``None`` for envelope columns.
    """

    name: str
    type: ColumnType
    comment: str
    source: str | None = None

    @property
    def duckdb_type(self) -> str:
        """The same type in DuckDB's spelling."""
        return _DUCKDB[self.type]

    def glue(self) -> dict[str, str]:
        """The column as a Glue ``Columns`` entry."""
        return {"Name": self.name, "Type": self.type, "Comment": self.comment}


ENVELOPE: Final = (
    Column(name="schema_version", type="bigint", comment="The lake schema version of the row."),
    Column(
        name="op",
        type="string",
        comment="INSERT, MODIFY, REMOVE (a tombstone) or EXPIRE (a Time to Live delete).",
    ),
    Column(name="event_time", type="timestamp", comment="When the change happened (the stream's)."),
    Column(name="sequence_number", type="string", comment="The stream record's sequence number."),
    Column(name="event_id", type="string", comment="The stream record's event id."),
)
"""The columns every row of every table starts with."""


def lake_time(value: str | int) -> str:
    """Return a time as the lake writes it: ISO-8601 UTC, milliseconds, ``Z``.

    Examples:
        >>> lake_time("2026-11-22T10:00:00Z"), lake_time(0)
        ('2026-11-22T10:00:00.000Z', '1970-01-01T00:00:00.000Z')
    """
    moment = datetime.fromtimestamp(value, UTC) if isinstance(value, int) else utc(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _column_type(annotation: object) -> ColumnType:
    if isinstance(annotation, UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not NoneType]
        if len(members) == 1:
            return _column_type(members[0])
        return "string"  # a scalar union (a survey answer) is written as text
    origin = typing.get_origin(annotation) or annotation
    if origin is bool:
        return "boolean"
    if origin is int:
        return "bigint"
    if origin is dict:
        return "map<string,string>"
    return "string"  # str, Decimal (exact, as text), tuples of options (JSON text)


def _text(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, frozenset):
        value = sorted(value, key=str)
    return orjson.dumps(value, default=str).decode("utf-8")


def _time(value: Value) -> str | None:
    """A lake time, or ``None`` for what is not a time (a bad value must not stall the stream)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return lake_time(value)
    except (ValueError, OverflowError, OSError):
        return None


def _whole(value: Value) -> int | None:
    """A whole number, or ``None`` for anything else: a bad value must not stall the stream.

    Examples:
        >>> _whole(4), _whole(Decimal("4.0")), _whole("4"), _whole(Decimal("4.5")), _whole("x")
        (4, 4, 4, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _convert(column: Column, value: Value) -> object:  # noqa: PLR0911  # one return per type
    if value is None:
        return None
    if column.type == "timestamp":
        return _time(value)
    if column.type == "bigint":
        return _whole(value)
    if column.type == "boolean":
        return bool(value)
    if column.type == "map<string,string>":
        if not isinstance(value, dict):
            return None
        return {str(k): _text(v) for k, v in value.items()}
    return _text(value)


def record_columns(record: type[Record]) -> tuple[Column, ...]:
    """The columns of an ``ingest`` record's fields, minus the sensitive ones.

    Examples:
        >>> [c.name for c in record_columns(schemas.Feedback)]
        ['rating', 'message', 'customer_id']
    """
    hints = typing.get_type_hints(record)
    columns = []
    for field in attrs.fields(cast("type[AttrsInstance]", record)):
        constraints = field.metadata.get(METADATA_KEY, Constraints())
        if constraints.sensitive:
            continue
        wire = constraints.wire or camel_case(field.name)
        kind = _column_type(hints[field.name])
        doc = f"The record's {wire!r} field."
        columns.append(Column(name=field.name, type=kind, comment=doc, source=wire))
    return tuple(columns)


@attrs.frozen(kw_only=True, slots=False)  # a dict class, for the cached item columns
class LakeTable:
    """One lake table: where its rows come from and what their columns are.

    Attributes:
        name: The table name; also the ``table=`` partition of its objects.
        record: The ``ingest`` record its items hold.
        keys: The item's key columns that the record itself lacks (e.g. ``feedbackId``).
        created: The item attribute holding its creation time; it picks the partition.
        identity: The columns that name one item (its table key), for "latest version" queries.
        extra: Attributes the service adds to items (sentiment), as columns.
    """

    name: TableName
    record: type[Record]
    keys: tuple[Column, ...]
    created: Column
    identity: tuple[str, ...]
    extra: tuple[Column, ...] = ()

    def current_sql(self) -> str:
        """SQL (Athena's and DuckDB's) for the table as it is now, tombstoned items left out.

        Each item's latest row by sequence number (one item's records share one shard).

        Examples:
            >>> print(VOTES.current_sql())  # doctest: +NORMALIZE_WHITESPACE
            SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY poll_id, user_id
            ORDER BY lpad(sequence_number, 40, '0') DESC) AS version FROM votes)
            WHERE version = 1 AND op IN ('INSERT', 'MODIFY')
        """
        # Names come from the schema's own constants, never from user input.
        by = ", ".join(self.identity)
        return (
            f"SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY {by}"  # noqa: S608
            f"\nORDER BY lpad(sequence_number, 40, '0') DESC) AS version FROM {self.name})"
            "\nWHERE version = 1 AND op IN ('INSERT', 'MODIFY')"
        )

    @property
    def columns(self) -> tuple[Column, ...]:
        """Every column, in order: envelope, keys, creation time, record fields, extras."""
        return (*ENVELOPE, *self.item_columns)

    @functools.cached_property
    def item_columns(self) -> tuple[Column, ...]:
        """The columns read from the item (all but the envelope)."""
        return (*self.keys, self.created, *record_columns(self.record), *self.extra)

    def created_at(self, record: StreamRecord) -> str:
        """The lake time the row's partition is chosen by: the item's own creation time.

        A REMOVE reads it from the old image, so a tombstone lands in its record's partition.
        An item without one, or with one that is not a time (written by other code), falls
        back to the change's stream time.
        """
        image = record.old_image if record.event_name is EventName.REMOVE else record.new_image
        value = (image or {}).get(self.created.source or "")
        return _time(value) or lake_time(record.created_at or 0)

    def row(self, record: StreamRecord) -> dict[str, object]:
        """The record's lake row: every column, ``None`` where the change says nothing.

        A REMOVE is a tombstone: the envelope, the key and the creation time, nothing else.
        """
        if record.event_name is EventName.REMOVE:
            op = "EXPIRE" if record.is_ttl_expiry else "REMOVE"
            image: Mapping[str, Value] = {**(record.old_image or {}), **record.keys}
            kept: set[str] | None = set(record.keys)  # a tombstone names its item, no more
        else:
            op = record.event_name.value
            image = {**(record.new_image or {}), **record.keys}
            kept = None
        row: dict[str, object] = {
            "schema_version": LAKE_SCHEMA_VERSION,
            "op": op,
            "event_time": lake_time(record.created_at or 0),
            "sequence_number": record.sequence_number,
            "event_id": record.event_id,
        }
        for column in self.item_columns:
            source = column.source or ""
            visible = kept is None or source in kept
            row[column.name] = _convert(column, image.get(source)) if visible else None
        row[self.created.name] = self.created_at(record)
        return row


def _string(name: str, source: str, comment: str) -> Column:
    return Column(name=name, type="string", comment=comment, source=source)


FEEDBACK: Final = LakeTable(
    name="feedback",
    record=schemas.Feedback,
    keys=(_string("feedback_id", "feedbackId", "The feedback's id (the table's key)."),),
    identity=("feedback_id",),
    created=Column(
        name="created_at", type="timestamp", comment="When it was submitted.", source="createdAt"
    ),
    extra=(
        _string("sentiment", "sentiment", "positive, neutral, negative or mixed."),
        Column(
            name="sentiment_scores",
            type="map<string,string>",
            comment="The analyzer's score per label, as decimal text.",
            source="sentimentScores",
        ),
        _string("sentiment_source", "sentimentSource", "Which analyzer labelled it."),
    ),
)
"""The ``feedback`` table."""

VOTES: Final = LakeTable(
    name="votes",
    record=schemas.Vote,
    keys=(),
    identity=("poll_id", "user_id"),
    created=Column(
        name="voted_at", type="timestamp", comment="When the vote was cast.", source="votedAt"
    ),
    extra=(
        _string("previous_choice", "previousChoice", "The choice a change replaced."),
        Column(name="changed_at", type="timestamp", comment="When it changed.", source="changedAt"),
    ),
)
"""The ``votes`` table (the poll and user ids are the record's own fields and the key)."""

SURVEY_RESPONSES: Final = LakeTable(
    name="survey_responses",
    record=schemas.SurveyResponse,
    keys=(_string("response_id", "responseId", "The response's id (the sort key)."),),
    identity=("survey_id", "response_id"),
    created=Column(
        name="submitted_at",
        type="timestamp",
        comment="When it was submitted.",
        source="submittedAt",
    ),
)
"""The ``survey_responses`` table (answers as a map of question id to answer text)."""

TABLES: Final[Mapping[TableName, LakeTable]] = {
    t.name: t for t in (FEEDBACK, VOTES, SURVEY_RESPONSES)
}
"""Every lake table by name."""
