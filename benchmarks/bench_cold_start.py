"""Cold start of each reference handler against a peer written the usual Powertools way.

For every public module in ``reference_handlers/`` (listed, not named here), the init phase a
Lambda cold start pays, importing the module and building its services, is timed in fresh
interpreters against the module of the same name in ``benchmarks/peers/`` (event handler,
parser with a pydantic model, idempotency utility on ``DynamoDBPersistenceLayer``, batch
processor, boto3 at import). Each side gets the environment of the first function that runs the
module in ``templates/*.yaml`` (files in name order): a parameter reference becomes the
parameter's default (the table parameters of the backup and reports templates the feedback
API's tables, other parameters without one their name), a resource reference its logical id
(a topic's its ARN), an ``!If``
its "else" branch (the templates' optional parts are off by default) and ``!Sub``/``!GetAtt`` a
dummy string. Bytecode is compiled for both sides; the figure is the median CPU time of the
children.

A handler may call AWS at init, as a Lambda may (``feedback_list`` read its cursor signing key
from Secrets Manager there until it moved the read to its first cursor; the peer still does).
So the init children find what a deployed function would: a moto
server in this process (``ThreadedMotoServer`` on 127.0.0.1, reached through
``AWS_ENDPOINT_URL``), holding every template's tables and secrets. The children themselves
import neither moto nor anything else the handler would not; their AWS calls are HTTP requests
to that server, and the server's CPU time is not theirs.

Beside it, the first invocation: in a fresh interpreter inside moto's ``mock_aws``, with every
table of the templates (and the peer's idempotency table) created first, the module is imported
and invoked once with the sample event from ``tests/events/`` that matches its route (API
Gateway method and path from the template) or, for a stream consumer, the stream sample.
A scheduled function gets EventBridge's scheduled event and the SQS consumer one message
announcing an object the child puts first, both built here; the data-lake function gets the
stream sample. A route with no sample in ``tests/events/`` shows "-". Every template's
buckets, topics and secrets are created first too, and the context
has the function's whole timeout left. The figure is the CPU time of that one call;
moto runs in the same process, so it includes moto's own handling of the AWS calls each side
makes. Beside it: the API status codes, a batch's failed records, or the job's status.

Run: python benchmarks/bench_cold_start.py [--runs N] [--invocations N] [NAME ...]
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import logging
import os
import re
import secrets
import statistics
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
EVENTS = ROOT / "tests" / "events"
PEERS = Path(__file__).resolve().parent / "peers"
IDEMPOTENCY_TABLE = "PeerIdempotencyTable"
# The backup and reports templates take the tables they read as parameters: they are given the
# feedback API's tables (the backup the feedback table), as a deployment beside it would be.
DEPLOYED_WITH = {
    "BackupTableName": "FeedbackTable",
    "SurveyResponsesTableName": "SurveyResponsesTable",
    "CountersTableName": "CountersTable",
}
ACCOUNT_ARN = "arn:aws:sns:eu-west-1:123456789012"  # moto's account, AWS_ENV's region
IDEMPOTENCY = {
    "TableName": IDEMPOTENCY_TABLE,
    "BillingMode": "PAY_PER_REQUEST",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
}
AWS_ENV = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # moto's dummy credentials
    "AWS_SESSION_TOKEN": "testing",  # moto's dummy credentials
    "IDEMPOTENCY_TABLE": IDEMPOTENCY_TABLE,
}

SCHEDULED_EVENT = {  # what an EventBridge schedule sends
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "123456789012",
    "time": "2026-11-30T01:00:00Z",
    "region": "eu-west-1",
    "resources": ["arn:aws:events:eu-west-1:123456789012:rule/schedule"],
    "detail": {},
}

INIT = """\
import importlib, time
cpu, wall = time.process_time(), time.perf_counter()
importlib.import_module({module!r})
print("\\nBENCH", time.process_time() - cpu, time.perf_counter() - wall)
"""

FIRST_INVOCATION = """\
import importlib, json, os, time
import boto3
from moto import mock_aws
from feedback_core.testing.lambda_context import FakeLambdaContext
spec = json.loads(os.environ["BENCH_SPEC"])
with mock_aws():
    client = boto3.client("dynamodb")
    for table in spec["tables"]:
        client.create_table(**table)
    s3 = boto3.client("s3")
    where = {{"LocationConstraint": "eu-west-1"}}
    for bucket in spec.get("buckets", []):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=where)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={{"Status": "Enabled"}})
    for topic in spec.get("topics", []):
        boto3.client("sns").create_topic(Name=topic)
    for secret in spec.get("secrets", []):  # (a generated value, as the templates' are)
        boto3.client("secretsmanager").create_secret(Name=secret, SecretString="k" * 64)
    given = spec["event"]
    text = open(given).read() if isinstance(given, str) else json.dumps(given)
    if "source" in spec:  # the object an S3 notification announces, created first
        put = s3.put_object(Bucket=spec["source"][0], Key=spec["source"][1], Body=b"{{}}")
        text = text.replace("$VERSION", put["VersionId"])
    module = importlib.import_module({module!r})
    event = json.loads(text)
    context = FakeLambdaContext(function_name={module!r}, remaining_millis=spec["remaining_ms"])
    cpu, wall = time.process_time(), time.perf_counter()
    response = module.handler(event, context)
    elapsed = time.process_time() - cpu, time.perf_counter() - wall
