"""Exactly once under faults, on the in-memory adapters: 500 seeded schedules, and the usual
approach failing the same schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core.bundle import InMemoryBundleSink, InMemoryObjectSource, SourceRef
from feedback_core.bundle.simulation import FaultyClaims
from feedback_core.dedup import InMemoryDedupStore
from tests.unit.bundle.scenarios import BUCKET, run_schedule

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from feedback_core.bundle.simulation import FaultPlan

SCHEDULES = range(500)


class MemoryWorld:
    """In-memory source, sink (parts of 256 bytes, so bundles go multipart) and claims."""

    def __init__(self, plan: FaultPlan, versioned: bool) -> None:
        self.bucket = InMemoryObjectSource(versioned=versioned, chunk_size=700)
        self.source = self.bucket
        self.store = InMemoryBundleSink(part_size=256, hooks=plan)
        self.sink = self.store
        self.claims = FaultyClaims(InMemoryDedupStore(), plan)

    def put(self, key: str, body: bytes, at: datetime) -> SourceRef:
        return self.bucket.put(BUCKET, key, body, at=at)

    def objects(self) -> Mapping[str, bytes]:
        return {k: v.body for k, v in self.store.objects.items()}

    def open_uploads(self) -> int:
        return len(self.store.open_uploads)


def test_every_schedule_bundles_each_version_exactly_once() -> None:
    """Under 500 seeded fault schedules, each source version is in exactly one complete bundle."""
    failures = {seed: run_schedule(seed, MemoryWorld) for seed in SCHEDULES}
    assert {} == {seed: problems for seed, problems in failures.items() if problems}


def test_the_usual_approach_fails_the_same_schedules() -> None:
    """Per-key idempotency with random bundle names duplicates and loses sources there."""
    problems = [p for seed in SCHEDULES for p in run_schedule(seed, MemoryWorld, naive=True)]
    duplicated = [p for p in problems if p.endswith(" in 2 bundles")]
    lost = [p for p in problems if p.endswith(" in 0 bundles")]
    assert duplicated, "no schedule made the usual approach write a source twice"
    assert lost, "no schedule made the usual approach lose an overwritten version"
