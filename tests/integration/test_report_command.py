"""``feedback-core report daily`` backfills past days on moto; ``report snapshot`` reads one."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import orjson
import pytest

from feedback_core.aggregate import (
    DynamoDBCounterStore,
    combine,
    create_counters_table,
    vote_tally,
)
from feedback_core.cli.main import main
from feedback_core.reports import poll_activity
from feedback_core.reports.dynamodb import create_responses_table
from feedback_core.reports.s3 import S3ObjectStore
from feedback_core.usecases.reports import SnapshotService
from tests.report_data import load_counters, put_items, response_items

TABLES = ["--responses-table", "responses", "--counters-table", "counters", "--bucket", "bucket"]


@pytest.fixture(autouse=True)
def _stored(aws: None) -> None:
    """The responses of four days, their counters, and a bucket, in moto."""
    client = boto3.client("dynamodb")
    create_responses_table("responses", client=client)
    create_counters_table("counters", client=client)
    items = response_items(seed=5)
    put_items(client, "responses", items)
    load_counters(DynamoDBCounterStore(table_name="counters", client=client), items)
    boto3.client("s3").create_bucket(Bucket="bucket")


def test_backfill_writes_each_day_and_prints_progress(capsys: pytest.CaptureFixture[str]) -> None:
    """Four days give four progress lines and four reports (the empty day's lists no survey)."""
    status = main(["report", "daily", "--from", "2026-11-20", "--to", "2026-11-23", *TABLES])
    lines = capsys.readouterr().out.splitlines()
    keys = boto3.client("s3").list_objects_v2(Bucket="bucket", Prefix="reports/daily/")
    reports = [o["Key"] for o in keys["Contents"] if o["Key"].endswith("report.json")]
    assert (0, 4, 4) == (status, len(lines), len(reports))
    assert lines[1].startswith("[2/4] 2026-11-21: 0 surveys, 0 responses")


def test_snapshot_command_prints_the_nearest_snapshot(capsys: pytest.CaptureFixture[str]) -> None:
    """The snapshot taken at 10:00 is the one nearest 10:20, not the one at 11:00."""
    store = DynamoDBCounterStore(table_name="counters")
    vote = {"pollId": "p1", "userId": "u1", "choice": "tabs", "votedAt": "2026-11-22T09:00:00Z"}
    load_counters(store, [vote], combine(vote_tally(), poll_activity()))
    objects = S3ObjectStore(bucket="bucket")
    for hour in (10, 11):
        clock = datetime(2026, 11, 22, hour, tzinfo=UTC)
        SnapshotService(counters=store, objects=objects, clock=lambda c=clock: c).take()
    status = main(
        ["report", "snapshot", "--poll-id", "p1", "--at", "2026-11-22T10:20:00Z", *TABLES]
    )
    printed = orjson.loads(capsys.readouterr().out)
    assert (0, "2026-11-22T10:00:00Z") == (status, printed["takenAt"])