# An API's status code, a batch's failed records, or the job's own status (else "ok").
response = response if isinstance(response, dict) else {{}}
failed = "failed:" + str(len(response.get("batchItemFailures", [])))
status = response.get("statusCode", failed if "batchItemFailures" in response else "ok")
status = response.get("status", status)
print("\\nBENCH", elapsed[0], elapsed[1], status)
"""


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags kept as one-key dicts (``{"!Ref": ...}``)."""


def _tagged(loader: _Loader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]  # a MappingNode
    return {"!" + suffix: value}


_Loader.add_multi_constructor("!", _tagged)


class Template:
    """The parts of a template the benchmark needs: functions, tables, secrets and routes."""

    def __init__(self, path: Path) -> None:
        with path.open(encoding="utf-8") as file:
            body = yaml.load(file, Loader=_Loader)  # noqa: S506  # a SafeLoader subclass
        self.parameters: dict[str, Any] = body.get("Parameters", {})
        self.resources: dict[str, Any] = body["Resources"]

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        """Logical id -> properties of every resource of one type."""
        return {k: r.get("Properties", {}) for k, r in self.resources.items() if r["Type"] == kind}

    def resolve(self, value: Any) -> Any:  # noqa: PLR0911  # one answer per intrinsic
        """Resolve intrinsics to plain strings (``None`` for ``AWS::NoValue``)."""
        if not isinstance(value, dict) or len(value) != 1:
            return value
        ((tag, arg),) = value.items()
        if tag == "!Ref":
            if arg == "AWS::NoValue":
                return None
            if arg in self.parameters:
                default = self.parameters[arg].get("Default", arg)
                return str(DEPLOYED_WITH.get(arg, default)) or arg
            if self.resources.get(arg, {}).get("Type") == "AWS::SNS::Topic":
                return f"{ACCOUNT_ARN}:{arg}"  # a topic's Ref is its ARN
            return arg
        if tag == "!If":
            return self.resolve(arg[2])
        if tag == "!Sub":
            text = arg if isinstance(arg, str) else arg[0]
            return re.sub(r"\$\{([^}]+)\}", lambda m: m.group(1).replace(".", "-"), text)
        if tag == "!GetAtt":
            return (arg if isinstance(arg, str) else ".".join(arg)).replace(".", "-")
        return f"dummy-{tag[1:].lower()}"

    def functions(self) -> dict[str, tuple[str, dict[str, str]]]:
        """Handler module -> (the first function that runs it, its environment)."""
        found: dict[str, tuple[str, dict[str, str]]] = {}
        for logical_id, props in self.of_type("AWS::Lambda::Function").items():
            module = str(props.get("Handler", "")).rpartition(".")[0]
            if module in found:
                continue
            variables = props.get("Environment", {}).get("Variables", {})
            env = {k: self.resolve(v) for k, v in variables.items()}
            found[module] = (logical_id, {k: str(v) for k, v in env.items() if v is not None})
        return found

    def names(self, kind: str) -> list[str]:
        """The names (logical ids) of every resource of one type, e.g. buckets and topics."""
        return list(self.of_type(kind))

    def triggers(self) -> dict[str, str]:
        """Function logical id -> "schedule", "sqs" or "stream": what invokes it, besides an API."""
        functions = self.of_type("AWS::Lambda::Function")

        def function_of(value: Any) -> str | None:
            text = json.dumps(value)
            return next((f for f in functions if re.search(rf'"{f}(\.Arn)?"', text)), None)

        found: dict[str, str] = {}
        for rule in self.of_type("AWS::Events::Rule").values():
            for target in rule.get("Targets", []):
                if (function := function_of(target.get("Arn"))) is not None:
                    found[function] = "schedule"
        for mapping in self.of_type("AWS::Lambda::EventSourceMapping").values():
            source = json.dumps(mapping.get("EventSourceArn"))
            queues = self.of_type("AWS::SQS::Queue")
            kind = "sqs" if any(f'"{q}.Arn"' in source for q in queues) else "stream"
            if (function := function_of(mapping.get("FunctionName"))) is not None:
                found[function] = kind
        return found

    def notifying_bucket(self) -> str | None:
        """The bucket whose object-created notifications go to a queue, if the template has one."""
        buckets = self.of_type("AWS::S3::Bucket").items()
        return next((b for b, props in buckets if "NotificationConfiguration" in props), None)

    def secrets(self) -> list[str]:
        """The names of the Secrets Manager secrets the template creates."""
        found = self.of_type("AWS::SecretsManager::Secret").items()
        return [str(self.resolve(props.get("Name", logical_id))) for logical_id, props in found]

    def tables(self) -> list[dict[str, Any]]:
        """CreateTable arguments for every table, named as the functions see them."""
        tables = []
        for logical_id, props in self.of_type("AWS::DynamoDB::Table").items():
            table: dict[str, Any] = {
                "TableName": logical_id,
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": props["KeySchema"],
                "AttributeDefinitions": props["AttributeDefinitions"],
            }
            indexes = [
                {k: index[k] for k in ("IndexName", "KeySchema", "Projection")}
                for index in props.get("GlobalSecondaryIndexes", [])
            ]
            if indexes:
                table["GlobalSecondaryIndexes"] = indexes
            stream = props.get("StreamSpecification")
            if stream:
                table["StreamSpecification"] = {"StreamEnabled": True, **stream}
            tables.append(table)
        return tables

    def routes(self) -> dict[str, tuple[str, str]]:
        """Function logical id -> (HTTP method, path) of the API method that invokes it."""
        paths: dict[str, str] = {}
        api_resources = self.of_type("AWS::ApiGateway::Resource")

        def path_of(resource_id: str) -> str:
            if resource_id not in paths:
                props = api_resources[resource_id]
                parent = props["ParentId"]
                prefix = path_of(parent["!Ref"]) if "!Ref" in parent else ""
                paths[resource_id] = f"{prefix}/{props['PathPart']}"
            return paths[resource_id]

        routes = {}
        for props in self.of_type("AWS::ApiGateway::Method").values():
            uri = json.dumps(props.get("Integration", {}).get("Uri", ""))
            # ${Fn.Arn} in the URI, or a Target: !GetAtt Fn.Arn (beside the alias of safe
            # deployments, which runs the same code).
            target = re.search(r"\$\{(\w+)\.Arn\}", uri) or re.search(
                r'"!GetAtt": "(\w+)\.Arn"', uri
            )
            resource = props["ResourceId"]
            if target and "!Ref" in resource:
                routes[target.group(1)] = (props["HttpMethod"], path_of(resource["!Ref"]))
        return routes


