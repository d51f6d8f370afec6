"""The DynamoDB counter store: counters and progress markers in one table, one transaction each.

Table layout (see :func:`create_counters_table`): string key ``pk`` (hash) + ``sk`` (range),
Time to Live on ``expiresAt``.

* A counter item: ``pk`` = the counter group (``poll#p1``), ``sk`` = the item name (``tally``);
  a write shard other than 0 is ``sk`` = ``~<shard>~<name>``. Every other attribute except
  ``updatedAt`` is a flat numeric field (``choice:yes``), so ``ADD`` never touches a map that
  might not exist.
* A progress marker: ``pk`` = ``~marker#<consumer>#<stream ARN>#<origin>``, ``sk`` = ``marker``,
  ``position`` (S) and ``expiresAt`` (N, epoch seconds). Groups may not start with ``~``, so
  markers never show up in a counter read.

A commit is one ``TransactWriteItems``: one ``Update`` (``ADD`` + ``SET updatedAt``) per counter
item, and one ``Update`` of the marker conditioned on its previous position. It carries a
``ClientRequestToken`` derived from its content, so AWS turns an SDK-level retry of a commit
whose response was lost into a no-op (moto ignores the token; there the marker's condition
does the same job).

A marked write (item marks, :mod:`feedback_core.aggregate.marks`) is one conditional
``UpdateItem`` of one counter item: the same ``ADD`` and ``SET updatedAt``, plus ``SET
~m<lane>`` under the lane's mark condition, returning the item either way (``ALL_NEW``, or
``ALL_OLD`` on a refusal). One module past 500 lines on purpose: both write paths share the key
layout, the update expressions and the error translation.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, cast

import orjson

from feedback_core import aws
from feedback_core.aggregate.ports import (
    MARK_PREFIX,
    MAX_TRANSACTION_ACTIONS,
    Commit,
    CommitOutcome,
    CounterGroup,
    CounterItem,
    CounterUpdate,
    ItemMark,
    MarkedOutcome,
    MarkedWrite,
    MarkerKey,
    Position,
)
from feedback_core.aggregate.projections import Amount, CounterKey
from feedback_core.aggregate.stream import parse_number
from feedback_core.attributes import AttributeValue, item_size, number_text
from feedback_core.errors import ServiceError, ThrottledError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
        UniversalAttributeValueTypeDef,
    )

__all__ = [
    "EXPIRES_AT",
    "PARTITION_KEY",
    "RESERVED_FIELDS",
    "SORT_KEY",
    "DynamoDBCounterStore",
    "create_counters_table",
]

PARTITION_KEY = "pk"
SORT_KEY = "sk"
EXPIRES_AT = "expiresAt"
"""The Time to Live attribute (markers only; counter items never expire)."""
UPDATED_AT = "updatedAt"
POSITION = "position"
MARKER_PREFIX = "~marker#"
MARKER_SORT_KEY = "marker"
RESERVED_FIELDS = frozenset({PARTITION_KEY, SORT_KEY, EXPIRES_AT, UPDATED_AT, POSITION})
"""Attribute names a projection may not use as counter fields."""

# Transaction cancellation reasons that mean "not applied, try again".
_RETRYABLE_REASONS = frozenset(
    {"None", "ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict", None}
)
# Error codes that prove the request was not applied (anything else might have been).
_DEFINITIVE_CODES = aws.THROTTLING_CODES | {
    "TransactionCanceledException",
    "ValidationException",
    "ResourceNotFoundException",
    "AccessDeniedException",
    "IdempotentParameterMismatchException",
    "UnrecognizedClientException",
}
_RETRY_CODES = aws.THROTTLING_CODES | {
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionCanceledException",
    "TransactionInProgressException",
}


def _item_name(sort_key: str) -> str:
    if sort_key.startswith("~"):
        return sort_key.split("~", 2)[2]
    return sort_key


def _update_parts(
    update: CounterUpdate,
) -> tuple[dict[str, str], dict[str, UniversalAttributeValueTypeDef], list[str], list[str]]:
    """Names, values, ADD clauses and SET clauses adding ``update``'s deltas to its item."""
    names: dict[str, str] = {}
    values: dict[str, UniversalAttributeValueTypeDef] = {}
    additions: list[str] = []
    assignments: list[str] = []
    for index, (field, amount) in enumerate(sorted(update.deltas.items())):
        if field in RESERVED_FIELDS or field.startswith("~"):
            raise ValueError(f"counter field {field!r} is reserved by the counter store")
        names[f"#f{index}"] = field
        values[f":v{index}"] = {"N": number_text(amount)}
        additions.append(f"#f{index} :v{index}")
    if update.updated_at is not None:
        # The newest source change folded in, for the read model's "last updated".
        names["#updatedAt"] = UPDATED_AT
        values[":updatedAt"] = {"S": update.updated_at}
        assignments.append("#updatedAt = :updatedAt")
    return names, values, additions, assignments


