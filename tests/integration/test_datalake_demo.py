"""The data lake demo step runs on the local platform, under faults, and its checks hold."""

from __future__ import annotations

import random
from collections.abc import Iterator

import boto3
import pytest

from feedback_core.cli.demo_datalake import LakeDemoSummary, run_datalake_demo
from feedback_core.cli.local import LocalPlatform

MOTO_SKIPS = r"ignore:Tried to parse AWS..(Glue..Database|Glue..Table|Athena..WorkGroup) "
pytestmark = pytest.mark.filterwarnings(MOTO_SKIPS)


def write_feedback(table: str, rng: random.Random) -> None:
    """Feedback over four days, some changed (sentiment lands) and some deleted."""
    client = boto3.client("dynamodb")
    for n in range(60):
        day = f"2026-11-{rng.randint(16, 19)}T{rng.randrange(24):02d}:00:00Z"
        item = {
            "feedbackId": {"S": f"f{n:03d}"},
            "createdAt": {"S": day},
            "name": {"S": "Ana"},
            "email": {"S": "ana@example.com"},
            "rating": {"N": str(rng.randint(1, 5))},
            "message": {"S": rng.choice(("great", "slow app", "ok I guess", "broken login"))},
        }
        client.put_item(TableName=table, Item=item)
    for n in range(0, 60, 3):
        client.update_item(
            TableName=table,
            Key={"feedbackId": {"S": f"f{n:03d}"}},
            UpdateExpression="SET sentiment = :s",
            ExpressionAttributeValues={":s": {"S": rng.choice(("positive", "negative"))}},
        )
    for n in range(0, 60, 7):
        client.delete_item(TableName=table, Key={"feedbackId": {"S": f"f{n:03d}"}})


@pytest.fixture(scope="module")
def summary() -> Iterator[LakeDemoSummary]:
    with LocalPlatform(log_level="ERROR", suffix="lkd") as platform:
        write_feedback(platform.outputs["FeedbackTableName"], random.Random(4))
        yield run_datalake_demo(platform, seed=3)


def test_every_record_is_once_in_the_lake_and_the_answers_match(summary: LakeDemoSummary) -> None:
    """Under faults, each stream record is in the lake once; every analyst answer checks out."""
    assert () == summary.problems
    assert (60 + 20 + 9) == summary.records
    assert summary.ok


def test_the_faults_fired_and_batches_were_retried(summary: LakeDemoSummary) -> None:
    """An error before a put and one after a put landed were both survived."""
    assert ("error before a put", "error after a put") == summary.faults
    assert summary.invocations > summary.records // 40 + 1


def test_lines_show_the_answers_and_the_verdict(summary: LakeDemoSummary) -> None:
    """The printed summary names each analyst query and ends with the verdict."""
    lines = summary.lines()
    assert {"  ratings per day:", "  sentiment mix per week:", "  worst-rated messages:"} <= set(
        lines
    )
    assert lines[-1].endswith("equal to the table's: OK")


def test_a_problem_makes_the_step_fail() -> None:
    """Any problem turns ok off and is printed."""
    failed = LakeDemoSummary(
        records=1, objects=1, bytes=1, invocations=1, faults=(), answers=(), problems=("x",)
    )
    assert not failed.ok
    assert "    ! x" in failed.lines()
