"""Importing the reports stays cheap: no boto3 until an adapter makes its first call."""

from __future__ import annotations

import subprocess
import sys


def test_importing_reports_does_not_import_boto3() -> None:
    """The package, the use cases and the AWS adapters (built, not yet called) load no boto3."""
    code = (
        "import sys, feedback_core.reports, feedback_core.usecases.reports\n"
        "from feedback_core.reports import dynamodb, s3, sns\n"
        "dynamodb.DynamoDBResponseSource(table_name='t'); s3.S3ObjectStore(bucket='b')\n"
        "sns.SnsNotifier(topic_arn='arn:aws:sns:us-east-1:1:t')\n"
        "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603  # our own interpreter and a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "[]" == result.stdout.strip()