def _expression(
    additions: Sequence[str], assignments: Sequence[str], removals: Sequence[str] = ()
) -> str:
    clauses = []
    if additions:
        # ADD creates a missing numeric attribute at 0, so a new counter item needs no put.
        clauses.append("ADD " + ", ".join(additions))
    if assignments:
        clauses.append("SET " + ", ".join(assignments))
    if removals:
        clauses.append("REMOVE " + ", ".join(removals))
    return " ".join(clauses)


def _item_key(key: CounterKey, shard: int) -> dict[str, UniversalAttributeValueTypeDef]:
    name = key.name if shard == 0 else f"~{shard}~{key.name}"
    return {PARTITION_KEY: {"S": key.group}, SORT_KEY: {"S": name}}


def _counter_update(table: str, update: CounterUpdate) -> TransactWriteItemTypeDef:
    names, values, additions, assignments = _update_parts(update)
    return {
        "Update": {
            "TableName": table,
            "Key": _item_key(update.key, update.shard),
            "UpdateExpression": _expression(additions, assignments),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


def _size(item: Mapping[str, AttributeValueTypeDef]) -> int:
    return item_size(cast("Mapping[str, AttributeValue]", item))


def _marks(item: Mapping[str, AttributeValueTypeDef]) -> dict[str, ItemMark]:
    return {
        name[len(MARK_PREFIX) :]: ItemMark.from_text(value["S"])
        for name, value in item.items()
        if name.startswith(MARK_PREFIX) and "S" in value
    }


def _marker_key(marker: MarkerKey) -> dict[str, UniversalAttributeValueTypeDef]:
    return {
        PARTITION_KEY: {"S": MARKER_PREFIX + marker.id},
        SORT_KEY: {"S": MARKER_SORT_KEY},
    }


def _marker_update(table: str, commit: Commit) -> TransactWriteItemTypeDef:
    names = {"#position": POSITION, "#expiresAt": EXPIRES_AT}
    values: dict[str, UniversalAttributeValueTypeDef] = {
        ":position": {"S": commit.position.to_text()},
        ":expiresAt": {"N": str(commit.expires_at)},
    }
    if commit.expected is None:
        # No batch of ours has moved this marker yet.
        condition = "attribute_not_exists(#position)"
    else:
        # Still where we last saw it: a duplicated or delayed commit fails here instead of
        # applying its deltas a second time.
        condition = "#position = :expected"
        values[":expected"] = {"S": commit.expected.to_text()}
    return {
        "Update": {
            "TableName": table,
            "Key": _marker_key(commit.marker),
            # Each commit refreshes the expiry: a marker lives on while its shard is busy.
            "UpdateExpression": "SET #position = :position, #expiresAt = :expiresAt",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


def _token(items: list[TransactWriteItemTypeDef]) -> str:
    # The same content gives the same token, so retries of one commit are idempotent on AWS
    # (for 10 minutes); different content never reuses a token.
    digest = hashlib.sha256(orjson.dumps(items, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return digest[:36]


class _Attempts:
    """What the attempts of one commit have shown so far."""

    def __init__(self) -> None:
        self.ambiguous = False
        self.reasons: list[str | None] = []


class DynamoDBCounterStore:
    """Counters and progress markers in a DynamoDB table.

    Args:
        table_name: The counters table (see :func:`create_counters_table`).
        client: A low-level DynamoDB client; one is created on first use otherwise.
        backoff: Retry policy for throttling and transient errors.
        consistent_reads: Read counters with strongly consistent reads (markers always are).
        page_size: Items per Query page when reading a group (DynamoDB's 1 MB page otherwise).

    Examples:
        >>> store = DynamoDBCounterStore(table_name="counters")  # no AWS call yet
    """

    def __init__(
        self,
        *,
        table_name: str,
        client: DynamoDBClient | None = None,
        backoff: aws.Backoff | None = None,
        consistent_reads: bool = False,
        page_size: int | None = None,
    ) -> None:
        """Store the configuration; the client is created lazily."""
        self._table = table_name
        self._client = client
        self._backoff = backoff or aws.Backoff()
        self._consistent = consistent_reads
        self._page_size = page_size

    @property
    def client(self) -> DynamoDBClient:
        """The low-level client (created on first use)."""
        if self._client is None:
            self._client = cast("DynamoDBClient", aws.client("dynamodb"))
        return self._client

    def load_marker(self, marker: MarkerKey) -> Position | None:
        """Return the marker's position with a strongly consistent read, or ``None``.

        Raises:
            ThrottledError: DynamoDB kept throttling.
            ServiceError: any other failure.
        """
        from botocore.exceptions import BotoCoreError  # boto3 is loaded by now

        try:
            response = aws.with_retries(
                lambda: self.client.get_item(
                    TableName=self._table,
                    Key=_marker_key(marker),
                    ConsistentRead=True,  # the marker decides what to skip: never a stale read
                    ProjectionExpression="#position",
                    ExpressionAttributeNames={"#position": POSITION},
                ),
                operation="GetItem",
                backoff=self._backoff,
            )
        except BotoCoreError as exc:
            raise ServiceError("GetItem", type(exc).__name__, str(exc)) from exc
        position = response.get("Item", {}).get(POSITION)
        if position is None or "S" not in position:
            return None
        return Position.from_text(position["S"])

    def commit(self, commit: Commit) -> CommitOutcome:
        """Apply the updates and move the marker in one TransactWriteItems.

        Throttling, transaction conflicts and transient errors are retried with backoff (with
        the same request token). A cancellation because the marker's condition failed is a
        ``CONFLICT``.

        Raises:
            ThrottledError: every attempt was refused (throttled or in conflict); nothing was
                applied.
            ServiceError: the outcome is unknown (an attempt timed out or failed on the server
                side) or the request is invalid.
        """
        if len(commit.updates) + 1 > MAX_TRANSACTION_ACTIONS:
            raise ServiceError(
                "TransactWriteItems",
                "ValidationException",
                f"{len(commit.updates) + 1} actions; a transaction holds at most "
                f"{MAX_TRANSACTION_ACTIONS}",
            )
        items = [_counter_update(self._table, u) for u in commit.updates]
        items.append(_marker_update(self._table, commit))
        token = _token(items)
        attempts = _Attempts()
        try:
            return aws.with_retries(
                lambda: self._attempt(items, token, attempts),
                operation="TransactWriteItems",
                backoff=self._backoff,
                retry_on=_RETRY_CODES,
            )
        except ServiceError as exc:
            if attempts.ambiguous:
                if isinstance(exc, ThrottledError):
                    # An earlier attempt may have landed: do not claim "not applied".
                    raise ServiceError(
                        exc.operation, exc.code, "an earlier attempt's outcome is unknown"
                    ) from exc
                raise
            if exc.code == "TransactionCanceledException" and all(
                r in _RETRYABLE_REASONS for r in attempts.reasons
            ):
                raise ThrottledError(exc.operation, exc.code, str(exc)) from exc
            raise

    def _attempt(
        self, items: list[TransactWriteItemTypeDef], token: str, attempts: _Attempts
    ) -> CommitOutcome:
        from botocore.exceptions import BotoCoreError, ClientError  # loaded by now

        try:
            self.client.transact_write_items(TransactItems=items, ClientRequestToken=token)
        except ClientError as exc:
            code = aws.error_code(exc)
            if code == "TransactionCanceledException":
                reasons = [
                    cast("str | None", r.get("Code"))
                    for r in cast(
                        "list[dict[str, object]]", exc.response.get("CancellationReasons", [])
                    )
                ]
                attempts.reasons = reasons
                if len(reasons) == len(items) and reasons[-1] == "ConditionalCheckFailed":
                    return CommitOutcome.CONFLICT
                if not all(r in _RETRYABLE_REASONS for r in reasons):
                    raise aws.translate(exc, "TransactWriteItems") from exc
            elif code not in _DEFINITIVE_CODES:
                attempts.ambiguous = True
            raise
        except BotoCoreError as exc:
            # Connection failures and timeouts (botocore has retried them already): the
            # request may or may not have been applied.
            attempts.ambiguous = True
            raise ServiceError("TransactWriteItems", type(exc).__name__, str(exc)) from exc
        return CommitOutcome.COMMITTED

    def write_marked(self, write: MarkedWrite) -> MarkedOutcome:
        """Add the deltas and move the lane's mark in one conditional UpdateItem.

        ``ReturnValues=ALL_NEW`` and ``ReturnValuesOnConditionCheckFailure=ALL_OLD`` return the
        item either way at no extra capacity, so a refused write needs no read. A resend of an
        applied write (botocore's retries) is refused by the mark it moved, and reported as
        not applied with that mark: the caller then finds nothing left to apply.

        Raises:
            ThrottledError: every attempt was throttled.
            ServiceError: any other failure; the write may have been applied.
        """
        from botocore.exceptions import ClientError  # boto3 is loaded by now

        names, values, additions, assignments = _update_parts(write.update)
        names["#mark"] = MARK_PREFIX + write.lane
        values[":mark"] = {"S": write.mark.to_text()}
        assignments.append("#mark = :mark")
        if not write.exact:
            condition = "attribute_not_exists(#mark) OR #mark < :first"
            values[":first"] = {"S": ItemMark.bound(write.first)}
        elif write.expected is None:
            condition = "attribute_not_exists(#mark)"
        else:
            condition = "#mark = :expected"
            values[":expected"] = {"S": write.expected.to_text()}

        def attempt() -> MarkedOutcome:
            try:
                response = self.client.update_item(
                    TableName=self._table,
                    Key=_item_key(write.update.key, write.update.shard),
                    UpdateExpression=_expression(additions, assignments),
                    ConditionExpression=condition,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                    ReturnValues="ALL_NEW",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as exc:
                if aws.error_code(exc) != "ConditionalCheckFailedException":
                    raise
                found = cast("dict[str, AttributeValueTypeDef]", exc.response.get("Item", {}))
                return MarkedOutcome(applied=False, marks=_marks(found), size=_size(found))
            item = response.get("Attributes", {})
            return MarkedOutcome(applied=True, marks=_marks(item), size=_size(item))

        return aws.with_retries(attempt, operation="UpdateItem", backoff=self._backoff)

    def remove_marks(self, key: CounterKey, shard: int, marks: Mapping[str, ItemMark]) -> bool:
        """Remove the given marks in one UpdateItem, conditioned on each still being as given.

        Raises:
            ServiceError: the store failed.
        """
        from botocore.exceptions import ClientError  # boto3 is loaded by now

        if not marks:
            return True
        names: dict[str, str] = {}
        values: dict[str, UniversalAttributeValueTypeDef] = {}
        for index, (lane, mark) in enumerate(sorted(marks.items())):
            names[f"#m{index}"] = MARK_PREFIX + lane
            values[f":m{index}"] = {"S": mark.to_text()}

        def attempt() -> bool:
            try:
                self.client.update_item(
                    TableName=self._table,
                    Key=_item_key(key, shard),
                    UpdateExpression=_expression((), (), list(names)),
                    ConditionExpression=" AND ".join(f"{n} = :{n[1:]}" for n in names),
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                )
            except ClientError as exc:
                if aws.error_code(exc) == "ConditionalCheckFailedException":
                    return False
                raise
            return True

        return aws.with_retries(attempt, operation="UpdateItem", backoff=self._backoff)

    def read_group(self, group: str) -> CounterGroup:
        """Return every counter item of ``group`` (one Query, paginated), shards merged.

        Raises:
            ThrottledError: DynamoDB kept throttling.
            ServiceError: any other failure.
        """
        from botocore.exceptions import BotoCoreError  # boto3 is loaded by now

        merged: dict[str, tuple[dict[str, Amount], str | None]] = {}
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "KeyConditionExpression": "#pk = :group",
            "ExpressionAttributeNames": {"#pk": PARTITION_KEY},
            "ExpressionAttributeValues": {":group": {"S": group}},
            "ConsistentRead": self._consistent,
        }
        if self._page_size is not None:
            request["Limit"] = self._page_size
        while True:
            try:
                page = aws.with_retries(
                    lambda: self.client.query(**request), operation="Query", backoff=self._backoff
                )
            except BotoCoreError as exc:
                raise ServiceError("Query", type(exc).__name__, str(exc)) from exc
            for item in page.get("Items", []):
                name = _item_name(item[SORT_KEY]["S"])
                fields, newest = merged.get(name, ({}, None))
                for attribute, value in item.items():
                    if attribute in RESERVED_FIELDS or "N" not in value:
                        continue
                    fields[attribute] = fields.get(attribute, 0) + parse_number(value["N"])
                stamp = item.get(UPDATED_AT, {}).get("S")
                if stamp is not None and (newest is None or stamp > newest):
                    newest = stamp
                merged[name] = (fields, newest)
            last_key = page.get("LastEvaluatedKey")
            if not last_key:
                break
            request["ExclusiveStartKey"] = last_key
        return CounterGroup(
            group=group,
            items={
                name: CounterItem(key=CounterKey(group=group, name=name), fields=f, updated_at=s)
                for name, (f, s) in merged.items()
            },
        )


def create_counters_table(
    table_name: str, *, client: DynamoDBClient | None = None, wait: bool = True
) -> None:
    """Create the counters table (on-demand capacity) and turn on Time to Live for markers.

    For tests, local runs and the demo; production tables come from the CloudFormation
    template, with the same key schema and TTL attribute.

    Args:
        table_name: The table to create.
        client: A low-level DynamoDB client; created otherwise.
        wait: Wait until the table is active.

    Raises:
        ServiceError: DynamoDB refused (e.g. the table exists).
    """
    from botocore.exceptions import ClientError  # boto3 is loaded by now

    dynamodb = client or cast("DynamoDBClient", aws.client("dynamodb"))
    try:
        dynamodb.create_table(
            TableName=table_name,
            KeySchema=[
                {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
                {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
                {"AttributeName": SORT_KEY, "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        if wait:
            dynamodb.get_waiter("table_exists").wait(
                TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
            )
        dynamodb.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": EXPIRES_AT},
        )
    except ClientError as exc:
        raise aws.translate(exc, "CreateTable") from exc
