"""The three GET routes of the live results against moto: 200, 404, 400 and 503."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import boto3
import pytest

from feedback_core.aggregate import (
    DynamoDBCounterStore,
    StreamAggregator,
    create_counters_table,
    feedback_stats,
    survey_distribution,
    vote_tally,
)
from feedback_core.aggregate.ports import Projection
from feedback_core.attributes import to_item
from tests.events import load
from tests.integration.handlers import invoke, load_handler

COUNTERS = "counters-test"
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-11-22T00:00:00.000"


@pytest.fixture
def dynamodb(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    client = boto3.client("dynamodb")
    create_counters_table(COUNTERS, client=client)
    monkeypatch.setenv("COUNTERS_TABLE", COUNTERS)
    return client


def count(projection: Projection, *items: dict[str, Any]) -> None:
    """Apply INSERTs of ``items`` with a stream aggregator, as the stream functions do."""
    records = [
        {
            "eventName": "INSERT",
            "eventSourceARN": ARN,
            "dynamodb": {
                "SequenceNumber": str(n),
                "ApproximateCreationDateTime": 1795381200 + n,
                "NewImage": to_item(item),
            },
        }
        for n, item in enumerate(items, start=1)
    ]
    store = DynamoDBCounterStore(table_name=COUNTERS)
    StreamAggregator(projection=projection, store=store).handle({"Records": records})


@pytest.fixture
def polls(dynamodb: Any) -> ModuleType:
    count(
        vote_tally(),
        *[
            {"pollId": "lunch-2026", "userId": f"u{n}", "choice": choice}
            for n, choice in enumerate(["pizza", "pizza", "soup"])
        ],
    )
    return load_handler("poll_results")


def test_poll_results_are_200_with_the_asked_order(polls: ModuleType) -> None:
    """The sample request lists pizza, salad, curry first (salad and curry at 0), then soup."""
    status, headers, body = invoke(polls, load("apigw_v1_get_poll_results"))
    assert (200, "application/json") == (status, headers["Content-Type"])
    assert {
        "pollId": "lunch-2026",
        "totalVotes": 3,
        "choices": [
            {"choice": "pizza", "votes": 2, "percentage": 66.67},
            {"choice": "salad", "votes": 0, "percentage": 0.0},
            {"choice": "curry", "votes": 0, "percentage": 0.0},
            {"choice": "soup", "votes": 1, "percentage": 33.33},
        ],
        "updatedAt": "2026-11-22T21:00:03Z",
    } == body


def test_an_unknown_poll_is_404(polls: ModuleType) -> None:
    """A poll without counted votes is a 404 problem."""
    event = load("apigw_v1_get_poll_results")
    event["pathParameters"] = {"pollId": "dinner-2026"}
    status, headers, body = invoke(polls, event)
    assert (404, "application/problem+json") == (status, headers["Content-Type"])
    assert "urn:feedback-core:problem:not-found" == body["type"]


def test_bad_poll_parameters_are_400(polls: ModuleType) -> None:
    """A malformed poll id and an over-long choice come back as one 400 with both errors."""
    event = load("apigw_v1_get_poll_results")
    event["pathParameters"] = {"pollId": "lunch 2026"}
    event["queryStringParameters"] = {"choices": "x" * 101}
    status, _, body = invoke(polls, event)
    assert (400, ["/pollId", "/choices/0"]) == (status, [e["pointer"] for e in body["errors"]])


def test_the_counters_table_gone_is_503(polls: ModuleType, dynamodb: Any) -> None:
    """An outage of the counters table is a 503 with Retry-After, naming no table."""
    dynamodb.delete_table(TableName=COUNTERS)
    status, headers, body = invoke(polls, load("apigw_v1_get_poll_results"))
    assert (503, "1") == (status, headers.get("Retry-After"))
    assert COUNTERS not in str(body)


@pytest.fixture
def analytics(dynamodb: Any) -> ModuleType:
    count(
        feedback_stats(),
        {
            "feedbackId": "f1",
            "rating": 5,
            "createdAt": "2026-11-02T10:00:00Z",
            "sentiment": "positive",
        },
        {
            "feedbackId": "f2",
            "rating": 2,
            "createdAt": "2026-11-03T10:00:00Z",
            "sentiment": "negative",
        },
        {"feedbackId": "f3", "rating": 4, "createdAt": "2026-12-01T10:00:00Z"},
    )
    return load_handler("feedback_analytics")


def test_analytics_are_200_over_the_asked_days(analytics: ModuleType) -> None:
    """The HTTP API sample asks for November: totals cover all, the series two days."""
    status, _, body = invoke(analytics, load("apigw_v2_get_analytics"))
    assert 200 == status
    assert (3, 3.67, 66.67, 1) == (
        body["count"],
        body["averageRating"],
        body["csat"],
        body["unanalyzed"],
    )
    assert ["2026-11-02", "2026-11-03"] == [d["day"] for d in body["daily"]]
    assert [50.0, 50.0] == [
        s["percentage"] for s in body["sentiment"] if s["label"] in ("positive", "negative")
    ]


def test_a_bad_day_is_400(analytics: ModuleType) -> None:
    """until before since is the client's mistake."""
    event = load("apigw_v2_get_analytics")
    event["queryStringParameters"] = {"since": "2026-11-30", "until": "2026-11-01"}
    status, _, body = invoke(analytics, event)
    assert (400, [("/until", "minimum")]) == (
        status,
        [(e["pointer"], e["code"]) for e in body["errors"]],
    )


