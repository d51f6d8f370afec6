"""The table definitions and the per-day index shown in docs/dedup.md work on moto."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
import pytest

from docs.examples.dedup import tables
from feedback_core.dedup import Accepted, Item, Key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


@pytest.fixture
def client(aws: None) -> DynamoDBClient:
    client = boto3.client("dynamodb", region_name="us-east-1")
    for definition in (tables.FEEDBACK, tables.VOTES, tables.SURVEY_RESPONSES, tables.IDEMPOTENCY):
        client.create_table(**definition)
    return client


def test_every_store_claims_on_its_table(client: DynamoDBClient) -> None:
    """Each store built at cold start claims on its own table with the documented key."""
    stores = tables.build_stores(client)
    keys = {
        "feedback": Key.of(feedbackId="f-1"),
        "votes": Key.of(pollId="p1", userId="u1"),
        "survey-responses": Key.of(surveyId="s1", responseId="r-1"),
        "idempotency": Key.of(idempotencyKey="k-1"),
    }
    outcomes = {name: stores[name].claim(key, Item.of(x=1)) for name, key in keys.items()}
    accepted = [o for o in outcomes.values() if isinstance(o, Accepted)]
    assert 4 == len(accepted)
    # Only the idempotency table stamps an expiry: data records never expire.
    stamped = [
        name
        for name, outcome in outcomes.items()
        if isinstance(outcome, Accepted) and "expiresAt" in outcome.item
    ]
    assert ["idempotency"] == stamped


def test_the_per_day_index_returns_one_surveys_day_in_time_order(client: DynamoDBClient) -> None:
    """bySurveyDay serves one survey's responses of one day, oldest first, and nothing else."""
    store = tables.build_stores(client)["survey-responses"]
    for survey, response, at in [
        ("s1", "r-3", "2026-11-22T18:00:00Z"),
        ("s1", "r-1", "2026-11-22T08:00:00Z"),
        ("s1", "r-2", "2026-11-23T00:00:00Z"),
        ("s2", "r-4", "2026-11-22T09:00:00Z"),
    ]:
        store.claim(
            Key.of(surveyId=survey, responseId=response),
            Item.of(submittedAt=at, submittedDay=at[:10], answers={"q1": "yes"}),
        )
    assert ["r-1", "r-3"] == list(tables.responses_on_day(client, "s1", "2026-11-22"))
