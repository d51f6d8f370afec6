"""Read one survey's responses of a day through the ``bySurveyDay`` index: Query, never Scan.

The index (partition ``surveyId``, sort ``submittedAt``, all attributes projected) serves
``surveyId = :s AND submittedAt BETWEEN :start AND :end``: one paginated Query per survey and
day, reading that survey's responses of that day and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from feedback_core import aws
from feedback_core.attributes import from_item
from feedback_core.reports.model import Response

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef

    from feedback_core.attributes import AttributeValue

__all__ = ["SURVEY_DAY_INDEX", "DynamoDBResponseSource", "create_responses_table"]

SURVEY_DAY_INDEX = "bySurveyDay"
"""The responses table's index by survey and ``submittedAt`` (templates/feedback-api.yaml)."""


class DynamoDBResponseSource:
    """A :class:`~feedback_core.reports.ports.ResponseSource` over the ``bySurveyDay`` index.

    Args:
        table_name: The survey responses table.
        index_name: Its index by ``surveyId`` and ``submittedAt``.
        page_size: ``Limit`` per Query page (``None``: DynamoDB's 1 MB pages).
        client: A DynamoDB client; created lazily otherwise.
        backoff: Retries of throttled pages.

    Attributes:
        items_read: Items returned so far by every query (the report's read cost).
        pages_read: Query pages read so far.
    """

    def __init__(
        self,
        *,
        table_name: str,
        index_name: str = SURVEY_DAY_INDEX,
        page_size: int | None = None,
        client: DynamoDBClient | None = None,
        backoff: aws.Backoff | None = None,
    ) -> None:
        """Configure; no AWS call is made here."""
        self.table_name = table_name
        self.index_name = index_name
        self.page_size = page_size
        self._client = client
        self._backoff = backoff or aws.Backoff()
        self.items_read = 0
        self.pages_read = 0

    @property
    def client(self) -> DynamoDBClient:
        """The client, created on first use."""
        if self._client is None:
            self._client = cast("DynamoDBClient", aws.client("dynamodb"))
        return self._client

    def responses(self, survey_id: str, *, start: str, end: str) -> Iterator[Response]:
        """Yield the survey's responses with ``start <= submittedAt < end``, page by page.

        Raises:
            ThrottledError: DynamoDB kept throttling.
            ServiceError: any other failure.
        """
        request: QueryInputTypeDef = {
            "TableName": self.table_name,
            "IndexName": self.index_name,
            # Both bounds lack the "Z" every stored stamp has, so BETWEEN is [start, end).
            "KeyConditionExpression": "#survey = :survey AND #at BETWEEN :start AND :end",
            "ExpressionAttributeNames": {"#survey": "surveyId", "#at": "submittedAt"},
            "ExpressionAttributeValues": {
                ":survey": {"S": survey_id},
                ":start": {"S": start},
                ":end": {"S": end},
            },
        }
        if self.page_size is not None:
            request["Limit"] = self.page_size
        while True:
            page = aws.call(
                lambda: self.client.query(**request), operation="Query", backoff=self._backoff
            )
            self.pages_read += 1
            for item in page.get("Items", []):
                self.items_read += 1
                response = Response.from_item(from_item(cast("dict[str, AttributeValue]", item)))
                if response is not None:
                    yield response
            last_key = page.get("LastEvaluatedKey")
            if not last_key:
                return
            request["ExclusiveStartKey"] = last_key


def create_responses_table(table_name: str, *, client: DynamoDBClient | None = None) -> None:
    """Create the survey responses table with its ``bySurveyDay`` index (on-demand capacity).

    For tests, local runs and benchmarks; production tables come from
    templates/feedback-api.yaml, with the same keys and index.

    Args:
        table_name: The table to create.
        client: A low-level DynamoDB client; created otherwise.

    Raises:
        ServiceError: DynamoDB refused (e.g. the table exists).
    """
    from botocore.exceptions import ClientError  # boto3 is loaded by now

    dynamodb = client or cast("DynamoDBClient", aws.client("dynamodb"))
    try:
        dynamodb.create_table(
            TableName=table_name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": "S"}
                for name in ("surveyId", "responseId", "submittedAt")
            ],
            KeySchema=[
                {"AttributeName": "surveyId", "KeyType": "HASH"},
                {"AttributeName": "responseId", "KeyType": "RANGE"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": SURVEY_DAY_INDEX,
                    "KeySchema": [
                        {"AttributeName": "surveyId", "KeyType": "HASH"},
                        {"AttributeName": "submittedAt", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
    except ClientError as exc:
        raise aws.translate(exc, "CreateTable") from exc
