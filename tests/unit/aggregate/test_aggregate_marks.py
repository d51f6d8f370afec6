"""Item marks (``counter_writes="item-marks"``): one conditional write per counter item (issue 15).

Each test drives the aggregator with Lambda-shaped window events (the shard id comes from the
window fields) against the in-memory store, through a store that follows a script of faults
per write: crashes before and after a write, throttling, lost responses, writes held in flight.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

import pytest

from feedback_core.aggregate import (
    CommitLimits,
    CounterKey,
    InMemoryCounterStore,
    ItemMark,
    StreamAggregator,
    vote_tally,
)
from feedback_core.aggregate.marks import CLEANUP_BYTES, lane_id
from feedback_core.attributes import to_item
from feedback_core.errors import ServiceError, StreamConfigurationError, ThrottledError
from feedback_core.testing import SimulatedCrash

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.aggregate import MarkedOutcome, MarkedWrite

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/votes/stream/2026-01-01T00:00:00.000"
SHARD = "shardId-00000001795000000000-0a1b2c3d"
NOW = 1_795_003_600.0
VOTED_AT = "2026-11-22T23:20:32Z"


class ScriptedMarkStore:
    """The in-memory store behind a script of what happens to each marked write."""

    def __init__(self, *script: str) -> None:
        self.inner = InMemoryCounterStore()
        self.script = deque(script)
        self.writes: list[MarkedWrite] = []
        self.removals = 0
        self.held: list[MarkedWrite] = []

    def write_marked(self, write: MarkedWrite) -> MarkedOutcome:
        action = self.script.popleft() if self.script else "ok"
        self.writes.append(write)
        if action == "throttle":
            raise ThrottledError("UpdateItem", "ThrottlingException")
        if action == "crash_before":
            raise SimulatedCrash
        if action == "hold":  # in flight: the caller times out, the write lands later
            self.held.append(write)
            raise ServiceError("UpdateItem", "RequestTimeout")
        outcome = self.inner.write_marked(write)
        if action == "crash_after":
            raise SimulatedCrash
        if action == "lost":
            raise ServiceError("UpdateItem", "RequestTimeout")
        return outcome

    def land_held(self) -> None:
        for write in self.held:
            self.inner.write_marked(write)
        self.held.clear()

    def remove_marks(self, key: CounterKey, shard: int, marks: Mapping[str, ItemMark]) -> bool:
        self.removals += 1
        return self.inner.remove_marks(key, shard, marks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)  # reads and the transactional methods, unscripted


def vote(
    sequence: int, poll: str = "p1", choice: str = "yes", old: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "SequenceNumber": str(sequence),
        "Keys": to_item({"pollId": poll, "userId": f"u{sequence}"}),
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        "ApproximateCreationDateTime": 1_795_000_000 + sequence,
        "NewImage": to_item(
            {"pollId": poll, "userId": f"u{sequence}", "choice": choice, "votedAt": VOTED_AT}
        ),
    }
    if old is not None:
        data["OldImage"] = to_item(
            {"pollId": poll, "userId": f"u{sequence}", "choice": old, "votedAt": VOTED_AT}
        )
    name = "MODIFY" if old is not None else "INSERT"
    return {"eventID": str(sequence), "eventName": name, "eventSourceARN": ARN, "dynamodb": data}


def window_event(*records: dict[str, Any], shard: str = SHARD) -> dict[str, Any]:
    return {
        "Records": list(records),
        "window": {"start": "2026-11-22T23:00:00Z", "end": "2026-11-22T23:15:00Z"},
        "state": {},
        "shardId": shard,
        "eventSourceARN": ARN,
        "isFinalInvokeForWindow": False,
        "isWindowTerminatedEarly": False,
    }


def aggregator(store: Any, **options: Any) -> StreamAggregator:
    return StreamAggregator(
        projection=vote_tally(),
        store=store,
        counter_writes="item-marks",
        clock=lambda: NOW,
        **options,
    )


def tallies(store: ScriptedMarkStore | InMemoryCounterStore) -> dict[str, dict[str, int]]:
    totals = store.totals() if isinstance(store, InMemoryCounterStore) else store.inner.totals()
    return {key.group: dict(fields) for key, fields in totals.items()}  # type: ignore[misc]  # int counts here


def failures(response: Mapping[str, object]) -> list[str]:
    return [f["itemIdentifier"] for f in response["batchItemFailures"]]  # type: ignore[attr-defined]  # test shape


def test_a_spread_batch_writes_each_counter_item_once_and_nothing_else() -> None:
    """Ten votes on ten polls: ten conditional writes, no transaction, no read, state empty."""
    store = ScriptedMarkStore()
    response = aggregator(store).handle(
        window_event(*(vote(s, poll=f"p{s}") for s in range(1, 11)))
    )
    assert ([], {}, 10, 0, 0) == (
        failures(response),
        response["state"],
        len(store.writes),
        store.inner.commits,
        store.removals,
    )
    assert {f"poll#p{s}": {"choice:yes": 1} for s in range(1, 11)} == tallies(store)


def test_a_hot_batch_writes_its_one_counter_item_once() -> None:
    """Hundred votes on one poll coalesce into one write of one item."""
    store = ScriptedMarkStore()
    aggregator(store).handle(window_event(*(vote(s, choice="ab"[s % 2]) for s in range(1, 101))))
    assert (1, {"poll#p1": {"choice:a": 50, "choice:b": 50}}) == (len(store.writes), tallies(store))


def test_a_retry_after_a_partial_set_of_item_writes_applies_the_rest_once() -> None:
    """A crash after two of four items were written: the retry skips them, writes the others."""
    store = ScriptedMarkStore("ok", "ok", "crash_before")
    batch = window_event(*(vote(s, poll=f"p{s}") for s in range(1, 5)))
    with pytest.raises(SimulatedCrash):
        aggregator(store).handle(batch)
    response = aggregator(store).handle(batch)  # a cold start: nothing remembered
    assert ([], {f"poll#p{s}": {"choice:yes": 1} for s in range(1, 5)}) == (
        failures(response),
        tallies(store),
    )
    # The crash struck before the third write; the retry's first two writes were refused by
    # the marks (one write each, nothing added).
    assert [1, 2, 3, 1, 2, 3, 4] == [w.first for w in store.writes]


def test_the_same_process_skips_what_it_saw_land_without_writing() -> None:
    """A retry in a warm process remembers the marks its writes moved: no write for them."""
    store = ScriptedMarkStore("ok", "lost")
    batch = window_event(vote(1, poll="p1"), vote(2, poll="p2"))
    warm = aggregator(store)
    assert ["2"] == failures(warm.handle(batch))
    assert [] == failures(warm.handle(batch))
    # p1 was seen applied: not written again; p2's lost write is refused, then nothing is left.
    assert ([1, 2, 2], {"poll#p1": {"choice:yes": 1}, "poll#p2": {"choice:yes": 1}}) == (
        [w.first for w in store.writes],
        tallies(store),
    )


def test_a_redelivery_with_more_records_applies_only_the_new_ones() -> None:
    """Applied records 1-2 come back with 3 and 4 appended: only 3 and 4 count."""
    store = ScriptedMarkStore()
    aggregator(store).handle(window_event(vote(1), vote(2, choice="no")))
    response = aggregator(store).handle(
        window_event(vote(1), vote(2, choice="no"), vote(3), vote(4, choice="no"))
    )
    assert ([], {"poll#p1": {"choice:yes": 2, "choice:no": 2}}) == (
        failures(response),
        tallies(store),
    )
    # Refused once (the mark was at 2), then written from record 3 under the exact mark.
    assert [(1, False), (1, False), (3, True)] == [(w.first, w.exact) for w in store.writes]


def test_a_shorter_redelivery_and_the_next_batch_count_each_record_once() -> None:
    """After 1-4 were applied, a retry of 1-2 changes nothing and the next batch (3-6) adds 5-6."""
    store = ScriptedMarkStore()
    aggregator(store).handle(window_event(*(vote(s) for s in range(1, 5))))
    assert [] == failures(aggregator(store).handle(window_event(vote(1), vote(2))))
    aggregator(store).handle(window_event(*(vote(s) for s in range(3, 7))))
    assert {"poll#p1": {"choice:yes": 6}} == tallies(store)


def test_a_bisected_retry_counts_each_record_once() -> None:
    """Halves of a partly applied batch (BisectBatchOnFunctionError) settle item by item."""
    store = ScriptedMarkStore("ok", "ok", "crash_before")
    records = [vote(s, poll=f"p{s % 3}") for s in range(1, 9)]
    with pytest.raises(SimulatedCrash):
        aggregator(store).handle(window_event(*records))
    aggregator(store).handle(window_event(*records[:4]))
    aggregator(store).handle(window_event(*records[4:]))
    assert {
        "poll#p0": {"choice:yes": 2},
        "poll#p1": {"choice:yes": 3},
        "poll#p2": {"choice:yes": 3},
    } == (tallies(store))


def test_a_write_held_in_flight_that_lands_after_the_retry_is_refused() -> None:
    """A timed-out write that lands after the retry applied the records adds nothing."""
    store = ScriptedMarkStore("hold")
    batch = window_event(vote(1), vote(2))
    assert ["1"] == failures(aggregator(store).handle(batch))
    assert [] == failures(aggregator(store).handle(batch))
    store.land_held()
    assert {"poll#p1": {"choice:yes": 2}} == tallies(store)


def test_a_write_held_in_flight_that_lands_before_the_retry_is_not_repeated() -> None:
    """A timed-out write that lands before the retry: the retry is refused and adds nothing."""
    store = ScriptedMarkStore("hold")
    batch = window_event(vote(1), vote(2))
    aggregator(store).handle(batch)
    store.land_held()
    aggregator(store).handle(batch)
    assert {"poll#p1": {"choice:yes": 2}} == tallies(store)


def test_a_throttled_item_reports_the_lowest_record_not_applied_everywhere() -> None:
    """Items are written in order of first record; a refusal reports the lowest unwritten one."""
    store = ScriptedMarkStore("ok", "throttle")
    # p1 <- 1, 4; p2 <- 2, 5; p3 <- 3: p1 written, p2 throttled: resume from record 2.
    batch = window_event(
        vote(1), vote(2, poll="p2"), vote(3, poll="p3"), vote(4), vote(5, poll="p2")
    )
    response = aggregator(store).handle(batch)
    assert (["2"], {"poll#p1": {"choice:yes": 2}}) == (failures(response), tallies(store))
    # Lambda resumes from record 2: p1's record 4 is skipped by its mark.
    aggregator(store).handle(window_event(*batch["Records"][1:]))
    assert {
        "poll#p1": {"choice:yes": 2},
        "poll#p2": {"choice:yes": 2},
        "poll#p3": {"choice:yes": 1},
    } == (tallies(store))


def test_records_that_cancel_out_still_move_the_mark() -> None:
    """A vote changed back and forth in one batch writes no delta but moves the mark."""
    store = ScriptedMarkStore("ok", "crash_before")
    first = window_event(vote(1))
    aggregator(store).handle(first)
    flip = window_event(vote(1), vote(2, choice="no", old="yes"), vote(3, choice="yes", old="no"))
    with pytest.raises(SimulatedCrash):
        aggregator(store).handle(flip)
    aggregator(store).handle(flip)
    assert ({"poll#p1": {"choice:yes": 1}}, {}) == (
        tallies(store),
        dict(store.writes[-1].update.deltas),
    )


def test_plain_events_are_refused_with_the_setting_to_change() -> None:
    """Without a window, events carry no shard id: the error names TumblingWindowInSeconds."""
    with pytest.raises(StreamConfigurationError, match="TumblingWindowInSeconds"):
        aggregator(InMemoryCounterStore()).handle({"Records": [vote(1)]})


def test_lanes_are_per_shard_and_consumer() -> None:
    """Two shards write separate marks; a final window call without records writes nothing."""
    store = ScriptedMarkStore()
    aggregator(store).handle(window_event(vote(5)))
    aggregator(store).handle(window_event(vote(3), shard="shardId-2"))
    empty = aggregator(store).handle({**window_event(), "isFinalInvokeForWindow": True})
    assert ({"poll#p1": {"choice:yes": 2}}, {"batchItemFailures": [], "state": {}}, 2) == (
        tallies(store),
        empty,
        len(store.writes),
    )
    assert {lane_id("vote-tally", ARN, SHARD), lane_id("vote-tally", ARN, "shardId-2")} == {
        w.lane for w in store.writes
    }


def test_write_shards_keep_a_lane_on_one_item() -> None:
    """With write shards, a lane writes a counter to one item, so a retry finds its mark."""
    store = ScriptedMarkStore()
    sharded = aggregator(store, write_shards=4)
    for start in (1, 11, 21):
        sharded.handle(window_event(*(vote(s) for s in range(start, start + 10))))
    assert (1, {"poll#p1": {"choice:yes": 30}}) == (
        len({w.update.shard for w in store.writes}),
        tallies(store),
    )


def test_an_item_with_more_fields_than_one_write_takes_several() -> None:
    """A field limit of one cuts an item's entries into runs, each under its own mark."""
    store = ScriptedMarkStore("ok", "crash_before")
    batch = window_event(vote(1, choice="a"), vote(2, choice="b"), vote(3, choice="c"))
    limited = {"limits": CommitLimits(max_fields_per_item=1)}
    with pytest.raises(SimulatedCrash):
        aggregator(store, **limited).handle(batch)
    aggregator(store, **limited).handle(batch)
    assert {"poll#p1": {"choice:a": 1, "choice:b": 1, "choice:c": 1}} == tallies(store)


