"""Votes, feedback and survey responses through their handlers, live results out.

The writes go through the POST handlers into moto's tables; the tables' streams are read back
with GetRecords (real stream records: INSERT, MODIFY for a changed vote, REMOVE for a deleted
one), shaped into the events Lambda would pass, and fed to the stream aggregator handler; the
GET handlers then answer from the counters. Moto does not run Lambda, so this plays Lambda's
part: batches in stream order, each as one invocation.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import boto3
import orjson
import pytest

from feedback_core.aggregate import create_counters_table
from feedback_core.aggregate.dynamodbstreams import lambda_stream_event, stream_records
from feedback_core.testing.lambda_context import FakeLambdaContext
from tests.events import load
from tests.integration.handlers import create_table, invoke, load_handler

REGION = "us-east-1"
STREAMED = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}


class Ticking:
    """A clock that moves one second per reading, so a change is a later write."""

    def __init__(self) -> None:
        self.seconds = 0

    def __call__(self) -> str:
        self.seconds += 1
        return f"2026-11-22T10:00:{self.seconds:02d}Z"


@pytest.fixture
def tables(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The three streamed source tables and the counters table; their stream ARNs."""
    client = boto3.client("dynamodb")
    create_table(client, "votes", [("pollId", "HASH"), ("userId", "RANGE")], **STREAMED)
    create_table(client, "feedback", [("feedbackId", "HASH")], **STREAMED)
    create_table(client, "responses", [("surveyId", "HASH"), ("responseId", "RANGE")], **STREAMED)
    create_counters_table("counters", client=client)
    for name, value in {
        "VOTES_TABLE": "votes",
        "VOTE_POLICY": "replace",
        "IDENTITY_FROM_BODY": "true",
        "FEEDBACK_TABLE": "feedback",
        "SURVEY_RESPONSES_TABLE": "responses",
        "COUNTERS_TABLE": "counters",
        "NPS_QUESTIONS": "recommend",
    }.items():
        monkeypatch.setenv(name, value)
    return {
        name: client.describe_table(TableName=name)["Table"]["LatestStreamArn"]
        for name in ("votes", "feedback", "responses")
    }


def post(module: ModuleType, sample: str, body: dict[str, Any], **path: str) -> int:
    event = load(sample)
    event["body"] = orjson.dumps(body).decode()
    event["headers"].pop("Idempotency-Key", None)
    event.get("multiValueHeaders", {}).pop("Idempotency-Key", None)
    if path:
        event["pathParameters"] = path
    status: int = invoke(module, event)[0]
    return status


def keyed(module: ModuleType, sample: str, body: dict[str, Any], key: str, **path: str) -> int:
    event = load(sample)
    event["body"] = orjson.dumps(body).decode()
    event["headers"]["Idempotency-Key"] = key
    event.get("multiValueHeaders", {})["Idempotency-Key"] = [key]
    event["pathParameters"] = path
    status: int = invoke(module, event)[0]
    return status


