"""Importing dedup stays cheap: no boto3 until an adapter makes its first call."""

from __future__ import annotations

import subprocess
import sys


def test_importing_dedup_does_not_import_boto3() -> None:
    """A cold start that only needs the in-memory store or the policies never loads boto3."""
    code = (
        "import sys, feedback_core.dedup as d\n"
        "d.DynamoDBDedupStore(table_name='t')\n"
        "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603  # our own interpreter and a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "[]" == result.stdout.strip()
