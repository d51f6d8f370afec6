"""``feedback-core serve`` started as a process and driven over HTTP with real clients.

One server for the module (deploying the stacks into moto takes a few seconds): the live results
follow a write within the documented delay, the local endpoints answer, Schemathesis finds no
server error and no contract violation, and SIGTERM stops the server gracefully, saving the
state that the next start restores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "serve"
STARTUP_LIMIT = 180.0  # seconds: a cap on a loaded CI machine, not a performance claim
LIVE_LIMIT = 30.0  # seconds: a cap on the wait for the documented ~1 s stream delay


class Server:
    """A running ``feedback-core serve`` process."""

    def __init__(
        self, process: subprocess.Popen[str], url: str, banner: list[str], state: Path
    ) -> None:
        self.process = process
        self.url = url
        self.banner = banner
        self.state = state

    def request(
        self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        """Send one request; return the status, the headers and the parsed JSON body."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310  # a http://127.0.0.1 URL
            self.url + path, data=data, method=method, headers=headers or {}
        )
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  # as above
                status, answer_headers, raw = (
                    response.status,
                    dict(response.headers),
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            status, answer_headers, raw = error.code, dict(error.headers), error.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode()
        return status, answer_headers, parsed

    def stop(self) -> tuple[int, str]:
        """SIGTERM; return the exit status and the rest of the output."""
        self.process.send_signal(signal.SIGTERM)
        rest, _ = self.process.communicate(timeout=STARTUP_LIMIT)
        return self.process.returncode, rest


def start_serve(state: Path, *arguments: str) -> Server:
    """Start ``feedback-core serve --port 0 --state STATE`` and wait for its banner."""
    process = subprocess.Popen(  # noqa: S603  # this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "feedback_core.cli.main",
            "serve",
            "--port",
            "0",
            "--quiet",
            "--state",
            str(state),
            *arguments,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    killer = threading.Timer(STARTUP_LIMIT, process.kill)  # a hung start fails, never hangs
    killer.start()
    banner: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            banner.append(line.rstrip())
            if line.startswith("  Ctrl-C stops."):
                break
    finally:
        killer.cancel()
    assert banner, "serve printed nothing"
    assert banner[-1] == "  Ctrl-C stops.", "\n".join(banner)
    url = banner[0].rsplit(" at ", 1)[1]
    return Server(process, url, banner, state)


def eventually(read: Callable[[], Any], wanted: Callable[[Any], bool]) -> Any:
    """Read until ``wanted`` holds or LIVE_LIMIT passes; return the last value read."""
    deadline = time.monotonic() + LIVE_LIMIT
    value = read()
    while not wanted(value) and time.monotonic() < deadline:
        time.sleep(0.2)
        value = read()
    return value


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module, with a state folder and half-second stream deliveries."""
    state = tmp_path_factory.mktemp("serve") / "state"
    running = start_serve(state, "--stream-interval", "0.5")
    yield running
    if running.process.poll() is None:
        running.process.kill()
    running.process.communicate()  # closes the pipe


def test_the_banner_says_the_sample_mode_and_lists_every_route(server: Server) -> None:
    """The banner warns of the sample mode and names every route of the template."""
    from feedback_core.http import ALL_ROUTES

    text = "\n".join(server.banner)
    assert "WARNING - sample authentication mode" in text
    listed = {tuple(line.split()[:2]) for line in server.banner if line.startswith("  ")}
    expected = {(r.method, server.url + r.path) for r in ALL_ROUTES}
    assert expected <= listed


def test_a_vote_shows_in_the_live_results_within_the_documented_delay(server: Server) -> None:
    """POST a vote over HTTP, then GET the poll's results until the stream consumer counted it."""
    status, headers, body = server.request(
        "POST", "/polls/serve-poll/votes", {"userId": "u-1", "choice": "tabs"}
    )
    assert (201, "/polls/serve-poll/votes/u-1") == (status, headers["Location"])
    assert "tabs" == body["choice"]

    results = eventually(
        lambda: server.request("GET", "/polls/serve-poll/results")[2],
        lambda body: body.get("totalVotes") == 1,
    )
    assert [{"choice": "tabs", "votes": 1, "percentage": 100.0}] == results["choices"]


def test_feedback_shows_in_the_analytics(server: Server) -> None:
    """POST feedback, then GET /analytics until it is counted, with its sentiment."""
    before = server.request("GET", "/analytics")[2]["count"]
    status, _, receipt = server.request(
        "POST",
        "/feedback",
        {"name": "Ana", "email": "ana@example.com", "rating": 5, "message": "Lovely, thanks!"},
        headers={"Idempotency-Key": "serve-test-feedback-1"},
    )
    assert (201, "positive") == (status, receipt["sentiment"])

    analytics = eventually(
        lambda: server.request("GET", "/analytics")[2], lambda body: body["count"] > before
    )
    assert before + 1 == analytics["count"]


def test_an_invalid_body_gets_every_field_error_as_a_problem(server: Server) -> None:
    """The handler's RFC 9457 problem reaches the HTTP client as it is."""
    status, headers, problem = server.request(
        "POST", "/feedback", {"name": "", "email": "nope", "rating": 9, "message": "x"}
    )
    assert (400, "application/problem+json") == (status, headers["Content-Type"])
    assert {"/name", "/email", "/rating"} == {e["pointer"] for e in problem["errors"]}


def test_an_undefined_route_gets_api_gateways_403(server: Server) -> None:
    """A path or method the template does not define is refused as API Gateway refuses it."""
    assert (403, 403) == (
        server.request("GET", "/nowhere")[0],
        server.request("PUT", "/feedback")[0],
    )


def test_the_openapi_document_and_the_dashboard_are_served(server: Server) -> None:
    """``/openapi.json`` is the library's document without sign-in; ``/`` answers HTML."""
    from feedback_core.http.openapi import openapi_document

    status, headers, document = server.request("GET", "/openapi.json")
    assert (200, openapi_document(authorization={})) == (status, document)
    status, headers, _ = server.request("GET", "/")
    assert (200, "text/html") == (status, headers["Content-Type"].split(";")[0])
    assert 404 == server.request("GET", "/static/../../pyproject.toml")[0]


def test_a_scheduled_job_runs_on_demand(server: Server) -> None:
    """POST /_local/jobs/results-snapshot snapshots the polls voted in (one, at least)."""
    server.request("POST", "/_local/streams")
    status, _, jobs = server.request("GET", "/_local/jobs")
    assert {"daily-report", "results-snapshot"} == {job["name"] for job in jobs["jobs"]}
    status, _, ran = server.request("POST", "/_local/jobs/results-snapshot")
    assert (200, "results-snapshot") == (status, ran["job"])
    assert ran["outcome"]["snapshots"] >= 1


def test_the_docs_python_client_runs_against_serve(server: Server) -> None:
    """docs/examples/serve/client.py votes, sees its 400, and reads the counted vote."""
    result = subprocess.run(  # noqa: S603  # this interpreter, a file of the repository
        [sys.executable, str(EXAMPLES / "client.py"), server.url],
        capture_output=True,
        text=True,
        timeout=STARTUP_LIMIT,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    voted, refused, counted = result.stdout.splitlines()
    assert (True, "400", "200 1") == (
        voted.startswith("201 "),
        refused.split()[0],
        " ".join(counted.split()[:2]),
    )


def test_the_docs_curl_walkthrough_runs_against_serve(server: Server) -> None:
    """docs/examples/serve/try_it.sh: every answer is JSON, the second one the problem."""
    result = subprocess.run(  # noqa: S603  # bash, a file of the repository
        ["bash", str(EXAMPLES / "try_it.sh"), server.url],  # noqa: S607  # bash from PATH
        capture_output=True,
        text=True,
        timeout=STARTUP_LIMIT,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert 8 == len(answers)
    assert "urn:feedback-core:problem:validation-error" == answers[1]["type"]
    assert "results-snapshot" == answers[-1]["job"]


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_contract_violation(server: Server) -> None:
    """Every operation, 25 generated requests each (derandomized): each answer conforms.

    Schemathesis checks every answer against the document: no 5xx, a documented status, the
    documented content type, headers and body schema. Its check that every schema-valid request
    is accepted is left out: the document cannot state the API's cross-field rules (``until``
    not before ``since``, an ``Idempotency-Key`` for surveys that take one response per key, a
    ``userId`` in the body where no sign-in names the voter), and their 400 is documented.
    """
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    tried: Counter[str] = Counter()

    def check(operation: schemathesis.APIOperation) -> Callable[[], None]:
        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=server.url, excluded_checks=[positive_data_acceptance])
            tried[operation.label] += 1

        return run

    for result in schema.get_all_operations():
        check(result.ok())()
    print(f"schemathesis: {sum(tried.values())} requests, {dict(tried)}")  # noqa: T201  # the figure to report
    assert 10 == len(tried)


def test_sigterm_saves_the_state_that_the_next_start_restores(server: Server) -> None:
    """A graceful stop saves the tables; a new server restores them and recounts the results."""
    server.request("POST", "/polls/kept-poll/votes", {"userId": "u-9", "choice": "soup"})
    status, rest = server.stop()
    assert (0, True) == (status, "saved" in rest)

    again = start_serve(server.state)
    try:
        results = eventually(
            lambda: again.request("GET", "/polls/kept-poll/results")[2],
            lambda body: body.get("totalVotes") == 1,
        )
        assert [("soup", 1)] == [(c["choice"], c["votes"]) for c in results["choices"]]
    finally:
        assert 0 == again.stop()[0]
