"""The sample templates deploy into moto's CloudFormation and match the handlers they wire.

Moto's CloudFormation lacks AWS::ApiGateway::Stage, the API key option's ApiKey, UsagePlan and
UsagePlanKey, AWS::CloudWatch::Alarm and AWS::SecretsManager::Secret (it skips each with a
warning), and it does not apply a
table's TimeToLiveSpecification or PointInTimeRecoverySpecification; those are checked here from
the template as CloudFormation parses it (cfn-lint's loader), and by cfn-lint and checkov in the
``templates`` tox environment. Everything else, the event source mappings included, is read
back from the deployed stack.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

import feedback_core
from feedback_core.cli.local import LocalPlatform, bundle_root, package_template
from feedback_core.sentiment import config as sentiment_config

ROOT = bundle_root()


# Library functions that read settings from the environment, with the names they read.
LIBRARY_READERS = {"analyzer_from_env": set(sentiment_config.ENV_VARS)}


def config_classes() -> dict[str, type]:
    """Every settings class in the library (one with REQUIRED_ENV), by class name."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(feedback_core.__path__, prefix="feedback_core."):
        if ".cli" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and hasattr(value, "REQUIRED_ENV"):
                found[value.__name__] = value
    return found


CONFIGS = config_classes()


def env_vars_read(handler_module: str) -> tuple[set[str], set[str]]:
    """The variables a handler needs and all it may read, through its settings classes.

    Handlers read settings with ``<Config>.from_env(os.environ)``; each settings class declares
    ``REQUIRED_ENV`` and ``OPTIONAL_ENV``. A direct ``os.environ[...]`` would count too.
    """
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
            owner, _, method = called.rpartition(".")
            if method == "from_env" and owner in CONFIGS:
                required |= set(CONFIGS[owner].REQUIRED_ENV)  # type: ignore[attr-defined]  # found by hasattr
                optional |= set(CONFIGS[owner].OPTIONAL_ENV)  # type: ignore[attr-defined]  # likewise
            optional |= LIBRARY_READERS.get(method, set())
    return required, required | optional


def test_handlers_read_no_environment_variable_themselves() -> None:
    """Every reference handler reads its settings through a settings class, none by hand."""
    for path in sorted((ROOT / "reference_handlers").glob("*.py")):
        text = path.read_text()
        assert "os.environ[" not in text, path.name
        assert "os.environ.get" not in text, path.name
        assert "os.getenv" not in text, path.name


@pytest.fixture(scope="module")
def platform() -> Iterator[LocalPlatform]:
    # An optional setting given, so its variable is deployed and checked like the others.
    parameters = {
        "OneResponsePerRespondentSurveys": "onboarding,exit-interview",
        "NpsQuestions": "recommend,nps",
    }
    with LocalPlatform(suffix="test", parameters=parameters) as deployed:
        yield deployed


def functions() -> list[dict[str, Any]]:
    return boto3.client("lambda").list_functions()["Functions"]  # type: ignore[no-any-return]  # moto's answer


# Each function: its handler module, and the DynamoDB actions its handler calls, on what.
STREAM_READ = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
STREAM_READ += ["dynamodb:ListStreams"]
# A commit is a TransactWriteItems of Update actions (IAM: UpdateItem per item); GetItem reads
# a progress marker. The read model only queries.
COUNTERS_WRITE = [("dynamodb:GetItem", "counters-test"), ("dynamodb:UpdateItem", "counters-test")]
COUNTERS_READ = [("dynamodb:Query", "counters-test")]


def stream_function(table: str) -> tuple[str, list[tuple[str, str]]]:
    grants = [(action, f"{table}/stream") for action in STREAM_READ] + COUNTERS_WRITE
    return ("stream_aggregator", sorted(grants))


