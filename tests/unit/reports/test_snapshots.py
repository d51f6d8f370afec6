"""Poll snapshots on the in-memory adapters: the active polls only, the nearest one read back."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback_core.aggregate import InMemoryCounterStore, combine, poll_results, vote_tally
from feedback_core.reports import InMemoryObjectStore, poll_activity
from feedback_core.reports.snapshots import nearest
from feedback_core.usecases.reports import SnapshotService
from tests.report_data import load_counters


def _votes(poll: str, day: str, n: int) -> list[dict[str, object]]:
    return [
        {"pollId": poll, "userId": f"u{i}", "choice": "ab"[i % 2], "votedAt": f"{day}T08:00:00Z"}
        for i in range(n)
    ]


def _service(
    hour: int, counters: InMemoryCounterStore, objects: InMemoryObjectStore
) -> SnapshotService:
    moment = datetime(2026, 11, 22, hour, 30, tzinfo=UTC)
    return SnapshotService(counters=counters, objects=objects, clock=lambda: moment)


def _counters() -> InMemoryCounterStore:
    counters = InMemoryCounterStore()
    votes = _votes("today", "2026-11-22", 3) + _votes("yesterday", "2026-11-21", 2)
    votes += _votes("last-week", "2026-11-15", 4)
    load_counters(counters, votes, combine(vote_tally(), poll_activity()))  # type: ignore[arg-type]  # plain values
    return counters


def test_only_polls_voted_in_lately_are_snapshotted() -> None:
    """With two active days, the polls of today and yesterday are taken, last week's is not."""
    taken = _service(10, _counters(), InMemoryObjectStore()).take()
    assert [
        "snapshots/polls/today/2026/11/22/103000Z.json",
        "snapshots/polls/yesterday/2026/11/22/103000Z.json",
    ] == list(taken.keys)


def test_the_snapshot_read_back_is_the_read_model_then() -> None:
    """The nearest snapshot holds the poll's results as the read model gave them."""
    counters, objects = _counters(), InMemoryObjectStore()
    for hour in (9, 10, 11):
        _service(hour, counters, objects).take()
    found = _service(12, counters, objects).nearest(
        "today", datetime(2026, 11, 22, 10, 40, tzinfo=UTC)
    )
    assert found is not None
    assert ("2026-11-22T10:30:00Z", poll_results(counters, "today")) == (
        found.taken_at,
        found.results,
    )


def test_nearest_prefers_the_earlier_snapshot_on_a_tie() -> None:
    """Half way between two snapshots, the earlier one is chosen."""
    keys = [
        "snapshots/polls/p/2026/11/22/100000Z.json",
        "snapshots/polls/p/2026/11/22/110000Z.json",
    ]
    assert keys[0] == nearest(keys, datetime(2026, 11, 22, 10, 30, tzinfo=UTC))


def test_no_snapshot_near_a_time_is_none() -> None:
    """A poll never snapshotted has no nearest snapshot."""
    service = _service(10, InMemoryCounterStore(), InMemoryObjectStore())
    assert service.nearest("p", datetime(2026, 11, 22, tzinfo=UTC)) is None
