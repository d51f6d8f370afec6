"""mypy proves the counter stores and projections fit their ports; pytest imports it too.

If an adapter drifts from :class:`CounterStore`, or a built-in projection from
:class:`Projection`, ``mypy --strict`` fails on the assignments below.
"""

from __future__ import annotations

from feedback_core.aggregate import (
    CounterStore,
    DynamoDBCounterStore,
    InMemoryCounterStore,
    Projection,
    StreamAggregator,
    combine,
    feedback_stats,
    survey_distribution,
    vote_tally,
)
from feedback_core.testing import FaultyCounterStore, StreamHandler, StreamSimulator

memory_store: CounterStore = InMemoryCounterStore()
dynamodb_store: CounterStore = DynamoDBCounterStore(table_name="counters")
faulty_store: CounterStore = FaultyCounterStore(memory_store, StreamSimulator(key=("k",)).injector)

votes: Projection = vote_tally()
feedback: Projection = feedback_stats()
surveys: Projection = survey_distribution()
everything: Projection = combine(votes, feedback, surveys)

handler: StreamHandler = StreamAggregator(projection=votes, store=dynamodb_store).handle


def test_adapters_and_projections_fit_their_ports() -> None:
    """The module imports, so the assignments above ran (mypy checks them statically)."""
    assert callable(handler)
