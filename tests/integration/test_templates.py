"""The sample templates deploy into moto's CloudFormation and match the handlers they wire.

Moto's CloudFormation lacks AWS::ApiGateway::Stage, and the API key option's ApiKey, UsagePlan
and UsagePlanKey (it skips each with a warning); those are checked here from the template as
CloudFormation parses it (cfn-lint's loader), and by cfn-lint and checkov in the ``templates``
tox environment. Everything else is read back from the deployed stack.
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
    # An optional setting given, so its variable is deployed and checked like the others.
    parameters = {"OneResponsePerRespondentSurveys": "onboarding,exit-interview"}
    with LocalPlatform(suffix="test", parameters=parameters) as deployed:
        yield deployed


def functions() -> list[dict[str, Any]]:
    return boto3.client("lambda").list_functions()["Functions"]  # type: ignore[no-any-return]  # moto's answer


# Each function: its handler module, the DynamoDB actions its handler calls, on which table.
FUNCTIONS = {
    "feedback-submit-test": ("feedback", ["dynamodb:PutItem"], "feedback-test"),
    "votes-submit-test": ("votes", ["dynamodb:PutItem"], "votes-test"),
    "votes-read-test": ("vote_lookup", ["dynamodb:GetItem"], "votes-test"),
    "survey-responses-submit-test": (
        "survey_responses",
        ["dynamodb:PutItem"],
        "survey-responses-test",
    ),
}

# Moto skips these resource types with a warning (see the module docstring).
MOTO_SKIPS = r"ignore:Tried to parse AWS..ApiGateway..(Stage|ApiKey|UsagePlan|UsagePlanKey) "


def test_feedback_stack_creates_its_resources(platform: LocalPlatform) -> None:
    """The stack completes with the tables, functions, roles, log groups and API."""
    resources = boto3.client("cloudformation").list_stack_resources(StackName="feedback-api-test")
    summaries = resources["StackResourceSummaries"]
    types = sorted({r["ResourceType"] for r in summaries})
    assert {
        "FeedbackTable",
        "VotesTable",
        "SurveyResponsesTable",
        "VoteSubmitFunction",
        "VoteReadFunction",
        "SurveyResponseFunction",
        "PostVoteMethod",
        "GetVoteMethod",
        "PostSurveyResponseMethod",
    } <= {r["LogicalResourceId"] for r in summaries}
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


@pytest.mark.parametrize("name", ["feedback-test", "votes-test", "survey-responses-test"])
def test_tables_are_streamed_with_both_images(platform: LocalPlatform, name: str) -> None:
    """The aggregation needs NEW_AND_OLD_IMAGES (a MODIFY is new minus old); on demand."""
    table = boto3.client("dynamodb").describe_table(TableName=name)["Table"]
    assert "NEW_AND_OLD_IMAGES" == table["StreamSpecification"]["StreamViewType"]
    assert "PAY_PER_REQUEST" == table["BillingModeSummary"]["BillingMode"]
    assert table["LatestStreamArn"] in platform.outputs.values()  # for the aggregation stack


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("feedback-test", [("feedbackId", "HASH")]),
        ("votes-test", [("pollId", "HASH"), ("userId", "RANGE")]),  # one vote per user per poll
        ("survey-responses-test", [("surveyId", "HASH"), ("responseId", "RANGE")]),
    ],
)
def test_table_keys_are_the_dedup_keys(
    platform: LocalPlatform, name: str, keys: list[tuple[str, str]]
) -> None:
    """Each table's key is what the handler claims: the conditional write's dedup key."""
    table = boto3.client("dynamodb").describe_table(TableName=name)["Table"]
    assert keys == [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]]


def test_survey_responses_index_serves_per_survey_per_day_queries(platform: LocalPlatform) -> None:
    """bySurveyDay: one survey's responses by submittedAt (a day is a begins_with), all fields."""
    table = boto3.client("dynamodb").describe_table(TableName="survey-responses-test")["Table"]
    (index,) = table["GlobalSecondaryIndexes"]
    assert "bySurveyDay" == index["IndexName"]
    assert [("surveyId", "HASH"), ("submittedAt", "RANGE")] == [
        (k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]
    ]
    assert "ALL" == index["Projection"]["ProjectionType"]  # the daily report reads the answers


