"""The code shown in docs/aggregate.md runs and does what the page says."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import pytest
import yaml

from docs.examples.aggregate import custom_projection, read_results, simulator_check
from feedback_core.aggregate import (
    DynamoDBCounterStore,
    InMemoryCounterStore,
    StreamAggregator,
    create_counters_table,
    recount,
    vote_tally,
)

from .test_aggregate_service import event, vote_record

if TYPE_CHECKING:
    from types import ModuleType

EXAMPLES = Path(__file__).parents[3] / "docs" / "examples" / "aggregate"


@pytest.fixture
def stream_handler(aws: None, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    import boto3

    create_counters_table("counters", client=boto3.client("dynamodb", region_name="us-east-1"))
    monkeypatch.setenv("COUNTERS_TABLE", "counters")
    import docs.examples.aggregate.stream_handler as module

    return importlib.reload(module)  # build the aggregator inside this test's moto


def test_the_stream_handler_counts_a_redelivered_batch_once(stream_handler: ModuleType) -> None:
    """The thin handler applies a batch; a redelivery of it changes nothing."""
    batch = event(vote_record(1), vote_record(2, "no"))
    responses = [stream_handler.handler(batch, None) for _ in range(2)]
    store = DynamoDBCounterStore(table_name="counters")
    assert ([{"batchItemFailures": []}] * 2, {"choice:yes": 1, "choice:no": 1}) == (
        responses,
        dict(store.read_group("poll#p1").items["tally"].fields),
    )


def test_the_custom_projection_counts_unhappy_customers() -> None:
    """Ratings 1-2 count as unhappy; items without a customer count nothing."""
    items: list[dict[str, Any]] = [
        {"customerId": "c1", "rating": 1},
        {"customerId": "c1", "rating": 5},
        {"rating": 1},
    ]
    assert {("customer#c1", "feedback"): {"count": 2, "unhappy": 1}} == recount(
        items, custom_projection.feedback_by_customer
    ).as_dict()


def test_the_read_endpoints_return_json_bodies() -> None:
    """The three GET bodies are JSON with the documented top-level fields."""
    store = InMemoryCounterStore()
    StreamAggregator(projection=vote_tally(), store=store).handle(event(vote_record(1)))
    bodies = [
        orjson.loads(read_results.get_poll_results(store, "p1")),
        orjson.loads(read_results.get_analytics(store)),
        orjson.loads(read_results.get_survey_summary(store, "s1")),
    ]
    assert (1, 0, 0) == (bodies[0]["totalVotes"], bodies[1]["count"], bodies[2]["responses"])


@pytest.mark.parametrize("seed", range(5))
def test_the_simulator_example_finds_exact_counts(seed: int) -> None:
    """The integrator-style check passes under its fault schedule."""
    assert simulator_check.counters_match_a_recount(seed)


def test_the_event_source_mapping_has_the_required_settings() -> None:
    """The snippet sets every setting the exactly-once argument relies on."""
    mapping = yaml.safe_load((EXAMPLES / "event_source_mapping.yaml").read_text())
    properties = mapping["VotesStreamMapping"]["Properties"]
    assert (["ReportBatchItemFailures"], 1, False, -1) == (
        properties["FunctionResponseTypes"],
        properties["ParallelizationFactor"],
        properties["BisectBatchOnFunctionError"],
        properties["MaximumRetryAttempts"],
    )
