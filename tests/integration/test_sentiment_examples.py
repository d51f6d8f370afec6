"""The handler-wiring example stores sentiment on a feedback item in (moto's) DynamoDB."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.exceptions import ClientError

from docs.examples.sentiment import handler_wiring
from feedback_core.attributes import from_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


@pytest.fixture
def table(aws: None) -> DynamoDBClient:
    del aws
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(
        TableName="feedback",
        KeySchema=[{"AttributeName": "feedbackId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "feedbackId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(
        TableName="feedback",
        Item={"feedbackId": {"S": "f-1"}, "message": {"S": "Broken on arrival!"}},
    )
    return client


def test_sentiment_is_stored_with_decimal_scores(table: DynamoDBClient) -> None:
    """The update sets sentiment, Decimal scores that sum to 1, and the source."""
    (update,) = handler_wiring.label_batch([("f-1", "Broken on arrival!")])
    table.update_item(TableName="feedback", **update)
    item = from_item(table.get_item(TableName="feedback", Key={"feedbackId": {"S": "f-1"}})["Item"])
    scores = item["sentimentScores"]
    assert ("negative", "offline") == (item["sentiment"], item["sentimentSource"])
    assert isinstance(scores, dict)
    assert all(isinstance(value, Decimal | int) for value in scores.values())
    assert abs(sum(Decimal(str(v)) for v in scores.values()) - 1) <= Decimal("0.0004")


def test_missing_feedback_is_not_created(table: DynamoDBClient) -> None:
    """Labelling an id that does not exist fails the condition instead of creating an item."""
    (update,) = handler_wiring.label_batch([("nope", "Great!")])
    with pytest.raises(ClientError, match="ConditionalCheckFailed"):
        table.update_item(TableName="feedback", **update)