FUNCTIONS = {
    "feedback-submit-test": ("feedback", [("dynamodb:PutItem", "feedback-test")]),
    "votes-submit-test": ("votes", [("dynamodb:PutItem", "votes-test")]),
    "votes-read-test": ("vote_lookup", [("dynamodb:GetItem", "votes-test")]),
    "survey-responses-submit-test": (
        "survey_responses",
        [("dynamodb:PutItem", "survey-responses-test")],
    ),
    "votes-aggregate-test": stream_function("votes-test"),
    "feedback-aggregate-test": stream_function("feedback-test"),
    "survey-responses-aggregate-test": stream_function("survey-responses-test"),
    "polls-results-test": ("poll_results", COUNTERS_READ),
    "feedback-analytics-test": ("feedback_analytics", COUNTERS_READ),
    "surveys-summary-test": ("survey_summary", COUNTERS_READ),
    # The administrators' routes and the health check: each index it queries, nothing more.
    "feedback-list-test": (
        "feedback_list",
        [("dynamodb:Query", "feedback-test/index/byCreatedAt")],
    ),
    "feedback-erase-test": (
        "erasure",
        [
            ("dynamodb:DeleteItem", "feedback-test"),
            ("dynamodb:Query", "feedback-test/index/byCustomer"),
        ],
    ),
    "feedback-health-test": (
        "health",
        sorted(
            ("dynamodb:DescribeTable", f"{table}-test")
            for table in ("feedback", "votes", "survey-responses", "counters")
        ),
    ),
}

# Each stream function: the source table whose stream it reads, and its PROJECTION.
STREAMS = {
    "votes-aggregate-test": ("votes-test", "votes"),
    "feedback-aggregate-test": ("feedback-test", "feedback"),
    "survey-responses-aggregate-test": ("survey-responses-test", "survey-responses"),
}

# Moto skips these resource types with a warning (see the module docstring).
MOTO_SKIPS = (
    r"ignore:Tried to parse AWS..(ApiGateway..(Stage|ApiKey|UsagePlan|UsagePlanKey"
    r"|Authorizer|Account|GatewayResponse|Model|RequestValidator)|Cognito..UserPool\w*"
    r"|CloudWatch..Alarm|SecretsManager..Secret) "
)


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
        "CountersTable",
        "StreamFailuresQueue",
        "VotesStreamMapping",
        "FeedbackStreamMapping",
        "SurveyResponsesStreamMapping",
        "GetPollResultsMethod",
        "GetAnalyticsMethod",
        "GetSurveySummaryMethod",
        "GetFeedbackMethod",
        "DeleteCustomerFeedbackMethod",
        "GetHealthMethod",
        "FeedbackListFunction",
        "ErasureFunction",
        "HealthFunction",
        "AdminApiInvokePolicy",
    } <= {r["LogicalResourceId"] for r in summaries}
    assert {
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::Method",
        "AWS::ApiGateway::Resource",
        "AWS::ApiGateway::RestApi",
        "AWS::DynamoDB::Table",
        "AWS::IAM::Role",
        "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::Function",
        "AWS::Lambda::Permission",
        "AWS::Logs::LogGroup",
        "AWS::SQS::Queue",
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
        ("counters-test", [("pk", "HASH"), ("sk", "RANGE")]),  # counter group, item name
    ],
)
def test_table_keys_are_the_dedup_keys(
    platform: LocalPlatform, name: str, keys: list[tuple[str, str]]
) -> None:
    """Each table's key is what its handler needs: the dedup key, or the counter store's."""
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