@pytest.mark.parametrize("logical_id", ["FeedbackTable", "VotesTable", "SurveyResponsesTable"])
def test_tables_have_recovery_and_encryption(logical_id: str) -> None:
    """Point-in-time recovery and encryption at rest are on, and the table outlives the stack.

    Moto's CloudFormation does not apply PointInTimeRecoverySpecification (AWS does), so this
    is read from the template rather than from the deployed table.
    """
    table = template("feedback-api.yaml")["Resources"][logical_id]
    assert {"PointInTimeRecoveryEnabled": True} == table["Properties"][
        "PointInTimeRecoverySpecification"
    ]
    assert {"SSEEnabled": True} == table["Properties"]["SSESpecification"]
    assert ("Retain", "Retain") == (table["DeletionPolicy"], table["UpdateReplacePolicy"])


def test_every_function_logs_to_its_own_group_with_retention(platform: LocalPlatform) -> None:
    """Each function's log group exists before it does, kept LogRetentionDays (default 30)."""
    groups = {
        g["logGroupName"]: g.get("retentionInDays")
        for g in boto3.client("logs").describe_log_groups()["logGroups"]
    }
    assert {f"/aws/lambda/{name}": 30 for name in FUNCTIONS} == {
        name: days
        for name, days in groups.items()
        if name.startswith("/aws/lambda/") and name.endswith("-test")
    }
    assert 30 == groups["/aws/apigateway/feedback-api-test"]  # the stage's access logs


def test_routes_reach_their_functions(platform: LocalPlatform) -> None:
    """Each route is a Lambda proxy to its own function; nothing else is routed."""
    apigateway = boto3.client("apigateway")
    (api,) = [a for a in apigateway.get_rest_apis()["items"] if a["name"] == "feedback-api-test"]
    routes = {
        (method, resource["path"]): details["methodIntegration"]["uri"].split(":function:")[1]
        for resource in apigateway.get_resources(restApiId=api["id"])["items"]
        for method, details in resource.get("resourceMethods", {}).items()
    }
    assert {
        ("POST", "/feedback"): "feedback-submit-test/invocations",
        ("POST", "/polls/{pollId}/votes"): "votes-submit-test/invocations",
        ("GET", "/polls/{pollId}/votes/{userId}"): "votes-read-test/invocations",
        ("POST", "/surveys/{surveyId}/responses"): "survey-responses-submit-test/invocations",
    } == routes


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


def test_survey_settings_reach_the_survey_function(platform: LocalPlatform) -> None:
    """The one-response surveys and the identity rule are the parameters the stack was given."""
    (function,) = [f for f in functions() if f["FunctionName"] == "survey-responses-submit-test"]
    variables = function["Environment"]["Variables"]
    assert ("onboarding,exit-interview", "true") == (
        variables["ONE_RESPONSE_PER_RESPONDENT_SURVEYS"],
        variables["IDENTITY_FROM_BODY"],
    )


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


def dynamodb_grants(function_name: str) -> list[tuple[str, str]]:
    """(action, table name) for every DynamoDB action the function's role allows."""
    iam = boto3.client("iam")
    (function,) = [f for f in functions() if f["FunctionName"] == function_name]
    role = function["Role"].rsplit("/", 1)[-1]
    grants = []
    for policy_name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document: Any = iam.get_role_policy(RoleName=role, PolicyName=policy_name)["PolicyDocument"]
        if isinstance(document, str):
            # AWS returns a URL-encoded JSON document (boto3 decodes it into a dict); moto's
            # CloudFormation stores the Python repr of the policy instead.
            document = ast.literal_eval(document)
        for statement in document["Statement"]:
            actions = statement["Action"]
            for action in [actions] if isinstance(actions, str) else actions:
                if action.startswith("dynamodb:"):
                    assert statement["Effect"] == "Allow"
                    grants.append((action, statement["Resource"].rsplit(":table/", 1)[1]))
    return sorted(grants)


