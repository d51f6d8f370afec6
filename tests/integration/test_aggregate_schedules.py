"""Seeded fault schedules on the DynamoDB counter store (moto): counters equal a recount.

Faults are injected around the adapter (crashes before and after a commit, throttling, lost
responses, late replays of applied transactions), so the adapter's real TransactWriteItems,
conditions and key layout carry the exactly-once guarantee here; with item marks, its
conditional UpdateItems and the items their refusals return
(ReturnValuesOnConditionCheckFailure). Moto ignores ClientRequestToken; on AWS a retried
transaction with the same token is also a no-op, while here the marker's condition alone must
(and does) reject every duplicate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from feedback_core.aggregate import CounterKey, DynamoDBCounterStore, create_counters_table
from feedback_core.aggregate.dynamodb import EXPIRES_AT, PARTITION_KEY, SORT_KEY, UPDATED_AT
from feedback_core.aggregate.ports import MARK_PREFIX
from feedback_core.aggregate.stream import parse_number
from feedback_core.aws import Backoff
from tests.unit.aggregate._schedules import (
    Counters,
    Schedule,
    expected_counters,
    run_exactly_once,
    without_zeros,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from feedback_core.aggregate import CounterWrites

SCHEDULES = 40
BLOCKS = 4
PER_BLOCK = SCHEDULES // BLOCKS


def scan_counters(client: DynamoDBClient, table: str) -> Counters:
    """Read every counter item straight from the table, merging write shards by name."""
    counters: Counters = {}
    for page in client.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            group, sort_key = item[PARTITION_KEY]["S"], item[SORT_KEY]["S"]
            if group.startswith("~"):
                continue  # a progress marker
            name = sort_key.split("~", 2)[2] if sort_key.startswith("~") else sort_key
            fields = counters.setdefault(CounterKey(group=group, name=name), {})
            for attribute, value in item.items():
                if attribute in (PARTITION_KEY, SORT_KEY, EXPIRES_AT, UPDATED_AT):
                    continue
                if attribute.startswith(MARK_PREFIX):
                    continue  # an item mark (text), not a counter
                fields[attribute] = fields.get(attribute, 0) + parse_number(value["N"])
    return without_zeros(counters)


def mismatched_schedules(
    block: int, *, window: bool, counter_writes: CounterWrites = "transactions"
) -> list[Schedule]:
    """Run one block of schedules, each on a fresh table; return those that miscounted."""
    import boto3

    client = boto3.client("dynamodb", region_name="us-east-1")
    mismatched = []
    for seed in range(block * PER_BLOCK, (block + 1) * PER_BLOCK):
        # Plain blocks keep the mixed draw (a quarter windowed); window blocks force windows.
        schedule = Schedule.from_seed(
            seed,
            # Item marks make one request per counter item: shorter workloads keep the time.
            max_operations=30 if window else (35 if counter_writes == "transactions" else 25),
            window=True if window else None,
            counter_writes=counter_writes,
        )
        table = f"{counter_writes}-{'window-' if window else ''}counters-{seed}"
        create_counters_table(table, client=client)
        store = DynamoDBCounterStore(
            table_name=table, client=client, backoff=Backoff(sleep=lambda _: None)
        )
        sim, report = run_exactly_once(schedule, store)
        assert () == report.discarded
        if expected_counters(sim, schedule) != scan_counters(client, table):
            mismatched.append(schedule)
    return mismatched


@pytest.mark.parametrize("block", range(BLOCKS))
def test_dynamodb_counters_equal_a_recount_under_fault_schedules(aws: None, block: int) -> None:
    """Forty schedules on the DynamoDB adapter end with counters equal to a recount."""
    assert [] == mismatched_schedules(block, window=False)


@pytest.mark.parametrize("block", range(BLOCKS))
def test_dynamodb_window_counters_equal_a_recount_under_fault_schedules(
    aws: None, block: int
) -> None:
    """Forty tumbling-window schedules (split commits, fresh states, early ends) on DynamoDB."""
    assert [] == mismatched_schedules(block, window=True)


@pytest.mark.slow
@pytest.mark.parametrize("block", range(BLOCKS))
def test_dynamodb_item_mark_counters_equal_a_recount_under_fault_schedules(
    aws: None, block: int
) -> None:
    """Forty item-mark schedules on DynamoDB's conditional UpdateItem and its ALL_OLD refusals."""
    assert [] == mismatched_schedules(block, window=False, counter_writes="item-marks")
