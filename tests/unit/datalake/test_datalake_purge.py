"""Purging erased items rewrites their partitions; live items and tombstones stay."""

from __future__ import annotations

import random
from collections import Counter

from feedback_core.datalake import FEEDBACK, DataLakeWriter, InMemoryLakeStore, purge_erased
from feedback_core.testing import KEYS, StreamSimulator
from feedback_core.testing.workloads import run_workload
from tests.unit.datalake._schedules import lake_rows

DAYS = ("2026-11-20", "2026-11-21", "2026-11-22")  # the workload's creation days


def written_lake(seed: int) -> tuple[StreamSimulator, InMemoryLakeStore]:
    sim = StreamSimulator(key=KEYS["feedback"], seed=seed, batch_size=5)
    store = InMemoryLakeStore()
    run_workload(sim, random.Random(seed), family="feedback", operations=120)
    sim.drain(DataLakeWriter(table=FEEDBACK, store=store).handle)
    return sim, store


def test_no_content_row_of_an_erased_item_remains() -> None:
    """After the purge, a removed item has only tombstones left in the lake."""
    sim, store = written_lake(8)
    result = purge_erased(store, FEEDBACK, DAYS)
    live = {item["feedbackId"] for item in sim.items()}
    content = {
        row["feedback_id"] for _, row in lake_rows(store) if row["op"] in ("INSERT", "MODIFY")
    }
    assert result.rows_removed > 0
    assert content == live


def test_live_items_rows_and_tombstones_are_kept() -> None:
    """Every row of a live item, and every tombstone, is still there after the purge."""
    sim, store = written_lake(9)
    live = {item["feedbackId"] for item in sim.items()}

    def kept() -> Counter[str]:
        return Counter(
            str(row["sequence_number"])
            for _, row in lake_rows(store)
            if row["feedback_id"] in live or row["op"] in ("REMOVE", "EXPIRE")
        )

    before = kept()
    purge_erased(store, FEEDBACK, DAYS)
    assert before == kept()


def test_a_second_purge_changes_nothing() -> None:
    """The purge is idempotent: a rerun reads and rewrites nothing more."""
    _, store = written_lake(10)
    purge_erased(store, FEEDBACK, DAYS)
    again = purge_erased(store, FEEDBACK, DAYS)
    assert (0, 0) == (again.objects_rewritten, again.rows_removed)
