"""Tumbling-window mode: fold across a window in Lambda's state, write once per shard per window."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest

from feedback_core.aggregate import (
    CommitLimits,
    CounterKey,
    InMemoryCounterStore,
    StreamAggregator,
    WindowState,
    vote_tally,
)
from feedback_core.errors import ServiceError, StreamConfigurationError, ThrottledError
from feedback_core.testing import SimulatedCrash, StreamSimulator

from .test_aggregate_service import ARN, ScriptedStore, tally, vote_record


def OPEN() -> float:  # noqa: N802  # reads as a constant: a time inside the test window
    """A clock inside the events' window (2026-11-22T23:20:00Z to 23:21:00Z)."""
    return 1_795_389_630.0


def window_event(
    records: list[dict[str, Any]],
    state: dict[str, object] | None = None,
    *,
    final: bool = False,
    early: bool = False,
) -> dict[str, Any]:
    return {
        "Records": records,
        "window": {"start": "2026-11-22T23:20:00Z", "end": "2026-11-22T23:21:00Z"},
        "state": state or {},
        "shardId": "shardId-000001",
        "eventSourceARN": ARN,
        "isFinalInvokeForWindow": final,
        "isWindowTerminatedEarly": early,
    }


def counter_writes(store: ScriptedStore) -> int:
    """Commits that wrote counters (not fences)."""
    return sum(1 for commit in store.commits if commit.updates)


def state_of(response: dict[str, object]) -> dict[str, object]:
    state = response["state"]
    assert isinstance(state, dict)
    return state


def test_a_window_invocation_writes_nothing_and_returns_the_folded_state() -> None:
    """Before the window closes, deltas travel in the state; only the marker is fenced."""
    store = ScriptedStore()
    response = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store).handle(
        window_event([vote_record(1), vote_record(2, "no")])
    )
    state = WindowState.from_json(state_of(response))
    assert (
        [()],
        {},
        {CounterKey(group="poll#p1", name="tally"): {"choice:yes": 1, "choice:no": 1}},
    ) == (
        [commit.updates for commit in store.commits],
        tally(store),
        state.deltas,
    )


def test_the_final_invocation_writes_the_window_once() -> None:
    """State and final batch are committed together in one transaction."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store)
    first = aggregator.handle(window_event([vote_record(1), vote_record(2)]))
    aggregator.handle(window_event([vote_record(3, "no")], state_of(first), final=True))
    assert (1, {"choice:yes": 2, "choice:no": 1}) == (counter_writes(store), tally(store))


def test_a_retried_final_invocation_does_not_write_twice() -> None:
    """After a crash that followed the commit, the retry (same state, same records) adds nothing."""
    store = ScriptedStore("ok", "crash_after")  # the fence, then the write
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store)
    state = state_of(aggregator.handle(window_event([vote_record(1)])))
    final = window_event([vote_record(2)], state, final=True)
    with pytest.raises(SimulatedCrash):
        aggregator.handle(final)
    aggregator.handle(final)
    assert {"choice:yes": 2} == tally(store)


def test_records_already_in_the_state_are_skipped() -> None:
    """A redelivered record that the state already holds is not folded twice."""
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=InMemoryCounterStore())
    state = state_of(aggregator.handle(window_event([vote_record(1), vote_record(2)])))
    again = aggregator.handle(window_event([vote_record(2), vote_record(3)], state))
    deltas = WindowState.from_json(state_of(again)).deltas
    assert {"choice:yes": 3} == dict(deltas[CounterKey(group="poll#p1", name="tally")])


def test_a_retry_that_turns_non_final_skips_what_the_failed_attempt_wrote() -> None:
    """Records written by a failed final attempt are not folded into the state again."""
    store = ScriptedStore("crash_after")
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store)
    with pytest.raises(SimulatedCrash):
        aggregator.handle(window_event([vote_record(1)], final=True, early=True))
    state = state_of(aggregator.handle(window_event([vote_record(1), vote_record(2)])))
    aggregator.handle(window_event([], state, final=True))
    assert {"choice:yes": 2} == tally(store)


def test_a_window_terminated_early_is_written() -> None:
    """isWindowTerminatedEarly means the state will not come back: write now."""
    store = ScriptedStore()
    StreamAggregator(projection=vote_tally(), clock=OPEN, store=store).handle(
        window_event([vote_record(1)], early=True)
    )
    assert {"choice:yes": 1} == tally(store)


def test_a_state_past_the_size_limit_is_written_early() -> None:
    """An invocation whose incoming state is large writes it, long before Lambda's 1 MB."""
    store = ScriptedStore()
    aggregator = StreamAggregator(
        projection=vote_tally(), clock=OPEN, store=store, window_state_limit=300
    )
    first = aggregator.handle(window_event([vote_record(i, poll=f"poll-{i}") for i in range(1, 8)]))
    second = aggregator.handle(window_event([vote_record(8)], state_of(first)))
    assert (1, {"v": 1, "last": "8", "epoch": 0}) == (counter_writes(store), state_of(second))


