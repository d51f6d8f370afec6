"""templates/reports.yaml deploys into moto beside the feedback API and wires its two jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest

from feedback_core.cli.local import LocalPlatform
from tests.integration.test_templates import env_vars_read, template

if TYPE_CHECKING:
    from collections.abc import Iterator

SUFFIX = "rep"
PARAMETERS = {
    "SurveyResponsesTableName": f"survey-responses-{SUFFIX}",
    "CountersTableName": f"counters-{SUFFIX}",
    "DailyReportScheduleExpression": "cron(30 2 * * ? *)",
    "SnapshotScheduleExpression": "rate(5 minutes)",
    "ReportTimeZone": "Europe/Paris",
    "NpsQuestions": "recommend",
}


@pytest.fixture(scope="module")
def platform() -> Iterator[tuple[LocalPlatform, dict[str, str]]]:
    """The feedback API stack and the reports stack on its tables."""
    with LocalPlatform(suffix=SUFFIX, log_level="WARNING") as deployed:
        outputs = deployed.deploy("reports.yaml", suffix=SUFFIX, parameters=PARAMETERS)
        yield deployed, outputs


def _function(name: str) -> dict[str, Any]:
    found: dict[str, Any] = boto3.client("lambda").get_function(FunctionName=name)
    return found["Configuration"]  # type: ignore[no-any-return]  # moto's answer


def test_reports_stack_creates_its_resources(
    platform: tuple[LocalPlatform, dict[str, str]],
) -> None:
    """The bucket, the topic, two functions, their roles, logs, schedules and permissions."""
    resources = boto3.client("cloudformation").list_stack_resources(StackName=f"reports-{SUFFIX}")
    # Moto lists the resources it skipped (the bucket policy, checked from the template below)
    # without a logical id or type.
    types = sorted(
        r["ResourceType"] for r in resources["StackResourceSummaries"] if r["ResourceType"]
    )
    assert {
        "AWS::S3::Bucket": 1,
        "AWS::SNS::Topic": 1,
        "AWS::Lambda::Function": 2,
        "AWS::IAM::Role": 2,
        "AWS::Logs::LogGroup": 2,
        "AWS::Events::Rule": 2,
        "AWS::Lambda::Permission": 2,
    } == {t: types.count(t) for t in set(types)}


def test_bucket_is_versioned_encrypted_private_and_expires() -> None:
    """Versioning, default encryption, all public access blocked, reports expire.

    Moto's CloudFormation applies none of these bucket properties (it creates a plain
    bucket), so they are read from the template as CloudFormation parses it.
    """
    bucket = template("reports.yaml")["Resources"]["ReportsBucket"]["Properties"]
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    (lifecycle,) = bucket["LifecycleConfiguration"]["Rules"]
    assert {
        "versioning": "Enabled",
        "encryption": "AES256",
        "public access blocked": [True] * 4,
        "expiry": {"Ref": "ReportRetentionDays"},
    } == {
        "versioning": bucket["VersioningConfiguration"]["Status"],
        "encryption": encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "public access blocked": list(bucket["PublicAccessBlockConfiguration"].values()),
        "expiry": lifecycle["ExpirationInDays"],
    }


def test_bucket_refuses_requests_without_tls() -> None:
    """The bucket policy denies every action when aws:SecureTransport is false."""
    policy = template("reports.yaml")["Resources"]["ReportsBucketPolicy"]["Properties"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert ("Deny", {"Bool": {"aws:SecureTransport": "false"}}) == (
        statement["Effect"],
        statement["Condition"],
    )


def test_schedules_are_the_parameters(platform: tuple[LocalPlatform, dict[str, str]]) -> None:
    """Each rule runs on the schedule given and targets its function."""
    events = boto3.client("events")
    found = {}
    for rule in events.list_rules()["Rules"]:
        (target,) = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        found[target["Arn"].rpartition(":")[2]] = rule["ScheduleExpression"]
    assert {
        f"daily-report-{SUFFIX}": "cron(30 2 * * ? *)",
        f"results-snapshot-{SUFFIX}": "rate(5 minutes)",
    } == found


@pytest.mark.parametrize("name", [f"daily-report-{SUFFIX}", f"results-snapshot-{SUFFIX}"])
def test_function_environment_is_exactly_what_its_settings_read(
    platform: tuple[LocalPlatform, dict[str, str]], name: str
) -> None:
    """Every required variable is set, and nothing is set that the config class does not read."""
    function = _function(name)
    declared = {v for v in function["Environment"]["Variables"] if not v.startswith("POWERTOOLS_")}
    required, readable = env_vars_read(function["Handler"].rpartition(".")[0])
    assert (set(), set()) == (required - declared, declared - readable)


def test_daily_report_reads_the_feedback_stacks_tables(
    platform: tuple[LocalPlatform, dict[str, str]],
) -> None:
    """The environment names the feedback stack's tables and this stack's bucket and topic."""
    deployed, outputs = platform
    variables = _function(f"daily-report-{SUFFIX}")["Environment"]["Variables"]
    assert {
        "SURVEY_RESPONSES_TABLE": deployed.outputs["SurveyResponsesTableName"],
        "COUNTERS_TABLE": deployed.outputs["CountersTableName"],
        "REPORTS_BUCKET": outputs["ReportsBucketName"],
        "REPORTS_TOPIC_ARN": outputs["ReportsTopicArn"],
        "REPORT_TIME_ZONE": "Europe/Paris",
        "NPS_QUESTIONS": "recommend",
    } == {k: v for k, v in variables.items() if k in (
        "SURVEY_RESPONSES_TABLE", "COUNTERS_TABLE", "REPORTS_BUCKET", "REPORTS_TOPIC_ARN",
        "REPORT_TIME_ZONE", "NPS_QUESTIONS",
    )}  # fmt: skip


def test_roles_grant_queries_and_the_bucket_prefixes_only() -> None:
    """The report role may query the index and counters, write reports/daily/; no Scan at all."""
    resources = template("reports.yaml")["Resources"]
    actions = [
        action
        for role in ("DailyReportFunctionRole", "ResultsSnapshotFunctionRole")
        for policy in resources[role]["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        for action in statement["Action"]
    ]
    assert not [a for a in actions if a.endswith(("Scan", "*"))]
    assert "dynamodb:Query" in actions


def test_deployed_handlers_run_on_an_empty_day(
    platform: tuple[LocalPlatform, dict[str, str]],
) -> None:
    """Both handlers start with their deployed settings; an empty day reports no survey."""
    deployed, _ = platform
    report = deployed.handler(f"daily-report-{SUFFIX}")({"day": "2026-11-22"})
    snapshot = deployed.handler(f"results-snapshot-{SUFFIX}")({"time": "2026-11-22T10:00:00Z"})
    assert (0, 0, 0) == (report["surveys"], report["responses"], snapshot["snapshots"])
