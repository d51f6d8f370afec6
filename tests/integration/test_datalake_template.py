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
from feedback_core.datalake import TABLES, DataLakeConfig

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
                parameters={
                    name: deployed.outputs[name]
                    for name in (
                        "FeedbackTableStreamArn",
                        "VotesTableStreamArn",
                        "SurveyResponsesTableStreamArn",
                    )
                },
            )
        )
        yield deployed


def resources() -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    parsed = cfn_yaml.loads((ROOT / "templates" / "datalake.yaml").read_text())
    return parsed["Resources"]  # type: ignore[no-any-return]  # parsed YAML


# Lake table -> (the Glue table's logical id, the function, the stream output it reads).
WIRING = {
    "feedback": ("FeedbackLakeTable", "feedback-lake-lk", "FeedbackTableStreamArn"),
    "votes": ("VotesLakeTable", "votes-lake-lk", "VotesTableStreamArn"),
    "survey_responses": (
        "SurveyResponsesLakeTable",
        "survey-responses-lake-lk",
        "SurveyResponsesTableStreamArn",
    ),
}


def table_input(name: str = "feedback") -> dict[str, Any]:
    logical_id = WIRING[name][0]
    return resources()[logical_id]["Properties"]["TableInput"]  # type: ignore[no-any-return]  # parsed YAML


@pytest.mark.parametrize("name", sorted(WIRING))
def test_glue_table_columns_are_the_documented_lake_schema(
    platform: LocalPlatform, name: str
) -> None:
    """The template's table, created in Glue, has exactly the lake table's columns, in order."""
    glue = boto3.client("glue")
    if "feedback_lake" not in [d["Name"] for d in glue.get_databases()["DatabaseList"]]:
        glue.create_database(DatabaseInput={"Name": "feedback_lake"})
    given = table_input(name)
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
    columns = glue.get_table(DatabaseName="feedback_lake", Name=name)["Table"]["StorageDescriptor"][
        "Columns"
    ]
    assert [c.glue() for c in TABLES[name].columns] == columns


@pytest.mark.parametrize("name", sorted(WIRING))
def test_partitions_are_projected_by_year_month_and_day(name: str) -> None:
    """Partition projection (no crawler) over the writer's table=<t>/year=/month=/day=."""
    given = table_input(name)
    parameters = given["Parameters"]
    assert ["year", "month", "day"] == [k["Name"] for k in given["PartitionKeys"]]
    assert ("true", "2", "2") == (
        parameters["projection.enabled"],
        parameters["projection.month.digits"],
        parameters["projection.day.digits"],
    )
    template = parameters["storage.location.template"]["Fn::Sub"]
    assert template.endswith(f"/table={name}/year=${{!year}}/month=${{!month}}/day=${{!day}}/")
    assert (
        "org.apache.hive.hcatalog.data.JsonSerDe"
        == (given["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"])
    )


@pytest.mark.parametrize("name", sorted(WIRING))
def test_stream_mapping_has_the_settings_exactly_once_needs(
    platform: LocalPlatform, name: str
) -> None:
    """Partial failures reported, one batch per shard in order, retried until the age limit."""
    _, function, stream = WIRING[name]
    (mapping,) = boto3.client("lambda").list_event_source_mappings(FunctionName=function)[
        "EventSourceMappings"
    ]
    expected = {
        "EventSourceArn": platform.outputs[stream],
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "ParallelizationFactor": 1,
        "BisectBatchOnFunctionError": False,
        "MaximumRetryAttempts": -1,
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 1000,
    }
    assert expected == {key: mapping.get(key) for key in expected}


@pytest.mark.parametrize("name", sorted(WIRING))
def test_function_environment_is_what_the_lake_config_reads(
    platform: LocalPlatform, name: str
) -> None:
    """Every variable set is one DataLakeConfig reads, and it names the function's table."""
    function = WIRING[name][1]
    variables = boto3.client("lambda").get_function_configuration(FunctionName=function)[
        "Environment"
    ]["Variables"]
    ours = {k: str(v) for k, v in variables.items() if not k.startswith("POWERTOOLS_")}
    assert set(ours) <= {*DataLakeConfig.REQUIRED_ENV, *DataLakeConfig.OPTIONAL_ENV}
    config = DataLakeConfig.from_env(ours)
    assert (platform.outputs["LakeBucketName"], name) == (config.bucket, config.table)


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


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("LakeFunctionRole", "feedback"),
        ("VotesLakeFunctionRole", "votes"),
        ("SurveyResponsesLakeFunctionRole", "survey_responses"),
    ],
)
def test_each_function_may_write_only_its_table_prefix(role: str, name: str) -> None:
    """S3 grants: PutObject and AbortMultipartUpload under table=<its table>/, nothing else."""
    statements = resources()[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    s3 = [s for s in statements if any(a.startswith("s3:") for a in s["Action"])]
    actions = ["s3:PutObject", "s3:AbortMultipartUpload"]
    assert [(actions, f"${{LakeBucket.Arn}}/table={name}/*")] == [
        (s["Action"], s["Resource"]["Fn::Sub"]) for s in s3
    ]


def test_votes_and_survey_responses_are_optional() -> None:
    """Their resources exist only when their stream parameter is set."""
    conditions = {
        logical_id: resource.get("Condition")
        for logical_id, resource in resources().items()
        if logical_id.startswith(("Votes", "SurveyResponses"))
    }
    assert 10 == len(conditions)
    assert all(c in ("HasVotesStream", "HasSurveyResponsesStream") for c in conditions.values())
