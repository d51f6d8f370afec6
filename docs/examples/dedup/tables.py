"""The tables dedup writes to, their keys and index, and the stores a handler builds once."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import TYPE_CHECKING

from feedback_core import dedup

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import CreateTableInputTypeDef

# Every data table streams NEW_AND_OLD_IMAGES: the aggregate fold needs the old image to take
# back a changed vote (a MODIFY counts new minus old).

FEEDBACK: CreateTableInputTypeDef = {
    "TableName": "feedback",
    "KeySchema": [{"AttributeName": "feedbackId", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "feedbackId", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
}

VOTES: CreateTableInputTypeDef = {
    "TableName": "votes",
    "KeySchema": [
        {"AttributeName": "pollId", "KeyType": "HASH"},  # a poll's votes, together
        {"AttributeName": "userId", "KeyType": "RANGE"},  # one item per user: the dedup key
    ],
    "AttributeDefinitions": [
        {"AttributeName": "pollId", "AttributeType": "S"},
        {"AttributeName": "userId", "AttributeType": "S"},
    ],
    "BillingMode": "PAY_PER_REQUEST",
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
}

SURVEY_RESPONSES: CreateTableInputTypeDef = {
    "TableName": "survey-responses",
    "KeySchema": [
        {"AttributeName": "surveyId", "KeyType": "HASH"},
        {"AttributeName": "responseId", "KeyType": "RANGE"},  # derived: the dedup key
    ],
    "AttributeDefinitions": [
        {"AttributeName": "surveyId", "AttributeType": "S"},
        {"AttributeName": "responseId", "AttributeType": "S"},
        {"AttributeName": "submittedAt", "AttributeType": "S"},
    ],
    "GlobalSecondaryIndexes": [
        {
            # Per survey, in time order: one day is begins_with(submittedAt, "YYYY-MM-DD"),
            # a week is BETWEEN two timestamps.
            "IndexName": "bySurveyDay",
            "KeySchema": [
                {"AttributeName": "surveyId", "KeyType": "HASH"},
                {"AttributeName": "submittedAt", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
    ],
    "BillingMode": "PAY_PER_REQUEST",
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
}

# Only for records that are not the data themselves; enable TTL on expiresAt.
IDEMPOTENCY: CreateTableInputTypeDef = {
    "TableName": "idempotency",
    "KeySchema": [{"AttributeName": "idempotencyKey", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "idempotencyKey", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


def build_stores(client: DynamoDBClient | None = None) -> dict[str, dedup.DedupStore]:
    """Build the stores once per process, at a Lambda's cold start (they create the client)."""
    return {
        "feedback": dedup.DynamoDBDedupStore(
            table_name=os.environ.get("FEEDBACK_TABLE", "feedback"), client=client
        ),
        "votes": dedup.DynamoDBDedupStore(
            table_name=os.environ.get("VOTES_TABLE", "votes"), client=client
        ),
        "survey-responses": dedup.DynamoDBDedupStore(
            table_name=os.environ.get("SURVEY_RESPONSES_TABLE", "survey-responses"), client=client
        ),
        "idempotency": dedup.DynamoDBDedupStore(
            table_name=os.environ.get("IDEMPOTENCY_TABLE", "idempotency"),
            client=client,
            expiry=dedup.Expiry(attribute="expiresAt", after=timedelta(hours=24)),
        ),
    }


def responses_on_day(client: DynamoDBClient, survey_id: str, day: str) -> Iterator[str]:
    """Yield the ids of one survey's responses on one day (``YYYY-MM-DD``), oldest first."""
    paginator = client.get_paginator("query")
    for page in paginator.paginate(
        TableName="survey-responses",
        IndexName="bySurveyDay",
        KeyConditionExpression="#survey = :survey AND begins_with(#at, :day)",
        ExpressionAttributeNames={"#survey": "surveyId", "#at": "submittedAt"},
        ExpressionAttributeValues={":survey": {"S": survey_id}, ":day": {"S": day}},
    ):
        for item in page["Items"]:
            yield item["responseId"]["S"]