def sample_event(route: tuple[str, str] | None) -> Path | None:
    """The REST API (v1) sample event for a route, or the stream sample when there is no route.

    Where a route has a signed-in sample (an authorizer's claims in the event) it is taken: the
    template puts a Cognito authorizer in front of the vote routes by default, so that is what
    Lambda gets; a sample without one would time our 401 against the peer's write.
    """
    paths = sorted(EVENTS.glob("*.json"))
    signed_in = [p for p in paths if '"authorizer"' in p.read_text(encoding="utf-8")]
    for path in signed_in + [p for p in paths if p not in signed_in]:
        event = json.loads(path.read_text(encoding="utf-8"))
        if route is None:
            records = event.get("Records") or [{}]
            if records[0].get("eventSource") == "aws:dynamodb":
                return path
        elif (event.get("httpMethod"), event.get("resource")) == route:
            # The template's routes are a REST API (v1 events); an HTTP API (v2) sample of the
            # same path is not what Lambda would get from this template.
            return path
    return None


def run_child(code: str, env: dict[str, str]) -> list[str]:
    """Run ``code`` in a fresh interpreter; return the words of its last line (its figures)."""
    result = subprocess.run(  # noqa: S603  # our own interpreter and our own code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"a child failed:\n{result.stderr[-2000:]}")
    # Handlers log to stdout as Lambda functions do; the figures are the last line.
    return result.stdout.rstrip().rpartition("\nBENCH ")[2].split()


def child_env(
    function_env: dict[str, str],
    *,
    endpoint: str | None = None,
    spec: dict[str, Any] | None = None,
) -> dict[str, str]:
    """The environment of one child: ours and the function's variables, AWS at ``endpoint``.

    Without an endpoint AWS is pointed nowhere (dummy credentials): the first-invocation
    children bring their own ``mock_aws``.
    """
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base = {k: v for k, v in base.items() if not k.startswith("AWS_")}
    paths = [str(ROOT / "src"), str(ROOT), base.get("PYTHONPATH", "")]
    env = {**base, **AWS_ENV, **function_env, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    if endpoint is not None:
        env["AWS_ENDPOINT_URL"] = endpoint
    if spec is not None:
        env["BENCH_SPEC"] = json.dumps(spec)
    return env


@contextlib.contextmanager
def local_aws(resources: dict[str, list[Any]]) -> Iterator[str]:
    """A moto server on 127.0.0.1 with every template's tables and secrets; yield its URL."""
    import boto3  # the parent's own tools, never imported by a measured child
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        session = boto3.Session(
            aws_access_key_id=AWS_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=AWS_ENV["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=AWS_ENV["AWS_SESSION_TOKEN"],
            region_name=AWS_ENV["AWS_DEFAULT_REGION"],
        )
        dynamodb = session.client("dynamodb", endpoint_url=endpoint)
        for table in resources["tables"]:
            dynamodb.create_table(**table)
        secretsmanager = session.client("secretsmanager", endpoint_url=endpoint)
        for name in set(resources["secrets"]):
            # What GenerateSecretString would hold: 64 random letters and digits.
            secretsmanager.create_secret(Name=name, SecretString=secrets.token_hex(32))
        yield endpoint
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11, help="fresh interpreters per side")
    parser.add_argument("--invocations", type=int, default=3, help="first invocations per side")
    parser.add_argument("names", nargs="*", help="only these handler modules")
    args = parser.parse_args()
    for folder in (ROOT / "src", ROOT / "reference_handlers", PEERS):
        compileall.compile_dir(folder, quiet=1)
    templates = [Template(path) for path in sorted(TEMPLATES.glob("*.yaml"))]
    functions: dict[str, tuple[Template, str, dict[str, str]]] = {}
    for template in templates:
        for module, (logical_id, function_env) in template.functions().items():
            functions.setdefault(module, (template, logical_id, function_env))
    modules = sorted(
        p.stem
        for p in (ROOT / "reference_handlers").glob("*.py")
        if not p.stem.startswith("_") and (not args.names or p.stem in args.names)
    )
    print(
        f"init: median CPU ms of {args.runs} fresh interpreters per side; first invocation: "
        f"median CPU ms of {args.invocations} (moto in process, tables created first)"
    )
    print(
        f"{'handler':<20} {'ours init':>10} {'peer init':>10} {'ratio':>6}"
        f" {'ours 1st':>9} {'peer 1st':>9}  sample event"
    )
    # What the first-call children create before they import: every template's resources.
    tables = {t["TableName"]: t for template in templates for t in template.tables()}
    resources: dict[str, list[Any]] = {
        "tables": [*tables.values(), IDEMPOTENCY],
        "buckets": [b for template in templates for b in template.names("AWS::S3::Bucket")],
        "topics": [t for template in templates for t in template.names("AWS::SNS::Topic")],
        "secrets": [name for template in templates for name in template.secrets()],
    }
    with local_aws(resources) as endpoint:
        for name in modules:
            measure(
                name,
                functions=functions,
                endpoint=endpoint,
                resources=resources,
                runs=args.runs,
                invocations=args.invocations,
            )


def first_call(template: Template, logical_id: str) -> tuple[dict[str, Any], str] | None:
    """The event of a function's first call (and what it needs created first), and its label.

    An API route gets its sample from ``tests/events/`` (none for a route without one), a
    stream consumer the stream sample, a scheduled function EventBridge's scheduled event, and
    the SQS consumer one message announcing an object that the child puts first.
    """
    routes = template.routes()
    kind = "route" if logical_id in routes else template.triggers().get(logical_id)
    if kind == "schedule":
        return {"event": SCHEDULED_EVENT}, "scheduled event (built here)"
    bucket = template.notifying_bucket()
    if kind == "sqs" and bucket is not None:
        key = "incoming/source-1.json"
        spec = {"event": s3_notification(bucket, key), "source": [bucket, key]}
        return spec, "S3 notification in SQS (built here)"
    path = sample_event(routes.get(logical_id))
    return ({"event": str(path)}, path.name) if path is not None else None


def s3_notification(bucket: str, key: str) -> dict[str, Any]:
    """An SQS event with one S3 object-created notification; the child fills in the version."""
    s3 = {
        "s3SchemaVersion": "1.0",
        "configurationId": "bundle",
        "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A1"}, "arn": bucket},
        "object": {
            "key": key,
            "size": 2,
            "eTag": "99914b932bd37a50b983c5e7c90ae93b",
            "versionId": "$VERSION",
            "sequencer": "0065A1B2C3D4E5F6",
        },
    }
    notification = {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "eu-west-1",
        "eventTime": "2026-11-30T01:00:00.000Z",
        "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "A1"},
        "requestParameters": {"sourceIPAddress": "10.0.0.1"},
        "responseElements": {"x-amz-request-id": "R1", "x-amz-id-2": "I1"},
        "s3": s3,
    }
    record = {
        "messageId": "0e6d5f1a-1111-4c2b-9d3e-000000000001",
        "receiptHandle": "AQEB",
        "body": json.dumps({"Records": [notification]}),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1796000000000",
            "SenderId": "S3",
            "ApproximateFirstReceiveTimestamp": "1796000000001",
        },
        "messageAttributes": {},
        "md5OfBody": "-",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:bundle-notifications",
        "awsRegion": "eu-west-1",
    }
    return {"Records": [record]}


