"""Bundle two objects with the in-memory adapters: what a test of your own wiring looks like."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import orjson

from feedback_core.bundle import (
    Bundler,
    InMemoryBundleSink,
    InMemoryObjectSource,
    parse_sqs_event,
)
from feedback_core.dedup import InMemoryDedupStore

source = InMemoryObjectSource()  # a versioned bucket in memory
sink = InMemoryBundleSink()
bundler = Bundler(source=source, sink=sink, claims=InMemoryDedupStore(), prefix="bundles/")

at = datetime(2026, 5, 4, 3, 2, tzinfo=UTC)
first = source.put("sources", "2026/05/04/a.jsonl", b'{"rating": 5}\n', at=at)
second = source.put("sources", "2026/05/04/b.jsonl", b'{"rating": 2}\n', at=at)


def sqs_record(message_id: str, key: str, version: str | None) -> dict[str, str]:
    """The SQS record an S3 notification arrives in (trimmed to what the bundler reads)."""
    obj = {"key": key, "size": 14, "versionId": version}
    record = {"eventName": "ObjectCreated:Put", "eventTime": "2026-05-04T03:02:00Z"}
    notification = {"Records": [{**record, "s3": {"bucket": {"name": "sources"}, "object": obj}}]}
    return {"messageId": message_id, "body": orjson.dumps(notification).decode()}


event = {
    "Records": [
        sqs_record("m-1", first.key, first.version_id),
        sqs_record("m-2", second.key, second.version_id),
        sqs_record("m-1", first.key, first.version_id),  # SQS delivers at least once
    ]
}
report = bundler.process(parse_sqs_event(event["Records"]))
print(report.response())  # noqa: T201  # the example shows its output  -> {'batchItemFailures': []}
(bundle,) = report.written
print(bundle.key)  # noqa: T201  # -> bundles/2026/05/04/03/bundle-<id>.jsonl.gz
print(gzip.decompress(sink.objects[bundle.key].body).decode(), end="")  # noqa: T201  # the lines
# {"rating": 5}
# {"rating": 2}
