"""The DynamoDB dedup store: a claim is one conditional ``PutItem`` that returns the holder.

``ReturnValuesOnConditionCheckFailure=ALL_OLD`` makes a failed condition carry the item that
holds the key, so a duplicate costs one request instead of the usual two (a conditional put,
then a ``GetItem`` to learn what was there), and there is no window between the two in which
the holder could change.

boto3 is not imported here at module import; the client is created on first use, once per
store, unless one is passed in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from feedback_core import aws
from feedback_core.attributes import AttributeValue, from_item, to_attribute, to_item
from feedback_core.dedup._rules import check_changes, claimed_item, next_revision
from feedback_core.dedup.ports import (
    Accepted,
    ClaimOutcome,
    Duplicate,
    Item,
    Revised,
    ReviseOutcome,
    Stale,
)
from feedback_core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        GetItemInputTypeDef,
        PutItemInputTypeDef,
        UpdateItemInputTypeDef,
    )

    from feedback_core.dedup.keys import Key
    from feedback_core.dedup.ports import Expiry

__all__ = ["DynamoDBDedupStore"]

_CONDITION_FAILED = "ConditionalCheckFailedException"


def _item(raw: Mapping[str, object]) -> Item:
    # The low-level client returns the AttributeValue shape that feedback_core.attributes
    # reads; the stubs spell that TypedDict differently, hence the cast.
    return Item(attributes=from_item(cast("Mapping[str, AttributeValue]", raw)))


def _old_item(exc: Exception, operation: str) -> Item | None:
    """Return the ``ALL_OLD`` item a failed condition carried, or ``None`` if there was none."""
    response: Mapping[str, object] = getattr(exc, "response", {})
    item = response.get("Item")
    if item is None:
        return None
    if not isinstance(item, Mapping):
        raise ServiceError(operation, _CONDITION_FAILED, "the returned item is not a map")
    return _item(item)


class DynamoDBDedupStore:
    """A :class:`~feedback_core.dedup.ports.DedupStore` on one DynamoDB table.

    Args:
        table_name: The table; its key schema is whatever the keys you pass name.
        client: A low-level DynamoDB client; one is created on first use when omitted. Build the
            store once per process (at a Lambda's cold start) so the client is reused.
        expiry: Stamp claimed items with an expiry time (epoch seconds, for DynamoDB's TTL) and
            treat expired ones as absent. Only for tables of idempotency records.
        clock: Epoch seconds now, for expiry; tests pass a fake.
        backoff: Retry policy for throttling and transient errors (default: 6 attempts,
            full jitter).
        consistent_read: Whether :meth:`get` reads strongly consistently (default ``True``, so
            a read right after a claim sees it).

    Examples:
        >>> store = DynamoDBDedupStore(table_name="votes")  # doctest: +SKIP
        >>> store.claim(Key.of(pollId="p1", userId="u1"), Item.of(choice="yes"))  # doctest: +SKIP
        Accepted(key=..., item=Item({...}))
    """

    def __init__(
        self,
        *,
        table_name: str,
        client: DynamoDBClient | None = None,
        expiry: Expiry | None = None,
        clock: Callable[[], float] = time.time,
        backoff: aws.Backoff | None = None,
        consistent_read: bool = True,
    ) -> None:
        """Configure the store; no AWS call is made here."""
        self.table_name = table_name
        self._client = client
        self._client_lock = threading.Lock()
        self._expiry = expiry
        self._clock = clock
        self._backoff = backoff or aws.Backoff()
        self._consistent_read = consistent_read

    @property
    def client(self) -> DynamoDBClient:
        """The low-level client, created on first use."""
        if self._client is None:
            # Creating boto3 clients from several threads at once is not safe.
            with self._client_lock:
                if self._client is None:
                    self._client = cast("DynamoDBClient", aws.client("dynamodb"))
        return self._client

    def claim(self, key: Key, item: Item) -> ClaimOutcome:
        """Store ``item`` under ``key`` with one conditional ``PutItem``.

        See :meth:`feedback_core.dedup.ports.DedupStore.claim`. A duplicate costs exactly one
        request: the failed condition returns the holder (``ALL_OLD``).

        Raises:
            ValueError: if ``item`` contradicts ``key``.
            ThrottledError: if DynamoDB kept throttling past the retry budget.
            ServiceError: for any other AWS failure, with the botocore error as ``__cause__``.
        """
        now = int(self._clock())
        stored = claimed_item(key, item, self._expiry, now)
        names = {"#key": key.partition[0]}
        values: dict[str, AttributeValue] = {}
        # No item holds the key yet. With a sort key, DynamoDB evaluates the condition against
        # the one item that has this whole primary key, so the partition attribute suffices.
        condition = "attribute_not_exists(#key)"
        if self._expiry is not None:
            # ... or the item there is a record past its expiry that TTL has not deleted yet.
            names["#expiry"] = self._expiry.attribute
            values[":now"] = to_attribute(now)
            condition = f"{condition} OR #expiry < :now"
        request: PutItemInputTypeDef = {
            "TableName": self.table_name,
            "Item": to_item(stored),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            # A failed condition returns the holder: no GetItem, no race with a change to it.
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:  # DynamoDB refuses an empty ExpressionAttributeValues map
            request["ExpressionAttributeValues"] = values
        client = self.client

        def put() -> ClaimOutcome:
            try:
                client.put_item(**request)
            except client.exceptions.ConditionalCheckFailedException as exc:
                existing = _old_item(exc, "PutItem")
                if existing is None:
                    # AWS always returns the item here; an emulator that ignores the parameter
                    # does not, and guessing with a second read would hide that.
                    raise ServiceError(
                        "PutItem",
                        _CONDITION_FAILED,
                        "the endpoint returned no ALL_OLD item; it does not support "
                        "ReturnValuesOnConditionCheckFailure",
                    ) from exc
                return Duplicate(key=key, existing=existing, identical=existing == stored)
            return Accepted(key=key, item=stored)

        return aws.with_retries(put, operation="PutItem", backoff=self._backoff)

    def get(self, key: Key) -> Item | None:
        """Read the item at ``key`` (``None`` if absent or expired).

        See :meth:`feedback_core.dedup.ports.DedupStore.get`.

        Raises:
            ThrottledError: if DynamoDB kept throttling past the retry budget.
            ServiceError: for any other AWS failure.
        """
        request: GetItemInputTypeDef = {
            "TableName": self.table_name,
            "Key": to_item(key.as_dict()),
            "ConsistentRead": self._consistent_read,
        }
        client = self.client
        response = aws.with_retries(
            lambda: client.get_item(**request), operation="GetItem", backoff=self._backoff
        )
        raw = response.get("Item")
        if raw is None:
            return None
        item = _item(raw)
        if self._expiry is not None and self._expiry.expired(item, int(self._clock())):
            return None
        return item

    def revise(
        self,
        key: Key,
        changes: Item,
        *,
        revision_attribute: str,
        expected_revision: int | None,
    ) -> ReviseOutcome:
        """Apply ``changes`` with one conditional ``UpdateItem`` if the revision matches.

        See :meth:`feedback_core.dedup.ports.DedupStore.revise`. A stale revision costs one
        request: the failed condition returns the current item (``ALL_OLD``).

        Raises:
            ValueError: if ``changes`` is empty or touches a key attribute or the revision.
            ThrottledError: if DynamoDB kept throttling past the retry budget.
            ServiceError: for any other AWS failure.
        """
        check_changes(key, changes, revision_attribute)
        names = {"#key": key.partition[0], "#revision": revision_attribute}
        values: dict[str, AttributeValue] = {
            ":next": to_attribute(next_revision(expected_revision))
        }
        assignments = []
        # Placeholders for every changed attribute: names may be reserved words (e.g. "name").
        for index, (name, value) in enumerate(changes.items()):
            names[f"#a{index}"] = name
            values[f":a{index}"] = to_attribute(value)
            assignments.append(f"#a{index} = :a{index}")
        assignments.append("#revision = :next")
        # The item exists (otherwise UpdateItem would create one) ...
        exists = "attribute_exists(#key)"
        # ... and is still at the revision the caller read: optimistic concurrency.
        if expected_revision is None:
            at_revision = "attribute_not_exists(#revision)"
        else:
            values[":expected"] = to_attribute(expected_revision)
            at_revision = "#revision = :expected"
        request: UpdateItemInputTypeDef = {
            "TableName": self.table_name,
            "Key": to_item(key.as_dict()),
            "UpdateExpression": "SET " + ", ".join(assignments),
            "ConditionExpression": f"{exists} AND {at_revision}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ReturnValues": "ALL_NEW",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        client = self.client

        def update() -> ReviseOutcome:
            try:
                response = client.update_item(**request)
            except client.exceptions.ConditionalCheckFailedException as exc:
                return Stale(key=key, current=_old_item(exc, "UpdateItem"))
            return Revised(key=key, item=_item(response["Attributes"]))

        return aws.with_retries(update, operation="UpdateItem", backoff=self._backoff)
