"""Many concurrent claims on one key: exactly one wins, and every loser learns who won.

The DynamoDB variant runs against moto's threaded server on loopback, so 64 real HTTP requests
are in flight at once; the in-memory variant runs the same rounds against its lock.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.config import Config

from feedback_core.dedup import (
    Accepted,
    DedupStore,
    Duplicate,
    DynamoDBDedupStore,
    InMemoryDedupStore,
    Item,
    Key,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from feedback_core.dedup import ClaimOutcome

THREADS = 64
ROUNDS = 100


@pytest.fixture
def atomic_moto_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make moto apply each PutItem atomically, as DynamoDB does.

    DynamoDB evaluates a write's condition and applies the write as one step per item. Moto's
    put_item checks the condition and then stores the item without a lock, so two threads of
    its server can both pass the check: a moto artifact, not the behaviour under test (which
    is ours: one request per claim, the winner's item returned to every loser). The 64 HTTP
    requests still run concurrently; only moto's own check-and-set is made indivisible.
    """
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    original = DynamoDBBackend.put_item

    def put_item(self: DynamoDBBackend, *args: object, **kwargs: object) -> object:
        with lock:
            return original(self, *args, **kwargs)  # type: ignore[arg-type]  # moto's own signature

    monkeypatch.setattr(DynamoDBBackend, "put_item", put_item)


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Iterator[DedupStore]:
    if request.param == "memory":
        yield InMemoryDedupStore()
        return
    request.getfixturevalue("atomic_moto_writes")
    endpoint: str = request.getfixturevalue("moto_endpoint")
    client = boto3.client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=endpoint,
        config=Config(max_pool_connections=THREADS),
    )
    table = f"votes-race-{uuid.uuid4().hex}"
    client.create_table(
        TableName=table,
        KeySchema=[
            {"AttributeName": "pollId", "KeyType": "HASH"},
            {"AttributeName": "userId", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pollId", "AttributeType": "S"},
            {"AttributeName": "userId", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    yield DynamoDBDedupStore(table_name=table, client=client)
    client.delete_table(TableName=table)


def test_one_claim_wins_each_round_and_the_rest_see_the_winner(store: DedupStore) -> None:
    """64 threads claim one key, 100 rounds: one Accepted, 63 Duplicates carrying its item."""
    # Every thread writes a different item, so "carries the winner's item" is a real check.
    barrier = threading.Barrier(THREADS, timeout=60)
    failures: list[str] = []

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for round_number in range(ROUNDS):
            key = Key.of(pollId=f"poll-{round_number}", userId="user-1")

            def claim(thread: int, key: Key = key) -> ClaimOutcome:
                item = Item.of(choice=f"choice-{thread}", thread=thread)
                barrier.wait()  # start together, so the claims really overlap
                return store.claim(key, item)

            outcomes = list(pool.map(claim, range(THREADS)))
            accepted = [o for o in outcomes if isinstance(o, Accepted)]
            duplicates = [o for o in outcomes if isinstance(o, Duplicate)]
            if len(accepted) != 1 or len(duplicates) != THREADS - 1:
                failures.append(f"round {round_number}: {len(accepted)} accepted")
                continue
            winner = accepted[0].item
            if any(d.existing != winner or d.identical for d in duplicates):
                failures.append(f"round {round_number}: a duplicate carried another item")

    assert [] == failures