def survey_handler(monkeypatch: pytest.MonkeyPatch, nps: str | None) -> ModuleType:
    if nps is None:
        monkeypatch.delenv("NPS_QUESTIONS", raising=False)
    else:
        monkeypatch.setenv("NPS_QUESTIONS", nps)
    monkeypatch.setenv("CSAT_QUESTIONS", "satisfied")
    return load_handler("survey_summary")


@pytest.fixture
def responded(dynamodb: Any) -> None:
    count(
        survey_distribution(),
        *[
            {
                "surveyId": "nps-2026",
                "responseId": f"r{n}",
                "answers": {"recommend": r, "satisfied": s},
            }
            for n, (r, s) in enumerate([(10, 5), (9, 4), (6, 2), (8, 4)])
        ],
    )


def test_survey_summary_gives_nps_for_the_configured_question(
    responded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NPS_QUESTIONS=recommend: its NPS; CSAT_QUESTIONS=satisfied: its CSAT."""
    module = survey_handler(monkeypatch, "recommend")
    event = load("apigw_v1_get_survey_summary")
    event["queryStringParameters"] = None
    status, _, body = invoke(module, event)
    found = {q["questionId"]: q for q in body["questions"]}
    assert (200, 4) == (status, body["responses"])
    assert {"score": 25.0, "promoters": 2, "passives": 1, "detractors": 1, "responses": 4} == (
        found["recommend"]["nps"]
    )
    assert (75.0, None) == (found["satisfied"]["csat"], found["satisfied"]["nps"])


def test_the_request_names_the_nps_question_when_unconfigured(
    responded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without NPS_QUESTIONS, no NPS; the sample's ?nps=recommend asks for it."""
    module = survey_handler(monkeypatch, None)
    plain = load("apigw_v1_get_survey_summary")
    plain["queryStringParameters"] = None
    nps_of = [
        {q["questionId"]: q["nps"] for q in invoke(module, event)[2]["questions"]}["recommend"]
        for event in (plain, load("apigw_v1_get_survey_summary"))
    ]
    assert [None, 25.0] == [None if n is None else n["score"] for n in nps_of]


def test_an_unknown_survey_is_404_and_a_bad_question_400(
    responded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No counted response: 404; a malformed question id in ?nps=: 400 at /nps."""
    module = survey_handler(monkeypatch, "recommend")
    event = load("apigw_v1_get_survey_summary")
    event["pathParameters"] = {"surveyId": "exit-2026"}
    assert 404 == invoke(module, event)[0]
    event = load("apigw_v1_get_survey_summary")
    event["queryStringParameters"] = {"nps": "how likely?"}
    status, _, body = invoke(module, event)
    assert (400, ["/nps/0"]) == (status, [e["pointer"] for e in body["errors"]])
