"""The data lake: S3 objects, PUT requests and bytes stored for 100,000 records.

Run from the repository root::

    python benchmarks/bench_datalake.py            # 100,000 records
    python benchmarks/bench_datalake.py --quick    # 10,000 records

100,000 feedback INSERTs (30 days of traffic, 1 % of them late: created up to three days before
they reach the stream) arrive as Lambda stream batches of 1,000 (the template's BatchSize).
Ours: :class:`~feedback_core.datalake.DataLakeWriter` writes one gzip JSON-lines object per
batch and day into an in-memory lake store that counts requests. The peer, named "one object
per record", is the usual API-side writer: one ``PutObject`` of the record's JSON per record
(its lake row, uncompressed, under a fresh UUID in the day's prefix). Both write the same rows.
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid

import orjson

from feedback_core.datalake import FEEDBACK, DataLakeWriter, InMemoryLakeStore
from feedback_core.datalake.plan import partition_prefix

WORDS = (
    *("great", "fast", "friendly", "slow", "broken", "login", "checkout", "lovely"),
    *("confusing", "app", "support", "refund", "delivery", "price", "quality", "would"),
    *("recommend", "never", "again", "thanks", "for", "the", "quick", "help"),
)
ARN = "arn:aws:dynamodb:us-east-1:1:table/feedback/stream/2026-11-01T00:00:00.000"
START = 1_793_491_200  # 2026-11-01T00:00:00Z
DAYS = 30


def stream_batches(count: int, batch: int, rng: random.Random) -> list[dict[str, object]]:
    """``count`` INSERT records in creation order (1 % late), as Lambda events of ``batch``."""
    records = []
    for n in range(count):
        created = START + n * DAYS * 86_400 // count
        if rng.random() < 0.01:
            created -= rng.randint(3_600, 3 * 86_400)  # an offline client's late submission
        stamp = f"{_iso(created)}"
        image = {
            "feedbackId": {"S": str(uuid.UUID(int=rng.getrandbits(128)))},
            "createdAt": {"S": stamp},
            "rating": {"N": str(rng.randint(1, 5))},
            "message": {"S": " ".join(rng.choices(WORDS, k=rng.randint(3, 25)))},
            "sentiment": {"S": rng.choice(("positive", "neutral", "negative", "mixed"))},
            "sentimentSource": {"S": "offline"},
        }
        records.append(
            {
                "eventID": f"e{n}",
                "eventName": "INSERT",
                "dynamodb": {
                    "Keys": {"feedbackId": image["feedbackId"]},
                    "NewImage": image,
                    "SequenceNumber": str(10**20 + n * 7),
                    "ApproximateCreationDateTime": START + n * DAYS * 86_400 // count,
                },
                "eventSourceARN": ARN,
            }
        )
    return [{"Records": records[i : i + batch]} for i in range(0, count, batch)]


def _iso(epoch: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ours(events: list[dict[str, object]]) -> tuple[int, int, int]:
    store = InMemoryLakeStore()
    writer = DataLakeWriter(table=FEEDBACK, store=store)
    for event in events:
        assert writer.handle(event) == {"batchItemFailures": []}
    objects = store.sink.objects
    return len(objects), store.puts, sum(len(o.body) for o in objects.values())


def one_object_per_record(events: list[dict[str, object]]) -> tuple[int, int, int]:
    from feedback_core.aggregate.stream import decode_event

    objects: dict[str, int] = {}
    puts = 0
    for event in events:
        for record in decode_event(event).records:
            row = FEEDBACK.row(record)
            day = str(row["created_at"])[:10]
            key = f"{partition_prefix('', 'feedback', day)}{uuid.uuid4()}.json"
            objects[key] = len(orjson.dumps(row))
            puts += 1
    return len(objects), puts, sum(objects.values())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 records")
    count = 10_000 if parser.parse_args().quick else 100_000
    events = stream_batches(count, 1_000, random.Random(11))
    mine, peer = ours(events), one_object_per_record(events)
    print(f"{count:,} feedback records, stream batches of 1,000, {DAYS} days, 1 % late:")
    print("| writer | S3 objects | PUT requests | bytes stored |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| one object per record (peer) | {peer[0]:,} | {peer[1]:,} | {peer[2]:,} |")
    print(f"| one object per batch and day (ours) | {mine[0]:,} | {mine[1]:,} | {mine[2]:,} |")
    print(
        f"| **ratio peer/ours** | **{peer[0] / mine[0]:.0f}x** | **{peer[1] / mine[1]:.0f}x** "
        f"| **{peer[2] / mine[2]:.1f}x** |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
