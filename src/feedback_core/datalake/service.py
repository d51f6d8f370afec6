"""The lake writer: a stream batch in, one object per partition out, exactly once after retries.

:class:`DataLakeWriter` plans the batch (:func:`~feedback_core.datalake.plan.plan`) and writes
each partition's object. On any failure it reports the batch's *first* record in
``batchItemFailures``, so Lambda's checkpoint does not move and the next delivery starts from
the same record: every partition then has the same first record, hence the same object key,
and the retry overwrites what the failed attempt wrote. Reporting a later record instead would
move the checkpoint into the middle of a partition's object and break that; docs/datalake.md
walks through every case.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import attrs

from feedback_core.aggregate.stream import decode_event
from feedback_core.bundle.core import Codec, codec_named
from feedback_core.datalake.plan import plan, write_rows
from feedback_core.errors import FeedbackCoreError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.aggregate.stream import StreamBatch
    from feedback_core.datalake.ports import LakeStore
    from feedback_core.datalake.schema import LakeTable

__all__ = ["BatchWritten", "DataLakeWriter"]

_LOG = logging.getLogger(__name__)


@attrs.frozen(kw_only=True)
class BatchWritten:
    """What one batch did.

    Attributes:
        records: Records in the batch.
        objects: Objects written (one per partition the batch touched).
        bytes: Compressed bytes written.
        failed_at: The sequence number reported as failed (the batch's first), or ``None``.
    """

    records: int
    objects: int
    bytes: int
    failed_at: str | None = None

    def response(self) -> dict[str, object]:
        """The handler's answer to Lambda (``ReportBatchItemFailures``)."""
        failures = [] if self.failed_at is None else [{"itemIdentifier": self.failed_at}]
        return {"batchItemFailures": failures}


@attrs.define(kw_only=True)
class DataLakeWriter:
    """Writes a table's stream batches into the lake.

    Args:
        table: The lake table the stream feeds (its schema and name).
        store: The lake bucket.
        prefix: Key prefix of the lake (``""``: the bucket's root).
        codec: The gzip codec (the bundle core's).

    Examples:
        >>> from feedback_core.datalake import FEEDBACK, InMemoryLakeStore
        >>> store = InMemoryLakeStore()
        >>> writer = DataLakeWriter(table=FEEDBACK, store=store)
        >>> image = {"feedbackId": {"S": "f1"}, "createdAt": {"S": "2026-11-22T10:00:00Z"},
        ...          "rating": {"N": "5"}, "message": {"S": "Lovely"}}
        >>> event = {"Records": [{"eventID": "e1", "eventName": "INSERT", "dynamodb": {
        ...     "Keys": {"feedbackId": {"S": "f1"}}, "NewImage": image,
        ...     "SequenceNumber": "100"}}]}
        >>> writer.handle(event)
        {'batchItemFailures': []}
        >>> list(store.object_keys())
        ['table=feedback/year=2026/month=11/day=22/part-stream-0000000000000000000000000000000000000100.jsonl.gz']
    """

    table: LakeTable
    store: LakeStore
    prefix: str = ""
    codec: Codec = attrs.field(factory=lambda: codec_named("zlib"))

    def handle(self, event: Mapping[str, object]) -> dict[str, object]:
        """Write a Lambda DynamoDB stream event; return ``batchItemFailures``.

        Raises:
            StreamConfigurationError: the event is not a DynamoDB stream event.
        """
        return self.write(decode_event(event)).response()

    def write(self, batch: StreamBatch) -> BatchWritten:
        """Write one object per partition; on a failure, name the batch's first record."""
        if not batch.records:
            return BatchWritten(records=0, objects=0, bytes=0)
        objects = written = 0
        try:
            for target in plan(self.table, batch, prefix=self.prefix):
                stored = write_rows(
                    self.store, target.key, target.rows, codec=self.codec, metadata=target.metadata
                )
                objects += 1
                written += stored.size
        except FeedbackCoreError:
            first = batch.records[0].sequence_number
            _LOG.exception("lake write failed; the batch is retried from %s", first)
            return BatchWritten(
                records=len(batch.records), objects=objects, bytes=written, failed_at=first
            )
        return BatchWritten(records=len(batch.records), objects=objects, bytes=written)
