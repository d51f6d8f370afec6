"""The sample templates deploy into moto's CloudFormation and match the handlers they wire.

Moto's CloudFormation lacks AWS::ApiGateway::Stage (it skips it with a warning); the stage's
settings are checked by cfn-lint and checkov in the ``templates`` tox environment, and its
presence is checked here from the template text.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from feedback_core.cli.local import LocalPlatform, bundle_root, package_template
from feedback_core.sentiment import config as sentiment_config

ROOT = bundle_root()


# Library functions that read settings from the environment, with the names they read.
LIBRARY_READERS = {"analyzer_from_env": set(sentiment_config.ENV_VARS)}


def env_vars_read(handler_module: str) -> tuple[set[str], set[str]]:
    """The variables a handler needs (os.environ[...]) and all it may read (.get and readers)."""
    path = ROOT / Path(*handler_module.split(".")).with_suffix(".py")
    required: set[str] = set()
    optional: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            required.add(ast.literal_eval(node.slice))
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            if called in ("os.environ.get", "os.getenv"):
                optional.add(ast.literal_eval(node.args[0]))
            optional |= LIBRARY_READERS.get(called.rpartition(".")[2], set())
    return required, required | optional


@pytest.fixture(scope="module")
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform(suffix="test") as deployed:
        yield deployed


def functions() -> list[dict[str, Any]]:
    return boto3.client("lambda").list_functions()["Functions"]  # type: ignore[no-any-return]  # moto's answer


def test_feedback_stack_creates_its_resources(platform: LocalPlatform) -> None:
    """The stack completes with the table, function, role, log groups and API."""
    resources = boto3.client("cloudformation").list_stack_resources(StackName="feedback-api-test")
    types = sorted({r["ResourceType"] for r in resources["StackResourceSummaries"]})
    assert {
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::Method",
        "AWS::ApiGateway::Resource",
        "AWS::ApiGateway::RestApi",
        "AWS::DynamoDB::Table",
        "AWS::IAM::Role",
        "AWS::Lambda::Function",
        "AWS::Lambda::Permission",
        "AWS::Logs::LogGroup",
    } <= set(types)
    assert "Type: AWS::ApiGateway::Stage" in (ROOT / "templates" / "feedback-api.yaml").read_text()


def template(name: str) -> Any:
    """The template parsed as CloudFormation reads it (short-form tags included)."""
    from cfnlint.decode import cfn_yaml

    return cfn_yaml.loads((ROOT / "templates" / name).read_text())


def test_feedback_table_is_streamed_with_both_images(platform: LocalPlatform) -> None:
    """The aggregation needs NEW_AND_OLD_IMAGES; billing is on demand."""
    table = boto3.client("dynamodb").describe_table(TableName="feedback-test")["Table"]
    assert "NEW_AND_OLD_IMAGES" == table["StreamSpecification"]["StreamViewType"]
    assert "PAY_PER_REQUEST" == table["BillingModeSummary"]["BillingMode"]


def test_feedback_table_has_recovery_and_encryption() -> None:
    """Point-in-time recovery and encryption at rest are on, and the table outlives the stack.

    Moto's CloudFormation does not apply PointInTimeRecoverySpecification (AWS does), so this
    is read from the template rather than from the deployed table.
    """
    table = template("feedback-api.yaml")["Resources"]["FeedbackTable"]
    assert {"PointInTimeRecoveryEnabled": True} == table["Properties"][
        "PointInTimeRecoverySpecification"
    ]
    assert {"SSEEnabled": True} == table["Properties"]["SSESpecification"]
    assert ("Retain", "Retain") == (table["DeletionPolicy"], table["UpdateReplacePolicy"])


def test_every_function_environment_is_exactly_what_its_handler_reads(
    platform: LocalPlatform,
) -> None:
    """No required variable is missing (a KeyError at cold start) and none is set for nothing."""
    checked = 0
    for function in functions():
        declared = set(function.get("Environment", {}).get("Variables", {}))
        declared = {name for name in declared if not name.startswith("POWERTOOLS_")}
        required, readable = env_vars_read(function["Handler"].rpartition(".")[0])
        name = function["FunctionName"]
        assert required <= declared, f"{name} lacks {sorted(required - declared)}"
        assert declared <= readable, f"{name} sets unread {sorted(declared - readable)}"
        checked += 1
    assert checked >= 1


# Moto skips AWS::ApiGateway::Stage with a warning (see the module docstring).
@pytest.mark.filterwarnings("ignore:Tried to parse AWS..ApiGateway..Stage")
def test_comprehend_is_granted_only_when_chosen(platform: LocalPlatform) -> None:
    """The offline default grants no Comprehend call; SentimentAnalyzer=comprehend grants one."""
    iam = boto3.client("iam")

    def policies(function_name: str) -> list[str]:
        (function,) = [f for f in functions() if f["FunctionName"] == function_name]
        role = function["Role"].rsplit("/", 1)[-1]
        return sorted(iam.list_role_policies(RoleName=role)["PolicyNames"])

    assert ["submit-feedback"] == policies("feedback-submit-test")
    cloudformation = boto3.client("cloudformation")
    body = package_template((ROOT / "templates" / "feedback-api.yaml").read_text())
    cloudformation.create_stack(
        StackName="feedback-api-comprehend",
        TemplateBody=body,
        Parameters=[
            {"ParameterKey": "EnvironmentSuffix", "ParameterValue": "cmp"},
            {"ParameterKey": "SentimentAnalyzer", "ParameterValue": "comprehend"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    assert ["detect-sentiment", "submit-feedback"] == policies("feedback-submit-cmp")
    (function,) = [f for f in functions() if f["FunctionName"] == "feedback-submit-cmp"]
    assert "comprehend" == function["Environment"]["Variables"]["SENTIMENT_ANALYZER"]


def test_function_role_grants_only_what_the_handler_calls(platform: LocalPlatform) -> None:
    """The feedback function may PutItem on its table, and nothing else on DynamoDB."""
    iam = boto3.client("iam")
    (function,) = [f for f in functions() if f["FunctionName"] == "feedback-submit-test"]
    role = function["Role"].rsplit("/", 1)[-1]
    (policy_name,) = iam.list_role_policies(RoleName=role)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role, PolicyName=policy_name)["PolicyDocument"]
    if isinstance(document, str):
        # AWS returns a URL-encoded JSON document (boto3 decodes it into a dict); moto's
        # CloudFormation stores the Python repr of the policy instead.
        document = ast.literal_eval(document)
    actions = sorted(
        action
        for statement in document["Statement"]
        for action in (
            [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
        )
        if action.startswith("dynamodb:")
    )
    assert ["dynamodb:PutItem"] == actions


def test_templates_name_no_hard_coded_account_or_region() -> None:
    """ARNs are built with AWS::Partition, AWS::Region and AWS::AccountId, never literals."""
    for path in (ROOT / "templates").glob("*.yaml"):
        text = path.read_text()
        assert not re.search(r"arn:aws:[a-z-]+:[a-z]{2}-[a-z]+-\d", text), path.name
        assert not re.search(r"\b\d{12}\b", text), path.name
