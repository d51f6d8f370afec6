"""The lake schema: derived from the ingest records, tombstones, times and decimals as text."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from feedback_core.aggregate.stream import decode_record
from feedback_core.datalake import ENVELOPE, FEEDBACK, SURVEY_RESPONSES, VOTES, lake_time
from feedback_core.datalake.schema import record_columns
from feedback_core.ingest import Feedback, Record, field


def stream_record(name: str, image: dict[str, object], **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "Keys": {"feedbackId": image["feedbackId"]},
        "SequenceNumber": "100",
        "ApproximateCreationDateTime": 1_795_000_000,
        "NewImage" if name != "REMOVE" else "OldImage": image,
    }
    return {"eventID": "e1", "eventName": name, "dynamodb": data, **extra}


FEEDBACK_IMAGE = {
    "feedbackId": {"S": "f1"},
    "createdAt": {"S": "2026-11-20T23:59:59Z"},
    "name": {"S": "Ana"},
    "email": {"S": "ana@example.com"},
    "rating": {"N": "4"},
    "message": {"S": "Lovely"},
    "sentimentScores": {"M": {"positive": {"N": "0.9100"}}},
}


def test_sensitive_fields_stay_out_of_the_lake() -> None:
    """Name and e-mail are marked sensitive in Feedback, so no column holds them."""
    names = {c.name for c in FEEDBACK.columns}
    assert {"name", "email"}.isdisjoint(names)
    assert {"rating", "message", "customer_id"} <= names


def test_a_field_added_to_a_record_becomes_a_column() -> None:
    """A new record field shows up in the lake's columns with its type."""

    @attrs.frozen(kw_only=True)
    class Rsvp(Record):
        guests: int = field(ge=0)
        note: str | None = field(default=None)
        paid: Decimal = field(ge=0)

    assert [("guests", "bigint"), ("note", "string"), ("paid", "string")] == [
        (c.name, c.type) for c in record_columns(Rsvp)
    ]


def test_every_table_starts_with_the_envelope() -> None:
    """The envelope columns come first in every table, then the key and the creation time."""
    for table in (FEEDBACK, VOTES, SURVEY_RESPONSES):
        assert ENVELOPE == table.columns[: len(ENVELOPE)]
        assert table.created in table.columns


def test_an_insert_row_holds_the_item_with_decimals_as_text() -> None:
    """Scores keep their digits as strings; times are ISO-8601 UTC with milliseconds."""
    row = FEEDBACK.row(decode_record(stream_record("INSERT", FEEDBACK_IMAGE)))
    assert ("INSERT", "2026-11-20T23:59:59.000Z", 4, {"positive": "0.9100"}) == (
        row["op"],
        row["created_at"],
        row["rating"],
        row["sentiment_scores"],
    )


def test_a_remove_is_a_tombstone_in_the_record_partition() -> None:
    """A REMOVE keeps the key and the creation time (from the old image), nothing else."""
    row = FEEDBACK.row(decode_record(stream_record("REMOVE", FEEDBACK_IMAGE)))
    assert ("REMOVE", "f1", "2026-11-20T23:59:59.000Z", None, None) == (
        row["op"],
        row["feedback_id"],
        row["created_at"],
        row["message"],
        row["rating"],
    )


def test_a_time_to_live_delete_is_marked_expire() -> None:
    """A REMOVE made by DynamoDB's Time to Live is op EXPIRE, so queries can keep it apart."""
    raw = stream_record(
        "REMOVE", FEEDBACK_IMAGE, userIdentity={"principalId": "dynamodb.amazonaws.com"}
    )
    assert "EXPIRE" == FEEDBACK.row(decode_record(raw))["op"]


def test_the_partition_is_the_creation_day_not_the_stream_time() -> None:
    """A record created on the 20th and changed days later still belongs to the 20th."""
    record = decode_record(stream_record("MODIFY", FEEDBACK_IMAGE))
    assert ("2026-11-20", "2026-11-18") == (
        FEEDBACK.created_at(record)[:10],
        lake_time(record.created_at or 0)[:10],
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-02T03:04:05.678+00:00", "2026-01-02T03:04:05.678Z"),
        (86400, "1970-01-02T00:00:00.000Z"),
    ],
)
def test_lake_time_normalizes_to_utc_milliseconds(value: str | int, expected: str) -> None:
    """Offsets and epoch seconds both become the one lake time format."""
    assert expected == lake_time(value)


def test_feedback_schema_is_derived_from_the_feedback_record() -> None:
    """The feedback table's record columns are Feedback's non-sensitive fields, in order."""
    assert Feedback is FEEDBACK.record
    assert ["rating", "message", "customer_id"] == [c.name for c in record_columns(Feedback)]


def test_a_value_of_the_wrong_type_becomes_null_not_an_error() -> None:
    """A rating that is not a whole number is written as null: one bad item must not stall."""
    image = {**FEEDBACK_IMAGE, "rating": {"S": "five"}}
    assert None is FEEDBACK.row(decode_record(stream_record("INSERT", image)))["rating"]


def test_an_unreadable_creation_time_falls_back_to_the_stream_time() -> None:
    """A createdAt that is not a time partitions by the change's time instead of failing."""
    image = {**FEEDBACK_IMAGE, "createdAt": {"S": "yesterday"}}
    record = decode_record(stream_record("INSERT", image))
    assert lake_time(1_795_000_000) == FEEDBACK.row(record)["created_at"]
