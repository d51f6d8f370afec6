"""An embedded AWS (moto, in process) with the sample templates deployed into it.

``LocalPlatform`` does what ``aws cloudformation package`` and ``deploy`` do, against moto: zips
the reference handlers, uploads the zip, points each function's local ``Code`` path at it, and
creates the stacks. Moto does not run Lambda functions, so the platform imports each handler
module with the environment its function was deployed with, and calls it in process; and it
plays the deployed DynamoDB event source mappings itself (:meth:`LocalPlatform.deliver_streams`),
reading each stream with GetRecords and calling the function with the event Lambda would pass
(:func:`stream_records`, :func:`lambda_stream_event`).
"""

from __future__ import annotations

import importlib
import io
import logging
import os
import re
import sys
import time
import warnings
import zipfile
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs

from feedback_core.aggregate.dynamodbstreams import lambda_stream_event, stream_records
from feedback_core.aggregate.stream import iso_seconds
from feedback_core.testing.lambda_context import FakeLambdaContext
from feedback_core.testing.mapping import EventSourceMappingDriver, ShardCursor

if TYPE_CHECKING:
    from types import ModuleType

    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

    from feedback_core.testing.mapping import StreamHandler

__all__ = [
    "Handler",
    "LocalPlatform",
    "StreamDelivery",
    "bundle_root",
    "package_template",
]

Handler = Callable[[dict[str, Any]], dict[str, Any]]
"""A deployed handler, called with an event (the context is supplied)."""

CODE_BUCKET = "feedback-core-local-code"
CODE_KEY = "lambda.zip"
_LOCAL_CODE = re.compile(r"^(\s*)Code:\s*\.\./build/lambda\s*$", re.MULTILINE)
_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


def bundle_root() -> Path:
    """The folder that holds ``reference_handlers/`` and ``templates/``.

    An installed wheel carries both under ``feedback_core/_bundled``; a source checkout has them
    at the repository root.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_bundled", package.parent.parent):
        if (candidate / "reference_handlers").is_dir() and (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("reference_handlers/ and templates/ are not installed with this copy")


def package_template(text: str, *, bucket: str = CODE_BUCKET, key: str = CODE_KEY) -> str:
    """Point each function's ``Code: ../build/lambda`` at an S3 object, as ``package`` does.

    Also gives each MOCK integration (the CORS preflights) the ``IntegrationHttpMethod`` and
    ``Uri`` placeholders moto's CloudFormation reads from every integration (AWS needs neither).
    """
    text = text.replace(
        "        Type: MOCK\n",
        "        Type: MOCK\n        IntegrationHttpMethod: OPTIONS\n        Uri: mock\n",
    )
    return _LOCAL_CODE.sub(rf"\1Code: {{S3Bucket: {bucket}, S3Key: {key}}}", text)


def _parameter_names(template: str) -> set[str]:
    """The names under the template's top-level ``Parameters:`` (two-space indented keys)."""
    block = re.search(r"^Parameters:\n(.*?)(?=^\S)", template, re.MULTILINE | re.DOTALL)
    return set(re.findall(r"^  (\w+):", block.group(1), re.MULTILINE)) if block else set()


@attrs.frozen(kw_only=True)
class StreamDelivery:
    """What playing one event source mapping did, in one :meth:`LocalPlatform.deliver_streams`.

    Attributes:
        function_name: The function the mapping invokes.
        stream_arn: The stream it reads.
        invocations: Times the function was called.
        records: Records delivered, counting a redelivered record each time.
        retries: Invocations that redelivered from a record the function reported.
        discarded: Sequence numbers the mapping gave up after ``MaximumRetryAttempts``.
    """

    function_name: str
    stream_arn: str
    invocations: int
    records: int
    retries: int
    discarded: tuple[str, ...] = ()


