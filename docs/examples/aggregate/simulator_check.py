"""Testing your own stream handler the way Lambda drives it, without AWS.

The simulator delivers a seeded workload with crashes before and after commits, throttling,
lost responses, shortened batches and late duplicate commits; the check compares the counters
with a recount of the table.
"""

from __future__ import annotations

import random

from feedback_core.aggregate import StreamAggregator, recount
from feedback_core.testing import FaultRates, InMemoryCounterStore, StreamSimulator

from .custom_projection import feedback_by_customer


def counters_match_a_recount(seed: int) -> bool:
    """Run one fault schedule; True when every record counted exactly once."""
    sim = StreamSimulator(
        key=("feedbackId",),
        seed=seed,
        batch_size=5,
        faults=FaultRates(crash_after_commit=0.2, throttle=0.2, lost_response=0.1, replay=0.1),
    )
    store = InMemoryCounterStore()
    aggregator = StreamAggregator(projection=feedback_by_customer, store=sim.wrap(store))
    rng = random.Random(seed)  # noqa: S311  # a seeded workload, not cryptography
    for _ in range(80):
        key = {"feedbackId": f"f{rng.randrange(20)}"}
        roll = rng.random()
        if roll < 0.6:  # new or replaced feedback (INSERT or MODIFY)
            sim.put({**key, "customerId": f"c{rng.randrange(3)}", "rating": rng.randint(1, 5)})
        elif roll < 0.8:  # a changed rating (MODIFY)
            sim.update(key, {"rating": rng.randint(1, 5)})
        else:  # a deletion (REMOVE)
            sim.delete(key)
        if rng.random() < 0.3:
            sim.deliver(aggregator.handle)  # processing interleaves with new writes
    sim.drain(aggregator.handle)
    return recount(sim.items(), feedback_by_customer).counters == store.totals()
