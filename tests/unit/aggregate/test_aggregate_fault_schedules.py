"""1,000 seeded fault schedules: counters always equal a recount; a naive aggregator drifts."""

from __future__ import annotations

import pytest

from feedback_core.aggregate import InMemoryCounterStore

from ._schedules import Schedule, expected_counters, run_exactly_once, run_naive, without_zeros

SCHEDULES = 1000
BLOCKS = 10  # ten tests of 100 schedules each keep every test short
PER_BLOCK = SCHEDULES // BLOCKS


@pytest.mark.slow  # py311 runs them; the fast lane and py312/py313 do not
@pytest.mark.parametrize("block", range(BLOCKS))
def test_counters_equal_a_recount_under_every_fault_schedule(block: int) -> None:
    """Under crashes, retries, throttling, lost responses and replays, nothing counts twice."""
    mismatched = []
    for seed in range(block * PER_BLOCK, (block + 1) * PER_BLOCK):
        schedule = Schedule.from_seed(seed)
        store = InMemoryCounterStore()
        sim, report = run_exactly_once(schedule, store)
        assert () == report.discarded
        if expected_counters(sim, schedule) != store.totals():
            mismatched.append(schedule)
    assert [] == mismatched


@pytest.mark.slow  # py311 runs them; the fast lane and py312/py313 do not
@pytest.mark.parametrize("block", range(BLOCKS))
def test_a_naive_aggregator_drifts_under_the_same_schedules(block: int) -> None:
    """One ADD per record double-counts or loses counts in most of the same schedules."""
    drifted = 0
    for seed in range(block * PER_BLOCK, (block + 1) * PER_BLOCK):
        schedule = Schedule.from_seed(seed)
        sim, counters = run_naive(schedule)
        if expected_counters(sim, schedule) != without_zeros(counters):
            drifted += 1
    assert drifted >= PER_BLOCK * 0.8