def test_expired_marks_are_removed_once_an_item_nears_one_kilobyte() -> None:
    """Marks a day old on a large item go in one conditional write; fresh marks stay."""
    store = ScriptedMarkStore()
    day_ago = int(NOW) - 26 * 3600
    for index in range(15):  # fifteen shards wrote the item a day ago
        mark = ItemMark(sequence=index, at=day_ago)
        store.inner.write_marked(
            _marked(lane=f"old{index:02d}", first=index, mark=mark, choice=f"c{index}")
        )
    response = aggregator(store).handle(window_event(vote(100)))
    marks = store.inner.write_marked(
        _marked(lane="probe", first=1, mark=ItemMark(sequence=1, at=0))
    ).marks
    assert ([], 1, {lane_id("vote-tally", ARN, SHARD), "probe"}) == (
        failures(response),
        store.removals,
        set(marks),
    )


def test_small_items_keep_their_expired_marks() -> None:
    """Below the size where a write costs two units, no cleanup write is spent."""
    store = ScriptedMarkStore()
    store.inner.write_marked(
        _marked(lane="old", first=1, mark=ItemMark(sequence=1, at=0), choice="x")
    )
    aggregator(store).handle(window_event(vote(100)))
    assert (0, True) == (store.removals, store.inner._size(("poll#p1", "tally", 0)) < CLEANUP_BYTES)


def _marked(*, lane: str, first: int, mark: ItemMark, choice: str = "yes") -> MarkedWrite:
    from feedback_core.aggregate import CounterUpdate, MarkedWrite

    return MarkedWrite(
        update=CounterUpdate(
            key=CounterKey(group="poll#p1", name="tally"), deltas={f"choice:{choice}": 1}
        ),
        lane=lane,
        first=first,
        mark=mark,
    )


def test_a_folding_windows_state_is_written_when_item_marks_take_over() -> None:
    """Switching from a folding window to item marks loses nothing folded, counts nothing twice."""
    store = InMemoryCounterStore()
    folding = StreamAggregator(projection=vote_tally(), store=store, clock=lambda: NOW)
    state = folding.handle(window_event(vote(1), vote(2)))["state"]
    assert {} == tallies(store)  # folded, not yet written
    switched = {**window_event(vote(1), vote(2), vote(3)), "state": state}  # a retry's overlap
    for _ in range(2):  # and Lambda retrying that invocation with the same state
        assert {"batchItemFailures": [], "state": {}} == aggregator(store).handle(switched)
    assert {"poll#p1": {"choice:yes": 3}} == tallies(store)
