"""A throttled request answers 503 with Retry-After before the function's time runs out.

Clients make one attempt per call with short timeouts (``feedback_core.aws.client_config``);
the library's retries stop when another attempt would not fit before the request's deadline,
which the HTTP wrapper takes from the Lambda context's remaining time. Throttling is injected on
a real botocore client (a ``before-call`` handler answers ThrottlingException), and time is a
fake clock or counted attempts: nothing here measures wall-clock time.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import ClientError

from feedback_core import aws as feedback_aws
from feedback_core.dedup.dynamodb import DynamoDBDedupStore
from feedback_core.errors import ThrottledError
from feedback_core.testing.lambda_context import FakeLambdaContext
from feedback_core.usecases import VotesConfig, VoteService
from tests.events import load
from tests.integration.handlers import create_table, load_handler

TABLE = "votes-deadline"


class FakeClock:
    """Monotonic seconds that move only when the code under test waits or calls."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def throttled(operation: str = "PutItem") -> ClientError:
    error = {"Error": {"Code": "ThrottlingException", "Message": "injected"}}
    return ClientError(error, operation)  # type: ignore[arg-type]  # botocore's error shape


def test_retries_stop_when_another_attempt_would_pass_the_deadline() -> None:
    """Under a 10-second deadline with 4-second attempts, the call gives up in time."""
    clock = FakeClock()
    calls: list[float] = []

    def call() -> None:
        calls.append(clock.now)
        clock.sleep(1.0)  # each throttled attempt takes a second
        raise throttled()

    backoff = feedback_aws.Backoff(attempts=20, base=0.5, cap=2.0, sleep=clock.sleep)
    deadline = feedback_aws.Deadline(expires_at=10.0, attempt_seconds=4.0, clock=clock)
    with feedback_aws.deadline_scope(deadline), pytest.raises(ThrottledError):
        feedback_aws.with_retries(call, operation="PutItem", backoff=backoff)
    assert 1 < len(calls) < 20
    assert clock.now <= 10.0 - 4.0 + 1.0  # the last attempt started with a whole attempt left


def test_without_a_deadline_every_attempt_is_made() -> None:
    """Outside a request (no deadline scope) the backoff's attempts are the only limit."""
    clock = FakeClock()
    calls: list[float] = []

    def call() -> None:
        calls.append(clock.now)
        raise throttled()

    backoff = feedback_aws.Backoff(attempts=7, sleep=clock.sleep)
    with pytest.raises(ThrottledError):
        feedback_aws.with_retries(call, operation="PutItem", backoff=backoff)
    assert 7 == len(calls)


def test_clients_make_one_attempt_with_short_timeouts(aws: None) -> None:
    """The library's clients: 1 s connect, 3 s read, no botocore retries under ours."""
    client = aws_client("dynamodb")
    config = client.meta.config
    assert (1.0, 3.0, 1) == (
        config.connect_timeout,
        config.read_timeout,
        config.retries["total_max_attempts"],
    )


def aws_client(service: str) -> Any:
    return feedback_aws.client(service)


def throttling_client() -> tuple[Any, list[str]]:
    """A real DynamoDB client (moto) whose PutItem always answers ThrottlingException."""
    client = feedback_aws.client("dynamodb")
    attempts: list[str] = []

    def respond(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        attempts.append("PutItem")
        parsed = {
            "Error": {"Code": "ThrottlingException", "Message": "injected"},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        url = "https://dynamodb.us-east-1.amazonaws.com"
        return AWSResponse(url, 400, HTTPHeaders(), None), parsed

    client.meta.events.register("before-call.dynamodb.PutItem", respond)
    return client, attempts


@pytest.fixture
def votes(aws: None, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    """The votes handler over a throttled table, its backoff never really sleeping."""
    create_table(boto3.client("dynamodb"), TABLE, [("pollId", "HASH"), ("userId", "RANGE")])
    monkeypatch.setenv("VOTES_TABLE", TABLE)
    monkeypatch.setenv("IDENTITY_FROM_BODY", "true")
    module = load_handler("votes")
    client, attempts = throttling_client()
    clock = FakeClock()
    store = DynamoDBDedupStore(
        table_name=TABLE, client=client, backoff=feedback_aws.Backoff(attempts=6, sleep=clock.sleep)
    )
    module.votes = VoteService.from_config(
        VotesConfig.from_env({"VOTES_TABLE": TABLE}), store=store
    )
    module.votes.identity_from_body = True
    return module, attempts


@pytest.mark.parametrize(("remaining_millis", "attempts"), [(1_500, 1), (60_000, 6)])
def test_a_throttled_vote_is_a_503_with_retry_after_within_the_time_left(
    votes: tuple[Any, list[str]], remaining_millis: int, attempts: int
) -> None:
    """1.5 s left: one attempt, then 503; a minute left: every retry, then 503 (never a 502)."""
    module, made = votes
    context = FakeLambdaContext(remaining_millis=remaining_millis)
    response = module.handler(load("apigw_v1_post_vote"), context)
    assert (503, "1", attempts) == (
        response["statusCode"],
        response["headers"].get("Retry-After"),
        len(made),
    )
