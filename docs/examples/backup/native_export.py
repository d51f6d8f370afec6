"""Where point-in-time recovery is on: a native export, verified with our verifier."""

from __future__ import annotations

from feedback_core.backup import (
    NativeExport,
    S3ObjectStore,
    VerifyReport,
    start_native_export,
    verify_export,
    wait_for_native_export,
)


def native_backup(table_arn: str, bucket: str) -> tuple[NativeExport, VerifyReport | None]:
    """Export the table as of now (consistent), wait for DynamoDB, then verify every part."""
    started = start_native_export(table_arn, bucket, "native")
    finished = wait_for_native_export(started.arn, interval=30.0)
    if not finished.folder:  # moto names no manifest; AWS always does
        return finished, None
    return finished, verify_export(S3ObjectStore(bucket), finished.folder)
