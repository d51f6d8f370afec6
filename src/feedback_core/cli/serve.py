"""``feedback-core serve``: the whole platform on the embedded AWS behind a local HTTP server.

What ``sam local start-api`` does, without Docker or an AWS account, plus the streams:

- the sample stacks (``feedback-api.yaml``, ``reports.yaml``) are deployed into moto by
  :class:`~feedback_core.cli.local.LocalPlatform`, in the template's sample authentication mode
  (no sign-in; the banner says so);
- every method of the deployed REST API is served: each request becomes the REST proxy event
  the template's integration sends (:mod:`feedback_core.cli.gateway`) and goes to the method's
  reference handler, in process; a path or method the API does not define gets API Gateway's
  403 ``Missing Authentication Token``;
- the tables' event source mappings are played in a background thread (the library's
  event-source-mapping driver, :meth:`LocalPlatform.deliver_streams`), woken after every write
  and every ``--stream-interval`` seconds: live results, analytics and summaries follow a write
  within about a second;
- the scheduled jobs (the EventBridge rules of the stacks) run on demand:
  ``POST /_local/jobs/<rule>`` (``GET /_local/jobs`` lists them), and ``POST /_local/streams``
  delivers the streams now and answers when done;
- ``/`` and ``/static/...`` serve the dashboard (package data ``feedback_core/web/static``),
  ``/openapi.json`` the API's OpenAPI document.

Requests are served by threads; calls into the emulator are serialized by one lock, because
moto's in-process backends are not thread-safe. ``--state DIR`` keeps the data between runs
(:mod:`feedback_core.cli.serve_state`). Ctrl-C or SIGTERM stops the server gracefully: in-flight
requests finish, the state is saved, the emulator stops.
"""

from __future__ import annotations

import http.server
import mimetypes
import signal
import sys
import threading
import time
import traceback
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

import attrs
import orjson

from feedback_core.cli.gateway import (
    MISSING_TOKEN,
    GatewayRoute,
    Match,
    deployed_routes,
    http_response,
    match,
    proxy_event,
)
from feedback_core.web import STATIC_DIR

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Sequence

    from feedback_core.cli.local import Handler, LocalPlatform

__all__ = ["DEFAULT_PORT", "Job", "LocalApi", "print_openapi", "register", "run", "serve"]

DEFAULT_PORT: Final = 8000
MAX_PAYLOAD: Final = 10 * 1024 * 1024
"""API Gateway's payload limit; larger bodies get its 413 before any function runs."""
SAMPLE_PARAMETERS: Final = {
    # The demo's survey settings, so that --seed-data shows NPS, CSAT and one-per-respondent.
    "OneResponsePerRespondentSurveys": "onboarding",
    "NpsQuestions": "recommend",
    "CsatQuestions": "satisfaction",
}
_NOT_BUILT: Final = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>feedback_core</title>"
    b"<h1>Dashboard not built</h1><p>This copy ships no dashboard page. The API is here: "
    b'<a href="/openapi.json">/openapi.json</a>.</p></html>'
)
_JSON: Final = {"Content-Type": "application/json"}
Answer = tuple[int, dict[str, str], bytes]


@attrs.frozen(kw_only=True)
class Job:
    """A scheduled job of the deployed stacks.

    Attributes:
        name: The job's name, in its URL: ``/_local/jobs/<name>``.
        function: The function the rule invokes.
        schedule: The rule's schedule expression.
        rule_arn: The rule's ARN (in the event's ``resources``).
    """

    name: str
    function: str
    schedule: str
    rule_arn: str


def deployed_jobs(suffix: str) -> tuple[Job, ...]:
    """Read the scheduled EventBridge rules (and their function targets) from the emulator.

    A job is named after its function without the stacks' suffix: ``daily-report``.
    """
    import boto3  # the [local] extra

    events = boto3.client("events")
    jobs = []
    for rule in events.list_rules()["Rules"]:
        if not rule.get("ScheduleExpression"):
            continue
        for target in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
            if ":function:" in target["Arn"]:
                function = target["Arn"].split(":function:", 1)[1].split(":")[0]
                jobs.append(
                    Job(
                        name=function.removesuffix(f"-{suffix}"),
                        function=function,
                        schedule=rule["ScheduleExpression"],
                        rule_arn=rule["Arn"],
                    )
                )
    return tuple(jobs)


