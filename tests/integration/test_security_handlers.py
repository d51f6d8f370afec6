"""The functions behind the Cognito authorizer: the handler tests' requests without and with claims.

API Gateway refuses a request without a valid token (401) on the COGNITO_USER_POOLS methods
before a function runs (test_security.py checks the methods); these tests show the functions
behind it, as the secure default deploys them (IDENTITY_FROM_BODY=false), trusting only the
claims the authorizer verified.
"""

from __future__ import annotations

import copy
import json
from types import ModuleType
from typing import Any

import boto3
import pytest

from tests.events import load
from tests.integration.handlers import create_table, invoke, load_handler

VOTES = "votes-sec"
SUB = "5f2b8c1e-0d4a-4b7e-9f3c-6a1d2e3f4b5c"


@pytest.fixture
def signed_in(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, ModuleType]:
    """The vote handlers as the secure default deploys them (IDENTITY_FROM_BODY=false)."""
    create_table(boto3.client("dynamodb"), VOTES, [("pollId", "HASH"), ("userId", "RANGE")])
    monkeypatch.setenv("VOTES_TABLE", VOTES)
    monkeypatch.setenv("IDENTITY_FROM_BODY", "false")
    monkeypatch.setenv("ADMIN_GROUP", "feedback-admins")
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com")
    monkeypatch.setenv("METRICS_SERVICE", "feedback-api-sec")
    return {"cast": load_handler("votes"), "read": load_handler("vote_lookup")}


def with_claims(event: dict[str, Any], sub: str, groups: str | None = None) -> dict[str, Any]:
    """The event as API Gateway passes it after the Cognito authorizer verified the token."""
    event = copy.deepcopy(event)
    claims: dict[str, str] = {"sub": sub, "token_use": "id"}
    if groups is not None:
        claims["cognito:groups"] = groups
    event["requestContext"]["authorizer"] = {"claims": claims}
    return event


def test_a_vote_without_claims_is_refused(signed_in: dict[str, ModuleType]) -> None:
    """The handler tests' vote, with no verified caller: refused, nothing stored.

    API Gateway answers 401 before the function runs; a function reached without an authorizer
    (a mis-wired API) answers the same 401 problem rather than trust the body.
    """
    status, headers, body = invoke(signed_in["cast"], load("apigw_v1_post_vote"))
    assert (401, "unauthenticated", "application/problem+json") == (
        status,
        body["type"].rsplit(":", 1)[-1],
        headers["Content-Type"],
    )
    assert 0 == boto3.client("dynamodb").scan(TableName=VOTES)["Count"]


def test_the_same_vote_with_claims_is_accepted_as_the_caller(
    signed_in: dict[str, ModuleType],
) -> None:
    """The same body with the claims of the right shape: stored under the verified user."""
    event = with_claims(load("apigw_v1_post_vote"), "u-1042")  # the body names u-1042 too
    status, _, body = invoke(signed_in["cast"], event)
    assert (201, "u-1042") == (status, body["userId"])


def test_a_body_naming_someone_else_is_refused(signed_in: dict[str, ModuleType]) -> None:
    """A signed-in caller cannot vote on another user's behalf: 400 at /userId."""
    status, _, body = invoke(signed_in["cast"], with_claims(load("apigw_v1_post_vote"), SUB))
    assert (400, ["/userId"]) == (status, [e["pointer"] for e in body["errors"]])


def test_a_vote_is_read_by_its_voter_and_by_admins_only(signed_in: dict[str, ModuleType]) -> None:
    """GET .../votes/u-1042: 200 for u-1042 and the admin group, 404 for anyone else."""
    invoke(signed_in["cast"], with_claims(load("apigw_v1_post_vote"), "u-1042"))
    lookup = load("apigw_v1_get_vote")
    answers = [
        invoke(signed_in["read"], with_claims(lookup, sub, groups))[0]
        for sub, groups in [
            ("u-1042", None),
            ("admin-7", "feedback-admins"),
            (SUB, None),
            (SUB, "staff"),
        ]
    ]
    assert [200, 200, 404, 404] == answers
    assert 401 == invoke(signed_in["read"], lookup)[0]  # no claims at all: refused


def test_handler_responses_carry_cors_headers_for_allowed_origins_only(
    signed_in: dict[str, ModuleType],
) -> None:
    """An allowed Origin gets Access-Control-Allow-Origin on answers and problems; others none."""
    allowed = with_claims(load("apigw_v1_post_vote"), "u-1042")
    allowed["headers"]["Origin"] = "https://app.example.com"
    other = copy.deepcopy(allowed)
    other["headers"]["Origin"] = "https://evil.example"
    first, second, third = (invoke(signed_in["cast"], e) for e in (allowed, allowed, other))
    assert ("https://app.example.com", "https://app.example.com", None) == (
        first[1].get("Access-Control-Allow-Origin"),
        second[1].get("Access-Control-Allow-Origin"),  # the 409 problem too
        third[1].get("Access-Control-Allow-Origin"),
    )


def emf_lines(output: str) -> list[dict[str, Any]]:
    """The EMF documents among the lines a function wrote to standard output."""
    documents = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [d for d in documents if "_aws" in d]


def test_an_accepted_vote_writes_one_emf_figure_and_its_replay_none(
    signed_in: dict[str, ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    """A new vote is one Votes count for the stack's service; the retried request adds none."""
    event = with_claims(load("apigw_v1_post_vote"), "u-1042")  # it carries an Idempotency-Key
    assert [201, 201] == [invoke(signed_in["cast"], event)[0] for _ in range(2)]
    (document,) = emf_lines(capsys.readouterr().out)
    assert ("feedback-api-sec", 1) == (document["Service"], document["Votes"])
    assert "u-1042" not in json.dumps(document)  # no person in the figures