def aggregate(projection: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("PROJECTION", projection)
    return load_handler("stream_aggregator")


def deliver(module: ModuleType, stream_arn: str, *, batch_size: int) -> int:
    """Play Lambda: the stream's records in order, ``batch_size`` per invocation."""
    # Moto 5.2 serves DynamoDB Streams only on the classic endpoint (see test_dedup_dynamodb).
    streams = boto3.client(
        "dynamodbstreams", endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
    )
    description = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
    delivered = 0
    for shard in description["Shards"]:
        records = stream_records(streams, stream_arn, shard["ShardId"])
        for start in range(0, len(records), batch_size):
            batch = records[start : start + batch_size]
            event = lambda_stream_event(batch, stream_arn=stream_arn, region=REGION)
            response = module.handler(event, FakeLambdaContext(function_name=projection_of(module)))
            assert {"batchItemFailures": []} == response
            delivered += len(batch)
    return delivered


def projection_of(module: ModuleType) -> str:
    return str(module.aggregator.consumer)


def get(
    module: ModuleType, sample: str, path: dict[str, str] | None, query: dict[str, str] | None
) -> Any:
    event = load(sample)
    event["pathParameters"] = path
    event["queryStringParameters"] = query
    status, _, body = invoke(module, event)
    assert 200 == status, body
    return body


@pytest.fixture
def written(tables: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Votes (one changed, one deleted), feedback and survey responses, through the handlers."""
    votes = load_handler("votes")
    votes.votes.clock = Ticking()
    for user, choice in [("u-1", "pizza"), ("u-2", "pizza"), ("u-3", "salad"), ("u-1", "soup")]:
        assert post(
            votes, "apigw_v1_post_vote", {"userId": user, "choice": choice}, pollId="lunch"
        ) in (200, 201)
    # An erasure request: the vote's item is deleted, and the stream carries a REMOVE.
    boto3.client("dynamodb").delete_item(
        TableName="votes", Key={"pollId": {"S": "lunch"}, "userId": {"S": "u-2"}}
    )
    feedback = load_handler("feedback")
    for n, (rating, message) in enumerate(
        [
            (5, "Great value, will order again!"),
            (4, "Lovely staff."),
            (1, "Refund took weeks. Not happy."),
        ]
    ):
        body = {"name": "Ana", "email": f"ana{n}@example.com", "rating": rating, "message": message}
        assert 201 == post(feedback, "apigw_v1_post_feedback", body)
    responses = load_handler("survey_responses")
    for n, (recommend, channels) in enumerate([(10, ["web"]), (3, ["web", "app"])]):
        answers = {"recommend": recommend, "channels": channels}
        key = f"0b6f1a2c-7c61-11e6-9a41-93e8deadbe{n:02d}"
        assert 201 == keyed(
            responses,
            "apigw_v1_post_survey_response",
            {"answers": answers},
            key,
            surveyId="nps-2026",
        )
    return tables


def test_stream_records_become_the_results_the_get_routes_answer(
    written: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tallies, analytics and the survey summary match the writes, MODIFY and REMOVE included."""
    for projection, table in [
        ("votes", "votes"),
        ("feedback", "feedback"),
        ("survey-responses", "responses"),
    ]:
        deliver(aggregate(projection, monkeypatch), written[table], batch_size=2)

    poll = get(
        load_handler("poll_results"),
        "apigw_v1_get_poll_results",
        {"pollId": "lunch"},
        {"choices": "pizza"},
    )
    assert (2, [("pizza", 0, 0.0), ("salad", 1, 50.0), ("soup", 1, 50.0)]) == (
        poll["totalVotes"],
        [(c["choice"], c["votes"], c["percentage"]) for c in poll["choices"]],
    )

    stored = boto3.client("dynamodb").scan(TableName="feedback")["Items"]
    labels = sorted(item["sentiment"]["S"] for item in stored)
    analytics = get(load_handler("feedback_analytics"), "apigw_v2_get_analytics", None, None)
    assert (3, 3, 3.33, 66.67) == (
        analytics["count"],
        analytics["rated"],
        analytics["averageRating"],
        analytics["csat"],
    )
    assert [1, 0, 0, 1, 1] == [r["count"] for r in analytics["ratingHistogram"]]
    assert labels == sorted(s["label"] for s in analytics["sentiment"] for _ in range(s["count"]))

    summary = get(
        load_handler("survey_summary"),
        "apigw_v1_get_survey_summary",
        {"surveyId": "nps-2026"},
        None,
    )
    found = {q["questionId"]: q for q in summary["questions"]}
    assert (2, 0.0) == (summary["responses"], found["recommend"]["nps"]["score"])
    assert [("web", 2, 100.0), ("app", 1, 50.0)] == [
        (a["answer"], a["count"], a["percentage"]) for a in found["channels"]["answers"]
    ]


def test_redelivering_every_batch_leaves_the_results_unchanged(
    written: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lambda delivering each batch twice (a crash after the commit) counts each record once."""
    aggregators = {p: aggregate(p, monkeypatch) for p in ("votes", "feedback")}
    assert 5 == deliver(aggregators["votes"], written["votes"], batch_size=2)
    deliver(aggregators["feedback"], written["feedback"], batch_size=2)
    poll_results = load_handler("poll_results")
    analytics = load_handler("feedback_analytics")
    before = [
        get(poll_results, "apigw_v1_get_poll_results", {"pollId": "lunch"}, None),
        get(analytics, "apigw_v2_get_analytics", None, None),
    ]
    deliver(aggregators["votes"], written["votes"], batch_size=2)
    deliver(aggregators["feedback"], written["feedback"], batch_size=2)
    after = [
        get(poll_results, "apigw_v1_get_poll_results", {"pollId": "lunch"}, None),
        get(analytics, "apigw_v2_get_analytics", None, None),
    ]
    assert before == after
    assert 2 == after[0]["totalVotes"]
