"""One contract for every CounterStore: the in-memory adapter and DynamoDB (on moto) must agree."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from feedback_core.aggregate import (
    Commit,
    CommitOutcome,
    CounterKey,
    CounterStore,
    CounterUpdate,
    DynamoDBCounterStore,
    InMemoryCounterStore,
    ItemMark,
    MarkedWrite,
    MarkerKey,
    Position,
    create_counters_table,
)
from feedback_core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterator

MARKER = MarkerKey(consumer="vote-tally", stream="arn:stream", origin="batch:100")
TALLY = CounterKey(group="poll#p1", name="tally")


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Iterator[CounterStore]:
    if request.param == "memory":
        yield InMemoryCounterStore()
        return
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_counters_table("counters", client=client)
        yield DynamoDBCounterStore(table_name="counters", client=client, consistent_reads=True)


def commit(
    *updates: CounterUpdate,
    expected: Position | None = None,
    position: Position | None = None,
    marker: MarkerKey = MARKER,
) -> Commit:
    return Commit(
        marker=marker,
        expected=expected,
        position=position or Position(sequence=105),
        updates=updates,
        expires_at=1_800_000_000,
    )


def add(
    deltas: dict[str, int | Decimal],
    *,
    key: CounterKey = TALLY,
    shard: int = 0,
    at: str | None = None,
) -> CounterUpdate:
    return CounterUpdate(key=key, shard=shard, deltas=deltas, updated_at=at)


def test_an_absent_marker_has_no_position(store: CounterStore) -> None:
    """A marker nobody wrote reads as None."""
    assert store.load_marker(MARKER) is None


def test_a_commit_applies_deltas_and_moves_the_marker(store: CounterStore) -> None:
    """After a commit, the counters hold the deltas and the marker the new position."""
    outcome = store.commit(commit(add({"choice:yes": 2, "choice:no": 1})))
    assert (CommitOutcome.COMMITTED, Position(sequence=105), {"choice:yes": 2, "choice:no": 1}) == (
        outcome,
        store.load_marker(MARKER),
        dict(store.read_group("poll#p1").items["tally"].fields),
    )


def test_commits_add_up(store: CounterStore) -> None:
    """Deltas add to what is there; negative deltas subtract."""
    store.commit(commit(add({"choice:yes": 2})))
    store.commit(
        commit(
            add({"choice:yes": -1}),
            expected=Position(sequence=105),
            position=Position(sequence=110),
        )
    )
    assert 1 == store.read_group("poll#p1").get("tally", "choice:yes")


def test_a_commit_expecting_the_wrong_position_applies_nothing(store: CounterStore) -> None:
    """A duplicated commit fails the marker's condition; no delta lands."""
    first = commit(add({"choice:yes": 1}))
    store.commit(first)
    assert (CommitOutcome.CONFLICT, 1, Position(sequence=105)) == (
        store.commit(first),
        store.read_group("poll#p1").get("tally", "choice:yes"),
        store.load_marker(MARKER),
    )


def test_a_commit_expecting_a_marker_that_is_absent_conflicts(store: CounterStore) -> None:
    """Expecting a position the marker never had is a conflict, not a write."""
    outcome = store.commit(commit(add({"choice:yes": 1}), expected=Position(sequence=99)))
    assert (CommitOutcome.CONFLICT, {}) == (outcome, dict(store.read_group("poll#p1").items))


def test_partial_positions_round_trip(store: CounterStore) -> None:
    """A marker can stand inside a record split into parts."""
    store.commit(commit(add({"answered": 1}), position=Position(sequence=105, part=2)))
    assert Position(sequence=105, part=2) == store.load_marker(MARKER)


def test_markers_are_independent(store: CounterStore) -> None:
    """Each batch's marker is its own."""
    other = MarkerKey(consumer="vote-tally", stream="arn:stream", origin="batch:200")
    store.commit(commit(add({"choice:yes": 1})))
    store.commit(commit(add({"choice:yes": 1}), marker=other, position=Position(sequence=201)))
    assert (Position(sequence=105), Position(sequence=201), 2) == (
        store.load_marker(MARKER),
        store.load_marker(other),
        store.read_group("poll#p1").get("tally", "choice:yes"),
    )


