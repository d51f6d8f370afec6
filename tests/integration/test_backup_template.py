"""templates/backup.yaml deploys into moto, wires the handler to BackupConfig, and backs up.

Moto's CloudFormation skips AWS::S3::BucketPolicy, AWS::SNS::Subscription, AWS::SNS::TopicPolicy
and AWS::CloudWatch::Alarm (with a warning); those are checked from the template as
CloudFormation parses it, and by cfn-lint and checkov in the ``templates`` tox environment.
"""

from __future__ import annotations

import ast
import importlib
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from feedback_core.backup.config import BackupConfig
from feedback_core.backup.s3 import S3ObjectStore
from feedback_core.backup.verify import verify_export
from feedback_core.cli.local import LocalPlatform, bundle_root
from feedback_core.testing.lambda_context import FakeLambdaContext

ROOT = bundle_root()
TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/feedback-test"
PARAMETERS = {
    "BackupTableName": "feedback-test",
    "BackupTableArn": TABLE_ARN,
    "NotificationEmail": "ops@example.com",
    "GroupAttribute": "rating",
    "KeepLast": "3",
}
MOTO_SKIPS = (
    r"ignore:Tried to parse AWS..(S3..BucketPolicy|SNS..Subscription|SNS..TopicPolicy"
    r"|CloudWatch..Alarm) "
)
pytestmark = pytest.mark.filterwarnings(MOTO_SKIPS)


@pytest.fixture(scope="module")
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform(
        ("feedback-api.yaml", "backup.yaml"), suffix="test", parameters=PARAMETERS
    ) as deployed:
        yield deployed


def template() -> Any:
    from cfnlint.decode import cfn_yaml

    return cfn_yaml.load(str(ROOT / "templates" / "backup.yaml"))


def function() -> dict[str, Any]:
    found = boto3.client("lambda").get_function(FunctionName="feedback-backup-test")
    return found["Configuration"]  # type: ignore[no-any-return]  # moto's answer


def test_the_stack_creates_its_resources(platform: LocalPlatform) -> None:
    """Bucket, topic, function, role, log group, queue, schedule and permission are created."""
    summaries = boto3.client("cloudformation").list_stack_resources(StackName="backup-test")
    created = {r["LogicalResourceId"] for r in summaries["StackResourceSummaries"]}
    assert {
        "BackupBucket",
        "BackupTopic",
        "BackupFunction",
        "BackupFunctionRole",
        "BackupFunctionLogGroup",
        "BackupDeadLetterQueue",
        "BackupSchedule",
        "BackupSchedulePermission",
    } <= created
    assert "feedback-backups-123456789012-test" == platform.outputs["BackupBucketName"]


def test_the_bucket_is_versioned_encrypted_and_private(platform: LocalPlatform) -> None:
    """Encrypted (deployed), versioned, private, to IA after 30 days, uploads aborted.

    Moto's CloudFormation applies a bucket's encryption but not its versioning, public access
    block or lifecycle; those are read from the template.
    """
    s3 = boto3.client("s3")
    bucket = platform.outputs["BackupBucketName"]
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert "AES256" == rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
    properties = template()["Resources"]["BackupBucket"]["Properties"]
    assert "Enabled" == properties["VersioningConfiguration"]["Status"]
    assert all(properties["PublicAccessBlockConfiguration"].values())
    lifecycle = properties["LifecycleConfiguration"]["Rules"]
    transitions = [t for rule in lifecycle for t in rule.get("Transitions", [])]
    assert [("STANDARD_IA", 30)] == [
        (t["StorageClass"], t["TransitionInDays"]) for t in transitions
    ]
    assert {"Ref": "ExpireAfterDays"} == lifecycle[0]["ExpirationInDays"]
    assert 7 == lifecycle[1]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]


def test_the_template_denies_plain_http_and_alarms_on_failed_and_missing_backups() -> None:
    """TLS-only bucket policy; one alarm on Errors, one on no BackupsCompleted for 7 days."""
    resources = template()["Resources"]
    (statement,) = resources["BackupBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert ("Deny", {"Bool": {"aws:SecureTransport": "false"}}) == (
        statement["Effect"],
        statement["Condition"],
    )
    failed = resources["BackupFailedAlarm"]["Properties"]
    missing = resources["BackupMissingAlarm"]["Properties"]
    assert ("AWS/Lambda", "Errors") == (failed["Namespace"], failed["MetricName"])
    assert ("BackupsCompleted", "breaching", 7 * 86400) == (
        missing["MetricName"],
        missing["TreatMissingData"],
        missing["Period"] * missing["EvaluationPeriods"],
    )
    assert "HasNotificationEmail" == resources["BackupEmailSubscription"]["Condition"]


def test_the_function_environment_is_what_backup_config_reads(platform: LocalPlatform) -> None:
    """Every deployed variable is one BackupConfig reads, and every required one is set."""
    variables = set(function()["Environment"]["Variables"])
    ours = {v for v in variables if not v.startswith("POWERTOOLS_")}
    assert ours <= set(BackupConfig.REQUIRED_ENV + BackupConfig.OPTIONAL_ENV)
    assert set(BackupConfig.REQUIRED_ENV) <= ours
    assert {"BACKUP_KEEP_LAST", "BACKUP_GROUP_ATTRIBUTE"} <= ours
    assert (900, "reference_handlers.backup.handler") == (
        function()["Timeout"],
        function()["Handler"],
    )


def test_the_handler_reads_no_variable_itself() -> None:
    """The handler reads no variable: BackupConfig.from_env() reads the process environment."""
    tree = ast.parse((ROOT / "reference_handlers" / "backup.py").read_text())
    reads = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and ast.unparse(node) == "os.environ"
    ]
    calls = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [] == reads
    assert "BackupConfig.from_env()" in calls
    assert len((ROOT / "reference_handlers" / "backup.py").read_text().splitlines()) <= 60


def test_the_deployed_handler_backs_up_the_table_and_tells_sns(platform: LocalPlatform) -> None:
    """A scheduled run exports feedback-test, the export verifies, and SNS gets the summary."""
    dynamodb = boto3.client("dynamodb")
    for n in range(40):
        dynamodb.put_item(
            TableName="feedback-test",
            Item={"feedbackId": {"S": f"f{n}"}, "rating": {"N": str(1 + n % 5)}},
        )
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="backup-messages")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    boto3.client("sns").subscribe(
        TopicArn=platform.outputs["BackupTopicArn"],
        Protocol="sqs",
        Endpoint=queue_arn["Attributes"]["QueueArn"],
    )
    platform.handler("feedback-backup-test")  # sets the deployed environment, imports it
    module = importlib.import_module("reference_handlers.backup")
    context = FakeLambdaContext(function_name="feedback-backup-test", remaining_millis=900_000)
    report = module.handler({"source": "aws.events"}, context)
    assert ("complete", 40) == (report["status"], report["items"])
    store = S3ObjectStore(platform.outputs["BackupBucketName"])
    assert verify_export(store, report["location"].split("/", 3)[3]).ok
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    (body,) = [json.loads(m["Body"]) for m in messages]
    assert "40 items" in body["Message"]
    assert report["location"] in body["Message"]
