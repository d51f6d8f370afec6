"""templates/data-aggregator.yaml deploys into moto and wires the bundler as the docs say.

Moto's CloudFormation skips AWS::S3::BucketPolicy, AWS::SQS::QueuePolicy and
AWS::CloudWatch::Alarm (with a warning), and does not apply a bucket's versioning,
notification, replication or lifecycle configuration, nor run replication or alarms; those are
checked from the template as CloudFormation parses it (AWS applies them). The rest, the event
source mapping and the function's environment included, is read back from the stack.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from feedback_core.bundle import BundlerConfig
from feedback_core.cli.local import LocalPlatform, bundle_root

ROOT = bundle_root()
MOTO_SKIPS = r"ignore:Tried to parse AWS..(S3..BucketPolicy|SQS..QueuePolicy|CloudWatch..Alarm) "
pytestmark = pytest.mark.filterwarnings(MOTO_SKIPS)


@pytest.fixture(scope="module")
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform(("data-aggregator.yaml",), suffix="bt") as deployed:
        yield deployed


def template() -> Any:
    """The template parsed as CloudFormation reads it (short-form tags included)."""
    from cfnlint.decode import cfn_yaml

    return cfn_yaml.loads((ROOT / "templates" / "data-aggregator.yaml").read_text())


def resources() -> dict[str, Any]:
    return template()["Resources"]  # type: ignore[no-any-return]  # parsed YAML


def function_configuration() -> dict[str, Any]:
    return boto3.client("lambda").get_function_configuration(FunctionName="bundler-bt")  # type: ignore[return-value]  # a TypedDict read as a dict


def test_stack_creates_the_bundling_resources(platform: LocalPlatform) -> None:
    """Buckets, queues, claims table, function, mapping, roles, log group and topic exist."""
    summaries = boto3.client("cloudformation").list_stack_resources(StackName="data-aggregator-bt")[
        "StackResourceSummaries"
    ]
    assert {
        "SourceBucket",
        "DistributionBucket",
        "ArchiveBucket",
        "AccessLogsBucket",
        "BundleQueue",
        "BundleDeadLetterQueue",
        "ClaimsTable",
        "BundlerFunction",
        "BundlerFunctionRole",
        "BundlerFunctionLogGroup",
        "BundlerQueueMapping",
        "ReplicationRole",
        "AlarmTopic",
    } <= {s["LogicalResourceId"] for s in summaries}
    assert all(s["ResourceStatus"] == "CREATE_COMPLETE" for s in summaries)


def test_function_environment_is_what_bundler_config_reads(platform: LocalPlatform) -> None:
    """Every required variable is set, nothing unknown is, and BundlerConfig accepts them."""
    # Moto hands numbers back as numbers; Lambda's environment holds strings.
    variables = {k: str(v) for k, v in function_configuration()["Environment"]["Variables"].items()}
    ours = {name for name in variables if not name.startswith("POWERTOOLS_")}
    assert set(BundlerConfig.REQUIRED_ENV) <= ours
    assert ours <= set(BundlerConfig.REQUIRED_ENV) | set(BundlerConfig.OPTIONAL_ENV)
    config = BundlerConfig.from_env(variables)
    assert platform.outputs["DistributionBucketName"] == config.distribution_bucket
    assert platform.outputs["ClaimsTableName"] == config.claims_table
    assert (100 * 1024 * 1024, 100, None) == (
        config.max_bundle_bytes,
        config.max_bundle_sources,
        config.kms_key_id,
    )


def test_kms_key_variable_is_set_only_with_a_key() -> None:
    """BUNDLE_KMS_KEY_ID follows the BundleKmsKeyArn parameter (empty: SSE-S3)."""
    variables = resources()["BundlerFunction"]["Properties"]["Environment"]["Variables"]
    assert {
        "Fn::If": ["HasKmsKey", {"Ref": "BundleKmsKeyArn"}, {"Ref": "AWS::NoValue"}]
    } == variables["BUNDLE_KMS_KEY_ID"]


def test_queue_outlasts_the_function_and_redrives_to_the_dead_letter_queue(
    platform: LocalPlatform,
) -> None:
    """Visibility timeout >= 6x the function timeout; maxReceiveCount moves poison messages."""
    sqs = boto3.client("sqs")
    attributes = sqs.get_queue_attributes(
        QueueUrl=platform.outputs["BundleQueueUrl"], AttributeNames=["All"]
    )["Attributes"]
    timeout = function_configuration()["Timeout"]
    assert int(attributes["VisibilityTimeout"]) >= 6 * timeout
    dead = sqs.get_queue_attributes(
        QueueUrl=platform.outputs["BundleDeadLetterQueueUrl"], AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    redrive = json.loads(attributes["RedrivePolicy"])
    assert (dead, 5) == (redrive["deadLetterTargetArn"], int(redrive["maxReceiveCount"]))


def test_mapping_reports_partial_failures_and_caps_concurrency(platform: LocalPlatform) -> None:
    """The queue invokes the bundler reporting partial failures, batching, concurrency capped."""
    (mapping,) = boto3.client("lambda").list_event_source_mappings(FunctionName="bundler-bt")[
        "EventSourceMappings"
    ]
    assert mapping["EventSourceArn"].endswith(":bundle-notifications-bt")
    assert (["ReportBatchItemFailures"], 100, 30, {"MaximumConcurrency": 5}) == (
        mapping["FunctionResponseTypes"],
        mapping["BatchSize"],
        mapping["MaximumBatchingWindowInSeconds"],
        mapping["ScalingConfig"],
    )


def test_claims_table_is_keyed_by_pk(platform: LocalPlatform) -> None:
    """The claim store's single partition key, on demand."""
    table = boto3.client("dynamodb").describe_table(TableName="bundle-claims-bt")["Table"]
    assert [("pk", "HASH")] == [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]]
    assert "PAY_PER_REQUEST" == table["BillingModeSummary"]["BillingMode"]