def _handlers_zip(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((root / "reference_handlers").glob("*.py")):
            archive.write(path, f"reference_handlers/{path.name}")
    return buffer.getvalue()


class LocalPlatform:
    """The sample stacks deployed into an in-process moto, with their handlers callable.

    Use as a context manager; AWS calls made inside it (by you or by the handlers) go to moto.

    Args:
        templates: Template file names under ``templates/`` to deploy, in order.
        suffix: The stacks' ``EnvironmentSuffix``.
        log_level: Overrides the functions' ``POWERTOOLS_LOG_LEVEL`` (e.g. to quieten them).
        parameters: Template parameters by name, passed to every stack that declares them.
    """

    def __init__(
        self,
        templates: tuple[str, ...] = ("feedback-api.yaml",),
        *,
        suffix: str = "local",
        log_level: str | None = None,
        parameters: Mapping[str, str] | None = None,
    ) -> None:
        """Remember what to deploy; nothing starts until ``__enter__``."""
        self.templates = templates
        self.suffix = suffix
        self.log_level = log_level
        # Handlers are called in process, with no API Gateway to verify a token: the platform
        # runs the template's sample mode unless told otherwise (Authentication=cognito).
        # Moto's CloudFormation has no Lambda alias and no CodeDeploy: functions are called
        # directly (DeploymentPreference=none), as the handlers here are anyway.
        self.parameters = {
            "EnvironmentSuffix": suffix,
            "Authentication": "none-sample",
            "DeploymentPreference": "none",
            **(parameters or {}),
        }
        self.root = bundle_root()
        self._stack = ExitStack()
        self._saved_env: dict[str, str | None] = {}
        self.outputs: dict[str, str] = {}
        # Each mapping's position per shard: where Lambda's next batch starts.
        self._checkpoints: dict[tuple[str, str], tuple[str, str]] = {}
        self._cursors: dict[tuple[str, str], ShardCursor] = {}
        self._warm: dict[str, Handler] = {}

    def __enter__(self) -> LocalPlatform:
        """Start moto, upload the code and create every stack."""
        from moto import mock_aws  # moto is the [local] extra; load it only here

        self._set_env(_FAKE_CREDENTIALS)
        # Moto's CloudFormation has no AWS::ApiGateway::Stage, nor the API key option's
        # ApiKey, UsagePlan and UsagePlanKey; it skips them with a warning. Handlers are called
        # in process here, so no stage (and no key) is needed.
        self._stack.enter_context(warnings.catch_warnings())
        warnings.filterwarnings(
            "ignore",
            message=r"Tried to parse AWS::ApiGateway::(Stage|ApiKey|UsagePlan|UsagePlanKey) ",
        )
        # Nor sign-in (Cognito user pool, client, group; the API's authorizer), nor the
        # account's CloudWatch role setting: the template tests read those from the template.
        warnings.filterwarnings(
            "ignore",
            message=r"Tried to parse AWS::(Cognito::UserPool\w*|ApiGateway::(Authorizer|Account)) ",
        )
        # Nor the gateway's request validation (models, validator, its refusal's shape): the
        # functions validate every body themselves, finer.
        warnings.filterwarnings(
            "ignore",
            message=r"Tried to parse AWS::ApiGateway::(Model|RequestValidator|GatewayResponse) ",
        )
        # Nor AWS::CloudWatch::Alarm: the stream aggregators' alarms are not deployed here.
        warnings.filterwarnings("ignore", message=r"Tried to parse AWS::CloudWatch::Alarm ")
        # Nor AWS::SecretsManager::Secret: deploy() creates the generated secrets itself.
        warnings.filterwarnings("ignore", message=r"Tried to parse AWS::SecretsManager::Secret ")
        # Nor AWS::S3::BucketPolicy (the reports bucket's TLS-only policy): tests read it from
        # the template instead.
        warnings.filterwarnings("ignore", message=r"Tried to parse AWS::S3::BucketPolicy ")
        logging.getLogger("moto").setLevel(logging.ERROR)
        self._stack.enter_context(mock_aws())
        import boto3  # boto3 comes with the [local] extra

        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=CODE_BUCKET)
        s3.put_object(Bucket=CODE_BUCKET, Key=CODE_KEY, Body=_handlers_zip(self.root))
        for name in self.templates:
            self.outputs.update(self.deploy(name, suffix=self.suffix))
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop moto and restore the environment."""
        self._stack.close()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    def _set_env(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self._saved_env.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def deploy(
        self, name: str, *, suffix: str, parameters: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """Create one stack of template ``name`` as ``<stem>-<suffix>``; return its outputs.

        ``__enter__`` deploys ``templates`` this way; call it inside the platform to add another
        copy, e.g. with other parameters (the demo runs votes under both policies so).

        Args:
            name: A template file name under ``templates/``.
            suffix: The stack's ``EnvironmentSuffix``, which every resource name carries.
            parameters: Parameters over the platform's own, for this stack only.
        """
        import boto3  # boto3 comes with the [local] extra

        cloudformation: CloudFormationClient = boto3.client("cloudformation")
        stack = f"{Path(name).stem}-{suffix}"
        body = package_template((self.root / "templates" / name).read_text())
        declared = _parameter_names(body)
        chosen = {**self.parameters, **(parameters or {}), "EnvironmentSuffix": suffix}
        cloudformation.create_stack(
            StackName=stack,
            TemplateBody=body,
            Parameters=[
                {"ParameterKey": k, "ParameterValue": v} for k, v in chosen.items() if k in declared
            ],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
        (description,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
        if description["StackStatus"] != "CREATE_COMPLETE":
            raise RuntimeError(f"stack {stack} ended {description['StackStatus']}")
        _detach_moto_stream_triggers()
        _create_generated_secrets(body, chosen)
        return {o["OutputKey"]: o["OutputValue"] for o in description.get("Outputs", [])}

    def handler(self, function_name: str) -> Handler:
        """Import the function's handler module with its deployed environment; return the handler.

        Moto keeps each function's configuration (handler path, environment); this reads it,
        sets the environment, and imports the module fresh, as a cold start would.
        """
        import boto3  # boto3 comes with the [local] extra

        configuration = boto3.client("lambda").get_function(FunctionName=function_name)[
            "Configuration"
        ]
        variables = configuration.get("Environment", {}).get("Variables", {})
        environment = {k: str(v) for k, v in variables.items()}
        if self.log_level is not None:
            environment["POWERTOOLS_LOG_LEVEL"] = self.log_level
        self._set_env(environment)
        module_name, _, attribute = configuration["Handler"].rpartition(".")
        sys.modules.pop(module_name, None)
        module: ModuleType = importlib.import_module(module_name)
        function = getattr(module, attribute)

        def call(event: dict[str, Any]) -> dict[str, Any]:
            response: dict[str, Any] = function(
                event, FakeLambdaContext(function_name=function_name)
            )
            return response

        return call

    def deliver_streams(
        self, *, from_start: bool = False, max_retries: int = 3, warm: bool = False
    ) -> list[StreamDelivery]:
        """Play every deployed DynamoDB event source mapping once: deliver what is new.

        For each mapping (its ``BatchSize`` and function as deployed) and each shard of its
        stream, read the records after the mapping's checkpoint in batches, call the function
        with the event Lambda would pass, and move the checkpoint as Lambda does: past the
        batch, or, when the function reports ``batchItemFailures``, to the lowest reported
        record, which the next batch starts at; a handler that raises, or reports a record not
        in its batch, has the batch delivered again; after the mapping's
        ``MaximumRetryAttempts`` the batch is given up (``StreamDelivery.discarded``). These
        rules are :class:`~feedback_core.testing.mapping.EventSourceMappingDriver`'s, shared
        with the stream simulator. A mapping with ``TumblingWindowInSeconds`` gets Lambda's
        window fields (``shardId``, ``window``, ``state``), each batch played as a window of
        its own (``isFinalInvokeForWindow`` set, the state starting empty): what Lambda does
        when a window holds one batch.

        Args:
            from_start: Deliver every record again from the start of the stream, as Lambda
                redelivers batches after a failure. With the ``BatchSize`` unchanged, each
                batch starts at a record an earlier batch started at, as a Lambda redelivery
                does.
            max_retries: Give up (``RuntimeError``, chaining the handler's last error) after
                this many failed attempts in a row; Lambda would go on
                (``MaximumRetryAttempts`` -1).
            warm: Reuse each function's handler from an earlier warm delivery instead of a
                cold start per call (``feedback-core serve`` delivers every second).

        Returns:
            One summary per mapping.

        Raises:
            RuntimeError: a function kept reporting failures.
        """
        import boto3  # boto3 comes with the [local] extra

        lambda_client = boto3.client("lambda")
        streams = _streams_client()
        handlers: dict[str, Handler] = self._warm if warm else {}
        deliveries = []
        pages = lambda_client.get_paginator("list_event_source_mappings").paginate()
        mappings = [m for page in pages for m in page["EventSourceMappings"]]
        for mapping in mappings:
            arn = mapping.get("EventSourceArn", "")
            if ":dynamodb:" not in arn or mapping.get("State", "Enabled") != "Enabled":
                continue
            function = mapping["FunctionArn"].rsplit(":", 1)[-1]
            if function not in handlers:
                handlers[function] = self.handler(function)
            delivery = StreamDelivery(
                function_name=function, stream_arn=arn, invocations=0, records=0, retries=0
            )
            for shard in _shards(streams, arn):
                key = (mapping["UUID"], shard)
                delivery = self._deliver_shard(
                    streams,
                    handlers[function],
                    delivery,
                    shard=shard,
                    key=key,
                    batch_size=int(mapping.get("BatchSize", 100)),
                    window=int(mapping.get("TumblingWindowInSeconds") or 0),
                    resume=None if from_start else self._checkpoints.get(key),
                    driver=EventSourceMappingDriver(
                        maximum_retry_attempts=_retry_limit(mapping.get("MaximumRetryAttempts"))
                    ),
                    max_retries=max_retries,
                )
            deliveries.append(delivery)
        return deliveries

    def _deliver_shard(
        self,
        streams: DynamoDBStreamsClient,
        handler: Handler,
        delivery: StreamDelivery,
        *,
        shard: str,
        key: tuple[str, str],
        batch_size: int,
        window: int,
        resume: tuple[str, str] | None,
        driver: EventSourceMappingDriver,
        max_retries: int,
    ) -> StreamDelivery:
        cursor = self._cursors.setdefault(key, ShardCursor())
        failed_in_a_row = 0
        while True:
            kind, sequence = resume or ("", "")
            records = stream_records(
                streams,
                delivery.stream_arn,
                shard,
                at=sequence if kind == "at" else None,
                after=sequence if kind == "after" else None,
                limit=batch_size,
            )
            if not records:
                return delivery
            event = lambda_stream_event(
                records, stream_arn=delivery.stream_arn, region=_FAKE_CREDENTIALS["AWS_REGION"]
            )
            if window:
                event.update(_window_fields(shard, delivery.stream_arn, window))
            numbers = [str(record["dynamodb"]["SequenceNumber"]) for record in records]
            # Lambda's rules (failure reports, handler errors, the retry limit) live in one
            # place, shared with the stream simulator.
            verdict = driver.invoke(cast("StreamHandler", handler), event, numbers, cursor)
            retried = resume is not None and resume[0] == "at"
            delivery = attrs.evolve(
                delivery,
                invocations=delivery.invocations + 1,
                records=delivery.records + len(records),
                retries=delivery.retries + retried,
                discarded=delivery.discarded + verdict.discarded,
            )
            if verdict.advance == 0:
                failed_in_a_row += 1
                if failed_in_a_row > max_retries:
                    raise RuntimeError(
                        f"{delivery.function_name} kept failing on {shard}"
                    ) from verdict.error
                resume = ("at", numbers[0])
            else:
                failed_in_a_row = 0
                resume = (
                    ("after", numbers[-1])
                    if verdict.advance == len(numbers)
                    else ("at", numbers[verdict.advance])
                )
            self._checkpoints[key] = resume


def _window_fields(shard: str, stream_arn: str, seconds: int) -> dict[str, object]:
    """Lambda's tumbling-window fields for a batch played as a window of its own."""
    start = int(time.time()) // seconds * seconds
    return {
        "window": {"start": iso_seconds(start), "end": iso_seconds(start + seconds)},
        "state": {},
        "shardId": shard,
        "eventSourceARN": stream_arn,
        "isFinalInvokeForWindow": True,
        "isWindowTerminatedEarly": False,
    }


def _retry_limit(value: object) -> int | None:
    """``MaximumRetryAttempts`` as the driver takes it: ``None`` for -1 (retry until expiry)."""
    limit = int(cast("int", value)) if value is not None else -1
    return None if limit < 0 else limit


def _streams_client() -> DynamoDBStreamsClient:
    import boto3  # boto3 comes with the [local] extra

    region = _FAKE_CREDENTIALS["AWS_REGION"]
    # Moto 5.2 answers DynamoDB Streams on the classic endpoint only; recent botocore sends
    # stream-ARN calls to an account-based one (ACCOUNT.streams-ddb...), which moto answers 404.
    client: DynamoDBStreamsClient = boto3.client(
        "dynamodbstreams", endpoint_url=f"https://streams.dynamodb.{region}.amazonaws.com"
    )
    return client


def _shards(client: DynamoDBStreamsClient, stream_arn: str) -> list[str]:
    """The stream's shard ids, parents before their children (the order to read them in)."""
    shards = []
    request: dict[str, str] = {"StreamArn": stream_arn}
    while True:
        description = client.describe_stream(**request)["StreamDescription"]  # type: ignore[arg-type]  # a plain dict
        shards += description.get("Shards", [])
        last = description.get("LastEvaluatedShardId")
        if not last:
            break
        request["ExclusiveStartShardId"] = last
    ids = [s["ShardId"] for s in shards]
    parent = {s["ShardId"]: s.get("ParentShardId") for s in shards}

    def depth(shard: str) -> int:
        return 0 if parent.get(shard) not in parent else 1 + depth(str(parent[shard]))

    return sorted(ids, key=lambda s: (depth(s), ids.index(s)))


def _detach_moto_stream_triggers() -> None:
    """Stop moto from invoking stream functions itself; the platform delivers the streams.

    Moto links each DynamoDB event source mapping to its table and, on every write, invokes the
    function in Docker with all records so far, then drops the stream's records when that
    returns anything (an error included). Without Docker that loses every record. The mappings
    stay listed (``list_event_source_mappings`` still shows their settings); only moto's
    in-process hook goes, and :meth:`LocalPlatform.deliver_streams` plays them instead.
    """
    from moto.core.models import DEFAULT_ACCOUNT_ID  # the [local] extra
    from moto.dynamodb.models import dynamodb_backends  # as above

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][_FAKE_CREDENTIALS["AWS_REGION"]]
    for table in backend.tables.values():
        table.lambda_event_source_mappings.clear()


