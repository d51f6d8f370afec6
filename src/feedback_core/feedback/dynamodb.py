"""The DynamoDB feedback log: two sparse GSIs on the feedback table, never a Scan.

- ``byCreatedAt`` (partition ``feed``, sort ``createdAt``, all attributes): the listing. Every
  item :class:`~feedback_core.usecases.FeedbackService` writes carries ``feed = "all"``, so a
  page is one ``Query`` in descending order. One partition takes about 1,000 writes a second,
  far above a feedback form's rate; shard ``feed`` if yours is higher.
- ``byCustomer`` (partition ``customerId``, sort ``createdAt``, keys only): a customer's records
  for erasure; items without a customer id are not in it.

A page asks for one item more than it returns, so it knows whether another page follows
without handing out a cursor to an empty page.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

from feedback_core import aws
from feedback_core.attributes import AttributeValue, from_item, to_item
from feedback_core.feedback.ports import (
    BY_CREATED_AT,
    BY_CUSTOMER,
    LISTED,
    FeedbackEntry,
    FeedbackPage,
    Position,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef

__all__ = ["DynamoDBFeedbackLog"]


class DynamoDBFeedbackLog:
    """A :class:`~feedback_core.feedback.ports.FeedbackLog` on the feedback table.

    Args:
        table_name: The feedback table (key ``feedbackId``).
        client: A low-level DynamoDB client; one is created on first use when omitted.
        listing_index: The listing GSI's name.
        customer_index: The customer GSI's name.
        backoff: Retry policy for throttling and transient errors.

    Examples:
        >>> log = DynamoDBFeedbackLog(table_name="feedback")  # doctest: +SKIP
        >>> log.page(limit=20).entries[0].created_at  # doctest: +SKIP
        '2026-11-22T10:00:00Z'
    """

    def __init__(
        self,
        *,
        table_name: str,
        client: DynamoDBClient | None = None,
        listing_index: str = BY_CREATED_AT,
        customer_index: str = BY_CUSTOMER,
        backoff: aws.Backoff | None = None,
    ) -> None:
        """Configure the log; no AWS call is made here."""
        self.table_name = table_name
        self.listing_index = listing_index
        self.customer_index = customer_index
        self._client = client
        self._client_lock = threading.Lock()
        self._backoff = backoff or aws.Backoff()

    @property
    def client(self) -> DynamoDBClient:
        """The low-level client, created on first use."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = cast("DynamoDBClient", aws.client("dynamodb"))
        return self._client

    def _query(self, request: QueryInputTypeDef) -> Mapping[str, object]:
        client = self.client
        return aws.with_retries(
            lambda: client.query(**request), operation="Query", backoff=self._backoff
        )

    def page(self, *, limit: int, after: Position | None = None) -> FeedbackPage:
        """One ``Query`` of the listing index, newest first (see the port)."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        ((partition, value),) = LISTED.items()
        request: QueryInputTypeDef = {
            "TableName": self.table_name,
            "IndexName": self.listing_index,
            "KeyConditionExpression": "#feed = :feed",
            "ExpressionAttributeNames": {"#feed": partition},
            "ExpressionAttributeValues": {":feed": {"S": value}},
            "ScanIndexForward": False,
            "Limit": limit + 1,  # one more tells whether a next page exists
        }
        if after is not None:
            # A GSI's start key is the index key and the table key; the client chose neither:
            # the position comes from a cursor whose signature the use case checked.
            request["ExclusiveStartKey"] = {
                partition: {"S": value},
                "createdAt": {"S": after.created_at},
                "feedbackId": {"S": after.feedback_id},
            }
        entries: list[FeedbackEntry] = []
        while len(entries) <= limit:
            response = self._query(request)
            items = cast("list[Mapping[str, AttributeValue]]", response.get("Items", []))
            entries += [FeedbackEntry.from_attributes(from_item(item)) for item in items]
            last = response.get("LastEvaluatedKey")
            if last is None:
                break
            # A page cut short by the 1 MB limit: read on from where it stopped.
            request["ExclusiveStartKey"] = cast("dict[str, AttributeValue]", last)
        shown = tuple(entries[:limit])
        return FeedbackPage(
            entries=shown, next=shown[-1].position if len(entries) > limit else None
        )

    def customer_feedback(self, customer_id: str) -> Iterator[str]:
        """Query the customer index page by page; yield each feedback id."""
        request: QueryInputTypeDef = {
            "TableName": self.table_name,
            "IndexName": self.customer_index,
            "KeyConditionExpression": "#customer = :customer",
            "ExpressionAttributeNames": {"#customer": "customerId"},
            "ExpressionAttributeValues": {":customer": {"S": customer_id}},
            "ProjectionExpression": "feedbackId",
        }
        while True:
            response = self._query(request)
            for item in cast("list[Mapping[str, AttributeValue]]", response.get("Items", [])):
                yield str(from_item(item)["feedbackId"])
            last = response.get("LastEvaluatedKey")
            if last is None:
                return
            request["ExclusiveStartKey"] = cast("dict[str, AttributeValue]", last)

    def delete(self, feedback_id: str) -> bool:
        """One ``DeleteItem`` returning the old item: it says whether there was one."""
        client = self.client
        key = to_item({"feedbackId": feedback_id})
        response = aws.with_retries(
            lambda: client.delete_item(
                TableName=self.table_name,
                Key=key,
                ReturnValues="ALL_OLD",
            ),
            operation="DeleteItem",
            backoff=self._backoff,
        )
        return bool(response.get("Attributes"))
