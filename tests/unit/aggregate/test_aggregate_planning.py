"""Planning commits: transaction-sized chunks at record boundaries, oversized records in parts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.aggregate import CommitLimits, CounterKey, Position
from feedback_core.aggregate.fold import MutableDeltas, add_into, prune
from feedback_core.aggregate.planning import Step, plan

LIMITS = CommitLimits()


def key(n: int) -> CounterKey:
    return CounterKey(group=f"poll#{n}", name="tally")


def step(sequence: int, deltas: dict[int, dict[str, int]]) -> Step:
    return Step(
        sequence=sequence,
        sequence_number=str(sequence),
        deltas={key(k): dict(v) for k, v in deltas.items()},
    )


def test_a_hot_counter_is_written_once_per_chunk() -> None:
    """A hundred votes on one poll coalesce into one update in one chunk."""
    steps = [step(i, {0: {f"choice:{'ab'[i % 2]}": 1}}) for i in range(1, 101)]
    chunks = plan(steps, None, LIMITS)
    assert [(Position(sequence=100), {key(0): {"choice:a": 50, "choice:b": 50}})] == [
        (c.end, c.deltas) for c in chunks
    ]


def test_chunks_hold_at_most_99_counter_items_and_end_at_record_boundaries() -> None:
    """Two hundred polls need three transactions (99 + 99 + 2 items), each ending on a record."""
    steps = [step(i, {i: {"choice:a": 1}}) for i in range(1, 201)]
    chunks = plan(steps, None, LIMITS)
    assert [(99, "1", 99), (99, "100", 198), (2, "199", 200)] == [
        (len(c.deltas), c.start, c.end.sequence) for c in chunks
    ]


def test_applied_records_are_skipped() -> None:
    """Records at or before the marker's position are not planned again."""
    steps = [step(i, {i: {"choice:a": 1}}) for i in range(1, 6)]
    chunks = plan(steps, Position(sequence=3), LIMITS)
    assert [("4", {key(4), key(5)})] == [(c.start, set(c.deltas)) for c in chunks]


def test_a_record_too_large_for_one_transaction_is_split_into_parts() -> None:
    """A record touching 150 items becomes two parts; only the last marks it complete."""
    big = step(7, {n: {"answered": 1} for n in range(150)})
    chunks = plan([big], None, LIMITS)
    assert [("7", Position(sequence=7, part=0), 99), (None, Position(sequence=7), 51)] == [
        (c.start, c.end, len(c.deltas)) for c in chunks
    ]


def test_a_partly_applied_record_resumes_after_its_last_part() -> None:
    """After part 0 landed, a retry plans only the remaining part."""
    big = step(7, {n: {"answered": 1} for n in range(150)})
    first, second = plan([big], None, LIMITS)
    resumed = plan([big], first.end, LIMITS)
    assert [second.deltas] == [c.deltas for c in resumed]


def test_too_many_fields_on_one_item_close_the_chunk() -> None:
    """An item's fields per update are capped, keeping the update expression small."""
    limits = CommitLimits(max_fields_per_item=3)
    steps = [step(i, {0: {f"choice:{i}": 1}}) for i in range(1, 7)]
    assert [3, 3] == [len(c.deltas[key(0)]) for c in plan(steps, None, limits)]


def test_records_that_cancel_out_leave_an_empty_chunk() -> None:
    """A vote cast and withdrawn in one batch needs no write, but its boundary is kept."""
    steps = [step(1, {0: {"choice:a": 1}}), step(2, {0: {"choice:a": -1}})]
    assert [({}, Position(sequence=2))] == [(c.deltas, c.end) for c in plan(steps, None, LIMITS)]


def test_limits_outside_a_transaction_are_refused() -> None:
    """More than 99 counter items could never fit beside the marker."""
    with pytest.raises(ValueError, match="max_items"):
        CommitLimits(max_items=100)


record_deltas = st.dictionaries(
    st.integers(0, 12),
    st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(-2, 2)),
    max_size=6,
)


@given(
    st.lists(record_deltas, min_size=1, max_size=25),
    st.integers(1, 5),
    st.integers(1, 3),
    st.integers(0, 25),
)
def test_chunks_apply_exactly_the_unapplied_records_within_limits(
    records: list[dict[int, dict[str, int]]], max_items: int, max_fields: int, applied: int
) -> None:
    """Every chunk fits the limits, and together they sum to the records after the marker."""
    limits = CommitLimits(max_items=max_items, max_fields_per_item=max_fields)
    steps = [
        step(i, {k: {f: a for f, a in v.items() if a} for k, v in d.items() if any(v.values())})
        for i, d in enumerate(records, 1)
    ]
    after = Position(sequence=applied) if applied else None
    chunks = plan(steps, after, limits)
    planned: MutableDeltas = {}
    for chunk in chunks:
        assert len(chunk.deltas) <= max_items
        assert all(len(fields) <= max_fields for fields in chunk.deltas.values())
        add_into(planned, chunk.deltas)
    expected: MutableDeltas = {}
    for s in steps:
        if s.sequence > applied:
            add_into(expected, s.deltas)
    assert prune(expected) == prune(planned)