def measure(
    name: str,
    *,
    functions: dict[str, tuple[Template, str, dict[str, str]]],
    endpoint: str,
    resources: dict[str, list[Any]],
    runs: int,
    invocations: int,
) -> None:
    """Time one handler's init (and first call, where a sample event exists) against its peer."""
    ours_module, peer_module = f"reference_handlers.{name}", f"benchmarks.peers.{name}"
    if ours_module not in functions:
        print(f"{name:<20} (no function in the templates runs it)")
        return
    if not (PEERS / f"{name}.py").exists():
        print(f"{name:<20} (no peer written for it)")
        return
    template, logical_id, function_env = functions[ours_module]
    env = child_env(function_env, endpoint=endpoint)
    ours, peer = [], []
    for _ in range(runs):
        ours.append(float(run_child(INIT.format(module=ours_module), env)[0]))
        peer.append(float(run_child(INIT.format(module=peer_module), env)[0]))
    call = first_call(template, logical_id)
    first: dict[str, list[float]] = {"ours": [], "peer": []}
    statuses: dict[str, str] = {}
    if call is not None:
        # A first call has the whole of the function's timeout ahead of it.
        timeout = template.of_type("AWS::Lambda::Function")[logical_id].get("Timeout", 3)
        spec = {**resources, **call[0], "remaining_ms": int(template.resolve(timeout)) * 1000}
        spec_env = child_env(function_env, spec=spec)
        sides = [("ours", ours_module), ("peer", peer_module)]
        for _ in range(invocations):
            for side, module in sides:
                cpu, _, status = run_child(FIRST_INVOCATION.format(module=module), spec_env)
                first[side].append(float(cpu))
                statuses[side] = status
    ours_ms = statistics.median(ours) * 1000
    peer_ms = statistics.median(peer) * 1000

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:9.1f}" if values else f"{'-':>9}"

    shown = f"{call[1]} ({statuses.get('ours')}/{statuses.get('peer', '-')})" if call else "-"
    print(
        f"{name:<20} {ours_ms:10.1f} {peer_ms:10.1f} {ours_ms / peer_ms:6.2f}"
        f" {ms(first['ours'])} {ms(first['peer'])}  {shown}",
        flush=True,
    )


if __name__ == "__main__":
    main()