def test_a_failed_window_write_fails_the_invocation() -> None:
    """Lambda retries a failed window invocation with the previous state; the error escapes."""
    aggregator = StreamAggregator(
        projection=vote_tally(), clock=OPEN, store=ScriptedStore("throttle")
    )
    with pytest.raises(ServiceError):
        aggregator.handle(window_event([vote_record(1)], final=True))


def test_a_state_from_elsewhere_is_a_configuration_error() -> None:
    """A state this aggregator did not write is refused, not misread."""
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=InMemoryCounterStore())
    with pytest.raises(StreamConfigurationError, match="state"):
        aggregator.handle(window_event([vote_record(1)], {"1": 282, "2": 715}))


def test_window_state_survives_json_with_exact_decimals() -> None:
    """Decimal amounts travel as text, so the state never passes through a float."""
    state = WindowState(
        first=1,
        last=2,
        time=1795000000,
        deltas={
            CounterKey(group="survey#s", name="question:q"): {"sum": Decimal("4.5"), "n:4.5": 1}
        },
    )
    assert state == WindowState.from_json(orjson.loads(orjson.dumps(state.to_json())))


def test_a_hot_poll_window_is_one_write() -> None:
    """Ten batches of one hot poll in a window: one counter write, plus the fence at its start."""
    sim = StreamSimulator(key=("pollId", "userId"), batch_size=10, window_seconds=3600)
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=lambda: sim.now, store=store)
    for user in range(100):
        sim.put({"pollId": "p1", "userId": f"u{user}", "choice": "yes"})
    report = sim.drain(aggregator.handle)
    assert (11, 2, 1, {"choice:yes": 100}) == (
        report.invocations,
        len(store.commits),
        counter_writes(store),
        tally(store),
    )


@pytest.mark.parametrize("skew", [-3600, 0, 3600])
def test_a_non_final_invocation_starting_a_state_fences_the_marker_whatever_the_clock(
    skew: int,
) -> None:
    """A fresh state fences out any write in flight; the function's clock plays no part."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=lambda: OPEN() + skew, store=store)
    aggregator.handle(window_event([vote_record(1)]))
    (fence,) = store.commits
    assert ((), None) == (fence.updates, fence.expected)


def test_a_non_final_invocation_carrying_a_state_writes_nothing() -> None:
    """Only the invocation that starts a state fences: the ones after it are free."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store)
    state = state_of(aggregator.handle(window_event([vote_record(1)])))
    aggregator.handle(window_event([vote_record(2)], state))
    assert 1 == len(store.commits)


def test_a_late_write_from_a_final_attempt_is_fenced_out() -> None:
    """The final attempt's write lands after a non-final retry folded the same records: refused."""
    store = ScriptedStore()
    closed = StreamAggregator(projection=vote_tally(), clock=lambda: OPEN() + 3600, store=store)
    late = StreamAggregator(
        projection=vote_tally(), clock=lambda: OPEN() + 3600, store=ScriptedStore()
    )
    late_commit = None
    final = window_event([vote_record(1)], final=True)
    late.handle(final)  # what the lost attempt would have written
    late_commit = late._store.commits[-1]  # type: ignore[attr-defined]  # the fake's record
    state = state_of(closed.handle(window_event([vote_record(1)])))  # the retry: not final
    outcome = store.inner.commit(late_commit)
    closed.handle(window_event([], state, final=True))
    assert ("conflict", {"choice:yes": 1}) == (outcome.value, tally(store))


def two_polls(sequence: int) -> list[dict[str, Any]]:
    return [vote_record(sequence, poll="p1"), vote_record(sequence + 1, poll="p2")]


def test_issue_17_a_fresh_state_redelivery_after_a_split_write_counts_every_vote() -> None:
    """Issue 17: r1 (p1) and r2 (p2) in two commits, the second throttled, then a fresh state."""
    store = ScriptedStore("ok", "ok", "throttle")  # the fence, p1's commit, p2's refused
    aggregator = StreamAggregator(
        projection=vote_tally(), clock=OPEN, store=store, limits=CommitLimits(max_items=1)
    )
    with pytest.raises(ThrottledError):
        # The state may not outgrow one commit, so the window is written as it grows.
        aggregator.handle(window_event(two_polls(1)))
    aggregator.handle(window_event(two_polls(1), final=True))  # from the checkpoint, state {}
    assert ({"choice:yes": 1}, {"choice:yes": 1}) == (tally(store, "p1"), tally(store, "p2"))


