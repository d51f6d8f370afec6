"""mypy proves the backup adapters fit their ports; pytest imports it as a smoke test.

If an adapter's signature drifts from its port, ``mypy --strict`` fails on the assignments.
"""

from __future__ import annotations

from feedback_core.backup import (
    Continuation,
    DynamoDBTable,
    InMemoryContinuation,
    InMemoryNotifier,
    InMemoryObjectStore,
    InMemoryTable,
    LambdaContinuation,
    Notifier,
    ObjectStore,
    ObjectWriter,
    S3ObjectStore,
    SNSNotifier,
    TableDescription,
    TableSink,
    TableSource,
)

_SHAPE = TableDescription(name="t", key_schema=(), attribute_definitions=())

memory_source: TableSource = InMemoryTable(_SHAPE)
memory_sink: TableSink = InMemoryTable(_SHAPE)
dynamodb_source: TableSource = DynamoDBTable("t")
dynamodb_sink: TableSink = DynamoDBTable("t")
memory_store: ObjectStore = InMemoryObjectStore()
s3_store: ObjectStore = S3ObjectStore("bucket")
memory_writer: ObjectWriter = InMemoryObjectStore().open("k")
s3_writer: ObjectWriter = S3ObjectStore("bucket").open("k")
memory_notifier: Notifier = InMemoryNotifier()
sns_notifier: Notifier = SNSNotifier("arn:aws:sns:us-east-1:123456789012:t")
memory_continuation: Continuation = InMemoryContinuation()
lambda_continuation: Continuation = LambdaContinuation("feedback-backup")


def test_adapters_fit_their_ports() -> None:
    """The module imports, so the assignments above ran (mypy checks them statically)."""
    assert isinstance(memory_store, InMemoryObjectStore)
    assert isinstance(s3_store, S3ObjectStore)
