"""Seeded fault schedules for the lake writer, shared by the in-memory and the moto tests.

A schedule draws a workload family, batch size, shard count and fault rates; it runs the
family's random INSERT / MODIFY / REMOVE / TTL workload through the stream simulator (crashes
before and after each object write, throttling, lost answers, short batches, retries that find
more records behind them) into a lake store, then reads every object back.
"""

from __future__ import annotations

import gzip
import random
import uuid
from collections import Counter
from typing import TYPE_CHECKING

import attrs
import orjson

from feedback_core.aggregate.stream import decode_event, decode_record
from feedback_core.datalake import TABLES, DataLakeWriter, LakeTable, write_rows
from feedback_core.testing import FAMILIES, KEYS, FaultInjector, FaultRates, StreamSimulator
from feedback_core.testing.workloads import run_workload

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.datalake import LakeStore
    from feedback_core.testing import DeliveryReport, Family, StreamHandler

TABLE_OF: dict[Family, LakeTable] = {
    "feedback": TABLES["feedback"],
    "votes": TABLES["votes"],
    "surveys": TABLES["survey_responses"],
}


class InjectedFaults:
    """Bundle-sink call hooks that let the simulator's injector strike around each write."""

    def __init__(self, injector: FaultInjector) -> None:
        self.injector = injector

    def before(self, step: str) -> None:
        self.injector.before_write(f"S3.{step}")

    def after(self, step: str) -> None:
        self.injector.after_write(f"S3.{step}")


@attrs.frozen(kw_only=True)
class Schedule:
    """Everything a seed decides."""

    seed: int
    family: Family
    faults: FaultRates
    batch_size: int
    shards: int
    operations: int

    @classmethod
    def from_seed(cls, seed: int, *, max_operations: int = 50) -> Schedule:
        rng = random.Random(seed)
        faults = attrs.evolve(
            FaultRates.sample(rng),
            # The counter store's late writes have no S3 twin here (see docs/datalake.md).
            replay=0.0,
            delay=0.0,
            # Every schedule crashes after some write and loses some answers: the cases a
            # naive writer turns into duplicates.
            crash_after_commit=rng.uniform(0.05, 0.25),
            lost_response=rng.uniform(0.05, 0.2),
        )
        return cls(
            seed=seed,
            family=FAMILIES[seed % len(FAMILIES)],
            faults=faults,
            batch_size=rng.randint(1, 12),
            shards=rng.randint(1, 3),
            operations=rng.randint(10, max_operations),
        )

    @property
    def table(self) -> LakeTable:
        return TABLE_OF[self.family]

    def simulator(self) -> StreamSimulator:
        return StreamSimulator(
            key=KEYS[self.family],
            seed=self.seed,
            batch_size=self.batch_size,
            shards=self.shards,
            faults=self.faults,
        )


class Recorder:
    """Wraps a handler and keeps every record it was given, by sequence number."""

    def __init__(self, handler: StreamHandler) -> None:
        self.handler = handler
        self.seen: dict[str, Mapping[str, object]] = {}

    def __call__(self, event: dict[str, object]) -> Mapping[str, object] | None:
        for raw in event["Records"]:  # type: ignore[attr-defined]  # the simulator's list
            self.seen[raw["dynamodb"]["SequenceNumber"]] = raw
        return self.handler(event)


def run(
    schedule: Schedule, sim: StreamSimulator, handler: StreamHandler
) -> tuple[Recorder, DeliveryReport]:
    """Run the schedule's workload through ``handler`` and drain the stream."""
    recorder = Recorder(handler)
    run_workload(
        sim,
        random.Random(schedule.seed * 7919 + 1),
        family=schedule.family,
        operations=schedule.operations,
        handler=recorder,
    )
    return recorder, sim.drain(recorder)


def lake_rows(store: LakeStore) -> list[tuple[str, dict[str, object]]]:
    """Every row of every object, with the key of the object that holds it."""
    rows = []
    for key in store.object_keys():
        body = gzip.decompress(b"".join(store.read(key)))
        rows.extend((key, orjson.loads(line)) for line in body.splitlines())
    return rows


def problems(schedule: Schedule, store: LakeStore, recorder: Recorder) -> list[str]:
    """How the lake differs from "every stream record exactly once, in its own partition"."""
    rows = lake_rows(store)
    counts = Counter(str(row["sequence_number"]) for _, row in rows)
    found = []
    duplicated = sorted(s for s, n in counts.items() if n > 1)
    missing = sorted(set(recorder.seen) - set(counts))
    if duplicated:
        found.append(f"{len(duplicated)} records more than once")
    if missing:
        found.append(f"{len(missing)} records missing")
    if set(counts) - set(recorder.seen):
        found.append("rows of records never streamed")
    for key, row in rows:
        raw = recorder.seen.get(str(row["sequence_number"]))
        if raw is None:
            continue
        expected = schedule.table.row(decode_record(raw))
        day = str(expected[schedule.table.created.name])[:10]
        year, month, date = day.split("-")
        if f"year={year}/month={month}/day={date}/" not in key:
            found.append(f"{row['sequence_number']} outside its creation day {day}")
        elif row != expected:
            found.append(f"{row['sequence_number']} differs from its stream record")
    return found


class NaiveWriter:
    """One object per record under a fresh UUID: what the usual API-side writer does."""

    def __init__(self, table: LakeTable, store: LakeStore) -> None:
        self.table = table
        self.store = store

    def handle(self, event: dict[str, object]) -> dict[str, object]:
        for record in decode_event(event).records:
            row = self.table.row(record)
            day = str(row[self.table.created.name])[:10].replace("-", "/")
            write_rows(self.store, f"naive/{day}/{uuid.uuid4()}.jsonl.gz", [row], metadata={})
        return {"batchItemFailures": []}


def writer(schedule: Schedule, store: LakeStore) -> DataLakeWriter:
    return DataLakeWriter(table=schedule.table, store=store)