class StreamPump:
    """Plays the event source mappings in a background thread: after writes, and periodically.

    Args:
        platform: The entered platform.
        lock: The emulator's lock.
        interval: Seconds between deliveries when nothing wakes the pump.
    """

    def __init__(self, platform: LocalPlatform, lock: threading.RLock, interval: float) -> None:
        """Prepare; :meth:`start` starts the thread."""
        self.platform = platform
        self.lock = lock
        self.interval = interval
        self.deliveries = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stream-pump", daemon=True)

    def start(self) -> None:
        """Start the background thread."""
        self._thread.start()

    def poke(self) -> None:
        """Deliver soon: something was written."""
        self._wake.set()

    def deliver(self) -> int:
        """Deliver what is new now, in the caller's thread; return the records delivered."""
        with self.lock:
            delivered = self.platform.deliver_streams(warm=True)
            self.deliveries += 1
        return sum(d.records for d in delivered)

    def stop(self) -> None:
        """Stop the thread after its current delivery."""
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.deliver()
            except Exception:  # noqa: BLE001  # a failing consumer must not stop the server
                traceback.print_exc(file=sys.stderr)


class LocalApi:
    """The deployed platform behind :meth:`dispatch`: HTTP request in, HTTP response out.

    Args:
        platform: An entered :class:`~feedback_core.cli.local.LocalPlatform`.
        stream_interval: Seconds between background stream deliveries.
        static_dir: Where the dashboard's files are.
    """

    def __init__(
        self,
        platform: LocalPlatform,
        *,
        stream_interval: float = 1.0,
        static_dir: Path = STATIC_DIR,
    ) -> None:
        """Read the deployed API and jobs; import every function once (cold starts)."""
        import boto3  # the [local] extra

        self.platform = platform
        self.static_dir = static_dir
        self.lock = threading.RLock()
        client = boto3.client("apigateway")
        self.routes: tuple[GatewayRoute, ...] = ()
        for api in client.get_rest_apis()["items"]:
            if api["name"] == f"feedback-api-{platform.suffix}":
                self.routes = deployed_routes(client, api["id"])
        self.jobs = {job.name: job for job in deployed_jobs(platform.suffix)}
        targets = {r.target for r in self.routes if r.target} | {
            j.function for j in self.jobs.values()
        }
        self.functions: dict[str, Handler] = {name: platform.handler(name) for name in targets}
        self.pump = StreamPump(platform, self.lock, stream_interval)
        self._openapi: bytes | None = None

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        """Call a deployed function with ``event``, holding the emulator's lock."""
        with self.lock:
            return self.functions[function](event)

    def dispatch(
        self,
        method: str,
        target: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        *,
        client_ip: str = "127.0.0.1",
    ) -> Answer:
        """Answer one HTTP request (``target`` is the request line's path and query)."""
        path, _, query = target.partition("?")
        if path.startswith("/_local/"):
            return self._local(method, path, body)
        if method in ("GET", "HEAD") and (
            path in ("/", "/openapi.json") or path.startswith("/static/")
        ):
            return self._static(path)
        found = match(self.routes, method, path)
        if found is None:
            return MISSING_TOKEN[0], dict(MISSING_TOKEN[1]), MISSING_TOKEN[2]
        try:
            return self._integrate(found, query, headers, body, client_ip)
        finally:
            if method not in ("GET", "HEAD", "OPTIONS"):
                self.pump.poke()

    def _integrate(
        self,
        found: Match,
        query: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        client_ip: str,
    ) -> Answer:
        """What the route's integration answers: its function's response, or the MOCK's."""
        route = found.route
        if not route.target:  # a MOCK integration: the CORS preflight
            return route.mock_status, dict(route.mock_headers), b""
        if len(body) > MAX_PAYLOAD:
            return 413, dict(_JSON), b'{"message":"Request Too Long"}'
        event = proxy_event(found, query=query, headers=headers, body=body, source_ip=client_ip)
        try:
            response = self.invoke(route.target, event)
        except Exception:  # noqa: BLE001  # Lambda reports any error; API Gateway answers 502
            traceback.print_exc(file=sys.stderr)
            return 502, dict(_JSON), b'{"message": "Internal server error"}'
        return http_response(response)

    def openapi(self) -> bytes:
        """The OpenAPI document of this server, as served at ``/openapi.json``.

        It is the library's document as this server runs the API: no security requirement,
        because the sample mode has no sign-in and this server does not check IAM signatures.
        """
        if self._openapi is None:
            from feedback_core.http.openapi import openapi_document

            document = openapi_document(authorization={})
            self._openapi = orjson.dumps(document, option=orjson.OPT_INDENT_2)
        return self._openapi

    def run_job(self, name: str, detail: dict[str, Any]) -> dict[str, Any]:
        """Run scheduled job ``name`` now with the event EventBridge sends (plus ``detail``)."""
        job = self.jobs[name]
        event = {
            "version": "0",
            "id": f"local-{time.time_ns()}",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "region": "us-east-1",
            "resources": [job.rule_arn],
            "detail": {},
            **detail,
        }
        return self.invoke(job.function, event)

    def _local(self, method: str, path: str, body: bytes) -> Answer:
        if path == "/_local/jobs" and method == "GET":
            listed = [attrs.asdict(job) for job in self.jobs.values()]
            return 200, dict(_JSON), orjson.dumps({"jobs": listed})
        if path == "/_local/streams" and method == "POST":
            return 200, dict(_JSON), orjson.dumps({"records": self.pump.deliver()})
        name = path.removeprefix("/_local/jobs/")
        if method == "POST" and name in self.jobs:
            try:
                detail = orjson.loads(body) if body.strip() else {}
            except orjson.JSONDecodeError:
                detail = None
            if not isinstance(detail, dict):
                return 400, dict(_JSON), b'{"message":"The body must be a JSON object."}'
            try:
                outcome = self.run_job(name, detail)
            except Exception as exc:  # noqa: BLE001  # any failure of the job is its answer
                traceback.print_exc(file=sys.stderr)
                return 500, dict(_JSON), orjson.dumps({"job": name, "error": repr(exc)})
            self.pump.poke()
            return 200, dict(_JSON), orjson.dumps({"job": name, "outcome": outcome})
        return 404, dict(_JSON), b'{"message":"No such local endpoint."}'

    def _static(self, path: str) -> Answer:
        if path == "/openapi.json":
            return 200, dict(_JSON), self.openapi()
        relative = "index.html" if path == "/" else unquote(path.removeprefix("/static/"))
        root = self.static_dir.resolve()
        file = (root / relative).resolve()
        if not file.is_relative_to(root) or not file.is_file():
            if path == "/":
                return 200, {"Content-Type": "text/html; charset=utf-8"}, _NOT_BUILT
            return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"Not found"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        return 200, {"Content-Type": kind, "Cache-Control": "no-cache"}, file.read_bytes()


