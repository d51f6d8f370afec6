"""The backup job: notify on success and failure, continue when cut short, prune after."""

from __future__ import annotations

import pytest

from feedback_core.backup.config import BackupConfig
from feedback_core.backup.job import BackupJob
from feedback_core.backup.memory import InMemoryContinuation, InMemoryNotifier, InMemoryObjectStore
from feedback_core.backup.verify import verify_export
from tests.unit.backup.tables import Crash, CrashingStore, Steps, every_type_table

ENV = {"BACKUP_TABLE": "survey-responses", "BACKUP_BUCKET": "backups", "BACKUP_PART_MIB": "1"}


def job(
    store: object | None = None, **env: str
) -> tuple[BackupJob, InMemoryNotifier, InMemoryContinuation, InMemoryObjectStore]:
    notifier, continuation = InMemoryNotifier(), InMemoryContinuation()
    memory = InMemoryObjectStore()
    built = BackupJob(
        config=BackupConfig.from_env({**ENV, **env}),
        source=every_type_table(3000),
        store=store or memory,  # type: ignore[arg-type]
        notifier=notifier,
        continuation=continuation,
    )
    return built, notifier, continuation, memory


def test_a_completed_backup_is_announced_with_count_and_location() -> None:
    """Success publishes the item count and the s3:// location of a verified export."""
    backup, notifier, continuation, store = job()
    report = backup.run({}, remaining_ms=lambda: 900_000)
    ((subject, message),) = notifier.messages
    assert "complete" == report["status"]
    assert "complete" in subject
    assert "3000 items" in message
    assert str(report["location"]) in message
    assert verify_export(store, str(report["location"]).split("/", 3)[3]).ok
    assert [] == continuation.payloads


def test_a_run_cut_short_schedules_a_continuation_that_finishes() -> None:
    """With too little time left, the job stops, schedules itself, and the next run completes."""
    backup, notifier, continuation, _ = job()
    left = iter([900_000, 900_000] + [1_000] * 100)
    first = backup.run({}, remaining_ms=lambda: next(left))
    assert "continued" == first["status"]
    assert [{"continue": first["export_id"]}] == continuation.payloads
    assert [] == notifier.messages
    second = backup.run(continuation.payloads[0], remaining_ms=lambda: 900_000)
    assert ("complete", 3000, first["export_id"]) == (
        second["status"],
        second["items"],
        second["export_id"],
    )


def test_a_failure_is_announced_then_raised() -> None:
    """A failing run publishes what failed and where to look, then raises."""
    store = CrashingStore(InMemoryObjectStore(), Steps(at=3))
    backup, notifier, _, _ = job(store)
    with pytest.raises(Crash):
        backup.run({}, remaining_ms=lambda: 900_000)
    ((subject, message),) = notifier.messages
    assert "FAILED" in subject
    assert "Crash" in message
    assert "log group" in message


def test_old_exports_are_pruned_after_a_backup() -> None:
    """With BACKUP_KEEP_LAST=2, the third backup prunes the first."""
    store = InMemoryObjectStore()
    backup, _, _, _ = job(store, BACKUP_KEEP_LAST="2")
    reports = [backup.run({}, remaining_ms=lambda: 900_000) for _ in range(3)]
    assert (reports[0]["export_id"],) == reports[2]["pruned"]
