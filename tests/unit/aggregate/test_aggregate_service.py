"""The stream aggregator in plain (non-window) mode: exactly-once under Lambda's redeliveries."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

import pytest

from feedback_core.aggregate import (
    CommitLimits,
    CounterKey,
    InMemoryCounterStore,
    MarkerKey,
    Position,
    StreamAggregator,
    feedback_stats,
    survey_distribution,
    vote_tally,
)
from feedback_core.attributes import to_item
from feedback_core.errors import ServiceError, StreamConfigurationError, ThrottledError
from feedback_core.testing import SimulatedCrash

if TYPE_CHECKING:
    from feedback_core.aggregate import Commit, CommitOutcome, CounterGroup

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/votes/stream/2026-01-01T00:00:00.000"


class ScriptedStore:
    """A counter store fake whose commits follow a script of outcomes, then succeed."""

    def __init__(self, *script: str) -> None:
        self.inner = InMemoryCounterStore()
        self.script = deque(script)
        self.commits: list[Commit] = []

    def load_marker(self, marker: MarkerKey) -> Position | None:
        return self.inner.load_marker(marker)

    def commit(self, commit: Commit) -> CommitOutcome:
        action = self.script.popleft() if self.script else "ok"
        self.commits.append(commit)
        if action == "throttle":
            raise ThrottledError("TransactWriteItems", "ThrottlingException")
        if action == "crash_before":
            raise SimulatedCrash
        outcome = self.inner.commit(commit)
        if action == "crash_after":
            raise SimulatedCrash
        if action == "ambiguous":
            raise ServiceError("TransactWriteItems", "RequestTimeout")
        return outcome

    def read_group(self, group: str) -> CounterGroup:
        return self.inner.read_group(group)


def vote_record(
    sequence: int, choice: str | None = "yes", *, old: str | None = None, poll: str = "p1"
) -> dict[str, Any]:
    name = "MODIFY" if choice and old else ("INSERT" if choice else "REMOVE")
    data: dict[str, Any] = {
        "SequenceNumber": str(sequence),
        "Keys": to_item({"pollId": poll, "userId": f"u{sequence}"}),
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        "ApproximateCreationDateTime": 1795000000 + sequence,
    }
    if choice:
        data["NewImage"] = to_item({"pollId": poll, "userId": f"u{sequence}", "choice": choice})
    if old:
        data["OldImage"] = to_item({"pollId": poll, "userId": f"u{sequence}", "choice": old})
    return {"eventID": str(sequence), "eventName": name, "eventSourceARN": ARN, "dynamodb": data}


def event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def tally(store: ScriptedStore | InMemoryCounterStore, poll: str = "p1") -> dict[str, Any]:
    item = store.read_group(f"poll#{poll}").items.get("tally")
    return {} if item is None else {f: a for f, a in item.fields.items() if a}


def failures(response: dict[str, object]) -> list[str]:
    return [f["itemIdentifier"] for f in response["batchItemFailures"]]  # type: ignore[attr-defined]  # test shape


def test_a_batch_is_applied_with_one_commit() -> None:
    """Three votes on one poll: one commit, no failures, the tally counts them."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    response = aggregator.handle(event(vote_record(1), vote_record(2), vote_record(3, "no")))
    assert ([], 1, {"choice:yes": 2, "choice:no": 1}) == (
        failures(response),
        len(store.commits),
        tally(store),
    )


def test_a_redelivered_batch_changes_nothing() -> None:
    """Lambda retrying a batch that was applied (crash after commit) does not count twice."""
    store = ScriptedStore("crash_after")
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    batch = event(vote_record(1), vote_record(2))
    with pytest.raises(SimulatedCrash):
        aggregator.handle(batch)
    assert ([], {"choice:yes": 2}) == (failures(aggregator.handle(batch)), tally(store))


def test_a_retry_with_more_records_applies_only_the_new_ones() -> None:
    """A batch retried from its checkpoint with records appended applies just those."""
    store = ScriptedStore("crash_after")
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    with pytest.raises(SimulatedCrash):
        aggregator.handle(event(vote_record(1), vote_record(2)))
    aggregator.handle(event(vote_record(1), vote_record(2), vote_record(3, "no")))
    assert {"choice:yes": 2, "choice:no": 1} == tally(store)


def test_a_crash_before_commit_loses_nothing() -> None:
    """Nothing was written, so the retry applies everything."""
    store = ScriptedStore("crash_before")
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    with pytest.raises(SimulatedCrash):
        aggregator.handle(event(vote_record(1)))
    aggregator.handle(event(vote_record(1)))
    assert {"choice:yes": 1} == tally(store)


