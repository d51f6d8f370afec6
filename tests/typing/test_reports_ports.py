"""mypy proves the reports adapters fit their ports.

If an adapter's signature drifts from :class:`ResponseSource`, :class:`ObjectStore` or
:class:`Notifier`, ``mypy --strict`` fails on the assignments below; pytest imports the module
as a smoke test.
"""

from __future__ import annotations

from feedback_core.reports import (
    InMemoryNotifier,
    InMemoryObjectStore,
    InMemoryResponseSource,
    Notifier,
    ObjectStore,
    ResponseSource,
)
from feedback_core.reports.dynamodb import DynamoDBResponseSource
from feedback_core.reports.s3 import S3ObjectStore
from feedback_core.reports.sns import SnsNotifier

memory_source: ResponseSource = InMemoryResponseSource()
dynamodb_source: ResponseSource = DynamoDBResponseSource(table_name="responses")
memory_objects: ObjectStore = InMemoryObjectStore()
s3_objects: ObjectStore = S3ObjectStore(bucket="reports")
memory_notifier: Notifier = InMemoryNotifier()
sns_notifier: Notifier = SnsNotifier(topic_arn="arn:aws:sns:us-east-1:123456789012:reports")


def test_adapters_fit_their_ports() -> None:
    """The module imports, so the assignments above ran (mypy checks them statically)."""
    assert [memory_source, dynamodb_source, memory_objects, s3_objects]
    assert [memory_notifier, sns_notifier]
