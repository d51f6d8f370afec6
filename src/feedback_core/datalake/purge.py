"""Erasure in the lake: rewrite partitions without the rows of items that a tombstone removed.

Queries through the ``<table>_current`` views stop showing an erased item as soon as its
tombstone lands; :func:`purge_erased` then removes the item's rows from the objects themselves.
A tombstone lands in the item's own creation-day partition (the writer partitions a REMOVE by
the old image's creation time), so each partition is purged on its own: every row of an item
whose latest row is a tombstone is dropped, except the tombstone (it holds only the key, the
creation time and the operation). An object that changes is written again under the same key;
the bucket's lifecycle rule expires the replaced version (7 days in the template).

Run it daily over the days that received tombstones. An object rewritten here while its batch
is still being retried (within the stream's 24 hours) may be written again by the retry with
the erased rows; the next run removes them again, and the views never showed them.
"""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

import attrs
import orjson

from feedback_core.datalake.plan import partition_prefix, write_rows

if TYPE_CHECKING:
    from collections.abc import Iterable

    from feedback_core.datalake.ports import LakeStore
    from feedback_core.datalake.schema import LakeTable

__all__ = ["PurgeResult", "purge_erased"]

_TOMBSTONES = frozenset({"REMOVE", "EXPIRE"})


@attrs.frozen(kw_only=True)
class PurgeResult:
    """What a purge did.

    Attributes:
        objects_read: Objects read in the partitions.
        objects_rewritten: Objects written again without erased rows.
        rows_removed: Rows dropped (tombstones are kept).
    """

    objects_read: int
    objects_rewritten: int
    rows_removed: int


def _rows(store: LakeStore, key: str) -> list[dict[str, object]]:
    # One object is one stream batch's rows of one day: bounded by Lambda's batch (6 MB).
    body = gzip.decompress(b"".join(store.read(key)))
    return [orjson.loads(line) for line in body.splitlines()]


def purge_erased(
    store: LakeStore, table: LakeTable, days: Iterable[str], *, prefix: str = ""
) -> PurgeResult:
    """Drop the rows of erased items from the partitions of ``days`` (``YYYY-MM-DD``).

    An item counts as erased when its latest row in these days is a tombstone. Feedback keeps
    its creation time, so its rows and its tombstone share one day; pass every day an item's
    rows may be in if your items' creation times can change.

    Raises:
        ServiceError: a read or a write failed after retries (rerun: it is idempotent).

    Examples:
        >>> from feedback_core.datalake import FEEDBACK, DataLakeWriter, InMemoryLakeStore
        >>> def change(name, seq):
        ...     image = {"feedbackId": {"S": "f1"}, "createdAt": {"S": "2026-11-22T10:00:00Z"},
        ...              "message": {"S": "call me on 555-0100"}}
        ...     data = {"Keys": {"feedbackId": {"S": "f1"}}, "SequenceNumber": str(seq),
        ...             "OldImage" if name == "REMOVE" else "NewImage": image}
        ...     return {"eventID": str(seq), "eventName": name, "dynamodb": data}
        >>> store = InMemoryLakeStore()
        >>> writer = DataLakeWriter(table=FEEDBACK, store=store)
        >>> _ = writer.handle({"Records": [change("INSERT", 100)]})
        >>> _ = writer.handle({"Records": [change("REMOVE", 101)]})
        >>> purge_erased(store, FEEDBACK, ["2026-11-22"])
        PurgeResult(objects_read=2, objects_rewritten=1, rows_removed=1)
    """
    keys = [
        key for day in days for key in store.object_keys(partition_prefix(prefix, table.name, day))
    ]
    # First pass: each item's latest operation over all these days (an item whose creation
    # time was changed has rows in two days), without holding the rows.
    latest: dict[tuple[object, ...], tuple[int, object]] = {}
    for key in keys:
        for row in _rows(store, key):
            identity = tuple(row.get(name) for name in table.identity)
            sequence = int(str(row["sequence_number"]))
            if identity not in latest or latest[identity][0] < sequence:
                latest[identity] = (sequence, row["op"])
    erased = {i for i, (_, op) in latest.items() if op in _TOMBSTONES}
    rewritten = removed = 0
    for key in keys:
        rows = _rows(store, key)
        kept = [
            row
            for row in rows
            if row["op"] in _TOMBSTONES
            or tuple(row.get(name) for name in table.identity) not in erased
        ]
        if len(kept) == len(rows):
            continue
        purged = str(len(rows) - len(kept))
        write_rows(store, key, kept, metadata={"rows": str(len(kept)), "purged": purged})
        rewritten += 1
        removed += len(rows) - len(kept)
    read = len(keys)
    return PurgeResult(objects_read=read, objects_rewritten=rewritten, rows_removed=removed)
