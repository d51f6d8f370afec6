"""Seeded fault schedules shared by the in-memory and the DynamoDB (moto) schedule tests."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import attrs

from feedback_core.aggregate import (
    CommitLimits,
    CounterStore,
    ExpiryPolicy,
    StreamAggregator,
    feedback_stats,
    recount,
    survey_distribution,
    vote_tally,
)
from feedback_core.aggregate.fold import record_deltas
from feedback_core.aggregate.stream import decode_event
from feedback_core.testing import (
    FAMILIES,
    KEYS,
    FaultInjector,
    FaultRates,
    SimulatedCrash,
    StreamSimulator,
    run_workload,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from feedback_core.aggregate import Amount, CounterKey, CounterWrites, Projection
    from feedback_core.testing import DeliveryReport, Family

Counters = dict["CounterKey", dict[str, "Amount"]]

PROJECTIONS: dict[Family, Projection] = {
    "votes": vote_tally(),
    "feedback": feedback_stats(),
    "surveys": survey_distribution(),
}


@attrs.frozen(kw_only=True)
class Schedule:
    """Everything a seed decides: workload, faults and configuration."""

    seed: int
    family: Family
    faults: FaultRates
    window_seconds: int | None
    batch_size: int
    shards: int
    expiry: ExpiryPolicy
    max_items: int
    write_shards: int
    operations: int
    counter_writes: CounterWrites = "transactions"
    max_fields: int = 100

    @classmethod
    def from_seed(
        cls,
        seed: int,
        *,
        max_operations: int = 60,
        window: bool | None = None,
        counter_writes: CounterWrites = "transactions",
    ) -> Schedule:
        """Draw a schedule; ``window`` forces tumbling windows on (with split commits) or off.

        With ``item-marks`` the mapping always has a window (it carries the shard id), and
        Lambda's window faults (fresh-state redeliveries, early ends) strike in half of them.
        """
        rng = random.Random(seed)
        faults = FaultRates.sample(rng)
        window_seconds = rng.choice((None, None, None, 60))
        if window is not None:
            window_seconds = 60 if window else None
        if counter_writes == "item-marks":
            window_seconds = 60
            window = rng.random() < 0.5 or None
        if window:
            # Window faults every time: fresh-state redeliveries and early terminations.
            faults = attrs.evolve(
                faults,
                restart_window=rng.uniform(0.1, 0.5),
                terminate_window_early=rng.uniform(0.0, 0.2),
            )
        return cls(
            seed=seed,
            family=FAMILIES[seed % len(FAMILIES)],
            faults=faults,
            window_seconds=window_seconds,
            batch_size=rng.randint(1, 12),
            shards=rng.randint(1, 3),
            expiry=rng.choice(tuple(ExpiryPolicy)),
            # Small transaction limits force chunking and split records on small workloads.
            max_items=rng.choice((1, 2, 5) if window else (1, 2, 5, 99)),
            write_shards=rng.choice((1, 1, 3)),
            operations=rng.randint(10, max_operations),
            counter_writes=counter_writes,
            # Item marks: a tiny field limit makes one item take several writes per batch.
            max_fields=rng.choice((1, 2, 100)) if counter_writes == "item-marks" else 100,
        )

    def simulator(self) -> StreamSimulator:
        return StreamSimulator(
            key=KEYS[self.family],
            seed=self.seed,
            batch_size=self.batch_size,
            shards=self.shards,
            faults=self.faults,
            window_seconds=self.window_seconds,
        )

    def workload_rng(self) -> random.Random:
        return random.Random(self.seed * 7919 + 1)


def expected_counters(sim: StreamSimulator, schedule: Schedule) -> Counters:
    """A recount from the table: live items, plus expired ones unless expiry retracts."""
    projection = PROJECTIONS[schedule.family]
    counted = recount(sim.items(), projection)
    if schedule.expiry is ExpiryPolicy.IGNORE:
        counted = counted + recount(sim.expired, projection)
    return {key: dict(fields) for key, fields in counted.counters.items()}


class Process:
    """A Lambda execution environment: one aggregator, replaced by a fresh one after a crash.

    A crash kills the process, so whatever the aggregator remembered in memory is gone; the
    next invocation runs on a cold start (a new aggregator on the same store).
    """

    def __init__(self, build: Callable[[], StreamAggregator]) -> None:
        self._build = build
        self.aggregator = build()
        self.cold_starts = 1

    def handle(self, event: dict[str, object]) -> dict[str, object]:
        try:
            return self.aggregator.handle(event)
        except SimulatedCrash:
            self.aggregator = self._build()
            self.cold_starts += 1
            raise


def run_exactly_once(
    schedule: Schedule, store: CounterStore
) -> tuple[StreamSimulator, DeliveryReport]:
    """Run the schedule through StreamAggregator on ``store`` (faults injected around it)."""
    sim = schedule.simulator()
    wrapped = sim.wrap(store)
    process = Process(
        lambda: StreamAggregator(
            projection=PROJECTIONS[schedule.family],
            store=wrapped,
            expiry=schedule.expiry,
            limits=CommitLimits(
                max_items=schedule.max_items, max_fields_per_item=schedule.max_fields
            ),
            write_shards=schedule.write_shards,
            clock=lambda: sim.now,  # window ends are simulated times
            counter_writes=schedule.counter_writes,
        )
    )
    run_workload(
        sim,
        schedule.workload_rng(),
        family=schedule.family,
        operations=schedule.operations,
        handler=process.handle,
    )
    return sim, sim.drain(process.handle)


class NaiveAggregator:
    """One ADD per record and counter item, no progress marker: what most handlers do."""

    def __init__(self, schedule: Schedule, injector: FaultInjector) -> None:
        self.counters: Counters = {}
        self._projection = PROJECTIONS[schedule.family]
        self._expiry = schedule.expiry
        self._injector = injector
        self._writes: list[tuple[CounterKey, dict[str, Amount]]] = []

    def _add(self, key: CounterKey, fields: Mapping[str, Amount]) -> None:
        totals = self.counters.setdefault(key, {})
        for field, amount in fields.items():
            totals[field] = totals.get(field, 0) + amount

    def handle(self, event: dict[str, object]) -> dict[str, object]:
        batch = decode_event(event)
        writes = [
            (key, fields)
            for record in batch.records
            for key, fields in record_deltas(record, self._projection, expiry=self._expiry).items()
        ]
        late = self._injector.pick(self._writes)
        if late is not None:
            self._add(*late)  # a delayed duplicate of an earlier write lands
        # One fault opportunity per invocation, as for the exactly-once aggregator's commit;
        # a fault before the end strikes half-way: the writes before it have landed.
        try:
            self._injector.before_write("UpdateItem")
        except BaseException:
            for write in writes[: len(writes) // 2]:
                self._add(*write)
            raise
        for write in writes:
            self._add(*write)
        self._writes.extend(writes)
        self._injector.after_write("UpdateItem")
        response: dict[str, object] = {"batchItemFailures": []}
        if batch.window is not None:
            response["state"] = {}
        return response


def run_naive(schedule: Schedule) -> tuple[StreamSimulator, Counters]:
    """Run the same schedule (seed, workload, fault rates) through the naive aggregator."""
    sim = schedule.simulator()
    naive = NaiveAggregator(schedule, sim.injector)
    run_workload(
        sim,
        schedule.workload_rng(),
        family=schedule.family,
        operations=schedule.operations,
        handler=naive.handle,
    )
    sim.drain(naive.handle)
    return sim, {k: {f: a for f, a in v.items() if a} for k, v in naive.counters.items()}


def without_zeros(counters: Counters) -> Counters:
    cleaned = {key: {f: a for f, a in fields.items() if a} for key, fields in counters.items()}
    return {key: fields for key, fields in cleaned.items() if fields}
