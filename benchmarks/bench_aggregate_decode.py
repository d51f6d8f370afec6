"""Decode throughput of Lambda DynamoDB stream events: feedback_core vs boto3's TypeDeserializer.

Both sides turn the same realistic events (feedback with sentiment scores, votes under the
replace policy, survey responses; INSERT, MODIFY with both images, REMOVE) into Python values:
keys, new image and old image of every record. The peer is what stream handlers usually do:
``TypeDeserializer().deserialize`` on each attribute. Run: ``python
benchmarks/bench_aggregate_decode.py [--events N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import random
import timeit
from decimal import Decimal
from typing import Any

from feedback_core.aggregate.stream import decode_event
from feedback_core.attributes import to_item

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/feedback/stream/2026-11-22T00:00:00.000"
LABELS = ("positive", "neutral", "negative", "mixed")


def _feedback(rng: random.Random, n: int, *, analyzed: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "feedbackId": f"fb-{n:08d}-{rng.getrandbits(32):08x}",
        "name": rng.choice(("Ada Lovelace", "Grace Hopper", "Alan Turing")),
        "email": f"user{n}@example.com",
        "rating": rng.randint(1, 5),
        "message": "The checkout was quick, but the app crashed twice on login. " * 2,
        "customerId": f"cust-{rng.randrange(10_000):05d}",
        "createdAt": f"2026-11-{rng.randint(10, 28)}T{rng.randrange(24):02d}:20:32Z",
        "payloadHash": f"{rng.getrandbits(128):032x}",
    }
    if analyzed:
        item["sentiment"] = rng.choice(LABELS)
        item["sentimentScores"] = {
            label: Decimal(rng.randrange(1, 10_000)) / 10_000 for label in LABELS
        }
        item["sentimentSource"] = "lexicon"
    return item


def _vote(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "pollId": f"poll-{rng.randrange(50)}",
        "userId": f"user-{n}",
        "choice": rng.choice(("red", "green", "blue", "yellow")),
        "votedAt": "2026-11-22T23:20:32Z",
        "revision": rng.randint(1, 3),
    }


def _survey(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "surveyId": "s-2026-q4",
        "responseId": f"r-{n:08d}",
        "answers": {
            "nps": rng.randint(0, 10),
            "plan": rng.choice(("free", "pro", "team")),
            "recommend": rng.random() < 0.5,
            "features": rng.sample(["export", "api", "sso", "themes"], 2),
            "comment": "Works well for our team.",
        },
        "respondentId": f"resp-{n}",
        "submittedAt": "2026-11-22T23:20:32Z",
        "submittedDay": "2026-11-22",
    }


def _record(rng: random.Random, n: int, sequence: int) -> dict[str, Any]:
    kind = n % 3
    if kind == 0:
        old = _feedback(rng, n, analyzed=False)
        new = {**old, **{k: v for k, v in _feedback(rng, n, analyzed=True).items() if "sent" in k}}
        keys = {"feedbackId": new["feedbackId"]}
    elif kind == 1:
        old = _vote(rng, n)
        new = {**old, "choice": "green", "previousChoice": old["choice"], "revision": 2}
        keys = {"pollId": new["pollId"], "userId": new["userId"]}
    else:
        old = _survey(rng, n)
        new = _survey(rng, n)
        keys = {"surveyId": new["surveyId"], "responseId": new["responseId"]}
    event_name = rng.choice(("INSERT", "MODIFY", "MODIFY", "REMOVE"))
    data: dict[str, Any] = {
        "ApproximateCreationDateTime": 1795000000 + n,
        "Keys": to_item(keys),
        "SequenceNumber": str(sequence),
        "SizeBytes": 512,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if event_name != "REMOVE":
        data["NewImage"] = to_item(new)
    if event_name != "INSERT":
        data["OldImage"] = to_item(old)
    return {
        "eventID": f"{rng.getrandbits(128):032x}",
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": data,
        "eventSourceARN": ARN,
    }


def make_events(count: int, *, batch_size: int = 100, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    sequence = 10**20
    events = []
    for _ in range(count):
        records = []
        for n in range(batch_size):
            sequence += rng.randint(1, 1000)
            records.append(_record(rng, n, sequence))
        events.append({"Records": records})
    return events


def peer_decode(events: list[dict[str, Any]]) -> int:
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    decode = deserializer.deserialize
    decoded = 0
    for event in events:
        for record in event["Records"]:
            data = record["dynamodb"]
            keys = {k: decode(v) for k, v in data["Keys"].items()}
            new = data.get("NewImage")
            old = data.get("OldImage")
            new_image = None if new is None else {k: decode(v) for k, v in new.items()}
            old_image = None if old is None else {k: decode(v) for k, v in old.items()}
            decoded += len(keys) + (len(new_image or ())) + (len(old_image or ()))
    return decoded


def ours_decode(events: list[dict[str, Any]]) -> int:
    decoded = 0
    for event in events:
        for record in decode_event(event).records:
            decoded += len(record.keys) + len(record.new_image or ()) + len(record.old_image or ())
    return decoded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50, help="events of 100 records each")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    events = make_events(args.events)
    records = args.events * 100
    assert ours_decode(events) == peer_decode(events)  # same work on both sides
    # Alternate the two so that load from other processes hits both alike; keep the best.
    ours = peer = float("inf")
    for _ in range(args.repeat):
        ours = min(ours, timeit.timeit(lambda: ours_decode(events), number=1))
        peer = min(peer, timeit.timeit(lambda: peer_decode(events), number=1))
    print(f"records decoded per run: {records} (events of 100 records; INSERT/MODIFY/REMOVE)")
    print(f"feedback_core decode_event:    {records / ours:12,.0f} records/s")
    print(f"boto3 TypeDeserializer:        {records / peer:12,.0f} records/s")
    print(f"ratio (feedback_core / boto3): {peer / ours:.2f}x faster")


if __name__ == "__main__":
    main()
