"""DynamoDB requests (and time) per detected duplicate: our claim against put-then-get.

Peer: the usual code, a conditional ``PutItem`` without ``ReturnValuesOnConditionCheckFailure``
and, when the condition fails, a strongly consistent ``GetItem`` to learn which item holds the
key. Ours: ``DynamoDBDedupStore.claim``, one ``PutItem`` whose failed condition returns the
holder (``ALL_OLD``). Both run in the same process against moto's in-process ``mock_aws``, on
the same table shape, interleaved in rounds. Requests are counted with botocore's
``before-send`` event on the real clients; times are wall clock (moto's, not DynamoDB's, so the
request ratio is the figure that transfers to AWS, where each request is a network round trip
and a capacity unit).

Run: python benchmarks/bench_dedup_requests.py [--duplicates N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

TABLE = "bench-votes"


class RequestCounter:
    """Counts HTTP requests a client sends (botocore ``before-send``, retries included)."""

    def __init__(self, client: DynamoDBClient) -> None:
        self.count = 0
        client.meta.events.register("before-send.dynamodb", self._count)

    def _count(self, **_: object) -> None:
        self.count += 1


def create_table(client: DynamoDBClient) -> None:
    client.create_table(
        TableName=TABLE,
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


def put_then_get(client: DynamoDBClient, poll: str, user: str, choice: str) -> str:
    """The peer: conditional put; on a duplicate, read the holder with a second request."""
    key: dict[str, AttributeValueTypeDef] = {"pollId": {"S": poll}, "userId": {"S": user}}
    try:
        client.put_item(
            TableName=TABLE,
            Item={**key, "choice": {"S": choice}},
            ConditionExpression="attribute_not_exists(pollId)",
        )
    except client.exceptions.ConditionalCheckFailedException:
        holder = client.get_item(TableName=TABLE, Key=key, ConsistentRead=True)["Item"]
        return holder["choice"]["S"]
    return choice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duplicates", type=int, default=400, help="duplicates per side/round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(name, value)

    import boto3
    from moto import mock_aws

    from feedback_core.dedup import Duplicate, DynamoDBDedupStore, Item, Key

    with mock_aws():
        ours_client = boto3.client("dynamodb", region_name="us-east-1")
        peer_client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(ours_client)
        store = DynamoDBDedupStore(table_name=TABLE, client=ours_client)
        ours_requests = RequestCounter(ours_client)
        peer_requests = RequestCounter(peer_client)

        # Every key is held first, so each call below detects a duplicate.
        for user in range(args.duplicates):
            store.claim(Key.of(pollId="poll", userId=f"u{user}"), Item.of(choice="yes"))
        ours_requests.count = 0

        ours_time = peer_time = 0.0
        for _ in range(args.rounds):
            start = time.perf_counter()
            for user in range(args.duplicates):
                outcome = store.claim(
                    Key.of(pollId="poll", userId=f"u{user}"), Item.of(choice="no")
                )
                assert isinstance(outcome, Duplicate)
                assert outcome.existing["choice"] == "yes"
            ours_time += time.perf_counter() - start

            start = time.perf_counter()
            for user in range(args.duplicates):
                assert put_then_get(peer_client, "poll", f"u{user}", "no") == "yes"
            peer_time += time.perf_counter() - start

    detected = args.duplicates * args.rounds
    ours_per = ours_requests.count / detected
    peer_per = peer_requests.count / detected
    print(f"duplicates detected per side: {detected} (moto {__import__('moto').__version__})")
    print(f"requests per duplicate: ours (PutItem + ALL_OLD) {ours_per:.2f}")
    print(f"requests per duplicate: peer (PutItem, then GetItem) {peer_per:.2f}")
    print(f"ratio peer/ours, requests: {peer_per / ours_per:.2f}x")
    print(f"time per duplicate: ours {ours_time / detected * 1e3:.3f} ms")
    print(f"time per duplicate: peer {peer_time / detected * 1e3:.3f} ms")
    print(f"ratio peer/ours, time (moto in-process): {peer_time / ours_time:.2f}x")


if __name__ == "__main__":
    main()