@pytest.mark.parametrize(
    "logical_id", ["FeedbackTable", "VotesTable", "SurveyResponsesTable", "CountersTable"]
)
def test_tables_have_recovery_and_encryption(logical_id: str) -> None:
    """Point-in-time recovery and encryption at rest are on, and the table outlives the stack.

    Moto's CloudFormation does not apply PointInTimeRecoverySpecification (AWS does), so this
    is read from the template rather than from the deployed table.
    """
    table = template("feedback-api.yaml")["Resources"][logical_id]
    assert {"PointInTimeRecoveryEnabled": True} == table["Properties"][
        "PointInTimeRecoverySpecification"
    ]
    assert table["Properties"]["SSESpecification"]["SSEEnabled"] is True  # key: test_security
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
        if method != "OPTIONS"  # CORS preflights: mock integrations (test_security.py)
    }
    assert {
        ("POST", "/feedback"): "feedback-submit-test/invocations",
        ("POST", "/polls/{pollId}/votes"): "votes-submit-test/invocations",
        ("GET", "/polls/{pollId}/votes/{userId}"): "votes-read-test/invocations",
        ("POST", "/surveys/{surveyId}/responses"): "survey-responses-submit-test/invocations",
        ("GET", "/polls/{pollId}/results"): "polls-results-test/invocations",
        ("GET", "/analytics"): "feedback-analytics-test/invocations",
        ("GET", "/surveys/{surveyId}/summary"): "surveys-summary-test/invocations",
        ("GET", "/feedback"): "feedback-list-test/invocations",
        ("DELETE", "/customers/{customerId}/feedback"): "feedback-erase-test/invocations",
        ("GET", "/health"): "feedback-health-test/invocations",
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


@pytest.mark.filterwarnings(MOTO_SKIPS)
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
            {"ParameterKey": "DeploymentPreference", "ParameterValue": "none"},  # moto: no alias
            {"ParameterKey": "SentimentAnalyzer", "ParameterValue": "comprehend"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    assert ["detect-sentiment", "submit-feedback"] == policies("feedback-submit-cmp")
    (function,) = [f for f in functions() if f["FunctionName"] == "feedback-submit-cmp"]
    assert "comprehend" == function["Environment"]["Variables"]["SENTIMENT_ANALYZER"]


def role_statements(function_name: str) -> list[dict[str, Any]]:
    """Every statement of the function's role's inline policies."""
    iam = boto3.client("iam")
    (function,) = [f for f in functions() if f["FunctionName"] == function_name]
    role = function["Role"].rsplit("/", 1)[-1]
    statements = []
    for policy_name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document: Any = iam.get_role_policy(RoleName=role, PolicyName=policy_name)["PolicyDocument"]
        if isinstance(document, str):
            # AWS returns a URL-encoded JSON document (boto3 decodes it into a dict); moto's
            # CloudFormation stores the Python repr of the policy instead.
            document = ast.literal_eval(document)
        statements += document["Statement"]
    return statements


def grants(function_name: str, service: str) -> list[tuple[str, str]]:
    """(action, resource) for every ``service`` action the function's role allows.

    A table is named by its name; a table's stream as ``<table>/stream``; anything else by the
    last part of its ARN.
    """
    found = []
    for statement in role_statements(function_name):
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            if action.startswith(f"{service}:"):
                assert statement["Effect"] == "Allow"
                resources = statement["Resource"]
                for resource in [resources] if isinstance(resources, str) else resources:
                    if ":table/" in resource:
                        name = resource.rsplit(":table/", 1)[1]
                        found.append((action, re.sub(r"/stream/.*", "/stream", name)))
                    else:
                        found.append((action, resource.rsplit(":", 1)[-1]))
    return sorted(found)


def dynamodb_grants(function_name: str) -> list[tuple[str, str]]:
    """(action, table name) for every DynamoDB action the function's role allows."""
    return grants(function_name, "dynamodb")


@pytest.mark.parametrize("function_name", sorted(FUNCTIONS))
def test_function_role_grants_only_what_the_handler_calls(
    platform: LocalPlatform, function_name: str
) -> None:
    """Each function may call exactly its handler's DynamoDB actions, on its own tables only."""
    _, expected = FUNCTIONS[function_name]
    assert sorted(expected) == dynamodb_grants(function_name)


def test_only_the_stream_functions_may_report_to_the_failures_queue(
    platform: LocalPlatform,
) -> None:
    """Lambda sends a given-up batch's range with the function's role: SendMessage, one queue."""
    queues = {name: grants(name, "sqs") for name in FUNCTIONS}
    assert {
        name: [("sqs:SendMessage", "stream-failures-test")] if name in STREAMS else []
        for name in FUNCTIONS
    } == queues


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_vote_changes_are_granted_only_under_replace(platform: LocalPlatform) -> None:
    """VotePolicy=replace adds UpdateItem on the votes table, by a policy of its own."""
    body = package_template((ROOT / "templates" / "feedback-api.yaml").read_text())
    boto3.client("cloudformation").create_stack(
        StackName="feedback-api-replace",
        TemplateBody=body,
        Parameters=[
            {"ParameterKey": "EnvironmentSuffix", "ParameterValue": "rpl"},
            {"ParameterKey": "DeploymentPreference", "ParameterValue": "none"},  # moto: no alias
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


def mappings() -> dict[str, dict[str, Any]]:
    """The deployed event source mappings, by function name."""
    found = boto3.client("lambda").list_event_source_mappings()["EventSourceMappings"]
    return {m["FunctionArn"].rsplit(":", 1)[-1]: dict(m) for m in found}


# What the exactly-once argument relies on (docs/aggregate.md), and the safe retry defaults.
EXACTLY_ONCE = {
    "FunctionResponseTypes": ["ReportBatchItemFailures"],
    "ParallelizationFactor": 1,
    "BisectBatchOnFunctionError": False,
    "MaximumRetryAttempts": -1,
    "MaximumRecordAgeInSeconds": -1,
    "StartingPosition": "TRIM_HORIZON",
    "BatchSize": 100,
}


@pytest.mark.parametrize("function_name", sorted(STREAMS))
def test_stream_mappings_have_the_settings_exactly_once_needs(
    platform: LocalPlatform, function_name: str
) -> None:
    """Partial failures honoured, one batch per shard in order, no bisecting, no giving up.

    By default the counters are written by item marks, so the mapping has a tumbling window:
    only for the shard id its events carry (the aggregator keeps no state in it).
    """
    mapping = mappings()[function_name]
    assert EXACTLY_ONCE == {key: mapping.get(key) for key in EXACTLY_ONCE}
    assert 900 == mapping["TumblingWindowInSeconds"]
    queue = "arn:aws:sqs:us-east-1:123456789012:stream-failures-test"
    assert {"OnFailure": {"Destination": queue}} == mapping["DestinationConfig"]


def test_each_stream_function_folds_its_own_tables_stream(platform: LocalPlatform) -> None:
    """The votes function reads the votes stream with PROJECTION=votes, and so on."""
    variables = {f["FunctionName"]: f["Environment"]["Variables"] for f in functions()}
    found = {
        name: (mapping["EventSourceArn"].split(":table/")[1].split("/")[0], variables[name])
        for name, mapping in mappings().items()
        if name.endswith("-test")
    }
    assert {
        name: (
            table,
            {
                "PROJECTION": projection,
                "COUNTERS_TABLE": "counters-test",
                "COUNTER_WRITES": "item-marks",
            },
        )
        for name, (table, projection) in STREAMS.items()
    } == {
        name: (table, {k: v for k, v in env.items() if not k.startswith("POWERTOOLS_")})
        for name, (table, env) in found.items()
    }


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_retry_limits_and_the_window_are_parameters(platform: LocalPlatform) -> None:
    """Finite retry limits and a tumbling window reach every mapping when chosen."""
    body = package_template((ROOT / "templates" / "feedback-api.yaml").read_text())
    boto3.client("cloudformation").create_stack(
        StackName="feedback-api-window",
        TemplateBody=body,
        Parameters=[
            {"ParameterKey": "EnvironmentSuffix", "ParameterValue": "win"},
            {"ParameterKey": "DeploymentPreference", "ParameterValue": "none"},  # moto: no alias
            {"ParameterKey": "StreamMaximumRetryAttempts", "ParameterValue": "5"},
            {"ParameterKey": "StreamMaximumRecordAgeSeconds", "ParameterValue": "3600"},
            {"ParameterKey": "StreamTumblingWindowSeconds", "ParameterValue": "60"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    settings = {
        (m["MaximumRetryAttempts"], m["MaximumRecordAgeInSeconds"], m["TumblingWindowInSeconds"])
        for name, m in mappings().items()
        if name.endswith("-win")
    }
    writes = {
        f["Environment"]["Variables"]["COUNTER_WRITES"]
        for f in functions()
        if f["FunctionName"].endswith("-win") and "PROJECTION" in f["Environment"]["Variables"]
    }
    # A folding window writes by transactions (one per window), whatever StreamCounterWrites says.
    assert ({(5, 3600, 60)}, {"transactions"}) == (settings, writes)


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_transactions_leave_the_mappings_without_a_window(platform: LocalPlatform) -> None:
    """StreamCounterWrites=transactions: plain batches, and the functions told so."""
    body = package_template((ROOT / "templates" / "feedback-api.yaml").read_text())
    boto3.client("cloudformation").create_stack(
        StackName="feedback-api-tx",
        TemplateBody=body,
        Parameters=[
            {"ParameterKey": "EnvironmentSuffix", "ParameterValue": "tx"},
            {"ParameterKey": "DeploymentPreference", "ParameterValue": "none"},  # moto: no alias
            {"ParameterKey": "StreamCounterWrites", "ParameterValue": "transactions"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    windows = {
        m.get("TumblingWindowInSeconds", 0)
        for name, m in mappings().items()
        if name.endswith("-tx")
    }
    writes = {
        f["Environment"]["Variables"]["COUNTER_WRITES"]
        for f in functions()
        if f["FunctionName"].endswith("-tx") and "PROJECTION" in f["Environment"]["Variables"]
    }
    assert ({0}, {"transactions"}) == (windows, writes)


def test_failures_queue_keeps_given_up_batches_for_14_days_encrypted(
    platform: LocalPlatform,
) -> None:
    """The on-failure destination is an SQS queue with SQS's longest retention, encrypted."""
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=platform.outputs["StreamFailuresQueueUrl"], AttributeNames=["All"]
    )["Attributes"]
    assert ("1209600", "true") == (
        attributes["MessageRetentionPeriod"],
        attributes["SqsManagedSseEnabled"],
    )


def test_counters_table_expires_markers_by_time_to_live() -> None:
    """Progress markers carry expiresAt; the table deletes them by Time to Live.

    Moto's CloudFormation does not apply TimeToLiveSpecification (AWS does), so this is read
    from the template; create_counters_table turns on the same attribute.
    """
    table = template("feedback-api.yaml")["Resources"]["CountersTable"]["Properties"]
    assert {"AttributeName": "expiresAt", "Enabled": True} == table["TimeToLiveSpecification"]
    assert "PAY_PER_REQUEST" == table["BillingMode"]
    assert "StreamSpecification" not in table  # nothing reads the counters' changes


def alarms() -> dict[str, dict[str, Any]]:
    """The template's alarms by logical id (moto's CloudFormation has no CloudWatch alarms)."""
    resources = template("feedback-api.yaml")["Resources"]
    return {
        name: resource["Properties"]
        for name, resource in resources.items()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
    }


NOTIFY = [{"Ref": "AlarmTopic"}]


def test_every_stream_function_has_an_iterator_age_alarm() -> None:
    """IteratorAge (the oldest record not yet applied), maximum per minute, five minutes long."""
    found = {
        props["Dimensions"][0]["Value"]["Ref"]: (
            props["Namespace"],
            props["MetricName"],
            props["Statistic"],
            props["Period"] * props["EvaluationPeriods"],
            props["Threshold"],
            props["ComparisonOperator"],
            props["AlarmActions"],
        )
        for props in alarms().values()
        if props.get("MetricName") == "IteratorAge"
    }
    expected = (
        "AWS/Lambda",
        "IteratorAge",
        "Maximum",
        300,
        {"Ref": "IteratorAgeAlarmMilliseconds"},
        "GreaterThanThreshold",
        NOTIFY,
    )
    assert (
        dict.fromkeys(
            ["VotesStreamFunction", "FeedbackStreamFunction", "SurveyResponsesStreamFunction"],
            expected,
        )
        == found
    )


def test_a_message_in_the_failures_queue_raises_an_alarm() -> None:
    """Any given-up batch in the queue alarms: the counters are short until it is replayed."""
    props = alarms()["StreamFailuresAlarm"]
    assert (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["StreamFailuresQueue", "QueueName"]}}],
        0,
        "GreaterThanThreshold",
        NOTIFY,
    ) == (
        props["Namespace"],
        props["MetricName"],
        props["Dimensions"],
        props["Threshold"],
        props["ComparisonOperator"],
        props["AlarmActions"],
    )


def test_survey_summary_settings_reach_its_function(platform: LocalPlatform) -> None:
    """NpsQuestions is deployed as NPS_QUESTIONS; an empty CsatQuestions sets no variable."""
    (function,) = [f for f in functions() if f["FunctionName"] == "surveys-summary-test"]
    variables = function["Environment"]["Variables"]
    assert ("recommend,nps", None) == (
        variables["NPS_QUESTIONS"],
        variables.get("CSAT_QUESTIONS"),
    )


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
    """RequireApiKey=true sets ApiKeyRequired on all ten methods; the default sets none."""
    assert {False} == set(api_keys_required("test").values())
    body = package_template((ROOT / "templates" / "feedback-api.yaml").read_text())
    boto3.client("cloudformation").create_stack(
        StackName="feedback-api-keyed",
        TemplateBody=body,
        Parameters=[
            {"ParameterKey": "EnvironmentSuffix", "ParameterValue": "key"},
            {"ParameterKey": "DeploymentPreference", "ParameterValue": "none"},  # moto: no alias
            {"ParameterKey": "RequireApiKey", "ParameterValue": "true"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    required = {r: k for r, k in api_keys_required("key").items() if r[0] != "OPTIONS"}
    assert (10, {True}) == (len(required), set(required.values()))


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
    methods = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::ApiGateway::Method" and r["Properties"]["HttpMethod"] != "OPTIONS"
    ]
    assert [{"Fn::If": ["RequiresApiKey", True, False]}] * 10 == [
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
        for policy in resource["Properties"].get("Policies", [])
    ] + [
        resource["Properties"]["PolicyDocument"]
        for resource in resources.values()
        if resource["Type"] == "AWS::IAM::Policy"
    ]
    assert len(documents) == 16  # DataKeyUsePolicy added (test_security)
    for document in documents:
        assert isinstance(document["Statement"], list)
        assert all(isinstance(s, dict) and "Fn::If" not in s for s in document["Statement"])


def test_templates_name_no_hard_coded_account_or_region() -> None:
    """ARNs are built with AWS::Partition, AWS::Region and AWS::AccountId, never literals."""
    for path in (ROOT / "templates").glob("*.yaml"):
        text = path.read_text()
        assert not re.search(r"arn:aws:[a-z-]+:[a-z]{2}-[a-z]+-\d", text), path.name
        assert not re.search(r"\b\d{12}\b", text), path.name


def test_feedback_table_indexes_serve_the_listing_and_erasure(platform: LocalPlatform) -> None:
    """byCreatedAt (feed, createdAt; all attributes) lists; byCustomer (keys only) erases."""
    table = boto3.client("dynamodb").describe_table(TableName="feedback-test")["Table"]
    indexes = {
        index["IndexName"]: (
            [(k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]],
            index["Projection"]["ProjectionType"],
        )
        for index in table["GlobalSecondaryIndexes"]
    }
    assert {
        "byCreatedAt": ([("feed", "HASH"), ("createdAt", "RANGE")], "ALL"),
        "byCustomer": ([("customerId", "HASH"), ("createdAt", "RANGE")], "KEYS_ONLY"),
    } == indexes


def authorization(suffix: str) -> dict[tuple[str, str], str]:
    apigateway = boto3.client("apigateway")
    (api,) = [
        a for a in apigateway.get_rest_apis()["items"] if a["name"] == f"feedback-api-{suffix}"
    ]
    return {
        (method, resource["path"]): details["authorizationType"]
        for resource in apigateway.get_resources(restApiId=api["id"])["items"]
        for method, details in resource.get("resourceMethods", {}).items()
    }


ADMIN_ROUTES = {("GET", "/feedback"), ("DELETE", "/customers/{customerId}/feedback")}


def test_only_the_admin_routes_require_iam_authorization(platform: LocalPlatform) -> None:
    """Listing people's words and erasing them need SigV4 credentials; nothing else does yet."""
    required = {route for route, kind in authorization("test").items() if kind == "AWS_IAM"}
    assert ADMIN_ROUTES == required


def test_the_admin_policy_invokes_exactly_the_admin_routes() -> None:
    """The managed policy for the administrators' group allows execute-api:Invoke on the two."""
    policy = template("feedback-api.yaml")["Resources"]["AdminApiInvokePolicy"]
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    routes = {resource["Fn::Sub"].split("${Api}/*/")[1] for resource in statement["Resource"]}
    assert ("Allow", ["execute-api:Invoke"], {"GET/feedback", "DELETE/customers/*/feedback"}) == (
        statement["Effect"],
        statement["Action"],
        routes,
    )


def test_only_the_listing_function_reads_the_cursor_secret(platform: LocalPlatform) -> None:
    """GetSecretValue on the generated signing secret, by the listing function alone."""
    found = {name: grants(name, "secretsmanager") for name in FUNCTIONS}
    secret = [("secretsmanager:GetSecretValue", "feedback-api-test/cursor-signing-key-??????")]
    assert {name: secret if name == "feedback-list-test" else [] for name in FUNCTIONS} == found


def test_the_cursor_secret_is_generated_and_named_where_the_function_looks() -> None:
    """The template generates 64 random characters; CURSOR_SECRET_ID names that secret.

    Moto's CloudFormation has no AWS::SecretsManager::Secret, so this reads the template.
    """
    resources = template("feedback-api.yaml")["Resources"]
    secret = resources["CursorSigningSecret"]["Properties"]
    variables = resources["FeedbackListFunction"]["Properties"]["Environment"]["Variables"]
    assert ({"PasswordLength": 64, "ExcludePunctuation": True}, secret["Name"]) == (
        secret["GenerateSecretString"],
        variables["CURSOR_SECRET_ID"],
    )


def test_the_email_is_listed_only_when_the_deployer_opts_in(platform: LocalPlatform) -> None:
    """ListIncludeEmail defaults to false and reaches the listing function as it is."""
    (function,) = [f for f in functions() if f["FunctionName"] == "feedback-list-test"]
    assert "false" == function["Environment"]["Variables"]["LIST_INCLUDE_EMAIL"]


def test_health_probes_every_table_by_label(platform: LocalPlatform) -> None:
    """HEALTH_TABLES pairs each label with the stack's table, all four."""
    (function,) = [f for f in functions() if f["FunctionName"] == "feedback-health-test"]
    pairs = function["Environment"]["Variables"]["HEALTH_TABLES"].split(",")
    assert [
        "feedback=feedback-test",
        "votes=votes-test",
        "survey-responses=survey-responses-test",
        "counters=counters-test",
    ] == pairs
