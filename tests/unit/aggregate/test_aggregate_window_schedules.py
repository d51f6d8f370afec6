"""1,000 seeded tumbling-window fault schedules: split commits, fresh states, early ends.

Every schedule runs with a tumbling window, commits split into parts (at most 1, 2 or 5
counter items per transaction), Lambda redelivering failed windows from their checkpoint with
a fresh state, windows terminated early, and the usual store faults; counters must equal a
recount in every one (issue 17).
"""

from __future__ import annotations

import pytest

from feedback_core.aggregate import InMemoryCounterStore

from ._schedules import Schedule, expected_counters, run_exactly_once

SCHEDULES = 1000
BLOCKS = 10
PER_BLOCK = SCHEDULES // BLOCKS


@pytest.mark.slow  # py311 runs them; the fast lane and py312/py313 do not
@pytest.mark.parametrize("block", range(BLOCKS))
def test_window_counters_equal_a_recount_under_every_fault_schedule(block: int) -> None:
    """Window mode applies every record once whatever Lambda redelivers, and with which state."""
    mismatched = []
    restarts = 0
    for seed in range(block * PER_BLOCK, (block + 1) * PER_BLOCK):
        schedule = Schedule.from_seed(seed, window=True, max_operations=40)
        store = InMemoryCounterStore()
        sim, report = run_exactly_once(schedule, store)
        assert () == report.discarded
        restarts += report.faults.get("restart_window", 0)
        if expected_counters(sim, schedule) != store.totals():
            mismatched.append(schedule.seed)
    assert ([], True) == (mismatched, restarts > PER_BLOCK)
