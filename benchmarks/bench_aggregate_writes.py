"""DynamoDB write requests and write units per 1,000 stream records: ours vs one ADD per record.

The peer is the usual hand-written stream handler: one ``UpdateItem ... ADD`` per record (which
double-counts on every retry). Both run against moto in-process; requests are counted on the
real boto3 client with botocore's event system. Three loads: **hot** (one poll, four choices),
**spread** (each vote on a poll of its own: no counter repeats) and **mixed** (half on one hot
poll, half spread). Batches hold 100 records (``BatchSize`` 100, Lambda's default for
streams); each load also runs with a 60-second tumbling window. Write units are computed from
the request shapes as DynamoDB bills them on demand: a ``TransactWriteItems`` item costs 2 WCU
(items here are under 1 KB), a plain or conditional ``UpdateItem`` 1 WCU.
Run: ``python benchmarks/bench_aggregate_writes.py [--records N]``.
"""

from __future__ import annotations

import argparse
import os
import random
from collections import Counter
from typing import Any

BATCH_SIZE = 100
WRITES = frozenset({"TransactWriteItems", "UpdateItem", "PutItem", "DeleteItem", "BatchWriteItem"})


class RequestCounter:
    """Counts DynamoDB requests and estimated write capacity on a real client."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.wcu = 0

    def __call__(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        name = model.name
        self.requests[name] += 1
        if name == "TransactWriteItems":
            self.wcu += 2 * len(params["TransactItems"])
        elif name in WRITES:
            self.wcu += 1

    @property
    def writes(self) -> int:
        return sum(n for op, n in self.requests.items() if op in WRITES)

    @property
    def reads(self) -> int:
        return sum(n for op, n in self.requests.items() if op not in WRITES)


LOADS = ("hot", "spread", "mixed")


def votes(load: str, records: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # a workload, not cryptography

    def poll(n: int) -> str:
        hot = load == "hot" or (load == "mixed" and n % 2 == 0)
        return "poll-hot" if hot else f"poll-{n}"  # spread: a poll of its own per vote

    return [
        {
            "pollId": poll(n),
            "userId": f"user-{n}",
            "choice": rng.choice(("red", "green", "blue", "yellow")),
            "votedAt": "2026-11-22T23:20:32Z",
        }
        for n in range(records)
    ]


def run_ours(client: Any, table: str, items: list[dict[str, Any]], *, window: bool) -> None:
    from feedback_core.aggregate import DynamoDBCounterStore, StreamAggregator, vote_tally
    from feedback_core.testing import StreamSimulator

    sim = StreamSimulator(
        key=("pollId", "userId"), batch_size=BATCH_SIZE, window_seconds=60 if window else None
    )
    aggregator = StreamAggregator(
        projection=vote_tally(),
        store=DynamoDBCounterStore(table_name=table, client=client),
        clock=lambda: sim.now,  # window ends are simulated times
    )
    for item in items:
        sim.put(item)
    sim.drain(aggregator.handle)


def run_naive(client: Any, table: str, items: list[dict[str, Any]]) -> None:
    """One UpdateItem ADD per record (a new vote adds 1 to its choice)."""
    from feedback_core.aggregate.stream import decode_event
    from feedback_core.testing import StreamSimulator

    sim = StreamSimulator(key=("pollId", "userId"), batch_size=BATCH_SIZE)

    def handler(event: dict[str, object]) -> dict[str, object]:
        for record in decode_event(event).records:
            image = record.new_image or {}
            poll, choice = str(image["pollId"]), str(image["choice"])
            client.update_item(
                TableName=table,
                Key={"pk": {"S": f"poll#{poll}"}, "sk": {"S": "tally"}},
                UpdateExpression="ADD #choice :one",
                ExpressionAttributeNames={"#choice": f"choice:{choice}"},
                ExpressionAttributeValues={":one": {"N": "1"}},
            )
        return {"batchItemFailures": []}

    for item in items:
        sim.put(item)
    sim.drain(handler)


def measure(name: str, run: Any) -> RequestCounter:
    import boto3

    from feedback_core.aggregate import create_counters_table

    client = boto3.client("dynamodb", region_name="us-east-1")
    create_counters_table(name, client=client)
    counter = RequestCounter()
    client.meta.events.register("before-parameter-build.dynamodb.*", counter)
    run(client, name)
    return counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    for variable, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(variable, value)
    from moto import mock_aws

    per = 1000 / args.records
    print(f"{args.records} stream records (INSERT votes), BatchSize {BATCH_SIZE}, moto in-process")
    print(
        f"{'load':<36}{'writes/1000':>12}{'reads/1000':>12}{'WCU/1000':>10}"
        f"{'requests vs ADD':>17}{'WCU vs ADD':>12}"
    )
    with mock_aws():
        for load in LOADS:
            items = votes(load, args.records)
            naive = measure(f"naive-{load}", lambda c, t, i=items: run_naive(c, t, i))
            runs = [(f"{load}: one ADD per record (peer)", naive)]
            for window in (False, True):
                label = f"{load}: StreamAggregator" + (", 60 s window" if window else "")
                table = f"ours-{load}-{'window' if window else 'plain'}"
                runs.append(
                    (
                        label,
                        measure(table, lambda c, t, i=items, w=window: run_ours(c, t, i, window=w)),
                    )
                )
            for label, counter in runs:
                print(
                    f"{label:<36}{counter.writes * per:>12.0f}{counter.reads * per:>12.0f}"
                    f"{counter.wcu * per:>10.0f}{naive.writes / counter.writes:>16.1f}x"
                    f"{counter.wcu / naive.wcu:>11.2f}x"
                )


if __name__ == "__main__":
    main()