def test_throttling_reports_the_failed_chunk_first_record() -> None:
    """A chunk refused by throttling is certainly not applied: Lambda resumes from it."""
    store = ScriptedStore("ok", "throttle")
    aggregator = StreamAggregator(
        projection=vote_tally(), store=store, limits=CommitLimits(max_items=1)
    )
    records = [vote_record(1), vote_record(2, poll="p2"), vote_record(3, poll="p3")]
    response = aggregator.handle(event(*records))
    resumed = aggregator.handle(event(*records[1:]))
    assert (["2"], [], {"choice:yes": 1}) == (
        failures(response),
        failures(resumed),
        tally(store, "p2"),
    )


def test_an_unknown_outcome_reports_the_batch_first_record() -> None:
    """A commit that may have landed makes Lambda retry the whole batch; the marker decides."""
    store = ScriptedStore("ok", "ambiguous")
    aggregator = StreamAggregator(
        projection=vote_tally(), store=store, limits=CommitLimits(max_items=1)
    )
    batch = event(vote_record(1), vote_record(2, poll="p2"), vote_record(3, poll="p3"))
    response = aggregator.handle(batch)
    retried = aggregator.handle(batch)
    assert (["1"], [], [1, 1, 1]) == (
        failures(response),
        failures(retried),
        [tally(store, p)["choice:yes"] for p in ("p1", "p2", "p3")],
    )


def test_a_late_duplicate_commit_is_rejected() -> None:
    """A delayed copy of an applied commit fails the marker's condition and adds nothing."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    aggregator.handle(event(vote_record(1)))
    outcome = store.inner.commit(store.commits[0])
    assert ("conflict", {"choice:yes": 1}) == (outcome.value, tally(store))


def test_a_shorter_redelivery_hands_its_progress_to_the_next_batch() -> None:
    """If a retry is shorter than an applied delivery, the rest is not counted twice."""
    store = ScriptedStore("crash_after")
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    records = [vote_record(i) for i in range(1, 5)]
    with pytest.raises(SimulatedCrash):
        aggregator.handle(event(*records))  # all four applied, then the process died
    short = aggregator.handle(event(*records[:2]))  # GetRecords returned only two this time
    resumed = aggregator.handle(event(*records[1:]))  # Lambda resumes at the reported record
    assert (["2"], [], {"choice:yes": 4}) == (failures(short), failures(resumed), tally(store))


def test_a_single_record_shorter_redelivery_waits_for_a_longer_one() -> None:
    """A one-record retry inside an applied delivery is reported failed, not skipped past."""
    store = ScriptedStore("crash_after")
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    with pytest.raises(SimulatedCrash):
        aggregator.handle(event(vote_record(1), vote_record(2)))
    assert ["1"] == failures(aggregator.handle(event(vote_record(1))))


def test_a_batch_that_cancels_out_still_checks_for_a_longer_earlier_delivery() -> None:
    """A no-op retry reads its marker: an earlier, longer delivery may have gone further."""
    store = ScriptedStore("crash_after")
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    noop = vote_record(1, "yes", old="yes")  # a MODIFY that changes nothing counted
    with pytest.raises(SimulatedCrash):
        aggregator.handle(event(noop, vote_record(2), vote_record(3)))
    short = aggregator.handle(event(noop, vote_record(2)))
    assert (["2"], {"choice:yes": 2}) == (failures(short), tally(store))


def test_a_vote_changed_and_withdrawn_is_counted_correctly() -> None:
    """INSERT, MODIFY and REMOVE of one vote in a batch net out: no counter is written."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    aggregator.handle(
        event(vote_record(1), vote_record(2, "no", old="yes"), vote_record(3, None, old="no"))
    )
    # Only the marker is written (it fences out requests of any earlier delivery).
    assert ({}, [()]) == (tally(store), [c.updates for c in store.commits])


def test_more_than_99_counter_items_are_chunked_and_all_applied() -> None:
    """A batch over 250 polls commits in three transactions, and every vote counts once."""
    store = ScriptedStore()
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    aggregator.handle(event(*[vote_record(i, poll=f"p{i}") for i in range(1, 251)]))
    assert (3, 250) == (
        len(store.commits),
        sum(tally(store, f"p{i}").get("choice:yes", 0) for i in range(1, 251)),
    )


def test_an_oversized_record_is_applied_exactly_once_across_crashes() -> None:
    """A survey response touching 150 counter items is split into parts; crashes never double it."""
    store = ScriptedStore("ok", "crash_after", "crash_before")
    aggregator = StreamAggregator(projection=survey_distribution(), store=store)
    answers = {f"q{n}": n for n in range(149)}
    item = {"surveyId": "s1", "responseId": "r1", "answers": answers}
    raw = {
        "eventName": "INSERT",
        "eventSourceARN": ARN,
        "dynamodb": {"SequenceNumber": "9", "Keys": {}, "NewImage": to_item(item)},
    }
    for _ in range(2):
        with pytest.raises(SimulatedCrash):
            aggregator.handle(event(raw))
    aggregator.handle(event(raw))
    group = store.read_group("survey#s1")
    assert (1, [1] * 149) == (
        group.get("total", "responses"),
        [group.get(f"question:q{n}", "answered") for n in range(149)],
    )


