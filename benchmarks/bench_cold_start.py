"""Cold start of each reference handler against a peer written the usual Powertools way.

For every public module in ``reference_handlers/`` (listed, not named here), the init phase a
Lambda cold start pays, importing the module and building its services, is timed in fresh
interpreters against the module of the same name in ``benchmarks/peers/`` (event handler,
parser with a pydantic model, idempotency utility on ``DynamoDBPersistenceLayer``, batch
processor, boto3 at import). Each side gets the environment of the first function that runs the
module in ``templates/*.yaml`` (files in name order): a parameter reference becomes the
parameter's default (its name when it has none), a resource reference its logical id, an ``!If``
its "else" branch (the templates' optional parts are off by default) and ``!Sub``/``!GetAtt`` a
dummy string. Bytecode is compiled for both sides; the figure is the median CPU time of the
children.

Some handlers call AWS at init, as a Lambda may (``feedback_list`` reads its cursor signing
key from Secrets Manager). So the init children find what a deployed function would: a moto
server in this process (``ThreadedMotoServer`` on 127.0.0.1, reached through
``AWS_ENDPOINT_URL``), holding every template's tables and secrets. The children themselves
import neither moto nor anything else the handler would not; their AWS calls are HTTP requests
to that server, and the server's CPU time is not theirs.

Beside it, the first invocation: in a fresh interpreter inside moto's ``mock_aws``, with every
table of the template (and the peer's idempotency table) created first, the module is imported
and invoked once with the sample event from ``tests/events/`` that matches its route (API
Gateway method and path from the template) or, for a stream consumer, the stream sample.
Handlers with no such sample (the administrators' routes and health, which have none in
``tests/events/``; the scheduled and SQS functions) show "-". The figure is the CPU time of
that one call; moto runs in the same process, so it includes moto's own handling of the AWS
calls each side makes.

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
    module = importlib.import_module({module!r})
    event = json.loads(open(spec["event"]).read())
    context = FakeLambdaContext(function_name={module!r})
    cpu, wall = time.process_time(), time.perf_counter()
    response = module.handler(event, context)
    elapsed = time.process_time() - cpu, time.perf_counter() - wall
status = response.get("statusCode", "-") if isinstance(response, dict) else "-"
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
                return str(self.parameters[arg].get("Default", arg)) or arg
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
def local_aws(templates: list[Template]) -> Iterator[str]:
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
        tables = {t["TableName"]: t for template in templates for t in template.tables()}
        for table in [*tables.values(), IDEMPOTENCY]:
            dynamodb.create_table(**table)
        secretsmanager = session.client("secretsmanager", endpoint_url=endpoint)
        for name in {name for template in templates for name in template.secrets()}:
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
    with local_aws(templates) as endpoint:
        for name in modules:
            measure(name, functions, endpoint, args.runs, args.invocations)


def measure(
    name: str,
    functions: dict[str, tuple[Template, str, dict[str, str]]],
    endpoint: str,
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
    routes = template.routes()
    # Only an API route (by its sample) or a stream consumer of feedback-api.yaml has an event.
    event = sample_event(routes.get(logical_id)) if routes else None
    first: dict[str, list[float]] = {"ours": [], "peer": []}
    statuses: dict[str, str] = {}
    if event is not None:
        spec = {"tables": [*template.tables(), IDEMPOTENCY], "event": str(event)}
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

    shown = f"{event.name} ({statuses.get('ours')}/{statuses.get('peer', '-')})" if event else "-"
    print(
        f"{name:<20} {ours_ms:10.1f} {peer_ms:10.1f} {ours_ms / peer_ms:6.2f}"
        f" {ms(first['ours'])} {ms(first['peer'])}  {shown}",
        flush=True,
    )


if __name__ == "__main__":
    main()
