"""Write units of the item-mark scheme on DynamoDB (moto), counted, not timed (issue 15).

Requests are counted on the real boto3 client with botocore's event system, and each written
item is read back (with a client that is not counted) for its size: DynamoDB bills a write one
unit per started kilobyte of the larger of the item before and after it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from feedback_core.aggregate import (
    DynamoDBCounterStore,
    StreamAggregator,
    create_counters_table,
    vote_tally,
)
from feedback_core.attributes import item_size, write_units
from feedback_core.reports.activity import with_activity
from tests.unit.aggregate.test_aggregate_marks import vote, window_event

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

TABLE = "counters"


class Billing:
    """Requests by operation, and the write units they bill by the items' real sizes."""

    def __init__(self, reader: DynamoDBClient) -> None:
        self.requests: Counter[str] = Counter()
        self.units = 0
        self.items: set[tuple[str, str]] = set()
        self._reader = reader
        self._sizes: dict[tuple[str, str], int] = {}

    def before(self, model: Any, params: dict[str, Any], context: Any, **_: Any) -> None:
        self.requests[model.name] += 1
        context["billing_params"] = params

    def after(self, model: Any, context: Any, **_: Any) -> None:
        if model.name != "UpdateItem":
            return
        key = context["billing_params"]["Key"]
        slot = (key["pk"]["S"], key["sk"]["S"])
        size = item_size(self._reader.get_item(TableName=TABLE, Key=key)["Item"])
        self.units += write_units(self._sizes.get(slot, 0), size)
        self._sizes[slot] = size
        self.items.add(slot)


@pytest.fixture
def billing(aws: None) -> tuple[DynamoDBClient, Billing]:
    client = boto3.client("dynamodb")
    create_counters_table(TABLE, client=client)
    counted = Billing(boto3.client("dynamodb"))
    client.meta.events.register("before-parameter-build.dynamodb.*", counted.before)
    client.meta.events.register("after-call.dynamodb.*", counted.after)
    return client, counted


def aggregator(client: DynamoDBClient) -> StreamAggregator:
    return StreamAggregator(
        # The reference handler's projection: the poll tallies and the per-day poll activity.
        projection=with_activity(vote_tally()),
        store=DynamoDBCounterStore(table_name=TABLE, client=client),
        counter_writes="item-marks",
    )


def test_a_spread_batch_bills_at_most_one_unit_per_distinct_counter_item(
    billing: tuple[DynamoDBClient, Billing],
) -> None:
    """100 votes on 100 polls: one UpdateItem per counter item, each one unit, nothing else."""
    client, counted = billing
    response = aggregator(client).handle(
        window_event(*(vote(s, poll=f"p{s}") for s in range(1, 101)))
    )
    distinct = len(counted.items)  # 100 poll tallies + each poll's activity item for the day
    assert ([], 200) == (response["batchItemFailures"], distinct)
    assert ({"UpdateItem": distinct}, distinct) == (dict(counted.requests), counted.units)


def test_a_redelivered_spread_batch_bills_one_refused_write_per_item_and_adds_nothing(
    billing: tuple[DynamoDBClient, Billing],
) -> None:
    """A cold-start redelivery pays one unit per item (a refused conditional write), no read."""
    client, counted = billing
    batch = window_event(*(vote(s, poll=f"p{s}") for s in range(1, 21)))
    aggregator(client).handle(batch)
    first = counted.units
    aggregator(client).handle(batch)  # a fresh process: it remembers no mark
    tally = DynamoDBCounterStore(table_name=TABLE).read_group("poll#p7")  # not counted
    assert ({"UpdateItem": 2 * 40}, 2 * first, 1) == (
        dict(counted.requests),
        counted.units,
        tally.get("tally", "choice:yes"),
    )
