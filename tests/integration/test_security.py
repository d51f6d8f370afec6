"""The feedback API template is secure by default and operable, for every parameter combination.

Each combination of the authorization parameters is deployed into moto's CloudFormation and
read back (methods and their authorization, API keys, the functions' identity setting, the
alarm topic, the CloudWatch role). Moto's CloudFormation has no Cognito user pool, API Gateway
authorizer, account setting, stage, gateway response, SNS subscription or CloudWatch alarm,
no WAF, and it evaluates no short-form ``!Condition`` (the template uses the long form); it
ignores a log group's ``KmsKeyId``, a table's ``TimeToLiveSpecification`` and describes no
table encryption from a template: those are checked from the template as CloudFormation parses
it (cfn-lint's loader). API Gateway itself refuses a
request without a valid token on a COGNITO_USER_POOLS method (401) before the function runs; the
handler tests below show what the functions do behind it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from feedback_core.cli.local import LocalPlatform, bundle_root

ROOT = bundle_root()
TEMPLATE = ROOT / "templates" / "feedback-api.yaml"

# Moto's CloudFormation skips these types with a warning (see the module docstring).
MOTO_SKIPS = (
    r"ignore:Tried to parse AWS..(ApiGateway..(Stage|ApiKey|UsagePlan|UsagePlanKey|Authorizer"
    r"|Account|GatewayResponse|Model|RequestValidator)|Cognito..UserPool\w*|CloudWatch..Alarm"
    r"|SecretsManager..Secret|SNS..Subscription|WAFv2..\w+) "
)
pytestmark = pytest.mark.filterwarnings(MOTO_SKIPS)

USER_ROUTES = {
    ("POST", "/polls/{pollId}/votes"),
    ("GET", "/polls/{pollId}/votes/{userId}"),
    ("POST", "/surveys/{surveyId}/responses"),
}
ADMIN_ROUTES = {("GET", "/feedback"), ("DELETE", "/customers/{customerId}/feedback")}
# Aggregate counts (no person, no text) and the canary's health check stay public.
PUBLIC_READS = {
    ("GET", "/polls/{pollId}/results"),
    ("GET", "/analytics"),
    ("GET", "/surveys/{surveyId}/summary"),
    ("GET", "/health"),
}
FEEDBACK = ("POST", "/feedback")

# Every combination of the parameters that change what the API asks of a caller.
COMBINATIONS = [
    {"Authentication": auth, "AnonymousFeedback": anonymous, "RequireApiKey": key}
    for auth, anonymous, key in itertools.product(
        ["cognito", "none-sample"], ["false", "true"], ["false", "true"]
    )
]
GIVEN_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# And the other optional parts: an existing pool with a key the stack creates and a retention,
# no CloudWatch role, an e-mail, WAF with Comprehend under a text cap, CORS with a given key and
# no deletion protection.
EXTRAS = [
    {
        "UserPoolArn": "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbC123",
        "DataKmsKey": "create",
        "PersonalDataRetentionDays": "30",
    },
    {
        "ApiGatewayCloudWatchRole": "false",
        "AlarmEmail": "oncall@example.com",
        "WebAcl": "true",
        "SentimentAnalyzer": "comprehend",
        "ComprehendMaxBytes": "300",
    },
    {
        "CorsAllowedOrigins": "https://app.example.com,https://admin.example.com",
        "DataKmsKey": GIVEN_KEY,
        "TableDeletionProtection": "false",
    },
]


def suffix_of(index: int) -> str:
    return f"sec{index}"


@pytest.fixture(scope="module")
def deployed() -> Iterator[list[tuple[dict[str, str], str]]]:
    """Every combination deployed side by side in one moto, with its EnvironmentSuffix."""
    stacks: list[tuple[dict[str, str], str]] = []
    with LocalPlatform(templates=(), suffix="sec") as platform:
        extras = [{"Authentication": "cognito", **extra} for extra in EXTRAS]
        for index, parameters in enumerate(COMBINATIONS + extras):
            platform.deploy("feedback-api.yaml", suffix=suffix_of(index), parameters=parameters)
            stacks.append((parameters, suffix_of(index)))
        yield stacks


def methods(suffix: str) -> dict[tuple[str, str], dict[str, Any]]:
    apigateway = boto3.client("apigateway")
    (api,) = [
        a for a in apigateway.get_rest_apis()["items"] if a["name"] == f"feedback-api-{suffix}"
    ]
    return {
        (method, resource["path"]): details
        for resource in apigateway.get_resources(restApiId=api["id"])["items"]
        for method, details in resource.get("resourceMethods", {}).items()
    }


def expected_authorization(parameters: dict[str, str]) -> dict[tuple[str, str], str]:
    signed_in = parameters.get("Authentication", "cognito") == "cognito"
    anonymous = parameters.get("AnonymousFeedback", "false") == "true"
    user = "COGNITO_USER_POOLS" if signed_in else "NONE"
    return {
        **dict.fromkeys(USER_ROUTES, user),
        **dict.fromkeys(ADMIN_ROUTES, "AWS_IAM"),
        **dict.fromkeys(PUBLIC_READS, "NONE"),
        FEEDBACK: "COGNITO_USER_POOLS" if signed_in and not anonymous else "NONE",
    }


def test_every_combination_deploys_with_the_authorization_it_asks_for(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """User routes need a Cognito token unless in sample mode; admin routes SigV4; reads public."""
    for parameters, suffix in deployed:
        found = {
            route: details["authorizationType"]
            for route, details in methods(suffix).items()
            if route[0] != "OPTIONS"
        }
        assert expected_authorization(parameters) == found, parameters


def test_no_route_writes_on_another_users_behalf_under_sign_in(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """Under cognito every function takes the caller from the token (IDENTITY_FROM_BODY=false)."""
    variables = {
        f["FunctionName"]: f.get("Environment", {}).get("Variables", {})
        for f in boto3.client("lambda").list_functions()["Functions"]
    }
    for parameters, suffix in deployed:
        expected = "true" if parameters.get("Authentication") == "none-sample" else "false"
        for function in ("votes-submit", "votes-read", "survey-responses-submit"):
            assert expected == variables[f"{function}-{suffix}"]["IDENTITY_FROM_BODY"]
        # Writes that name a user are signed in, or sample mode; never anonymous otherwise.
        if expected == "false":
            writes = {r: a for r, a in expected_authorization(parameters).items() if r[0] != "GET"}
            assert {a for r, a in writes.items() if r != FEEDBACK} <= {
                "COGNITO_USER_POOLS",
                "AWS_IAM",
            }


def test_api_keys_are_required_on_every_method_but_preflights_only_when_chosen(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """RequireApiKey=true: every method but OPTIONS needs a key (browsers send none there)."""
    for parameters, suffix in deployed:
        wanted = parameters.get("RequireApiKey") == "true"
        found = {route: bool(d["apiKeyRequired"]) for route, d in methods(suffix).items()}
        assert {r: wanted and r[0] != "OPTIONS" for r in found} == found


def test_every_resource_answers_a_preflight(deployed: list[tuple[dict[str, str], str]]) -> None:
    """Each path with a method also has OPTIONS (a mock integration, no authorization)."""
    _, suffix = deployed[0]
    found = methods(suffix)
    paths = {path for method, path in found if method != "OPTIONS"}
    assert {("OPTIONS", p): "NONE" for p in paths} == {
        r: d["authorizationType"] for r, d in found.items() if r[0] == "OPTIONS"
    }
    assert {"MOCK"} == {
        d["methodIntegration"]["type"] for r, d in found.items() if r[0] == "OPTIONS"
    }


def test_each_stack_creates_the_alarm_topic(deployed: list[tuple[dict[str, str], str]]) -> None:
    """One alarm topic per stack, whatever the parameters."""
    sns = boto3.client("sns")
    topics = {t["TopicArn"].rsplit(":", 1)[1] for t in sns.list_topics()["Topics"]}
    assert {f"feedback-api-alarms-{suffix}" for _, suffix in deployed} <= topics


def test_an_email_subscribes_to_the_topic_only_when_given() -> None:
    """AlarmEmail subscribes that address (moto's CloudFormation has no subscriptions)."""
    (subscription,) = resources("AWS::SNS::Subscription").values()
    assert ("HasAlarmEmail", {"Ref": "AlarmTopic"}, "email", {"Ref": "AlarmEmail"}) == (
        subscription["Condition"],
        subscription["Properties"]["TopicArn"],
        subscription["Properties"]["Protocol"],
        subscription["Properties"]["Endpoint"],
    )


def test_the_cloudwatch_role_exists_unless_the_account_has_one(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """ApiGatewayCloudWatchRole=true (default) creates a role API Gateway may assume."""
    cloudformation = boto3.client("cloudformation")
    for parameters, suffix in deployed:
        wanted = parameters.get("ApiGatewayCloudWatchRole", "true") == "true"
        stack = cloudformation.list_stack_resources(StackName=f"feedback-api-{suffix}")
        roles = [
            r["PhysicalResourceId"]
            for r in stack["StackResourceSummaries"]
            if r["LogicalResourceId"] == "ApiGatewayLogsRole"
        ]
        assert wanted == bool(roles), parameters
        for name in roles:
            role = boto3.client("iam").get_role(RoleName=name)["Role"]
            assert "apigateway.amazonaws.com" in json.dumps(role["AssumeRolePolicyDocument"])


def test_the_waf_log_group_exists_only_with_a_web_acl(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """WebAcl=true creates the aws-waf-logs-* group its logging writes to; otherwise nothing."""
    pages = boto3.client("logs").get_paginator("describe_log_groups").paginate()
    groups = {g["logGroupName"] for page in pages for g in page["logGroups"]}
    for parameters, suffix in deployed:
        wanted = parameters.get("WebAcl") == "true"
        assert wanted == (f"aws-waf-logs-feedback-api-{suffix}" in groups), parameters


def test_paid_analysis_is_capped_at_the_configured_size(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """The feedback function gets COMPREHEND_MAX_BYTES: 1000 by default, or the parameter."""
    functions = boto3.client("lambda")
    for parameters, suffix in deployed:
        found = functions.get_function_configuration(FunctionName=f"feedback-submit-{suffix}")
        expected = parameters.get("ComprehendMaxBytes", "1000")
        # str(): moto keeps a Number parameter's type in the variables; AWS holds strings.
        assert expected == str(found["Environment"]["Variables"]["COMPREHEND_MAX_BYTES"])


DATA_TABLES = ("feedback", "votes", "survey-responses")


def kms_key_of(parameters: dict[str, str], suffix: str) -> str | None:
    """The key ARN the stack's tables and log groups should use, or None (AWS managed)."""
    choice = parameters.get("DataKmsKey", "")
    if choice != "create":
        return choice or None
    stack = boto3.client("cloudformation").describe_stack_resource(
        StackName=f"feedback-api-{suffix}", LogicalResourceId="DataKey"
    )
    key_id = stack["StackResourceDetail"]["PhysicalResourceId"]
    # Built here: moto's DescribeKey fails on a key whose policy came from a template (it keeps
    # the template's object where AWS keeps the JSON text).
    return f"arn:aws:kms:us-east-1:123456789012:key/{key_id}"


def test_the_created_key_rotates_and_lets_cloudwatch_logs_use_it(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """DataKmsKey=create: rotation on, and the key policy names logs.<region>.amazonaws.com."""
    kms = boto3.client("kms")
    created = [(p, s) for p, s in deployed if p.get("DataKmsKey") == "create"]
    assert created
    for parameters, suffix in created:
        key = kms_key_of(parameters, suffix)
        assert key is not None
        assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"]
        policy: object = kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"]
        # AWS answers the policy as JSON text; moto answers the template's object.
        assert "logs.us-east-1.amazonaws.com" in json.dumps(policy)


def test_data_tables_are_protected_from_deletion_unless_turned_off(
    deployed: list[tuple[dict[str, str], str]],
) -> None:
    """TableDeletionProtection (default true) turns on deletion protection for every table."""
    dynamodb = boto3.client("dynamodb")
    for parameters, suffix in deployed:
        wanted = parameters.get("TableDeletionProtection", "true") == "true"
        for table in (*DATA_TABLES, "counters"):
            found = dynamodb.describe_table(TableName=f"{table}-{suffix}")["Table"]
            assert wanted == found.get("DeletionProtectionEnabled", False), (parameters, table)


def test_the_writers_get_the_retention(deployed: list[tuple[dict[str, str], str]]) -> None:
    """PersonalDataRetentionDays reaches the three writing functions as RETENTION_DAYS."""
    functions = boto3.client("lambda")
    writers = ("feedback-submit", "votes-submit", "survey-responses-submit")
    for parameters, suffix in deployed:
        days = parameters.get("PersonalDataRetentionDays", "0")
        for writer in writers:
            found = functions.get_function_configuration(FunctionName=f"{writer}-{suffix}")
            # str(): moto keeps a Number parameter's type in the variables; AWS holds strings.
            assert days == str(found["Environment"]["Variables"]["RETENTION_DAYS"])


# From the template: what moto cannot deploy.


def template() -> Any:
    from cfnlint.decode import cfn_yaml

    return cfn_yaml.loads(TEMPLATE.read_text())


def resources(kind: str) -> dict[str, Any]:
    return {k: v for k, v in template()["Resources"].items() if v["Type"] == kind}


def test_the_secure_mode_is_the_default() -> None:
    """Authentication defaults to cognito, feedback to signed in, API Gateway logs to a role."""
    parameters = template()["Parameters"]
    assert ("cognito", "false", "true", "") == (
        parameters["Authentication"]["Default"],
        parameters["AnonymousFeedback"]["Default"],
        parameters["ApiGatewayCloudWatchRole"]["Default"],
        parameters["CorsAllowedOrigins"]["Default"],
    )
    assert "IdentityFromBody" not in parameters  # the sample mode is Authentication only


def test_sample_mode_is_flagged_in_the_description_and_an_output() -> None:
    """The warning is where a deployer sees it: the stack's description and an output."""
    parsed = template()
    assert "SAMPLE WITHOUT SIGN-IN" in parsed["Description"]
    output = parsed["Outputs"]["SampleModeWarning"]
    assert ("NoSignIn", True) == (output["Condition"], output["Value"].startswith("WARNING"))


def test_the_authorizer_verifies_the_created_or_the_given_pool() -> None:
    """One Cognito authorizer, on the Authorization header, for the stack's pool or UserPoolArn."""
    (authorizer,) = resources("AWS::ApiGateway::Authorizer").values()
    props = authorizer["Properties"]
    assert (
        "UsesCognito",
        "COGNITO_USER_POOLS",
        "method.request.header.Authorization",
        [
            {
                "Fn::If": [
                    "CreatesUserPool",
                    {"Fn::GetAtt": ["UserPool", "Arn"]},
                    {"Ref": "UserPoolArn"},
                ]
            }
        ],
    ) == (authorizer["Condition"], props["Type"], props["IdentitySource"], props["ProviderARNs"])
    pool = template()["Resources"]["UserPool"]
    assert ("CreatesUserPool", "Retain", "ACTIVE") == (
        pool["Condition"],
        pool["DeletionPolicy"],
        pool["Properties"]["DeletionProtection"],
    )
    client = template()["Resources"]["UserPoolClient"]["Properties"]
    assert (False, ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]) == (
        client["GenerateSecret"],
        client["ExplicitAuthFlows"],
    )


def test_throttling_applies_to_every_method_and_per_client_plans() -> None:
    """The stage throttles every method (/* *); the usage plan throttles each API key."""
    stage = resources("AWS::ApiGateway::Stage")["ApiStage"]["Properties"]
    (setting,) = stage["MethodSettings"]
    assert ("/*", "*", {"Ref": "ThrottlingRateLimit"}, {"Ref": "ThrottlingBurstLimit"}) == (
        setting["ResourcePath"],
        setting["HttpMethod"],
        setting["ThrottlingRateLimit"],
        setting["ThrottlingBurstLimit"],
    )
    plan = resources("AWS::ApiGateway::UsagePlan")["ApiUsagePlan"]["Properties"]
    assert {"RateLimit", "BurstLimit"} == set(plan["Throttle"])


def test_every_alarm_notifies_the_stacks_topic() -> None:
    """Every alarm's actions (alarm and recovery) are the stack's topic."""
    alarms = resources("AWS::CloudWatch::Alarm")
    assert len(alarms) >= 10
    for name, alarm in alarms.items():
        props = alarm["Properties"]
        assert [{"Ref": "AlarmTopic"}] == props["AlarmActions"], name
        assert [{"Ref": "AlarmTopic"}] == props["OKActions"], name


def watched(metric: str) -> set[str]:
    """The resources whose ``metric`` some alarm watches (by the Ref in its dimensions)."""
    found: set[str] = set()
    for alarm in resources("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        stats = [props] + [
            m["MetricStat"]["Metric"] for m in props.get("Metrics", []) if "MetricStat" in m
        ]
        for stat in stats:
            if stat.get("MetricName") == metric:
                found |= {d["Value"]["Ref"] for d in stat["Dimensions"] if "Ref" in d["Value"]}
    return found


def test_every_function_and_table_is_watched() -> None:
    """Errors and throttles of every function, throttled reads and writes of every table."""
    functions = set(resources("AWS::Lambda::Function"))
    tables = set(resources("AWS::DynamoDB::Table"))
    assert (functions, functions) == (watched("Errors"), watched("Throttles"))
    assert (tables, tables) == (watched("ReadThrottleEvents"), watched("WriteThrottleEvents"))
    metrics = {
        a["Properties"].get("MetricName") for a in resources("AWS::CloudWatch::Alarm").values()
    }
    assert {"5XXError", "Latency", "IteratorAge", "ApproximateNumberOfMessagesVisible"} <= metrics


def test_the_cloudwatch_role_is_an_option_the_stage_waits_for() -> None:
    """The account setting names the role; the stage refers to it, so it is created first."""
    account = resources("AWS::ApiGateway::Account")["ApiGatewayAccount"]
    assert ("CreatesCloudWatchRole", {"Fn::GetAtt": ["ApiGatewayLogsRole", "Arn"]}) == (
        account["Condition"],
        account["Properties"]["CloudWatchRoleArn"],
    )
    variables = resources("AWS::ApiGateway::Stage")["ApiStage"]["Properties"]["Variables"]
    assert {"Ref": "ApiGatewayAccount"} == variables["logsRole"]["Fn::If"][1]
    guide = (
        Path(__file__).parents[2] / "docs" / "templates.md"
    )  # the checkout's docs, not the wheel
    assert "ApiGatewayCloudWatchRole" in guide.read_text()


def test_gateway_responses_carry_cors_headers() -> None:
    """API Gateway's own 4XX and 5XX (401, 403, 429, 502...) name an allowed origin."""
    found = {
        r["Properties"]["ResponseType"]: (
            r.get("Condition"),
            sorted(r["Properties"]["ResponseParameters"]),
        )
        for r in resources("AWS::ApiGateway::GatewayResponse").values()
    }
    headers = ["gatewayresponse.header.Access-Control-Allow-Origin", "gatewayresponse.header.Vary"]
    # The request validator's refusal is always a problem document; CORS headers under HasCors.
    body = sorted([*headers, "gatewayresponse.header.Content-Type"])
    assert {
        "DEFAULT_4XX": ("HasCors", headers),
        "DEFAULT_5XX": ("HasCors", headers),
        "BAD_REQUEST_BODY": (None, body),
    } == found


def test_the_web_acl_limits_each_ip_and_guards_the_stage() -> None:
    """WebAcl=true: a per-IP rate rule that blocks, associated with the stage, logs redacted."""
    waf = {
        k: v
        for k, v in template()["Resources"].items()
        if v["Type"].startswith("AWS::WAFv2::") or k == "ApiWebAclLogGroup"
    }
    assert {"HasWebAcl"} == {v["Condition"] for v in waf.values()}
    acl = waf["ApiWebAcl"]["Properties"]
    rate = acl["Rules"][0]
    assert ("REGIONAL", {"Block": {}}, "IP", {"Ref": "WebAclRateLimit"}) == (
        acl["Scope"],
        rate["Action"],
        rate["Statement"]["RateBasedStatement"]["AggregateKeyType"],
        rate["Statement"]["RateBasedStatement"]["Limit"],
    )
    association = waf["ApiWebAclAssociation"]["Properties"]
    assert "/restapis/${Api}/stages/${ApiStage}" in association["ResourceArn"]["Fn::Sub"]
    logging = waf["ApiWebAclLogging"]["Properties"]
    redacted = {f["SingleHeader"]["Name"] for f in logging["RedactedFields"]}
    assert {"authorization", "cookie"} == redacted


def test_the_managed_rules_leave_the_body_limit_to_the_handler() -> None:
    """The common rule set's 8 KB body rule only counts, so MaxBodyBytes stays the limit (413)."""
    rules = template()["Resources"]["ApiWebAcl"]["Properties"]["Rules"]
    (common,) = [r["Fn::If"][1] for r in rules if "Fn::If" in r]
    overrides = common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    assert [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}] == overrides


DATA_KEY = {"Fn::If": ["CreatesDataKey", {"Fn::GetAtt": ["DataKey", "Arn"]}, {"Ref": "DataKmsKey"}]}


def test_tables_use_the_customer_managed_key_when_asked() -> None:
    """DataKmsKey: every table is KMS-encrypted with the created or the given key.

    From the template: moto's CloudFormation reads the table's SSESpecification under the API's
    spelling (Enabled, not SSEEnabled) and so describes no encryption at all.
    """
    for name, table in resources("AWS::DynamoDB::Table").items():
        sse = table["Properties"]["SSESpecification"]
        assert (
            True,
            {"Fn::If": ["HasDataKmsKey", "KMS", {"Ref": "AWS::NoValue"}]},
            {"Fn::If": ["HasDataKmsKey", DATA_KEY, {"Ref": "AWS::NoValue"}]},
        ) == (sse["SSEEnabled"], sse["SSEType"], sse["KMSMasterKeyId"]), name


def test_log_groups_use_the_customer_managed_key_when_asked() -> None:
    """Every log group names the data key under DataKmsKey (moto's CloudFormation drops it)."""
    groups = resources("AWS::Logs::LogGroup")
    assert len(groups) >= 15
    for name, group in groups.items():
        wanted = {"Fn::If": ["HasDataKmsKey", DATA_KEY, {"Ref": "AWS::NoValue"}]}
        assert wanted == group["Properties"]["KmsKeyId"], name


def test_personal_data_expires_only_with_a_retention() -> None:
    """The data tables' TTL is on expiresAt with a retention (moto's CloudFormation has no TTL)."""
    tables = resources("AWS::DynamoDB::Table")
    for name in ("FeedbackTable", "VotesTable", "SurveyResponsesTable"):
        ttl = tables[name]["Properties"]["TimeToLiveSpecification"]
        assert {
            "Fn::If": [
                "HasRetention",
                {"AttributeName": "expiresAt", "Enabled": True},
                {"Ref": "AWS::NoValue"},
            ]
        } == ttl, name


def test_no_function_logs_events_or_debug_output() -> None:
    """No free text in logs by default: no event logging, no DEBUG level, on any function."""
    for name, function in resources("AWS::Lambda::Function").items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert "POWERTOOLS_LOGGER_LOG_EVENT" not in variables, name
        assert variables.get("POWERTOOLS_LOG_LEVEL", "INFO") in {"INFO", "WARNING"}, name


def test_the_functions_may_use_the_key_only_through_dynamodb() -> None:
    """Every function role gets kms use of that key, conditioned on kms:ViaService DynamoDB."""
    policy = template()["Resources"]["DataKeyUsePolicy"]
    roles = {r for r in resources("AWS::IAM::Role") if r.endswith("FunctionRole")}
    assert roles == {r["Ref"] for r in policy["Properties"]["Roles"]}
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert (DATA_KEY, ["kms:ViaService"]) == (
        statement["Resource"],
        list(statement["Condition"]["StringEquals"]),
    )


def test_every_function_serves_through_a_live_alias_under_codedeploy() -> None:
    """Each function: a version per CodeBuildId, a live alias CodeDeploy shifts, alarms roll back.

    Moto's CloudFormation creates no Lambda alias and no CodeDeploy resource, so the stacks
    above deploy with DeploymentPreference=none (functions called directly); this is the shape
    AWS deploys by default.
    """
    parsed = template()["Resources"]
    functions = set(resources("AWS::Lambda::Function"))
    assert "Canary10Percent5Minutes" == template()["Parameters"]["DeploymentPreference"]["Default"]
    for function in functions:
        version, alias = parsed[f"{function}Version"], parsed[f"{function}Alias"]
        group = parsed[f"{function}DeploymentGroup"]["Properties"]
        assert (
            {"Ref": function},
            {"Fn::Sub": "build ${CodeBuildId}"},
            "Retain",
        ) == (
            version["Properties"]["FunctionName"],
            version["Properties"]["Description"],
            version["DeletionPolicy"],
        ), function
        assert ("live", {"Fn::GetAtt": [f"{function}Version", "Version"]}) == (
            alias["Properties"]["Name"],
            alias["Properties"]["FunctionVersion"],
        )
        update = alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
        assert {"Ref": f"{function}DeploymentGroup"} == update["DeploymentGroupName"]
        assert {"Fn::Sub": "CodeDeployDefault.Lambda${DeploymentPreference}"} == group[
            "DeploymentConfigName"
        ]
        assert ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] == group[
            "AutoRollbackConfiguration"
        ]["Events"]
        alarms = {a["Name"]["Ref"] for a in group["AlarmConfiguration"]["Alarms"]}
        assert alarms <= set(resources("AWS::CloudWatch::Alarm")), function
        assert any("Errors" in a for a in alarms), function
        conditions = {version["Condition"], alias["Condition"], "SafeDeployments"}
        assert {"SafeDeployments"} == conditions


def test_the_api_and_the_stream_mappings_call_the_alias() -> None:
    """Integrations, invoke permissions and mappings name the live alias under SafeDeployments."""
    targets = [
        m["Properties"]["Integration"]["Uri"]["Fn::Sub"][1]["Target"]
        for m in resources("AWS::ApiGateway::Method").values()
        if m["Properties"]["Integration"]["Type"] == "AWS_PROXY"
    ]
    targets += [
        p["Properties"]["FunctionName"] for p in resources("AWS::Lambda::Permission").values()
    ]
    targets += [
        m["Properties"]["FunctionName"]
        for m in resources("AWS::Lambda::EventSourceMapping").values()
    ]
    assert len(targets) == 10 + 10 + 3
    for target in targets:
        condition, safe, direct = target["Fn::If"]
        function = safe["Ref"].removesuffix("Alias")
        assert ("SafeDeployments", f"{function}Alias") == (condition, safe["Ref"])
        assert direct in ({"Ref": function}, {"Fn::GetAtt": [function, "Arn"]})


def test_the_dashboard_shows_the_business_figures_the_writers_emit() -> None:
    """Submissions, votes and the sentiment mix, for the Service the three writers name."""
    body = json.loads(
        resources("AWS::CloudWatch::Dashboard")["Dashboard"]["Properties"]["DashboardBody"][
            "Fn::Sub"
        ]
    )
    shown = {
        (m[1], m[3])
        for w in body["widgets"]
        for m in w["properties"]["metrics"]
        if m[0] == "FeedbackCore"
    }
    assert {"Submissions", "Votes", "VoteChanges", "FeedbackBySentiment"} == {n for n, _ in shown}
    services = {service for _, service in shown}
    writers = [
        f["Properties"]["Environment"]["Variables"].get("METRICS_SERVICE")
        for f in resources("AWS::Lambda::Function").values()
    ]
    assert 3 == len([w for w in writers if w is not None])
    assert services == {w["Fn::Sub"] for w in writers if w is not None}


def deployment_hash() -> str:
    """A hash of the methods, the authorizer and the body models, as the deployments' ids carry."""
    parsed = template()["Resources"]
    kinds = {"AWS::ApiGateway::Method", "AWS::ApiGateway::Authorizer", "AWS::ApiGateway::Model"}
    parts = {k: v for k, v in parsed.items() if v["Type"] in kinds}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:8]


def test_a_change_of_methods_or_authorization_replaces_the_deployment() -> None:
    """One deployment per authorization profile, named after a hash of the methods.

    A parameter that changes authorization switches to another profile's deployment (a new
    resource: a new deployment); editing a method or the authorizer changes the hash, and this
    test fails until the deployments are renamed (which makes CloudFormation create new ones).
    """
    deployments = resources("AWS::ApiGateway::Deployment")
    digest = deployment_hash()
    assert all(name.endswith(digest) for name in deployments), f"rename to ...{digest}"
    profiles = {d["Condition"] for d in deployments.values()}
    assert 6 == len(profiles) == len(deployments)
    stage = resources("AWS::ApiGateway::Stage")["ApiStage"]["Properties"]
    assert set(deployments) == set(
        re.findall(r"ApiDeployment\w+", json.dumps(stage["DeploymentId"]))
    )
    every_method = set(resources("AWS::ApiGateway::Method"))
    assert all(every_method == set(d["DependsOn"]) for d in deployments.values())


def test_suppressions_of_missing_authorization_give_reasons_that_hold() -> None:
    """CKV_AWS_59 on a user route names the Cognito default; no reason speaks of a body it lacks."""
    for name, method in resources("AWS::ApiGateway::Method").items():
        skips = method.get("Metadata", {}).get("checkov", {}).get("skip", [])
        for skip in skips:
            if skip["id"] != "CKV_AWS_59":
                continue
            props = method["Properties"]
            if props["HttpMethod"] == "GET":
                assert "body" not in skip["comment"], name
            if isinstance(props["AuthorizationType"], dict):  # NONE only in an opt-in mode
                assert "cognito" in skip["comment"].lower(), name
