"""Seeded fault schedules on the in-memory lake: every stream record lands exactly once.

Each schedule crashes before and after object writes (multipart parts included: the in-memory
sink's part size is tiny here), throttles, loses answers and shortens batches; retries start at
the checkpoint and often find more records behind it. The naive writer (one object per record
under a fresh UUID) runs the same schedules and leaves duplicates.
"""

from __future__ import annotations

import pytest

from feedback_core.datalake import InMemoryLakeStore
from tests.unit.datalake._schedules import (
    InjectedFaults,
    NaiveWriter,
    Schedule,
    problems,
    run,
    writer,
)

SCHEDULES = 60


@pytest.mark.parametrize("block", range(3))
def test_every_record_lands_exactly_once_under_fault_schedules(block: int) -> None:
    """Sixty schedules end with each record once, in its creation day, equal to its row."""
    failing = {}
    faults_seen = 0
    for seed in range(block * SCHEDULES // 3, (block + 1) * SCHEDULES // 3):
        schedule = Schedule.from_seed(seed)
        sim = schedule.simulator()
        store = InMemoryLakeStore(part_size=512, hooks=InjectedFaults(sim.injector))
        recorder, report = run(schedule, sim, writer(schedule, store).handle)
        faults_seen += report.failed_invocations
        found = problems(schedule, store, recorder)
        # A crash mid-upload leaves the upload open but invisible (no object, no row): the
        # template's lifecycle rule aborts it a day later, as a crashed process cannot.
        if found:
            failing[seed] = found
    assert {} == failing
    assert faults_seen > 0  # the schedules did fail invocations


def test_the_naive_writer_duplicates_records_under_the_same_schedules() -> None:
    """One object per record with random keys leaves duplicates in most schedules."""
    duplicated = 0
    for seed in range(20):
        schedule = Schedule.from_seed(seed)
        sim = schedule.simulator()
        store = InMemoryLakeStore(hooks=InjectedFaults(sim.injector))
        recorder, _ = run(schedule, sim, NaiveWriter(schedule.table, store).handle)
        duplicated += any("more than once" in p for p in problems(schedule, store, recorder))
    assert duplicated >= 10


def test_a_partial_write_then_a_bigger_retry_overwrites_the_same_keys() -> None:
    """A crash after the first object, then a retry with more records, leaves no stale object."""
    schedule = Schedule.from_seed(5)
    sim = schedule.simulator()
    store = InMemoryLakeStore()
    recorder, _ = run(schedule, sim, writer(schedule, store).handle)
    assert [] == problems(schedule, store, recorder)
