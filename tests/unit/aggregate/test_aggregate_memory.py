"""The in-memory counter store's own behaviour: thread safety and simulated Time to Live."""

from __future__ import annotations

import threading

from feedback_core.aggregate import (
    Commit,
    CommitOutcome,
    CounterKey,
    CounterUpdate,
    InMemoryCounterStore,
    MarkerKey,
    Position,
)

TALLY = CounterKey(group="poll#p1", name="tally")


def marker(n: int) -> MarkerKey:
    return MarkerKey(consumer="c", stream="s", origin=f"batch:{n}")


def test_concurrent_commits_to_one_marker_apply_exactly_one() -> None:
    """Eight threads race the same commit; the marker's condition lets exactly one through."""
    store = InMemoryCounterStore()
    commit = Commit(
        marker=marker(1),
        expected=None,
        position=Position(sequence=1),
        updates=(CounterUpdate(key=TALLY, deltas={"choice:a": 1}),),
        expires_at=0,
    )
    outcomes: list[CommitOutcome] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(store.commit(commit))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (1, 1) == (
        outcomes.count(CommitOutcome.COMMITTED),
        store.read_group("poll#p1").get("tally", "choice:a"),
    )


def test_expired_markers_are_deleted_and_counters_kept() -> None:
    """Simulated Time to Live removes markers past their expiry, never counters."""
    store = InMemoryCounterStore()
    for n, expires_at in ((1, 100), (2, 300)):
        store.commit(
            Commit(
                marker=marker(n),
                expected=None,
                position=Position(sequence=n),
                updates=(CounterUpdate(key=TALLY, shard=n, deltas={"choice:a": 1}),),
                expires_at=expires_at,
            )
        )
    deleted = store.expire_markers(200)
    assert (1, None, Position(sequence=2), 2) == (
        deleted,
        store.load_marker(marker(1)),
        store.load_marker(marker(2)),
        store.read_group("poll#p1").get("tally", "choice:a"),
    )
