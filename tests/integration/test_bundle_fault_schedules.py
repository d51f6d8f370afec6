"""Exactly once under faults on moto: the S3 adapters and the DynamoDB claim store, 40 schedules.

The same seeded schedules as tests/unit/bundle/test_fault_schedules.py, with the faults at
``part`` and ``complete`` injected into the sink's S3 client (botocore's before-call and
after-call events on UploadPart, CompleteMultipartUpload and PutObject). Moto refuses parts
under 5 MiB, as S3 does; the schedules use parts of 256 bytes so small bundles go multipart,
so moto's minimum is lowered here. Afterwards ListMultipartUploads must be empty.
Forty schedules take about two minutes on moto, hence the slow mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest
from moto import mock_aws

from feedback_core.bundle import S3BundleSink, S3ObjectSource, SourceRef
from feedback_core.bundle.simulation import FaultyClaims
from feedback_core.dedup import DynamoDBDedupStore
from tests.unit.bundle.scenarios import BUCKET, run_schedule

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from mypy_boto3_s3.client import S3Client

    from feedback_core.bundle.simulation import FaultPlan

SCHEDULES = range(40)
NAIVE_SCHEDULES = range(6)  # the usual approach fails most of these on the in-memory adapters
pytestmark = pytest.mark.slow
DESTINATION = "bundles"
STEP_OF = {"UploadPart": "part", "CompleteMultipartUpload": "complete", "PutObject": "complete"}


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("moto.s3.models.S3_UPLOAD_PART_MIN_SIZE", 256)


class MotoWorld:
    """A source bucket and a bundle bucket in moto S3, claims in moto DynamoDB."""

    def __init__(self, plan: FaultPlan, versioned: bool) -> None:
        self.s3: S3Client = boto3.client("s3", region_name="us-east-1")
        for name in (BUCKET, DESTINATION):
            self.s3.create_bucket(Bucket=name)
        if versioned:
            self.s3.put_bucket_versioning(
                Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"}
            )
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName="claims",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        sink_client: S3Client = boto3.client("s3", region_name="us-east-1")
        for operation, step in STEP_OF.items():
            sink_client.meta.events.register(
                f"before-call.s3.{operation}", _hook(plan.before, step)
            )
            sink_client.meta.events.register(f"after-call.s3.{operation}", _hook(plan.after, step))
        self.source = S3ObjectSource(client=self.s3, chunk_size=700)
        self.sink = S3BundleSink(bucket=DESTINATION, client=sink_client, part_size=256)
        self.claims = FaultyClaims(DynamoDBDedupStore(table_name="claims", client=dynamodb), plan)

    def put(self, key: str, body: bytes, at: datetime) -> SourceRef:
        response = self.s3.put_object(Bucket=BUCKET, Key=key, Body=body)
        return SourceRef(
            bucket=BUCKET,
            key=key,
            version_id=response.get("VersionId"),
            etag=response["ETag"].strip('"'),
            size=len(body),
            event_time=at,
        )

    def objects(self) -> Mapping[str, bytes]:
        listed = self.s3.list_objects_v2(Bucket=DESTINATION).get("Contents", [])
        return {
            o["Key"]: self.s3.get_object(Bucket=DESTINATION, Key=o["Key"])["Body"].read()
            for o in listed
        }

    def open_uploads(self) -> int:
        return len(self.s3.list_multipart_uploads(Bucket=DESTINATION).get("Uploads", []))


def _hook(fire: Any, step: str) -> Any:
    def hook(**_: object) -> None:
        fire(step)

    return hook


@pytest.mark.parametrize("seed", SCHEDULES)
def test_schedule_bundles_each_version_exactly_once_on_moto(seed: int) -> None:
    """Each source version lands in exactly one complete bundle; no upload is left open."""
    with mock_aws():
        assert [] == run_schedule(seed, MotoWorld)


def test_the_usual_approach_fails_on_moto_too() -> None:
    """Per-key idempotency with random names duplicates or loses sources in these schedules."""
    problems: list[str] = []
    for seed in NAIVE_SCHEDULES:
        with mock_aws():  # a fresh account per schedule
            problems += run_schedule(seed, MotoWorld, naive=True)
    assert any(p.endswith((" in 2 bundles", " in 0 bundles")) for p in problems)
