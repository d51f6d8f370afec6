"""Seeded fault schedules for the bundler, run on any adapters (in memory here, moto elsewhere).

A schedule puts generated objects into a source bucket (some announced twice, as S3 may; in a
versioned bucket some keys overwritten later), sends their notifications through a
:class:`SimulatedQueue` that regroups batches on every receive, and drives a bundler with faults
at read, compress, parts, complete, claim and acknowledge (crashes and errors, before and
after the call). Afterwards the bucket must hold each source version in exactly one complete
bundle, byte for byte, with no multipart upload open.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote_plus

import orjson

from feedback_core.bundle import (
    Bundler,
    Manifest,
    Notification,
    SourceRef,
    codec_named,
    encode,
    parse_sqs_event,
)
from feedback_core.bundle.simulation import (
    FaultPlan,
    FaultySource,
    SimulatedQueue,
    check_bundles,
    faulty_codec,
    feedback_lines,
)
from feedback_core.dedup import Item, Key

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from feedback_core.bundle import BundleSink, ObjectSource
    from feedback_core.dedup import DedupStore

BUCKET = "incoming"
START = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)


class World(Protocol):
    """The adapters one schedule runs on, with the faults of its plan wired in."""

    source: ObjectSource
    sink: BundleSink
    claims: DedupStore

    def put(self, key: str, body: bytes, at: datetime) -> SourceRef: ...
    def objects(self) -> Mapping[str, bytes]: ...
    def open_uploads(self) -> int: ...


def notification(ref: SourceRef) -> str:
    """The SQS body S3 sends for ``ref`` (the key URL-encoded, as S3 does)."""
    obj: dict[str, Any] = {"key": quote_plus(ref.key, safe="/"), "size": ref.size}
    obj["eTag"] = ref.etag
    if ref.version_id:
        obj["versionId"] = ref.version_id
    record = {
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Put",
        "eventTime": ref.event_time.isoformat().replace("+00:00", "Z"),
        "s3": {"bucket": {"name": ref.bucket}, "object": obj},
    }
    return orjson.dumps({"Records": [record]}).decode()


def bundler_for(world: World, plan: FaultPlan, rng: random.Random) -> Bundler:
    return Bundler(
        source=FaultySource(world.source, plan),
        sink=world.sink,
        claims=world.claims,
        codec=faulty_codec(codec_named("zlib"), plan),
        prefix="bundles/",
        max_bytes=rng.randint(2_000, 9_000),
        max_sources=rng.randint(2, 5),
    )


class NaiveBundler:
    """The usual approach: idempotency on the object key alone, bundles under random names."""

    def __init__(self, world: World, plan: FaultPlan, rng: random.Random) -> None:
        self.source = FaultySource(world.source, plan)
        self.sink = world.sink
        self.claims = world.claims
        self.codec = faulty_codec(codec_named("zlib"), plan)

    def process(self, messages: list[Any]) -> list[str]:
        notes = [m for m in messages if isinstance(m, Notification)]
        pending = {
            r.identity: r
            for n in notes
            for r in n.refs
            if self.claims.get(Key.of(pk=f"key#{r.bucket}/{r.key}")) is None
        }
        if not pending:
            return []
        key = f"bundles/naive-{uuid.uuid4().hex}.jsonl.gz"
        try:
            members = list(pending.values())
            encoding = encode(members, self.source.read, codec=self.codec)
            stored = self.sink.write(
                key, encoding, size_hint=1 << 20, content_type="application/gzip", metadata={}
            )
            manifest = Manifest(
                bundle_key=key,
                format="jsonl",
                codec="zlib",
                sources=tuple(encoding.entries),
                bytes_out=stored.size,
            )
            body = manifest.to_json()
            self.sink.write(
                key.removesuffix(".jsonl.gz") + ".manifest.json",
                [body],
                size_hint=len(body),
                content_type="application/json",
                metadata={},
            )
            for ref in members:
                self.claims.claim(Key.of(pk=f"key#{ref.bucket}/{ref.key}"), Item.of(bundle=key))
        except Exception:  # noqa: BLE001  # the usual handler: fail the whole batch
            return [n.message_id for n in notes]
        return []


def run_schedule(
    seed: int,
    make_world: Callable[[FaultPlan, bool], World],
    *,
    naive: bool = False,
) -> list[str]:
    """Run schedule ``seed``; return the invariant's violations (none is a pass)."""
    rng = random.Random(seed)
    plan = FaultPlan.random(rng, count=rng.randint(1, 4), spread=12)
    versioned = rng.random() < 0.75
    world = make_world(plan, versioned)
    queue = SimulatedQueue(rng)
    if naive:
        usual = NaiveBundler(world, plan, rng)

        def handler(event: dict[str, Any]) -> dict[str, Any]:
            failed = usual.process(parse_sqs_event(event["Records"]))
            return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}
    else:
        bundler = bundler_for(world, plan, rng)

        def handler(event: dict[str, Any]) -> dict[str, Any]:
            return bundler.process(parse_sqs_event(event["Records"])).response()

    expected: dict[str, bytes] = {}
    keys = [f"in/{seed}/feedback {i}+ü.jsonl" for i in range(rng.randint(3, 8))]
    batch_size = rng.randint(1, 6)

    def put(key: str, minute: int) -> None:
        body = feedback_lines(rng, rng.randint(50, 3_000))
        ref = world.put(key, body, START + timedelta(minutes=minute))
        expected[ref.identity] = body
        for _ in range(2 if rng.random() < 0.2 else 1):  # S3 may announce an object twice
            queue.send(notification(ref))

    for minute, key in enumerate(keys):
        put(key, minute)
    if rng.random() < 0.3:
        queue.send(orjson.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"}).decode())
    queue.drive(handler, plan, batch_size=batch_size)
    if versioned:  # a key overwritten later is a new version, to be bundled again
        for minute, key in enumerate(rng.sample(keys, rng.randint(1, len(keys))), start=90):
            put(key, minute)
    put(f"in/{seed}/late.jsonl", 120)
    queue.drive(handler, plan, batch_size=batch_size)
    problems = check_bundles(world.objects(), expected)
    if world.open_uploads():
        problems.append(f"{world.open_uploads()} multipart uploads left open")
    return problems
