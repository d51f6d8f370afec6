"""The pure planner: one stream batch -> one gzip JSON-lines object per lake partition.

A batch's records are grouped by the partition their item's own creation time picks
(``table=<t>/year=YYYY/month=MM/day=DD/``). Each group becomes one object whose key names the
stream (its label) and the sequence number of the group's *first* record in the batch:
``part-<label>-<sequence, 40 digits>.jsonl.gz``. Lambda redelivers a shard from its checkpoint,
in order, so a retried batch (bigger, smaller or the same) gives every partition the same first
record and the object is overwritten, never added; docs/datalake.md has the whole argument.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

import attrs
import orjson

from feedback_core.bundle.core import Codec, codec_named, compress

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from feedback_core.aggregate.stream import StreamBatch
    from feedback_core.bundle.ports import BundleSink, StoredObject
    from feedback_core.datalake.schema import LakeTable

__all__ = [
    "CONTENT_TYPE",
    "PartitionObject",
    "encode_rows",
    "json_lines",
    "partition_prefix",
    "plan",
    "stream_label",
    "write_rows",
]

CONTENT_TYPE: Final = "application/x-ndjson"
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9]")


@attrs.frozen(kw_only=True)
class PartitionObject:
    """One object to write: one batch's rows of one partition.

    Attributes:
        key: The object key (deterministic: partition, stream label, first sequence number).
        day: The partition's day, ``YYYY-MM-DD`` (UTC).
        rows: The rows, in stream order.
        first_sequence: The sequence number of its first record.
        last_sequence: The sequence number of its last record.
    """

    key: str
    day: str
    rows: tuple[Mapping[str, object], ...]
    first_sequence: str
    last_sequence: str

    @property
    def metadata(self) -> dict[str, str]:
        """What the object carries beside its rows (S3 user metadata)."""
        return {
            "first-sequence": self.first_sequence,
            "last-sequence": self.last_sequence,
            "rows": str(len(self.rows)),
        }


def stream_label(stream_arn: str) -> str:
    """The stream's label (the time it was enabled), in characters safe in a key.

    A table whose stream is turned off and on again gets a new label and new sequence numbers,
    so objects of the two streams never share a key.

    Examples:
        >>> stream_label("arn:aws:dynamodb:us-east-1:1:table/t/stream/2026-01-01T00:00:00.000")
        '20260101T000000000'
    """
    return _UNSAFE.sub("", stream_arn.rpartition("/stream/")[2]) or "stream"


def partition_prefix(prefix: str, table: str, day: str) -> str:
    """The Hive-style partition path of a table's day.

    Examples:
        >>> partition_prefix("lake/", "feedback", "2026-11-22")
        'lake/table=feedback/year=2026/month=11/day=22/'
    """
    year, month, date = day.split("-")
    return f"{prefix}table={table}/year={year}/month={month}/day={date}/"


def plan(table: LakeTable, batch: StreamBatch, *, prefix: str = "") -> list[PartitionObject]:
    """Group a batch's rows by partition into objects, ordered by their first record.

    Examples:
        >>> from feedback_core.aggregate.stream import decode_event
        >>> from feedback_core.datalake.schema import FEEDBACK
        >>> def insert(n, day):
        ...     image = {"feedbackId": {"S": f"f{n}"}, "createdAt": {"S": f"{day}T10:00:00Z"}}
        ...     return {"eventID": f"e{n}", "eventName": "INSERT", "dynamodb": {
        ...         "Keys": {"feedbackId": {"S": f"f{n}"}}, "NewImage": image,
        ...         "SequenceNumber": str(100 + n)}}
        >>> batch = decode_event({"Records": [insert(1, "2026-11-22"), insert(2, "2026-11-21"),
        ...                                   insert(3, "2026-11-22")]})
        >>> [(o.day, len(o.rows), o.first_sequence) for o in plan(FEEDBACK, batch)]
        [('2026-11-22', 2, '101'), ('2026-11-21', 1, '102')]
    """
    label = stream_label(batch.event_source_arn)
    groups: dict[str, list[tuple[str, Mapping[str, object]]]] = {}
    created = table.created.name
    for record in batch.records:
        row = table.row(record)
        day = str(row[created])[:10]  # the row holds the partition's time already
        groups.setdefault(day, []).append((record.sequence_number, row))
    objects = []
    for day, members in groups.items():  # dicts keep insertion order: first records in order
        first, last = members[0][0], members[-1][0]
        key = f"{partition_prefix(prefix, table.name, day)}part-{label}-{int(first):040d}.jsonl.gz"
        objects.append(
            PartitionObject(
                key=key,
                day=day,
                rows=tuple(row for _, row in members),
                first_sequence=first,
                last_sequence=last,
            )
        )
    return objects


def json_lines(rows: Iterable[Mapping[str, object]]) -> list[bytes]:
    r"""Each row as one JSON line (a batch's rows: bounded by Lambda's 6 MB event).

    Examples:
        >>> json_lines([{"a": 1}])
        [b'{"a":1}\n']
    """
    return [orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE) for row in rows]


def write_rows(
    store: BundleSink,
    key: str,
    rows: Iterable[Mapping[str, object]],
    *,
    codec: Codec | None = None,
    metadata: Mapping[str, str],
) -> StoredObject:
    """Write rows as one gzip JSON-lines object, all or nothing (the size hint is exact)."""
    lines = json_lines(rows)
    return store.write(
        key,
        compress(lines, codec or codec_named("zlib")),
        size_hint=sum(map(len, lines)),
        content_type=CONTENT_TYPE,
        metadata=metadata,
    )


def encode_rows(
    rows: Iterable[Mapping[str, object]], codec: Codec | None = None
) -> Iterator[bytes]:
    r"""Gzip rows as JSON lines, chunk by chunk (the bundle core's compressor).

    Examples:
        >>> import gzip
        >>> gzip.decompress(b"".join(encode_rows([{"a": 1}, {"a": 2}])))
        b'{"a":1}\n{"a":2}\n'
    """
    return compress(json_lines(rows), codec or codec_named("zlib"))
