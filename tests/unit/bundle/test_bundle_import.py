"""Importing bundle stays cheap: no boto3 until an adapter makes its first call."""

from __future__ import annotations

import subprocess
import sys


def test_importing_bundle_and_building_the_bundler_does_not_import_boto3() -> None:
    """A cold start builds the whole bundler from its settings without loading boto3."""
    code = (
        "import sys, feedback_core.bundle as b\n"
        "b.BundlerConfig.from_env({'DISTRIBUTION_BUCKET': 'd', 'CLAIMS_TABLE': 'c'}).bundler()\n"
        "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603  # our own interpreter and a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "[]" == result.stdout.strip()