def test_a_stream_without_old_images_is_a_configuration_error() -> None:
    """A MODIFY on a NEW_IMAGE stream cannot be counted; the handler fails loudly."""
    record = vote_record(1, "no", old="yes")
    del record["dynamodb"]["OldImage"]
    record["dynamodb"]["StreamViewType"] = "NEW_IMAGE"
    aggregator = StreamAggregator(projection=vote_tally(), store=InMemoryCounterStore())
    with pytest.raises(StreamConfigurationError, match="NEW_AND_OLD_IMAGES"):
        aggregator.handle(event(record))


def test_write_shards_spread_a_hot_counter_and_reads_merge_them() -> None:
    """With four write shards, chunks land on different items; the read sums them."""
    store = ScriptedStore()
    aggregator = StreamAggregator(
        projection=vote_tally(), store=store, write_shards=4, limits=CommitLimits(max_items=1)
    )
    for first in range(1, 200, 10):
        aggregator.handle(event(*[vote_record(i) for i in range(first, first + 10)]))
    shards = {u.shard for c in store.commits for u in c.updates}
    assert (True, {"choice:yes": 200}) == (len(shards) > 1, tally(store))


def test_two_consumers_on_one_stream_keep_separate_progress() -> None:
    """The projection's name keys the marker, so a second read model is not skipped."""
    store = InMemoryCounterStore()
    batch = event(vote_record(1))
    StreamAggregator(projection=vote_tally(), store=store).handle(batch)
    StreamAggregator(projection=vote_tally(), store=store, consumer="tally-copy").handle(batch)
    assert {"choice:yes": 2} == tally(store)


def test_counter_items_record_when_they_last_changed() -> None:
    """updatedAt is the newest source change folded in, as ISO-8601 UTC."""
    store = InMemoryCounterStore()
    StreamAggregator(projection=vote_tally(), store=store).handle(event(vote_record(5)))
    assert "2026-11-18T11:06:45Z" == store.read_group("poll#p1").updated_at


def test_markers_expire_after_the_configured_time() -> None:
    """A marker's expiry is the clock plus the marker TTL (default 48 hours)."""
    store = ScriptedStore()
    StreamAggregator(projection=vote_tally(), store=store, clock=lambda: 1000.0).handle(
        event(vote_record(1))
    )
    assert 1000 + 48 * 3600 == store.commits[0].expires_at


def test_a_marker_that_keeps_moving_is_a_configuration_error() -> None:
    """Two processes applying the same records (e.g. ParallelizationFactor > 1) are detected."""

    class Racing(ScriptedStore):
        def commit(self, commit: Commit) -> CommitOutcome:
            # Another process moves the marker just before each of our commits.
            current = self.inner.load_marker(commit.marker)
            rival = Position(sequence=(current.sequence if current else 0), part=len(self.commits))
            self.inner.commit(
                commit.__class__(
                    marker=commit.marker,
                    expected=current,
                    position=rival,
                    updates=(),
                    expires_at=0,
                )
            )
            return super().commit(commit)

    aggregator = StreamAggregator(projection=vote_tally(), store=Racing(), max_conflicts=3)
    with pytest.raises(StreamConfigurationError, match="ParallelizationFactor"):
        aggregator.handle(event(vote_record(1)))


def test_an_empty_batch_does_nothing() -> None:
    """No records, no writes, no failures."""
    store = ScriptedStore()
    response = StreamAggregator(projection=feedback_stats(), store=store).handle(event())
    assert ([], []) == (failures(response), store.commits)


def test_the_marker_is_keyed_by_the_batch_first_record() -> None:
    """The progress marker's origin is the first record's sequence number."""
    store = ScriptedStore()
    StreamAggregator(projection=vote_tally(), store=store).handle(
        event(vote_record(7), vote_record(8))
    )
    assert MarkerKey(consumer="vote-tally", stream=ARN, origin="batch:7") == store.commits[0].marker


def test_counter_keys_in_commits_are_sorted() -> None:
    """Commits list their updates in a stable order (deterministic requests and tokens)."""
    store = ScriptedStore()
    StreamAggregator(projection=vote_tally(), store=store).handle(
        event(vote_record(1, poll="b"), vote_record(2, poll="a"))
    )
    assert [CounterKey(group="poll#a", name="tally"), CounterKey(group="poll#b", name="tally")] == [
        u.key for u in store.commits[0].updates
    ]


def test_a_redelivery_out_of_order_changes_nothing() -> None:
    """A retried batch whose records come back out of order is recognised and skipped."""
    store = ScriptedStore("crash_after")
    aggregator = StreamAggregator(projection=vote_tally(), store=store)
    with pytest.raises(SimulatedCrash):
        aggregator.handle(event(vote_record(1), vote_record(2), vote_record(3, "no")))
    aggregator.handle(event(vote_record(3, "no"), vote_record(1), vote_record(2)))
    assert {"choice:yes": 2, "choice:no": 1} == tally(store)
