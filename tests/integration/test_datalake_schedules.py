"""Seeded fault schedules on the S3 lake store (moto): every record lands exactly once.

Faults strike around the real PutObject calls (botocore's before-call and after-call events):
crashes before and after the put, throttling, answers lost after the object landed. Fewer
schedules than the in-memory suite (tests/unit/datalake), the same checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3

from feedback_core.aws import Backoff
from feedback_core.datalake import S3LakeStore
from tests.unit.datalake._schedules import NaiveWriter, Schedule, problems, run, writer

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

    from feedback_core.testing import FaultInjector


def faulty_store(bucket: str, injector: FaultInjector) -> S3LakeStore:
    """A lake store on a new bucket whose PutObject calls the injector around the request."""
    client: S3Client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket=bucket)

    def before(**_: Any) -> None:
        injector.before_write("PutObject")

    def after(**_: Any) -> None:
        injector.after_write("PutObject")

    client.meta.events.register("before-call.s3.PutObject", before)
    client.meta.events.register("after-call.s3.PutObject", after)
    return S3LakeStore(bucket=bucket, client=client, backoff=Backoff(sleep=lambda _: None))


def test_s3_lake_holds_every_record_once_under_fault_schedules(aws: None) -> None:
    """Ten schedules on moto end with each record once, in its creation day."""
    failing = {}
    for seed in range(100, 110):
        schedule = Schedule.from_seed(seed, max_operations=30)
        sim = schedule.simulator()
        store = faulty_store(f"lake-{seed}", sim.injector)
        recorder, _ = run(schedule, sim, writer(schedule, store).handle)
        found = problems(schedule, store, recorder)
        if found:
            failing[seed] = found
    assert {} == failing


def test_naive_writer_on_s3_duplicates_records(aws: None) -> None:
    """The same schedules through one-object-per-record writes leave duplicates on S3."""
    duplicated = 0
    for seed in range(100, 105):
        schedule = Schedule.from_seed(seed, max_operations=30)
        sim = schedule.simulator()
        store = faulty_store(f"naive-{seed}", sim.injector)
        recorder, _ = run(schedule, sim, NaiveWriter(schedule.table, store).handle)
        duplicated += any("more than once" in p for p in problems(schedule, store, recorder))
    assert duplicated >= 3
