"""Tumbling-window mode: fold across a window in Lambda's state, write once per shard per window."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest

from feedback_core.aggregate import (
    CounterKey,
    InMemoryCounterStore,
    StreamAggregator,
    WindowState,
    vote_tally,
)
from feedback_core.errors import ServiceError, StreamConfigurationError
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


def state_of(response: dict[str, object]) -> dict[str, object]:
    state = response["state"]
    assert isinstance(state, dict)
    return state


def test_a_window_invocation_writes_nothing_and_returns_the_folded_state() -> None:
    """Before the window closes, deltas travel in the state, not to the table."""
    store = ScriptedStore()
    response = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store).handle(
        window_event([vote_record(1), vote_record(2, "no")])
    )
    state = WindowState.from_json(state_of(response))
    assert (
        [],
        {},
        {CounterKey(group="poll#p1", name="tally"): {"choice:yes": 1, "choice:no": 1}},
    ) == (
        store.commits,
        tally(store),
        state.deltas,
    )


def test_the_final_invocation_writes_the_window_once() -> None:
    """State and final batch are committed together in one transaction."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=OPEN, store=store)
    first = aggregator.handle(window_event([vote_record(1), vote_record(2)]))
    aggregator.handle(window_event([vote_record(3, "no")], state_of(first), final=True))
    assert (1, {"choice:yes": 2, "choice:no": 1}) == (len(store.commits), tally(store))


def test_a_retried_final_invocation_does_not_write_twice() -> None:
    """After a crash that followed the commit, the retry (same state, same records) adds nothing."""
    store = ScriptedStore("crash_after")
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
    assert (1, {"v": 1, "last": "8"}) == (len(store.commits), state_of(second))


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
    """Ten batches of one hot poll inside a window (and the closing call) are one transaction."""
    sim = StreamSimulator(key=("pollId", "userId"), batch_size=10, window_seconds=3600)
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=lambda: sim.now, store=store)
    for user in range(100):
        sim.put({"pollId": "p1", "userId": f"u{user}", "choice": "yes"})
    report = sim.drain(aggregator.handle)
    assert (11, 1, {"choice:yes": 100}) == (report.invocations, len(store.commits), tally(store))


def test_after_the_window_closed_a_non_final_invocation_fences_the_marker() -> None:
    """A write left in flight by an earlier, final attempt can no longer land afterwards."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), clock=lambda: OPEN() + 3600, store=store)
    aggregator.handle(window_event([vote_record(1)]))
    (fence,) = store.commits
    assert ((), None) == (fence.updates, fence.expected)


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
