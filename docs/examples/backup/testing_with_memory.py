"""Test your own backup code without AWS: the in-memory table and bucket behave like AWS's."""

from __future__ import annotations

from feedback_core.aws import Backoff
from feedback_core.backup import (
    ExportOptions,
    InMemoryObjectStore,
    InMemoryTable,
    export_table,
    restore_export,
)
from feedback_core.backup.model import AttributeDefinition, KeyElement, TableDescription

VOTES = TableDescription(
    name="votes",
    key_schema=(
        KeyElement(name="pollId", key_type="HASH"),
        KeyElement(name="userId", key_type="RANGE"),
    ),
    attribute_definitions=(
        AttributeDefinition(name="pollId", attribute_type="S"),
        AttributeDefinition(name="userId", attribute_type="S"),
    ),
)


def test_a_throttled_restore_still_restores_every_vote() -> None:
    """Half of every batch comes back unprocessed; the restore retries until all are in."""
    source = InMemoryTable(VOTES, page_size=10)
    for n in range(100):
        source.put({"pollId": {"S": "lunch"}, "userId": {"S": f"u{n}"}, "choice": {"S": "pizza"}})
    store = InMemoryObjectStore()
    result = export_table(source, store, ExportOptions(prefix="backups/votes"))

    throttled = InMemoryTable(VOTES, unprocessed=lambda batch: len(batch) // 2)
    outcome = restore_export(
        store, result.folder, throttled, backoff=Backoff(attempts=10, sleep=lambda _: None)
    )

    assert source.items() == throttled.items()
    assert outcome.retried_items > 0
    assert max(throttled.batch_sizes) <= 25
