"""reference_handlers/bundler.py on moto: bundles a batch, fails bad messages alone, emits EMF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import orjson
import pytest
from moto import mock_aws

from feedback_core.testing.lambda_context import FakeLambdaContext
from tests.integration.handlers import create_table, load_handler

ENV = {
    "DISTRIBUTION_BUCKET": "bundles-out",
    "CLAIMS_TABLE": "claims",
    "BUNDLE_PREFIX": "b/",
    "POWERTOOLS_METRICS_NAMESPACE": "FeedbackCore",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="sources-in")
        s3.create_bucket(Bucket="bundles-out")
        create_table(boto3.client("dynamodb", region_name="us-east-1"), "claims", [("pk", "HASH")])
        yield s3


def message(message_id: str, s3: Any, key: str, body: bytes) -> dict[str, Any]:
    etag = s3.put_object(Bucket="sources-in", Key=key, Body=body)["ETag"].strip('"')
    obj = {"key": key, "size": len(body), "eTag": etag}
    record = {
        "eventName": "ObjectCreated:Put",
        "eventTime": "2026-05-04T03:02:01Z",
        "s3": {"bucket": {"name": "sources-in"}, "object": obj},
    }
    return {"messageId": message_id, "body": orjson.dumps({"Records": [record]}).decode()}


def test_handler_bundles_and_reports_only_the_malformed_message(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two sources in one bundle; the malformed message is the only failure; metrics emitted."""
    module = load_handler("bundler")
    module.metrics.clear_metrics()  # Powertools keeps metrics process-wide; start from none
    event = {
        "Records": [
            message("m1", aws, "a.json", b'{"a": 1}\n'),
            message("m2", aws, "b.json", b'{"b": 2}\n'),
            {"messageId": "bad", "body": "not json"},
        ]
    }
    response = module.handler(event, FakeLambdaContext(function_name="bundler"))
    assert {"batchItemFailures": [{"itemIdentifier": "bad"}]} == response
    keys = [o["Key"] for o in aws.list_objects_v2(Bucket="bundles-out")["Contents"]]
    assert 2 == len(keys)
    assert all(k.startswith("b/2026/05/04/03/bundle-") for k in keys)
    emf = [orjson.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    (metrics,) = emf
    assert [[1.0], [2.0], [1.0]] == [metrics[m] for m in ("Bundles", "Sources", "FailedMessages")]