@pytest.mark.parametrize("function_name", sorted(FUNCTIONS))
def test_function_role_grants_only_what_the_handler_calls(
    platform: LocalPlatform, function_name: str
) -> None:
    """Each function may call exactly its handler's DynamoDB actions, on its own table only."""
    _, actions, table = FUNCTIONS[function_name]
    assert [(action, table) for action in actions] == dynamodb_grants(function_name)


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_vote_changes_are_granted_only_under_replace(platform: LocalPlatform) -> None:
    """VotePolicy=replace adds UpdateItem on the votes table, by a policy of its own."""
    body = package_template((ROOT / "templates" / "feedback-api.yaml").read_text())
    boto3.client("cloudformation").create_stack(
        StackName="feedback-api-replace",
        TemplateBody=body,
        Parameters=[
            {"ParameterKey": "EnvironmentSuffix", "ParameterValue": "rpl"},
            {"ParameterKey": "VotePolicy", "ParameterValue": "replace"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    assert [("dynamodb:PutItem", "votes-rpl"), ("dynamodb:UpdateItem", "votes-rpl")] == (
        dynamodb_grants("votes-submit-rpl")
    )
    assert [("dynamodb:GetItem", "votes-rpl")] == dynamodb_grants("votes-read-rpl")
    (function,) = [f for f in functions() if f["FunctionName"] == "votes-submit-rpl"]
    assert "replace" == function["Environment"]["Variables"]["VOTE_POLICY"]


def api_keys_required(suffix: str) -> dict[tuple[str, str], bool]:
    apigateway = boto3.client("apigateway")
    (api,) = [
        a for a in apigateway.get_rest_apis()["items"] if a["name"] == f"feedback-api-{suffix}"
    ]
    return {
        (method, resource["path"]): bool(details["apiKeyRequired"])
        for resource in apigateway.get_resources(restApiId=api["id"])["items"]
        for method, details in resource.get("resourceMethods", {}).items()
    }


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_api_key_is_required_on_every_method_only_when_chosen(platform: LocalPlatform) -> None:
    """RequireApiKey=true sets ApiKeyRequired on all four methods; the default sets none."""
    assert {False} == set(api_keys_required("test").values())
    body = package_template((ROOT / "templates" / "feedback-api.yaml").read_text())
    boto3.client("cloudformation").create_stack(
        StackName="feedback-api-keyed",
        TemplateBody=body,
        Parameters=[
            {"ParameterKey": "EnvironmentSuffix", "ParameterValue": "key"},
            {"ParameterKey": "RequireApiKey", "ParameterValue": "true"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    required = api_keys_required("key")
    assert (4, {True}) == (len(required), set(required.values()))


def test_api_key_option_puts_one_key_in_a_usage_plan_on_the_stage() -> None:
    """The key, the plan (stage throttling and a daily quota) and their link exist together.

    Moto's CloudFormation has no ApiKey, UsagePlan or UsagePlanKey, so they are read from the
    template; cfn-lint checks their properties against the resource specification.
    """
    resources = template("feedback-api.yaml")["Resources"]
    option = {"ApiKey", "ApiUsagePlan", "ApiUsagePlanKey"}
    assert {"RequiresApiKey"} == {resources[name]["Condition"] for name in option}
    plan = resources["ApiUsagePlan"]["Properties"]
    assert [{"ApiId": {"Ref": "Api"}, "Stage": {"Ref": "ApiStage"}}] == plan["ApiStages"]
    assert {"Limit": {"Ref": "ApiKeyDailyQuota"}, "Period": "DAY"} == plan["Quota"]
    assert {
        "RateLimit": {"Ref": "ThrottlingRateLimit"},
        "BurstLimit": {"Ref": "ThrottlingBurstLimit"},
    } == plan["Throttle"]
    link = resources["ApiUsagePlanKey"]["Properties"]
    assert ({"Ref": "ApiKey"}, {"Ref": "ApiUsagePlan"}, "API_KEY") == (
        link["KeyId"],
        link["UsagePlanId"],
        link["KeyType"],
    )
    methods = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::Method"]
    assert [{"Fn::If": ["RequiresApiKey", True, False]}] * 4 == [
        m["Properties"]["ApiKeyRequired"] for m in methods
    ]


def test_policy_documents_hold_no_conditions() -> None:
    """Every policy statement list is plain (no Fn::If), so checkov evaluates each statement.

    Options that add a grant add a conditional AWS::IAM::Policy instead. (checkov scans a
    conditional resource only when its condition holds under the parameters' defaults.)
    """
    resources = template("feedback-api.yaml")["Resources"]
    documents = [
        policy["PolicyDocument"]
        for resource in resources.values()
        if resource["Type"] == "AWS::IAM::Role"
        for policy in resource["Properties"]["Policies"]
    ] + [
        resource["Properties"]["PolicyDocument"]
        for resource in resources.values()
        if resource["Type"] == "AWS::IAM::Policy"
    ]
    assert len(documents) == 6
    for document in documents:
        assert isinstance(document["Statement"], list)
        assert all(isinstance(s, dict) and "Fn::If" not in s for s in document["Statement"])


def test_templates_name_no_hard_coded_account_or_region() -> None:
    """ARNs are built with AWS::Partition, AWS::Region and AWS::AccountId, never literals."""
    for path in (ROOT / "templates").glob("*.yaml"):
        text = path.read_text()
        assert not re.search(r"arn:aws:[a-z-]+:[a-z]{2}-[a-z]+-\d", text), path.name
        assert not re.search(r"\b\d{12}\b", text), path.name
