"""The feedback table with the template's two listing indexes, for tests on moto."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from feedback_core.feedback import BY_CREATED_AT, BY_CUSTOMER

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


def create_feedback_table(client: DynamoDBClient, name: str, **extra: Any) -> None:
    """Create the feedback table as templates/feedback-api.yaml declares it (keys and GSIs)."""
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": attribute, "AttributeType": "S"}
            for attribute in ("feedbackId", "feed", "createdAt", "customerId")
        ],
        KeySchema=[{"AttributeName": "feedbackId", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": BY_CREATED_AT,
                "KeySchema": [
                    {"AttributeName": "feed", "KeyType": "HASH"},
                    {"AttributeName": "createdAt", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": BY_CUSTOMER,
                "KeySchema": [
                    {"AttributeName": "customerId", "KeyType": "HASH"},
                    {"AttributeName": "createdAt", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
        **extra,
    )
