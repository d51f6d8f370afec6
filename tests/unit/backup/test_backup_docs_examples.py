"""The backup examples shown in docs/backup.md run (on moto) and do what the page says."""

from __future__ import annotations

import shlex
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from docs.examples.backup import native_export, round_trip, testing_with_memory
from feedback_core.backup.dynamodb import create_table_like
from feedback_core.cli.main import main
from tests.unit.backup.tables import SURVEYS, every_type_item

COMMANDS = Path(__file__).resolve().parents[3] / "docs" / "examples" / "backup" / "commands.sh"


@pytest.fixture
def survey_table() -> object:
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket="my-backups")
        table = create_table_like(SURVEYS, "survey-responses")
        table.write_batch([every_type_item(n) for n in range(25)])
        yield table


def test_the_round_trip_example_restores_every_item(survey_table: object) -> None:
    """Export, verify and restore: 25 items out, the export sound, 25 items back."""
    assert (25, True, 25) == round_trip.back_up_and_restore(
        "survey-responses", "my-backups", "survey-responses-copy"
    )


def test_the_testing_example_passes() -> None:
    """The example test in the testing section passes."""
    testing_with_memory.test_a_throttled_restore_still_restores_every_vote()


def test_the_native_export_example_runs_on_moto(survey_table: object) -> None:
    """The native export completes; moto names no manifest, so there is nothing to verify."""
    client = boto3.client("dynamodb")
    client.update_continuous_backups(
        TableName="survey-responses",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    arn = client.describe_table(TableName="survey-responses")["Table"]["TableArn"]
    native_export.wait_for_native_export.__defaults__  # noqa: B018  # the example's own wait
    finished, report = native_export.native_backup(arn, "my-backups")
    assert ("COMPLETED", 25, None) == (finished.status, finished.item_count, report)


def test_every_command_shown_runs_and_succeeds(
    survey_table: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each command line of the CLI section exits 0, in order, against moto."""
    lines = [line for line in COMMANDS.read_text().splitlines() if line.strip()]
    codes = [main(shlex.split(line)[1:]) for line in lines]
    assert [0] * len(lines) == codes
    assert "25 to add" not in capsys.readouterr().out
