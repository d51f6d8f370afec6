"""``feedback-core backup``: each sub-command on moto, its JSON output and its exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from feedback_core.backup.dynamodb import create_table_like
from feedback_core.cli.main import main
from tests.unit.backup.tables import SURVEYS, every_type_item

BUCKET = "backup-cli"
WHERE = ["--bucket", BUCKET, "--prefix", "weekly", "--export-id", "latest"]


@pytest.fixture(autouse=True)
def aws_with_a_table() -> Iterator[None]:
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        table = create_table_like(SURVEYS, SURVEYS.name)
        table.write_batch([every_type_item(n) for n in range(25)])
        yield


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["backup", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    return run(
        capsys, "export", "--bucket", BUCKET, "--table", SURVEYS.name, "--prefix", "weekly", *extra
    )


def test_export_then_verify_succeed_with_json(capsys: pytest.CaptureFixture[str]) -> None:
    """export and verify exit 0; --json prints the result as JSON, progress goes to stderr."""
    code, out, err = export(capsys, "--json")
    assert (0, True, 25) == (code, json.loads(out)["complete"], json.loads(out)["item_count"])
    assert "export:" in err
    code, out, err = run(capsys, "verify", *WHERE, "--json")
    assert (0, [], 25) == (code, json.loads(out)["problems"], json.loads(out)["items"])
    assert "verify: [####################] 100%" in err  # the bar, full at the last part


def test_verify_of_a_damaged_export_exits_1_naming_the_part(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A missing part makes verify exit 1 and print the part's key."""
    export(capsys)
    s3 = boto3.client("s3")
    part = next(
        o["Key"]
        for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="weekly/")["Contents"]
        if "/data/" in o["Key"]
    )
    s3.delete_object(Bucket=BUCKET, Key=part)
    code, out, _ = run(capsys, "verify", *WHERE, "--quiet")
    assert 1 == code
    assert f"missing {part}" in out


def test_restore_creates_the_table_and_a_dry_run_then_finds_nothing_to_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """restore --create fills a new table; a dry run afterwards counts every item unchanged."""
    export(capsys)
    code, out, _ = run(capsys, "restore", *WHERE, "--table", "restored-cli", "--create")
    assert (0, True) == (code, "restored 25 items into restored-cli" in out)
    code, out, _ = run(capsys, "restore", *WHERE, "--table", "restored-cli", "--dry-run", "--json")
    assert (0, 0, 25) == (code, json.loads(out)["would_add"], json.loads(out)["unchanged"])


def test_an_export_out_of_time_exits_4_and_a_rerun_completes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--max-seconds 0 stops before the first part (exit 4); the rerun resumes it (exit 0)."""
    code, out, _ = export(capsys, "--max-seconds", "0")
    assert (4, True) == (code, "stopped early" in out)
    code, out, _ = export(capsys)
    assert (0, True) == (code, "(resumed)" in out)


def test_list_and_prune(capsys: pytest.CaptureFixture[str]) -> None:
    """list shows both exports; prune --keep-last 1 deletes the older one."""
    export(capsys)
    export(capsys)
    code, out, _ = run(capsys, "list", "--bucket", BUCKET, "--prefix", "weekly", "--json")
    assert (0, 2) == (code, len(json.loads(out)))
    code, out, _ = run(
        capsys, "prune", "--bucket", BUCKET, "--prefix", "weekly", "--keep-last", "1", "--json"
    )
    assert (0, 1, 1) == (code, len(json.loads(out)["kept"]), len(json.loads(out)["pruned"]))


def test_a_failure_exits_3_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    """Exporting a table that does not exist exits 3 and says why on stderr."""
    code, _, err = run(capsys, "export", "--bucket", BUCKET, "--table", "no-such-table")
    assert 3 == code
    assert "ResourceNotFoundException" in err


def test_a_wrong_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing required option is a usage error: exit 2."""
    with pytest.raises(SystemExit) as exited:
        main(["backup", "verify", "--bucket", BUCKET])
    assert 2 == exited.value.code