def test_a_commit_without_updates_moves_only_the_marker(store: CounterStore) -> None:
    """Carrying progress to another marker writes no counters."""
    assert (CommitOutcome.COMMITTED, {}) == (
        store.commit(commit()),
        dict(store.read_group("poll#p1").items),
    )


def test_write_shards_are_merged_on_read(store: CounterStore) -> None:
    """Deltas spread over shards of one counter item read back as one item."""
    store.commit(
        commit(add({"choice:yes": 1}, shard=0), add({"choice:yes": 2, "choice:no": 1}, shard=3))
    )
    assert {"choice:yes": 3, "choice:no": 1} == dict(
        store.read_group("poll#p1").items["tally"].fields
    )


def test_decimal_amounts_stay_exact(store: CounterStore) -> None:
    """Decimal sums round-trip without binary floating point."""
    key = CounterKey(group="survey#s1", name="question:score")
    store.commit(
        commit(
            add({"sum": Decimal("0.1")}, key=key), add({"sum": Decimal("0.2")}, key=key, shard=1)
        )
    )
    assert Decimal("0.3") == store.read_group("survey#s1").get("question:score", "sum")


def test_a_group_holds_all_its_items_and_only_them(store: CounterStore) -> None:
    """A read returns every item of the group, none of another group, and no markers."""
    day = CounterKey(group="feedback", name="day:2026-11-22")
    total = CounterKey(group="feedback", name="total")
    store.commit(
        commit(add({"count": 1}, key=day), add({"count": 1}, key=total), add({"choice:a": 1}))
    )
    assert ["day:2026-11-22", "total"] == sorted(store.read_group("feedback").items)


def test_the_newest_update_time_is_kept(store: CounterStore) -> None:
    """A group's updated_at is the newest of its items'."""
    day = CounterKey(group="feedback", name="day:2026-11-22")
    total = CounterKey(group="feedback", name="total")
    store.commit(
        commit(
            add({"count": 1}, key=day, at="2026-11-22T10:00:00Z"),
            add({"count": 1}, key=total, at="2026-11-22T11:00:00Z"),
        )
    )
    assert "2026-11-22T11:00:00Z" == store.read_group("feedback").updated_at


def test_a_transaction_holds_at_most_100_actions(store: CounterStore) -> None:
    """99 counter items and the marker fit; 100 items and the marker do not (as on AWS)."""
    keys = [CounterKey(group="poll#p1", name=f"item{n:03d}") for n in range(100)]
    fits = store.commit(commit(*(add({"n": 1}, key=k) for k in keys[:99])))
    with pytest.raises(ServiceError) as refused:
        store.commit(
            commit(
                *(add({"n": 1}, key=k) for k in keys),
                expected=Position(sequence=105),
                position=Position(sequence=106),
            )
        )
    assert (CommitOutcome.COMMITTED, "ValidationException") == (fits, refused.value.code)


def test_two_updates_of_one_item_are_refused(store: CounterStore) -> None:
    """A transaction may not touch one item twice (as on AWS); nothing is applied."""
    with pytest.raises(ServiceError):
        store.commit(commit(add({"choice:a": 1}), add({"choice:b": 1})))
    assert (None, {}) == (store.load_marker(MARKER), dict(store.read_group("poll#p1").items))


# -- item marks ----------------------------------------------------------------------------


def marked(
    deltas: dict[str, int | Decimal],
    *,
    first: int,
    last: int,
    lane: str = "laneA",
    exact: bool = False,
    expected: ItemMark | None = None,
    shard: int = 0,
) -> MarkedWrite:
    return MarkedWrite(
        update=add(deltas, shard=shard, at="2026-11-30T00:00:00Z"),
        lane=lane,
        first=first,
        mark=ItemMark(sequence=last, at=1_800_000_000),
        exact=exact,
        expected=expected,
    )


def test_a_marked_write_adds_and_moves_the_lanes_mark(store: CounterStore) -> None:
    """A first write applies, and returns the item's marks and its size."""
    outcome = store.write_marked(marked({"choice:yes": 2}, first=100, last=105))
    assert (True, {"laneA": ItemMark(sequence=105, at=1_800_000_000)}) == (
        outcome.applied,
        dict(outcome.marks),
    )
    assert 0 < outcome.size < 1024
    assert 2 == store.read_group("poll#p1").get("tally", "choice:yes")