def test_source_bucket_announces_created_objects_to_the_queue() -> None:
    """s3:ObjectCreated:* goes to BundleQueue, after the queue policy that lets S3 send."""
    source = resources()["SourceBucket"]
    assert "BundleQueuePolicy" == source["DependsOn"]
    assert [{"Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": ["BundleQueue", "Arn"]}}] == (
        source["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    )


def test_queue_policy_admits_only_s3_for_the_source_bucket_in_this_account() -> None:
    """SendMessage for s3.amazonaws.com, conditioned on the bucket's ARN and the account."""
    statements = resources()["BundleQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    assert ({"Service": "s3.amazonaws.com"}, "sqs:SendMessage") == (
        allow["Principal"],
        allow["Action"],
    )
    condition = allow["Condition"]
    assert condition["ArnLike"]["aws:SourceArn"]["Fn::Sub"].endswith(
        ":s3:::feedback-sources-${AWS::AccountId}-${EnvironmentSuffix}"
    )
    assert {"Ref": "AWS::AccountId"} == condition["StringEquals"]["aws:SourceAccount"]


BUCKETS = ["SourceBucket", "DistributionBucket", "ArchiveBucket", "AccessLogsBucket"]


@pytest.mark.parametrize("logical_id", BUCKETS)
def test_buckets_are_private_encrypted_versioned_and_tls_only(logical_id: str) -> None:
    """Public access blocked, encryption on, versioning on, a policy denying plain HTTP."""
    properties = resources()[logical_id]["Properties"]
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert "Enabled" == properties["VersioningConfiguration"]["Status"]
    (policy,) = [
        r
        for r in resources().values()
        if r["Type"] == "AWS::S3::BucketPolicy" and r["Properties"]["Bucket"] == {"Ref": logical_id}
    ]
    (deny,) = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"
    ]
    assert {"Bool": {"aws:SecureTransport": False}} == deny["Condition"]


@pytest.mark.parametrize("logical_id", ["SourceBucket", "DistributionBucket", "ArchiveBucket"])
def test_data_buckets_abort_crashed_uploads_and_log_access(logical_id: str) -> None:
    """A lifecycle rule aborts incomplete multipart uploads (the backstop); access is logged."""
    properties = resources()[logical_id]["Properties"]
    rules = properties["LifecycleConfiguration"]["Rules"]
    assert any("AbortIncompleteMultipartUpload" in r for r in rules)
    assert {"Ref": "AccessLogsBucket"} == properties["LoggingConfiguration"][
        "DestinationBucketName"
    ]


def test_distribution_bucket_replicates_to_the_archive() -> None:
    """Same-Region Replication of every bundle to ArchiveBucket, with metrics for the alarm."""
    replication = resources()["DistributionBucket"]["Properties"]["ReplicationConfiguration"]
    assert {"Fn::GetAtt": ["ReplicationRole", "Arn"]} == replication["Role"]
    (rule,) = replication["Rules"]
    assert ("ToArchive", "Enabled") == (rule["Id"], rule["Status"])
    assert {"Fn::GetAtt": ["ArchiveBucket", "Arn"]} == rule["Destination"]["Bucket"]
    assert "Enabled" == rule["Destination"]["Metrics"]["Status"]


def test_replication_role_may_only_read_here_and_replicate_there() -> None:
    """Least privilege: the replication actions, on the two buckets, nothing else."""
    role = resources()["ReplicationRole"]["Properties"]
    assert {"Service": "s3.amazonaws.com"} == role["AssumeRolePolicyDocument"]["Statement"][0][
        "Principal"
    ]
    (policy,) = role["Policies"]
    actions = sorted(
        a for s in policy["PolicyDocument"]["Statement"] if "Sid" in s for a in s["Action"]
    )
    assert [
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionTagging",
        "s3:GetReplicationConfiguration",
        "s3:ListBucket",
        "s3:ReplicateObject",
        "s3:ReplicateTags",
    ] == actions


def test_function_role_grants_what_the_bundler_calls() -> None:
    """Reads of source versions, writes and aborts of bundles, claims, the queue, logs."""
    (policy,) = resources()["BundlerFunctionRole"]["Properties"]["Policies"]
    granted = {
        s["Sid"]: sorted(s["Action"]) for s in policy["PolicyDocument"]["Statement"] if "Sid" in s
    }
    assert {
        "ConsumeNotifications": [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ],
        "ReadSourceVersions": ["s3:GetObject", "s3:GetObjectVersion"],
        "WriteBundles": ["s3:AbortMultipartUpload", "s3:PutObject"],
        "FindCrashedUploads": ["s3:ListBucketMultipartUploads"],
        "Claims": ["dynamodb:GetItem", "dynamodb:PutItem"],
        "WriteOwnLogs": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Tracing": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
    } == granted


def test_alarms_watch_backlog_dead_letters_replication_and_errors() -> None:
    """Four alarms, each notifying the alarm topic."""
    alarms = {
        r["Properties"]["MetricName"]: r["Properties"]
        for r in resources().values()
        if r["Type"] == "AWS::CloudWatch::Alarm"
    }
    assert {
        "ApproximateAgeOfOldestMessage": "AWS/SQS",
        "ApproximateNumberOfMessagesVisible": "AWS/SQS",
        "ReplicationLatency": "AWS/S3",
        "Errors": "AWS/Lambda",
    } == {name: a["Namespace"] for name, a in alarms.items()}
    topic = {"Fn::If": ["CreatesAlarmTopic", {"Ref": "AlarmTopic"}, {"Ref": "AlarmTopicArn"}]}
    assert all([topic] == a["AlarmActions"] for a in alarms.values())
