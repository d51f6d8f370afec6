"""The job in native mode (ExportTableToPointInTime) on moto, and where moto falls short.

Moto runs the export but writes no manifest and names none (``ExportManifest``), so a completed
native export cannot be verified here; the job reports that as a failure instead of claiming a
verified backup. On AWS the manifest is there and the job verifies it like its own exports.
Moto also finishes the export before the first DescribeExport, so the "still in progress, hand
the ARN to a continuation" path cannot be reached here.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from feedback_core.backup import (
    BackupConfig,
    BackupJob,
    DynamoDBTable,
    InMemoryContinuation,
    InMemoryNotifier,
    S3ObjectStore,
)
from feedback_core.backup.dynamodb import create_table_like
from feedback_core.errors import BackupError
from tests.unit.backup.tables import SURVEYS, every_type_item

ENV = {"BACKUP_TABLE": SURVEYS.name, "BACKUP_BUCKET": "native-job", "BACKUP_MODE": "native"}


@pytest.fixture
def job() -> Iterator[tuple[BackupJob, InMemoryNotifier, InMemoryContinuation]]:
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket="native-job")
        table = create_table_like(SURVEYS, SURVEYS.name)
        table.write_batch([every_type_item(n) for n in range(10)])
        table.client.update_continuous_backups(
            TableName=SURVEYS.name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
        notifier, continuation = InMemoryNotifier(), InMemoryContinuation()
        built = BackupJob(
            config=BackupConfig.from_env(ENV),
            source=DynamoDBTable(SURVEYS.name),
            store=S3ObjectStore("native-job"),
            notifier=notifier,
            continuation=continuation,
            sleep=lambda _: None,
        )
        yield built, notifier, continuation


def test_a_completed_native_export_without_a_manifest_is_reported_as_failed(
    job: tuple[BackupJob, InMemoryNotifier, InMemoryContinuation],
) -> None:
    """Moto's export completes with no manifest: the job says so (SNS) and raises."""
    backup, notifier, _ = job
    with pytest.raises(BackupError, match="without a manifest"):
        backup.run({}, remaining_ms=lambda: 900_000)
    ((subject, message),) = notifier.messages
    assert "FAILED" in subject
    assert "without a manifest" in message