def test_a_marked_write_at_or_below_the_mark_is_refused_with_the_mark(
    store: CounterStore,
) -> None:
    """The same write again (a resend) is refused, applies nothing, and reports the mark."""
    write = marked({"choice:yes": 2}, first=100, last=105)
    store.write_marked(write)
    again = store.write_marked(write)
    overlapping = store.write_marked(marked({"choice:yes": 1}, first=105, last=110))
    assert (False, False, ItemMark(sequence=105, at=1_800_000_000)) == (
        again.applied,
        overlapping.applied,
        again.marks["laneA"],
    )
    assert 2 == store.read_group("poll#p1").get("tally", "choice:yes")


def test_marks_of_different_lanes_are_independent(store: CounterStore) -> None:
    """Another shard's records, whatever their sequence numbers, are not covered by laneA's mark."""
    store.write_marked(marked({"choice:yes": 1}, first=500, last=500))
    other = store.write_marked(marked({"choice:yes": 1}, first=100, last=100, lane="laneB"))
    assert (True, 2) == (other.applied, store.read_group("poll#p1").get("tally", "choice:yes"))


def test_an_exact_write_applies_only_at_the_expected_mark(store: CounterStore) -> None:
    """After a refusal, a write conditioned on the mark read applies once, then is refused."""
    store.write_marked(marked({"choice:yes": 1}, first=100, last=105))
    seen = ItemMark(sequence=105, at=1_800_000_000)
    follow = marked({"choice:no": 1}, first=108, last=110, exact=True, expected=seen)
    assert (True, False) == (store.write_marked(follow).applied, store.write_marked(follow).applied)
    absent = marked({"choice:no": 1}, first=108, last=110, lane="laneC", exact=True)
    assert store.write_marked(absent).applied
    assert {"choice:yes": 1, "choice:no": 2} == dict(
        store.read_group("poll#p1").items["tally"].fields
    )


def test_a_write_without_deltas_moves_only_the_mark(store: CounterStore) -> None:
    """Records that cancel out still move the mark, so a retry of a longer run is refused."""
    store.write_marked(marked({}, first=100, last=105))
    assert not store.write_marked(marked({"choice:yes": 1}, first=101, last=101)).applied
    assert {} == {
        name: dict(item.fields)
        for name, item in store.read_group("poll#p1").items.items()
        if item.fields
    }


def test_sequence_numbers_of_different_lengths_compare_as_numbers(store: CounterStore) -> None:
    """A 21-digit mark is below a 22-digit first record (the stored text is zero-padded)."""
    store.write_marked(marked({"choice:yes": 1}, first=9 * 10**20, last=9 * 10**20))
    later = store.write_marked(marked({"choice:yes": 1}, first=10**21, last=10**21))
    assert (True, 2) == (later.applied, store.read_group("poll#p1").get("tally", "choice:yes"))


def test_marks_are_not_counter_fields(store: CounterStore) -> None:
    """A group read merges write shards and leaves the marks out."""
    store.write_marked(marked({"choice:yes": 1}, first=1, last=1))
    store.write_marked(marked({"choice:yes": 2}, first=1, last=1, shard=2))
    item = store.read_group("poll#p1").items["tally"]
    assert ({"choice:yes": 3}, "2026-11-30T00:00:00Z") == (dict(item.fields), item.updated_at)


def test_remove_marks_only_removes_marks_still_as_seen(store: CounterStore) -> None:
    """A mark that moved since it was seen is kept (nothing removed); one as seen goes."""
    store.write_marked(marked({"choice:yes": 1}, first=1, last=5))
    old = ItemMark(sequence=5, at=1_800_000_000)
    store.write_marked(marked({"choice:yes": 1}, first=1, last=5, lane="laneB"))
    assert not store.remove_marks(TALLY, 0, {"laneA": ItemMark(sequence=4, at=1_800_000_000)})
    assert store.remove_marks(TALLY, 0, {"laneA": old})
    # With laneA's mark gone, its records count again: only records that can no longer be
    # redelivered may lose their mark (the writer removes marks a day old).
    outcome = store.write_marked(marked({"choice:yes": 1}, first=6, last=6))
    assert (True, {"laneA", "laneB"}) == (outcome.applied, set(outcome.marks))
