"""The demo's backup step runs on a deployed stack and catches the corruption it makes."""

from __future__ import annotations

import boto3
import pytest

from feedback_core.cli.demo_backup import run_backup_demo
from feedback_core.cli.local import LocalPlatform
from tests.unit.backup.tables import every_type_item


@pytest.mark.filterwarnings(r"ignore:Tried to parse AWS..CloudWatch..Alarm ")
def test_the_backup_step_round_trips_every_table_and_catches_the_flip() -> None:
    """Every table verifies and restores equal; the flipped byte is reported on its part."""
    with LocalPlatform(suffix="bkdemo", log_level="WARNING") as platform:
        client = boto3.client("dynamodb")
        for n in range(60):
            item = every_type_item(n)
            item["feedbackId"] = {"S": f"fb-{n}"}
            client.put_item(TableName="feedback-bkdemo", Item=item)  # type: ignore[arg-type]
        client.put_item(TableName="votes-bkdemo", Item={"pollId": {"S": "p"}, "userId": {"S": "u"}})
        summary = run_backup_demo(platform, seed=3)
    assert summary.ok, "\n".join(summary.lines())
    tables = {t.table: t.items for t in summary.tables}
    assert (60, 1) == (tables["feedback-bkdemo"], tables["votes-bkdemo"])
    assert summary.corrupted_part.startswith("demo/feedback-bkdemo/")
    assert {"checksum"} <= {p.kind for p in summary.caught}
    assert {summary.corrupted_part} == {p.key for p in summary.caught}
    assert "backups: OK" == summary.lines()[-1].strip()