def test_issue_17_with_default_limits_a_window_of_120_polls_counts_every_vote() -> None:
    """A window touching 120 polls, its write throttled half-way, then redelivered afresh."""
    store = ScriptedStore(*(["ok"] * 2), "throttle")
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store)
    records = [vote_record(n, poll=f"p{n}") for n in range(1, 121)]
    state: dict[str, object] = {}
    for start in (0, 40):
        state = state_of(aggregator.handle(window_event(records[start : start + 40], state)))
    with pytest.raises(ThrottledError):
        aggregator.handle(window_event(records[80:], state))
    state = {}
    for start in range(0, 120, 40):
        state = state_of(aggregator.handle(window_event(records[start : start + 40], state)))
    aggregator.handle(window_event([], state, final=True))
    assert [{"choice:yes": 1}] * 120 == [tally(store, f"p{n}") for n in range(1, 121)]


def test_a_same_state_retry_of_a_failed_final_write_writes_it_once() -> None:
    """A retry with the state of the failed attempt writes what did not land, once."""
    store = ScriptedStore("ok", "ok", "crash_before")
    aggregator = StreamAggregator(
        projection=vote_tally(), clock=OPEN, store=store, limits=CommitLimits(max_items=2)
    )
    state = state_of(aggregator.handle(window_event(two_polls(1))))
    final = window_event([vote_record(3, poll="p3")], state, final=True)
    with pytest.raises(SimulatedCrash):
        aggregator.handle(final)
    aggregator.handle(final)
    assert [{"choice:yes": 1}] * 3 == [tally(store, poll) for poll in ("p1", "p2", "p3")]


def test_a_fresh_state_redelivery_with_more_records_skips_what_was_written() -> None:
    """Redelivered with records past a half-done write, only what did not land is written."""
    store = ScriptedStore("ok", "crash_after")  # the fence, then the first chunk lands
    aggregator = StreamAggregator(
        projection=vote_tally(), clock=OPEN, store=store, limits=CommitLimits(max_items=1)
    )
    records = [vote_record(n, poll=f"p{n}") for n in range(1, 4)]
    with pytest.raises(SimulatedCrash):  # the state cannot grow past one commit: written early
        aggregator.handle(window_event(records))
    more = [*records, vote_record(4, poll="p4"), vote_record(5, poll="p1")]
    state = state_of(aggregator.handle(window_event(more)))  # fresh state, from the checkpoint
    aggregator.handle(window_event([], state, final=True))
    expected = [{"choice:yes": 2}, {"choice:yes": 1}, {"choice:yes": 1}, {"choice:yes": 1}]
    assert expected == [tally(store, f"p{n}") for n in range(1, 5)]


def test_a_window_state_never_outgrows_one_commit() -> None:
    """Folding records that would not fit one transaction writes them at once instead."""
    store = ScriptedStore()
    aggregator = StreamAggregator(
        projection=vote_tally(), clock=OPEN, store=store, limits=CommitLimits(max_items=2)
    )
    state = state_of(aggregator.handle(window_event(two_polls(1))))
    response = aggregator.handle(window_event([vote_record(3, poll="p3")], state))
    assert ({"v": 1, "last": "3", "epoch": 1}, 2) == (state_of(response), counter_writes(store))


def test_a_window_final_invocation_without_records_writes_the_state() -> None:
    """The closing call Lambda makes after the last batch carries no records, only the state."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store)
    state = state_of(aggregator.handle(window_event(two_polls(1))))
    response = aggregator.handle(window_event([], state, final=True))
    assert ({"v": 1, "last": "2", "epoch": 0}, {"choice:yes": 1}) == (
        state_of(response),
        tally(store, "p2"),
    )


def test_a_retry_with_fewer_records_after_a_write_began_writes_instead_of_folding() -> None:
    """The fence taken before an early write tells a shorter retry not to fold those records."""
    store = ScriptedStore("ok", "ok", "crash_before")  # state fence, write fence, the write
    aggregator = StreamAggregator(
        projection=vote_tally(), clock=OPEN, store=store, limits=CommitLimits(max_items=2)
    )
    state = state_of(aggregator.handle(window_event(two_polls(1))))
    with pytest.raises(SimulatedCrash):
        aggregator.handle(window_event([vote_record(n, poll=f"p{n}") for n in (3, 4)], state))
    response = aggregator.handle(window_event([vote_record(3, poll="p3")], state))
    assert ({"v": 1, "last": "3", "epoch": 1}, {"choice:yes": 1}) == (
        state_of(response),
        tally(store, "p3"),
    )
