"""Seeded fault schedules on the in-memory lake: every stream record lands exactly once.

Each schedule crashes before and after object writes (multipart parts included: the in-memory
sink's part size is tiny here), throttles, loses answers and shortens batches; retries start at
the checkpoint and often find more records behind it. The naive writer (one object per record
under a fresh UUID) runs the same schedules and leaves duplicates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from feedback_core.datalake import FEEDBACK, DataLakeWriter, InMemoryLakeStore
from feedback_core.errors import ServiceError
from tests.unit.datalake._schedules import (
    InjectedFaults,
    NaiveWriter,
    Schedule,
    lake_rows,
    problems,
    run,
    writer,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from feedback_core.bundle import StoredObject

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


DAYS = ("2026-11-20", "2026-11-21", "2026-11-20", "2026-11-22", "2026-11-21")


def insert(n: int, day: str) -> dict[str, object]:
    """A Lambda stream record: feedback ``f<n>`` created on ``day``."""
    image = {"feedbackId": {"S": f"f{n}"}, "createdAt": {"S": f"{day}T08:00:00Z"}}
    data = {
        "Keys": {"feedbackId": {"S": f"f{n}"}},
        "NewImage": image,
        "SequenceNumber": str(500 + n),
    }
    return {"eventID": f"e{n}", "eventName": "INSERT", "dynamodb": data}


class StopAfter:
    """A lake store that fails every write after the first ``writes`` (``None``: never)."""

    def __init__(self, inner: InMemoryLakeStore, writes: int | None) -> None:
        self.inner = inner
        self.left = writes

    def write(self, key: str, chunks: Iterable[bytes], **options: Any) -> StoredObject:
        if self.left is not None:
            if self.left == 0:
                raise ServiceError("PutObject", "InternalError", "injected")
            self.left -= 1
        return self.inner.write(key, chunks, **options)


@pytest.mark.parametrize(
    "attempts",
    [
        pytest.param([(3, 1, False), (8, None, True)], id="partial-write-then-bigger-batch"),
        pytest.param([(6, None, False), (2, None, True), (4, None, True)], id="lost-then-bisected"),
        pytest.param([(6, 2, False), (3, None, True), (3, None, True)], id="partial-then-bisected"),
        pytest.param([(2, None, False), (6, None, True)], id="lost-then-more-records"),
        pytest.param([(6, 0, False), (1, None, True), (4, 1, False), (4, None, True)], id="mixed"),
    ],
)
def test_each_redelivery_case_leaves_each_record_once(
    attempts: list[tuple[int, int | None, bool]],
) -> None:
    """Attempts of N records from the checkpoint, failing after K objects or not, each once.

    An attempt whose checkpoint does not move (a failure, or a success whose answer Lambda
    lost) is followed by one from the same record, bigger or smaller; the rest comes last.
    """
    records = [insert(n, day) for n, day in enumerate(DAYS * 2)]
    store = InMemoryLakeStore()
    checkpoint = 0
    for size, fail_after, moves in attempts:
        writer = DataLakeWriter(table=FEEDBACK, store=StopAfter(store, fail_after))  # type: ignore[arg-type]  # write is all it needs
        response = writer.handle({"Records": records[checkpoint : checkpoint + size]})
        assert bool(response["batchItemFailures"]) == (fail_after is not None)
        if moves:
            checkpoint += size
    DataLakeWriter(table=FEEDBACK, store=store).handle({"Records": records[checkpoint:]})
    expected = sorted(str(500 + n) for n in range(len(records)))
    assert expected == sorted(str(row["sequence_number"]) for _, row in lake_rows(store))
