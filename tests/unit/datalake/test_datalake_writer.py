"""The writer: one object per partition, deterministic keys, the first record on failure."""

from __future__ import annotations

import pytest

from feedback_core.aggregate.stream import decode_event
from feedback_core.datalake import FEEDBACK, DataLakeConfig, DataLakeWriter, InMemoryLakeStore, plan
from feedback_core.errors import ConfigurationError, ServiceError
from feedback_core.testing import StreamSimulator

DAYS = ("2026-11-20", "2026-11-21", "2026-11-20", "2026-11-22", "2026-11-21")


def events() -> list[dict[str, object]]:
    """Five inserts over three days, as one stream event."""
    sim = StreamSimulator(key=("feedbackId",), seed=1, batch_size=100)
    for n, day in enumerate(DAYS):
        sim.put({"feedbackId": f"f{n}", "createdAt": f"{day}T12:00:00Z", "rating": 3})
    captured: list[dict[str, object]] = []

    def handler(event: dict[str, object]) -> dict[str, object]:
        captured.append(event)
        return {"batchItemFailures": []}

    sim.drain(handler)
    return captured


def test_a_batch_makes_one_object_per_partition() -> None:
    """Five records over three days: three objects, not five."""
    store = InMemoryLakeStore()
    (event,) = events()
    DataLakeWriter(table=FEEDBACK, store=store).handle(event)
    assert (3, 3) == (len(list(store.object_keys())), store.puts)


def test_keys_name_the_partition_and_its_first_record() -> None:
    """The key of each day's object carries the sequence number of that day's first record."""
    (event,) = events()
    batch = decode_event(event)
    objects = plan(FEEDBACK, batch)
    firsts = {o.day: o.first_sequence for o in objects}
    assert batch.records[0].sequence_number == firsts["2026-11-20"]
    assert batch.records[1].sequence_number == firsts["2026-11-21"]
    assert all(f"{int(o.first_sequence):040d}" in o.key for o in objects)


def test_a_prefix_of_the_batch_keeps_every_key_it_still_covers() -> None:
    """A shorter retry (a bisected or short batch) plans the same keys for the days it holds."""
    (event,) = events()
    records = event["Records"]
    assert isinstance(records, list)
    whole = {o.day: o.key for o in plan(FEEDBACK, decode_event(event))}
    prefix = {o.day: o.key for o in plan(FEEDBACK, decode_event({"Records": records[:2]}))}
    assert prefix == {day: whole[day] for day in prefix}


class FailingStore(InMemoryLakeStore):
    def __init__(self, fail_on: int) -> None:
        super().__init__()
        self.fail_on = fail_on

    def write(self, key: str, *args: object, **kwargs: object) -> object:  # type: ignore[override]  # a test double
        if self.puts == self.fail_on:
            self.puts += 1
            raise ServiceError("PutObject", "InternalError")
        return super().write(key, *args, **kwargs)  # type: ignore[arg-type]  # forwarded as given


def test_a_failed_write_reports_the_batch_first_record() -> None:
    """The second object fails: the answer names the first record, so nothing is checkpointed."""
    (event,) = events()
    response = DataLakeWriter(table=FEEDBACK, store=FailingStore(1)).handle(event)
    first = decode_event(event).records[0].sequence_number
    assert {"batchItemFailures": [{"itemIdentifier": first}]} == response


def test_an_empty_batch_writes_nothing() -> None:
    """No records: no object and no failure."""
    store = InMemoryLakeStore()
    assert {"batchItemFailures": []} == DataLakeWriter(table=FEEDBACK, store=store).handle(
        {"Records": []}
    )
    assert 0 == store.puts


def test_config_reads_the_table_choice() -> None:
    """LAKE_TABLE picks the table; an unknown one is a configuration error naming it."""
    assert "votes" == DataLakeConfig.from_env({"LAKE_BUCKET": "b", "LAKE_TABLE": "votes"}).table
    with pytest.raises(ConfigurationError, match="LAKE_TABLE"):
        DataLakeConfig.from_env({"LAKE_BUCKET": "b", "LAKE_TABLE": "polls"})


def test_config_requires_the_bucket() -> None:
    """LAKE_BUCKET is required."""
    with pytest.raises(ConfigurationError, match="LAKE_BUCKET"):
        DataLakeConfig.from_env({})
