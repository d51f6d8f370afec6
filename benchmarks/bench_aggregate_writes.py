"""DynamoDB write requests and write units per 1,000 stream records: ours vs one ADD per record.

The peer is the usual hand-written stream handler: one ``UpdateItem ... ADD`` per record (which
double-counts on every retry). Both run against moto in-process; requests are counted on the
real boto3 client with botocore's event system. Three loads: **hot** (one poll, four choices),
**spread** (each vote on a poll of its own: no counter repeats) and **mixed** (half on one hot
poll, half spread). Batches hold 100 records (``BatchSize`` 100, Lambda's default for
streams). Ours runs three ways: ``transactions`` on plain batches, ``transactions`` folding a
60-second tumbling window, and ``item-marks`` (one conditional UpdateItem per counter item;
a 900-second window only for the shard id, as the template sets it). Write units are billed
as DynamoDB bills them on demand, from the real item sizes (read back after each write with
a client that is not counted): an ``UpdateItem`` costs 1 WCU per started KB of the larger of
the item before and after, a ``TransactWriteItems`` item twice that.
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
    """Counts DynamoDB requests and the write units they bill, on a real client.

    Args:
        reader: A client of the same (moto) DynamoDB whose requests are not counted, to read
            each written item back for its size.
    """

    def __init__(self, reader: Any) -> None:
        self.requests: Counter[str] = Counter()
        self.wcu = 0
        self.largest = 0
        self._reader = reader
        self._sizes: dict[tuple[str, str, str], int] = {}

    def __call__(self, model: Any, params: dict[str, Any], context: Any, **_: Any) -> None:
        self.requests[model.name] += 1
        context["bench_params"] = params  # for after(), which botocore calls without them

    def after(self, model: Any, context: Any, **_: Any) -> None:
        """Bill a write once it was made (a refused conditional write bills as well)."""
        from feedback_core.attributes import write_units

        params = context["bench_params"]
        if model.name == "UpdateItem":
            self.wcu += write_units(*self._resize(params["TableName"], params["Key"]))
        elif model.name == "TransactWriteItems":
            for action in params["TransactItems"]:
                (request,) = action.values()
                self.wcu += 2 * write_units(*self._resize(request["TableName"], request["Key"]))
        elif model.name in WRITES:
            self.wcu += 1

    def _resize(self, table: str, key: dict[str, Any]) -> tuple[int, int]:
        from feedback_core.attributes import item_size

        slot = (table, key["pk"]["S"], key["sk"]["S"])
        found = self._reader.get_item(TableName=table, Key=key).get("Item", {})
        before, after = self._sizes.get(slot, 0), item_size(found)
        self._sizes[slot] = after
        self.largest = max(self.largest, after)
        return before, after

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


MODES = {
    # label: (counter_writes, TumblingWindowInSeconds)
    "transactions": ("transactions", None),
    "transactions, 60 s window": ("transactions", 60),
    "item marks": ("item-marks", 900),
}


def run_ours(client: Any, table: str, items: list[dict[str, Any]], *, mode: str) -> None:
    from feedback_core.aggregate import DynamoDBCounterStore, StreamAggregator, vote_tally
    from feedback_core.testing import StreamSimulator

    counter_writes, window = MODES[mode]
    sim = StreamSimulator(key=("pollId", "userId"), batch_size=BATCH_SIZE, window_seconds=window)
    aggregator = StreamAggregator(
        projection=vote_tally(),
        store=DynamoDBCounterStore(table_name=table, client=client),
        clock=lambda: sim.now,  # window ends are simulated times
        counter_writes=counter_writes,  # type: ignore[arg-type]  # a CounterWrites from MODES
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
    counter = RequestCounter(boto3.client("dynamodb", region_name="us-east-1"))
    client.meta.events.register("before-parameter-build.dynamodb.*", counter)
    client.meta.events.register("after-call.dynamodb.*", counter.after)
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
        f"{'load':<50}{'writes/1000':>12}{'reads/1000':>12}{'WCU/1000':>10}"
        f"{'requests vs ADD':>17}{'WCU ours/ADD':>14}{'largest item':>14}"
    )
    with mock_aws():
        for load in LOADS:
            items = votes(load, args.records)
            naive = measure(f"naive-{load}", lambda c, t, i=items: run_naive(c, t, i))
            runs = [(f"{load}: one ADD per record (peer)", naive)]
            for index, mode in enumerate(MODES):
                table = f"ours-{load}-{index}"
                runs.append(
                    (
                        f"{load}: StreamAggregator, {mode}",
                        measure(table, lambda c, t, i=items, m=mode: run_ours(c, t, i, mode=m)),
                    )
                )
            for label, counter in runs:
                print(
                    f"{label:<50}{counter.writes * per:>12.0f}{counter.reads * per:>12.0f}"
                    f"{counter.wcu * per:>10.0f}{naive.writes / counter.writes:>16.1f}x"
                    f"{counter.wcu / naive.wcu:>13.2f}x{counter.largest:>12} B"
                )


if __name__ == "__main__":
    main()
