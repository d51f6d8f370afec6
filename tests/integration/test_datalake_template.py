"""templates/datalake.yaml deploys into moto beside the feedback API and matches the lake schema.

Moto's CloudFormation has no AWS::Glue::Database, AWS::Glue::Table nor AWS::Athena::WorkGroup
(it skips them with a warning), skips AWS::S3::BucketPolicy, and does not apply a bucket's
lifecycle rules. The Glue table is therefore created in moto's Glue from the template's own
TableInput and read back; the rest (the stream mapping, the function's environment) is read
back from the deployed stack, and what moto skips is checked from the template as
CloudFormation parses it (cfn-lint's loader).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from feedback_core.cli.local import LocalPlatform, bundle_root
from feedback_core.datalake import FEEDBACK, DataLakeConfig

ROOT = bundle_root()
MOTO_SKIPS = r"ignore:Tried to parse AWS..(Glue..Database|Glue..Table|Athena..WorkGroup) "
pytestmark = pytest.mark.filterwarnings(MOTO_SKIPS)


@pytest.fixture(scope="module")
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform(("feedback-api.yaml",), suffix="lk", log_level="WARNING") as deployed:
        deployed.outputs.update(
            deployed.deploy(
                "datalake.yaml",
                suffix="lk",
                parameters={"FeedbackTableStreamArn": deployed.outputs["FeedbackTableStreamArn"]},
            )
        )
        yield deployed


def resources() -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    parsed = cfn_yaml.loads((ROOT / "templates" / "datalake.yaml").read_text())
    return parsed["Resources"]  # type: ignore[no-any-return]  # parsed YAML


def table_input() -> dict[str, Any]:
    return resources()["FeedbackLakeTable"]["Properties"]["TableInput"]  # type: ignore[no-any-return]  # parsed YAML


def test_glue_table_columns_are_the_documented_lake_schema(platform: LocalPlatform) -> None:
    """The template's table, created in Glue, has exactly FEEDBACK's columns, in order."""
    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": "feedback_lake"})
    given = table_input()
    descriptor = {k: v for k, v in given["StorageDescriptor"].items() if k == "Columns"}
    glue.create_table(
        DatabaseName="feedback_lake",
        TableInput={
            "Name": given["Name"],
            "TableType": given["TableType"],
            "PartitionKeys": given["PartitionKeys"],
            "StorageDescriptor": descriptor,
        },
    )
    columns = glue.get_table(DatabaseName="feedback_lake", Name="feedback")["Table"][
        "StorageDescriptor"
    ]["Columns"]
    assert [c.glue() for c in FEEDBACK.columns] == columns


def test_partitions_are_projected_by_year_month_and_day() -> None:
    """Partition projection (no crawler) over the writer's table=feedback/year=/month=/day=."""
    given = table_input()
    parameters = given["Parameters"]
    assert ["year", "month", "day"] == [k["Name"] for k in given["PartitionKeys"]]
    assert ("true", "2", "2") == (
        parameters["projection.enabled"],
        parameters["projection.month.digits"],
        parameters["projection.day.digits"],
    )
    template = parameters["storage.location.template"]["Fn::Sub"]
    assert template.endswith("/table=feedback/year=${!year}/month=${!month}/day=${!day}/")
    assert (
        "org.apache.hive.hcatalog.data.JsonSerDe"
        == (given["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"])
    )


def test_stream_mapping_has_the_settings_exactly_once_needs(platform: LocalPlatform) -> None:
    """Partial failures reported, one batch per shard in order, retried until the age limit."""
    (mapping,) = boto3.client("lambda").list_event_source_mappings(FunctionName="feedback-lake-lk")[
        "EventSourceMappings"
    ]
    expected = {
        "EventSourceArn": platform.outputs["FeedbackTableStreamArn"],
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "ParallelizationFactor": 1,
        "BisectBatchOnFunctionError": False,
        "MaximumRetryAttempts": -1,
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 1000,
    }
    assert expected == {key: mapping.get(key) for key in expected}


def test_function_environment_is_what_the_lake_config_reads(platform: LocalPlatform) -> None:
    """Every variable set is one DataLakeConfig reads, and it accepts them."""
    variables = boto3.client("lambda").get_function_configuration(FunctionName="feedback-lake-lk")[
        "Environment"
    ]["Variables"]
    ours = {k: str(v) for k, v in variables.items() if not k.startswith("POWERTOOLS_")}
    assert set(ours) <= {*DataLakeConfig.REQUIRED_ENV, *DataLakeConfig.OPTIONAL_ENV}
    config = DataLakeConfig.from_env(ours)
    assert (platform.outputs["LakeBucketName"], "feedback") == (config.bucket, config.table)


def test_lake_bucket_is_versioned_encrypted_private_and_ages_to_cheaper_storage() -> None:
    """Versioning, SSE, public access blocked, IA then Glacier IR, old versions expire."""
    bucket = resources()["LakeBucket"]["Properties"]
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert "Enabled" == bucket["VersioningConfiguration"]["Status"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert ["STANDARD_IA", "GLACIER_IR"] == [t["StorageClass"] for t in rule["Transitions"]]
    assert 1 == rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert "AES256" == encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"]


@pytest.mark.parametrize("bucket", ["LakeBucket", "AthenaResultsBucket"])
def test_buckets_refuse_requests_without_tls(bucket: str) -> None:
    """Each bucket's policy denies every request with aws:SecureTransport false."""
    (statement,) = resources()[f"{bucket}Policy"]["Properties"]["PolicyDocument"]["Statement"]
    assert ("Deny", {"Bool": {"aws:SecureTransport": "false"}}) == (
        statement["Effect"],
        statement["Condition"],
    )


def test_workgroup_enforces_encrypted_results_and_a_scan_limit() -> None:
    """Clients cannot override the result location or encryption; big scans are cancelled."""
    configuration = resources()["AthenaWorkGroup"]["Properties"]["WorkGroupConfiguration"]
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert {"Ref": "BytesScannedCutoffPerQuery"} == configuration["BytesScannedCutoffPerQuery"]
    results = configuration["ResultConfiguration"]
    assert "SSE_S3" == results["EncryptionConfiguration"]["EncryptionOption"]
    assert results["OutputLocation"]["Fn::Sub"].startswith("s3://${AthenaResultsBucket}/")


def test_function_may_write_only_the_feedback_table_prefix() -> None:
    """S3 grants: PutObject and AbortMultipartUpload under table=feedback/, nothing else."""
    statements = resources()["LakeFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
        "Statement"
    ]
    s3 = [s for s in statements if any(a.startswith("s3:") for a in s["Action"])]
    assert [
        (["s3:PutObject", "s3:AbortMultipartUpload"], "${LakeBucket.Arn}/table=feedback/*")
    ] == [(s["Action"], s["Resource"]["Fn::Sub"]) for s in s3]
