"""Restore: batches of at most 25, unprocessed items retried, resumable, idempotent, dry run."""

from __future__ import annotations

import pytest

from feedback_core.aws import Backoff
from feedback_core.backup.export import ExportOptions, ExportResult, export_table
from feedback_core.backup.memory import InMemoryObjectStore, InMemoryTable
from feedback_core.backup.restore import restore_export
from feedback_core.errors import BackupError, VerificationError
from tests.unit.backup.tables import (
    SURVEYS,
    Crash,
    CrashingSink,
    CrashingStore,
    Steps,
    every_type_item,
    every_type_table,
)

NO_WAIT = Backoff(attempts=8, sleep=lambda _: None)


@pytest.fixture
def exported() -> tuple[InMemoryTable, InMemoryObjectStore, ExportResult]:
    table = every_type_table(260)
    store = InMemoryObjectStore()
    result = export_table(table, store, ExportOptions(workers=2, segments=3, part_bytes=30_000))
    return table, store, result


def test_a_restore_gives_the_table_back_item_for_item(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """A restore into an empty table gives exactly the original items."""
    table, store, result = exported
    target = InMemoryTable(SURVEYS)
    outcome = restore_export(store, result.folder, target, backoff=NO_WAIT)
    assert table.items() == target.items()
    assert 260 == outcome.items_written


def test_no_batch_holds_more_than_25_items(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """Every BatchWriteItem carries at most 25 items (DynamoDB's limit)."""
    _, store, result = exported
    target = InMemoryTable(SURVEYS)
    restore_export(store, result.folder, target, backoff=NO_WAIT)
    assert max(target.batch_sizes) == 25
    assert 260 == sum(target.batch_sizes)


def test_unprocessed_items_are_retried_with_backoff(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """Items a throttled batch leaves unprocessed are sent again after a jittered wait."""
    table, store, result = exported
    target = InMemoryTable(SURVEYS, unprocessed=lambda batch: len(batch) // 2)
    waits: list[float] = []
    outcome = restore_export(
        store, result.folder, target, backoff=Backoff(attempts=10, sleep=waits.append)
    )
    assert table.items() == target.items()
    assert outcome.retried_items > 0
    assert len(waits) > 0
    assert outcome.write_calls == len(target.batch_sizes)


def test_items_never_processed_fail_the_restore_clearly(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """When a batch stays unprocessed past the budget, the restore raises BackupError."""
    _, store, result = exported
    target = InMemoryTable(SURVEYS, unprocessed=len)
    with pytest.raises(BackupError, match="unprocessed"):
        restore_export(
            store, result.folder, target, backoff=Backoff(attempts=3, sleep=lambda _: None)
        )


def test_a_second_restore_gives_the_same_table(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """Restoring twice (finished parts skipped or not) leaves the same table."""
    table, store, result = exported
    target = InMemoryTable(SURVEYS)
    restore_export(store, result.folder, target, backoff=NO_WAIT)
    again = restore_export(store, result.folder, target, backoff=NO_WAIT)
    assert table.items() == target.items()
    assert again.parts == again.parts_skipped


def test_a_crash_at_any_batch_then_a_rerun_restores_exactly(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """Die after each batch write in turn; the rerun skips the finished parts and completes."""
    table, store, result = exported
    resumed = 0
    for at in range(1, 14):
        target = InMemoryTable(SURVEYS)
        with pytest.raises(Crash):
            restore_export(
                store, result.folder, CrashingSink(target, Steps(at)), workers=1, backoff=NO_WAIT
            )
        finished = [k for k in store.objects if "/_restores/" in k]
        rerun = restore_export(store, result.folder, target, workers=1, backoff=NO_WAIT)
        assert table.items() == target.items(), f"crash at batch {at}"
        assert len(finished) == rerun.parts_skipped, f"crash at batch {at}"
        resumed += bool(finished)
        for key in [k for k in store.objects if "/_restores/" in k]:
            del store.objects[key]
    assert resumed > 5  # most crashes came after some parts were finished


def test_a_damaged_export_is_refused_before_writing(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """A restore verifies first; a damaged export raises and writes nothing."""
    _, store, result = exported
    part = next(k for k in store.objects if "/data/" in k)
    data, when = store.objects[part]
    store.objects[part] = (data[:-3], when)
    target = InMemoryTable(SURVEYS)
    with pytest.raises(VerificationError, match=part):
        restore_export(store, result.folder, target, backoff=NO_WAIT)
    assert [] == target.items()


def test_a_dry_run_counts_what_would_change_and_writes_nothing(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """Against a table holding some items (one altered), the dry run counts add/change/same."""
    _, store, result = exported
    target = InMemoryTable(SURVEYS)
    for n in range(10):
        target.put(every_type_item(n))
    target.put({**every_type_item(10), "big": {"N": "1"}})
    outcome = restore_export(store, result.folder, target, dry_run=True, backoff=NO_WAIT)
    assert (249, 1, 10) == (outcome.would_add, outcome.would_change, outcome.unchanged)
    assert 11 == len(target.items())
    assert [] == target.batch_sizes


def test_a_crash_writing_any_done_marker_then_a_rerun_restores_exactly(
    exported: tuple[InMemoryTable, InMemoryObjectStore, ExportResult],
) -> None:
    """Die at each part's done marker in turn; the rerun redoes that part and completes."""
    table, store, result = exported
    parts = len([k for k in store.objects if "/data/" in k])
    for at in range(1, parts + 1):
        target = InMemoryTable(SURVEYS)
        with pytest.raises(Crash):
            restore_export(
                CrashingStore(store, Steps(at)), result.folder, target, workers=1, backoff=NO_WAIT
            )
        rerun = restore_export(store, result.folder, target, workers=1, backoff=NO_WAIT)
        assert table.items() == target.items(), f"crash at marker {at}"
        assert at - 1 == rerun.parts_skipped
        for key in [k for k in store.objects if "/_restores/" in k]:
            del store.objects[key]