class _Server(http.server.ThreadingHTTPServer):
    # Request threads are joined on close (block_on_close), so a stop lets in-flight requests
    # finish; idle keep-alive connections end after the handler's timeout.
    daemon_threads = False
    api: LocalApi
    quiet: bool


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 5  # seconds an idle keep-alive connection is kept open

    def _answer(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length > MAX_PAYLOAD or length < 0:
            # Refused before reading: a huge body never reaches memory.
            self.close_connection = True
            status, headers, payload = (
                (413, dict(_JSON), b'{"message":"Request Too Long"}')
                if length > 0
                else (400, dict(_JSON), b'{"message":"Bad Content-Length"}')
            )
        else:
            status, headers, payload = self._dispatch(self.rfile.read(length) if length else b"")
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _dispatch(self, body: bytes) -> Answer:
        try:
            return self.server.api.dispatch(
                self.command,
                self.path,
                list(self.headers.items()),
                body,
                client_ip=self.client_address[0],
            )
        except Exception:  # noqa: BLE001  # a bug of this server still answers, as API Gateway's 500
            traceback.print_exc(file=sys.stderr)
            return 500, dict(_JSON), b'{"message": "Internal server error"}'

    # http.server's names for the methods; every method goes to the same dispatch.
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _answer  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's signature
        if not self.server.quiet:
            super().log_message(format, *args)


def seed(api: LocalApi, *, seed: int = 7, requests: int = 120) -> int:
    """Send the demo's generated traffic through the deployed functions; return how many stored."""
    import random

    from feedback_core.cli.demo_traffic import feedback_requests, survey_requests, vote_requests

    rng = random.Random(seed)  # noqa: S311  # sample data, not cryptography
    traffic = (
        feedback_requests(requests // 2, rng)
        + vote_requests(requests, rng)
        + survey_requests(requests // 3, rng)
    )
    by_route = {(r.method, r.resource): r.target for r in api.routes}
    stored = 0
    for _, event in traffic:
        method = event.get("httpMethod") or event["requestContext"]["http"]["method"]
        resource = event.get("resource") or event["rawPath"]
        answer = api.invoke(by_route[(method, resource)], event)
        stored += answer["statusCode"] in (200, 201)
    api.pump.deliver()
    return stored


def _banner(
    api: LocalApi,
    url: str,
    *,
    state: Path | None,
    seeded: int | None,
    restored: tuple[int, int] | None,
) -> Iterable[str]:
    yield f"feedback-core serve: the platform on an embedded AWS (moto) at {url}"
    yield (
        "  WARNING - sample authentication mode (Authentication=none-sample): no sign-in; "
        "anyone can vote and answer as anyone,"
    )
    yield "  and the administrators' routes (IAM-authorized on AWS) are open on this server."
    if urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        yield "  WARNING - listening beyond this machine: anyone who reaches it can read and erase."
    yield f"  dashboard   {url}/"
    yield f"  OpenAPI     {url}/openapi.json"
    for route in api.routes:
        if route.target:
            yield f"  {route.method:<7} {url}{route.resource}"
    for job in api.jobs.values():
        yield f"  job         POST {url}/_local/jobs/{job.name}   ({job.schedule})"
    every = f"{api.pump.interval:g} s"
    yield f"  streams     delivered in the background, after each write and every {every}"
    if seeded is not None:
        yield f"  seed data   {seeded} requests stored"
    if state is None:
        yield "  state       in memory (lost on exit; --state DIR keeps it)"
    else:
        items, objects = restored or (0, 0)
        yield f"  state       {state} (restored {items} items, {objects} objects; saved on exit)"
    yield "  Ctrl-C stops."


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    seed_data: bool = False,
    state: Path | None = None,
    stream_interval: float = 1.0,
    quiet: bool = False,
    verbose: bool = False,
    stop: threading.Event | None = None,
) -> int:
    """Deploy, serve until ``stop`` is set (or SIGINT/SIGTERM in the main thread); return 0."""
    from feedback_core.cli.local import LocalPlatform

    stop = stop or threading.Event()

    def on_signal(number: int, frame: object) -> None:
        del frame
        stop.set()  # a graceful stop; a second signal stops at once, as by default
        signal.signal(number, signal.SIG_DFL)

    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, on_signal)
    with LocalPlatform(
        ("feedback-api.yaml",),
        log_level=None if verbose else "WARNING",
        parameters=SAMPLE_PARAMETERS,
    ) as platform:
        platform.outputs.update(
            platform.deploy(
                "reports.yaml",
                suffix=platform.suffix,
                parameters={
                    "SurveyResponsesTableName": platform.outputs["SurveyResponsesTableName"],
                    "CountersTableName": platform.outputs["CountersTableName"],
                },
            )
        )
        api = LocalApi(platform, stream_interval=stream_interval)
        restored = None
        if state is not None:
            from feedback_core.cli.serve_state import restore_state

            restored = restore_state(state)
        seeded = seed(api) if seed_data else None
        api.pump.start()
        server = _Server((host, port), _RequestHandler)
        server.api, server.quiet = api, quiet
        url = f"http://{host}:{server.server_address[1]}"
        lines = _banner(api, url, state=state, seeded=seeded, restored=restored)
        print("\n".join(lines), flush=True)
        thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
        thread.start()
        stop.wait()
        print("feedback-core serve: stopping", flush=True)
        server.shutdown()
        server.server_close()
        api.pump.stop()
        if state is not None:
            from feedback_core.cli.serve_state import save_state

            with api.lock:
                items, objects = save_state(state)
            print(f"feedback-core serve: saved {items} items, {objects} objects to {state}")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` command to the ``feedback-core`` parser."""
    parser = commands.add_parser(
        "serve", help="the platform on an embedded AWS behind a local HTTP server"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT}; 0 picks a free one)"
    )
    parser.add_argument("--seed-data", action="store_true", help="store sample traffic first")
    parser.add_argument("--state", type=Path, help="keep the data in this folder between runs")
    parser.add_argument(
        "--stream-interval", type=float, default=1.0, help="seconds between stream deliveries"
    )
    parser.add_argument("--quiet", action="store_true", help="no access log")
    parser.add_argument("--verbose", action="store_true", help="show the handlers' JSON logs")
    parser.set_defaults(run=run)
    document = commands.add_parser("openapi", help="print the API's OpenAPI 3.1 document")
    document.set_defaults(run=print_openapi)


def print_openapi(args: argparse.Namespace) -> int:
    """Print the OpenAPI document (``docs/openapi.json`` is this output)."""
    del args
    from feedback_core.http.openapi import openapi_document

    text = orjson.dumps(openapi_document(), option=orjson.OPT_INDENT_2).decode()
    print(text)
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``serve`` from parsed arguments."""
    try:
        import moto  # noqa: F401  # the [local] extra: fail with a hint, not a traceback
    except ImportError as exc:  # pragma: no cover - depends on the installation
        print(f"feedback-core serve needs: pip install 'feedback-core[local]' ({exc})")
        return 2
    return serve(
        host=args.host,
        port=args.port,
        seed_data=args.seed_data,
        state=args.state,
        stream_interval=args.stream_interval,
        quiet=args.quiet,
        verbose=args.verbose,
    )
