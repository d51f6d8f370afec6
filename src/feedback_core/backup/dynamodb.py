"""DynamoDB adapters: a table to scan and write, table creation, native export and import.

:class:`DynamoDBTable` is a :class:`~.ports.TableSource` (``DescribeTable``, one ``Scan`` page
per call with ``Segment``/``TotalSegments``) and a :class:`~.ports.TableSink`
(``BatchWriteItem`` of at most 25 puts, returning ``UnprocessedItems``; ``BatchGetItem`` for a
dry run). Throttling is retried with :class:`~feedback_core.aws.Backoff`; other errors become
:class:`~feedback_core.errors.ServiceError` with the botocore error as the cause.

The managed alternatives are here too: :func:`start_native_export` and
:func:`wait_for_native_export` (``ExportTableToPointInTime``: a point-in-time copy, needs PITR)
and :func:`import_table` (``ImportTable``: DynamoDB loads an export into a new table).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

import attrs

from feedback_core import aws
from feedback_core.backup.format import DATA_FOLDER, table_from_json
from feedback_core.backup.model import ScanPage
from feedback_core.backup.ports import MAX_BATCH_WRITE
from feedback_core.errors import BackupError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from mypy_boto3_dynamodb.client import DynamoDBClient

    from feedback_core.backup.model import Item, TableDescription

__all__ = [
    "DynamoDBTable",
    "NativeExport",
    "create_table_like",
    "describe_native_export",
    "import_table",
    "start_native_export",
    "wait_for_native_export",
]


class DynamoDBTable:
    """One DynamoDB table, to back up from or restore into.

    Args:
        table_name: The table's name.
        client: A low-level DynamoDB client; one is created on first use otherwise.
        backoff: Retry policy for throttled calls.
        page_limit: ``Limit`` per scan page (``None``: DynamoDB's 1 MB pages).
        consistent: Strongly consistent scan reads (twice the read cost).
    """

    def __init__(
        self,
        table_name: str,
        *,
        client: DynamoDBClient | None = None,
        backoff: aws.Backoff | None = None,
        page_limit: int | None = None,
        consistent: bool = False,
    ) -> None:
        """Remember the table; no AWS call is made yet."""
        self._name = table_name
        self._client = client
        self._backoff = backoff or aws.Backoff(attempts=8, cap=5.0)
        self._page_limit = page_limit
        self._consistent = consistent

    @property
    def name(self) -> str:
        """The table's name."""
        return self._name

    @property
    def client(self) -> DynamoDBClient:
        """The low-level client (created on first use)."""
        if self._client is None:
            self._client = cast("DynamoDBClient", aws.client("dynamodb"))
        return self._client

    def _call(self, operation: str, call: Callable[[], Any]) -> Any:
        return aws.with_retries(call, operation=operation, backoff=self._backoff)

    def describe(self) -> TableDescription:
        """Return the table's shape (``DescribeTable``)."""
        table = self._call(
            "DescribeTable", lambda: self.client.describe_table(TableName=self._name)
        )["Table"]
        return table_from_json(table)

    def scan_page(self, *, segment: int, total_segments: int, start_key: Item | None) -> ScanPage:
        """Return one page of one segment of a parallel ``Scan``."""
        request: dict[str, Any] = {
            "TableName": self._name,
            "Segment": segment,
            "TotalSegments": total_segments,
            "ConsistentRead": self._consistent,
        }
        if start_key is not None:
            request["ExclusiveStartKey"] = start_key
        if self._page_limit is not None:
            request["Limit"] = self._page_limit
        page = self._call("Scan", lambda: self.client.scan(**request))
        return ScanPage(items=page.get("Items", []), last_key=page.get("LastEvaluatedKey"))

    def write_batch(self, items: Sequence[Item]) -> list[Item]:
        """Put at most 25 items with one ``BatchWriteItem``; return the unprocessed ones."""
        if len(items) > MAX_BATCH_WRITE:
            # DynamoDB refuses more than 25 (moto accepts them; we hold to AWS's limit).
            raise ValueError(f"at most {MAX_BATCH_WRITE} items per batch, not {len(items)}")
        if not items:
            return []
        requests = [{"PutRequest": {"Item": item}} for item in items]
        response = self._call(
            "BatchWriteItem",
            lambda: self.client.batch_write_item(RequestItems={self._name: requests}),  # type: ignore[dict-item]  # our AttributeValue TypedDict is the stubs' shape
        )
        left = response.get("UnprocessedItems", {}).get(self._name, [])
        return [request["PutRequest"]["Item"] for request in left]

    def read_batch(self, keys: Sequence[Item]) -> list[Item]:
        """Return the items under at most 100 keys (``BatchGetItem``, unprocessed keys retried)."""
        found: list[Item] = []
        pending: list[Item] = list(keys)
        attempt = 0
        while pending:
            attempt += 1
            request = {self._name: {"Keys": pending, "ConsistentRead": True}}
            response = self._call(
                "BatchGetItem",
                lambda request=request: self.client.batch_get_item(RequestItems=request),  # type: ignore[misc]  # see write_batch
            )
            found += response.get("Responses", {}).get(self._name, [])
            pending = response.get("UnprocessedKeys", {}).get(self._name, {}).get("Keys", [])
            if pending:
                if attempt >= self._backoff.attempts:
                    raise BackupError(f"BatchGetItem left {len(pending)} key(s) unprocessed")
                self._backoff.sleep(self._backoff.delay(attempt))
        return found


def _key_schema(schema: Sequence[Any]) -> list[dict[str, str]]:
    return [{"AttributeName": k.name, "KeyType": k.key_type} for k in schema]


def _creation_parameters(description: TableDescription, *, table_name: str) -> dict[str, Any]:
    """CreateTable's (and ImportTable's TableCreationParameters') shape of a description."""

    def index(ix: Any) -> dict[str, Any]:
        projection: dict[str, Any] = {"ProjectionType": ix.projection_type}
        if ix.non_key_attributes:
            projection["NonKeyAttributes"] = list(ix.non_key_attributes)
        return {
            "IndexName": ix.name,
            "KeySchema": _key_schema(ix.key_schema),
            "Projection": projection,
        }

    parameters: dict[str, Any] = {
        "TableName": table_name,
        "KeySchema": _key_schema(description.key_schema),
        "AttributeDefinitions": [
            {"AttributeName": a.name, "AttributeType": a.attribute_type}
            for a in description.attribute_definitions
        ],
        # On demand: a restore writes in bursts; switch to provisioned afterwards if wanted.
        "BillingMode": "PAY_PER_REQUEST",
    }
    if description.global_indexes:
        parameters["GlobalSecondaryIndexes"] = [index(ix) for ix in description.global_indexes]
    return parameters


def create_table_like(
    description: TableDescription,
    table_name: str,
    *,
    client: DynamoDBClient | None = None,
) -> DynamoDBTable:
    """Create an empty table with ``description``'s keys and indexes; wait until it is active.

    The new table is on-demand, with the stream setting of the original (if any).

    Raises:
        ServiceError: ``CreateTable`` failed (e.g. the name is taken).
    """
    dynamodb = client or cast("DynamoDBClient", aws.client("dynamodb"))
    parameters = _creation_parameters(description, table_name=table_name)
    if description.local_indexes:
        parameters["LocalSecondaryIndexes"] = [
            {
                "IndexName": ix.name,
                "KeySchema": _key_schema(ix.key_schema),
                "Projection": {"ProjectionType": ix.projection_type}
                | (
                    {"NonKeyAttributes": list(ix.non_key_attributes)}
                    if ix.non_key_attributes
                    else {}
                ),
            }
            for ix in description.local_indexes
        ]
    if description.stream_view_type:
        parameters["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": description.stream_view_type,
        }
    from botocore.exceptions import ClientError

    try:
        dynamodb.create_table(**parameters)
        dynamodb.get_waiter("table_exists").wait(
            TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
        )
    except ClientError as exc:
        raise aws.translate(exc, "CreateTable") from exc
    return DynamoDBTable(table_name, client=dynamodb)


@attrs.frozen(kw_only=True)
class NativeExport:
    """A native (``ExportTableToPointInTime``) export, as DynamoDB describes it.

    Attributes:
        arn: The export's ARN.
        status: ``IN_PROGRESS``, ``COMPLETED`` or ``FAILED``.
        folder: The export's folder (from ``ExportManifest``), once known.
        item_count: Items exported, once complete.
        failure: The failure code and message, if it failed.
    """

    arn: str
    status: str
    folder: str = ""
    item_count: int = 0
    failure: str = ""


def _native(description: dict[str, Any]) -> NativeExport:
    manifest = str(description.get("ExportManifest") or "")
    return NativeExport(
        arn=description["ExportArn"],
        status=description.get("ExportStatus", "IN_PROGRESS"),
        folder=manifest.rsplit("/", 1)[0] + "/" if manifest else "",
        item_count=int(description.get("ItemCount") or 0),
        failure=" ".join(
            str(description[k]) for k in ("FailureCode", "FailureMessage") if description.get(k)
        ),
    )


def start_native_export(
    table_arn: str, bucket: str, prefix: str, *, client: DynamoDBClient | None = None
) -> NativeExport:
    """Start ``ExportTableToPointInTime`` (DYNAMODB_JSON, full export) into ``bucket/prefix``.

    The table needs point-in-time recovery on. DynamoDB writes the same layout as our exports,
    manifest included, so :func:`~.verify.verify_export` checks the result.
    """
    dynamodb = client or cast("DynamoDBClient", aws.client("dynamodb"))
    from botocore.exceptions import ClientError

    try:
        response = dynamodb.export_table_to_point_in_time(
            TableArn=table_arn, S3Bucket=bucket, S3Prefix=prefix, ExportFormat="DYNAMODB_JSON"
        )
    except ClientError as exc:
        raise aws.translate(exc, "ExportTableToPointInTime") from exc
    return _native(cast("dict[str, Any]", response["ExportDescription"]))


def describe_native_export(
    export_arn: str, *, client: DynamoDBClient | None = None
) -> NativeExport:
    """Return a native export's current state (``DescribeExport``)."""
    dynamodb = client or cast("DynamoDBClient", aws.client("dynamodb"))
    from botocore.exceptions import ClientError

    try:
        found = dynamodb.describe_export(ExportArn=export_arn)["ExportDescription"]
    except ClientError as exc:
        raise aws.translate(exc, "DescribeExport") from exc
    return _native(cast("dict[str, Any]", found))


def wait_for_native_export(
    export_arn: str,
    *,
    client: DynamoDBClient | None = None,
    poll: Callable[[float], None] = time.sleep,
    interval: float = 30.0,
    attempts: int = 240,
) -> NativeExport:
    """Wait until the export is no longer in progress; return its final description.

    Raises:
        BackupError: it failed, or was still in progress after ``attempts`` polls.
    """
    dynamodb = client or cast("DynamoDBClient", aws.client("dynamodb"))
    for _ in range(attempts):
        export = describe_native_export(export_arn, client=dynamodb)
        if export.status == "FAILED":
            raise BackupError(f"native export {export_arn} failed: {export.failure}")
        if export.status == "COMPLETED":
            return export
        poll(interval)
    raise BackupError(f"native export {export_arn} still in progress after {attempts} polls")


def import_table(
    bucket: str,
    folder: str,
    description: TableDescription,
    table_name: str,
    *,
    client: DynamoDBClient | None = None,
    poll: Callable[[float], None] = time.sleep,
    interval: float = 20.0,
    attempts: int = 360,
) -> int:
    """Load an export into a **new** table with ``ImportTable``; return the items imported.

    DynamoDB reads every object under ``<folder>data/`` (gzip DynamoDB JSON); the manifests are
    outside that prefix, so they are not mistaken for data. ImportTable cannot load into an
    existing table; use :func:`~.restore.restore_export` for that.

    Raises:
        BackupError: the import failed or did not finish in time.
    """
    dynamodb = client or cast("DynamoDBClient", aws.client("dynamodb"))
    from botocore.exceptions import ClientError

    creation = _creation_parameters(description, table_name=table_name)
    try:
        started = dynamodb.import_table(
            S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": folder + DATA_FOLDER},
            InputFormat="DYNAMODB_JSON",
            InputCompressionType="GZIP",
            TableCreationParameters=creation,  # type: ignore[arg-type]  # built as CreateTable's shape
        )
    except ClientError as exc:
        raise aws.translate(exc, "ImportTable") from exc
    arn = started["ImportTableDescription"]["ImportArn"]
    for _ in range(attempts):
        found = dynamodb.describe_import(ImportArn=arn)["ImportTableDescription"]
        status = found.get("ImportStatus")
        if status == "COMPLETED":
            return int(found.get("ImportedItemCount", 0))
        if status in ("FAILED", "CANCELLED", "CANCELLING"):
            raise BackupError(
                f"ImportTable {arn} {status}: {found.get('FailureCode', '')} "
                f"{found.get('FailureMessage', '')}".strip()
            )
        poll(interval)
    raise BackupError(f"ImportTable {arn} still in progress after {attempts} polls")
