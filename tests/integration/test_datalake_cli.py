"""`feedback-core lake sync` and `lake purge` against S3 (moto)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import boto3
import pytest

from feedback_core.cli.main import main
from feedback_core.datalake import FEEDBACK, DataLakeWriter, S3LakeStore
from feedback_core.datalake.query import LocalLake
from feedback_core.testing import KEYS, StreamSimulator
from feedback_core.testing.workloads import run_workload

if TYPE_CHECKING:
    from pathlib import Path


def test_sync_then_purge_on_s3(
    aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lake sync` copies the bucket; `lake purge` rewrites days without erased rows (moto)."""
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="lake")
    sim = StreamSimulator(key=KEYS["feedback"], seed=12, batch_size=6)
    run_workload(sim, random.Random(12), family="feedback", operations=80)
    sim.drain(
        DataLakeWriter(table=FEEDBACK, store=S3LakeStore(bucket="lake", client=client)).handle
    )
    purge = ["lake", "purge", "--bucket", "lake", "--from", "2026-11-20", "--to", "2026-11-22"]
    assert 0 == main(purge)
    assert 0 == main(["lake", "sync", "--bucket", "lake", "--root", str(tmp_path)])
    out = capsys.readouterr().out
    assert "rows of erased items removed" in out
    rows = (
        LocalLake(tmp_path)
        .query("SELECT DISTINCT feedback_id FROM feedback WHERE op IN ('INSERT', 'MODIFY')")
        .rows
    )
    assert {str(i["feedbackId"]) for i in sim.items()} == {r[0] for r in rows}