def _create_generated_secrets(template: str, parameters: Mapping[str, str]) -> None:
    """Create each secret the template generates, as CloudFormation would.

    Moto's CloudFormation skips ``AWS::SecretsManager::Secret``; functions that read a generated
    secret at cold start (the listing's cursor key) find it under the same name here, holding
    random letters and digits of the ``PasswordLength`` asked for.
    """
    import secrets  # the standard library's, for the random value

    import boto3  # boto3 comes with the [local] extra
    import yaml  # moto's CloudFormation needs PyYAML, so the [local] extra has it
    from moto.cloudformation.utils import yaml_tag_constructor  # as above

    class Loader(yaml.SafeLoader):
        """Reads the short-form tags (!Sub ...) as their long forms."""

    Loader.add_multi_constructor("", yaml_tag_constructor)
    resources = yaml.load(template, Loader=Loader).get("Resources", {})  # noqa: S506  # a safe loader with CloudFormation's tags
    client = boto3.client("secretsmanager")
    for resource in resources.values():
        properties = resource.get("Properties", {})
        if resource.get("Type") != "AWS::SecretsManager::Secret":
            continue
        name = properties["Name"]
        name = name["Fn::Sub"] if isinstance(name, dict) else name
        name = re.sub(r"\$\{(\w+)\}", lambda m: parameters[m.group(1)], name)
        length = int(properties.get("GenerateSecretString", {}).get("PasswordLength", 32))
        client.create_secret(Name=name, SecretString=secrets.token_hex(length)[:length])
