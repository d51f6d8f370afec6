"""1,000 seeded fault schedules with item marks: counters always equal a recount (issue 15).

The same workloads, fault mix and delivery rules as the transactional schedules, with
``counter_writes="item-marks"``: one conditional write per counter item, each write a fault
opportunity of its own, so crashes, throttling, lost responses, writes held in flight and late
duplicates strike between the items of one batch (a retry then finds some items written and
others not). Half the schedules add Lambda's window faults (fresh-state redeliveries from the
window's checkpoint, early ends), and a third cut each item's writes to one or two fields.
"""

from __future__ import annotations

import pytest

from feedback_core.aggregate import InMemoryCounterStore

from ._schedules import Schedule, expected_counters, run_exactly_once

SCHEDULES = 1000
BLOCKS = 10
PER_BLOCK = SCHEDULES // BLOCKS


@pytest.mark.slow  # py311 runs it; the fast lane and py312/py313 do not
@pytest.mark.parametrize("block", range(BLOCKS))
def test_item_mark_counters_equal_a_recount_under_every_fault_schedule(block: int) -> None:
    """Item marks apply every record once, whatever fails between one item's write and the next."""
    mismatched = []
    faults: dict[str, int] = {}
    for seed in range(block * PER_BLOCK, (block + 1) * PER_BLOCK):
        schedule = Schedule.from_seed(seed, counter_writes="item-marks", max_operations=40)
        store = InMemoryCounterStore()
        sim, report = run_exactly_once(schedule, store)
        assert () == report.discarded
        for fault, count in report.faults.items():
            faults[fault] = faults.get(fault, 0) + count
        if expected_counters(sim, schedule) != store.totals():
            mismatched.append(schedule.seed)
    assert [] == mismatched
    # The faults this scheme must survive did strike in this block.
    struck = {"crash_before_commit", "crash_after_commit", "delay", "replay", "restart_window"}
    assert struck <= {fault for fault, count in faults.items() if count}
