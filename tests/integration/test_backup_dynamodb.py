"""Backups on moto: a round trip equal item for item, AWS's batch limits, throttling, S3 parts.

Moto differs from AWS in ways these tests do not rely on: it accepts 26-item batch writes (we
count the items of every BatchWriteItem call instead), it never leaves items unprocessed and
never throttles (we answer those calls as AWS does, before moto sees them), and its
ExportTableToPointInTime writes one data file and no manifest at all, and its ImportTable
parser drops some valid lines (see the ImportTable test).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from feedback_core.aws import Backoff
from feedback_core.backup.dynamodb import (
    DynamoDBTable,
    create_table_like,
    import_table,
    start_native_export,
    wait_for_native_export,
)
from feedback_core.backup.export import ExportOptions, export_table
from feedback_core.backup.restore import restore_export
from feedback_core.backup.s3 import S3ObjectStore
from feedback_core.backup.verify import verify_export
from tests.unit.backup.tables import SURVEYS, every_type_item

BUCKET = "backup-integration"


@pytest.fixture
def table() -> Iterator[DynamoDBTable]:
    """The survey responses table with 140 items of every type, and the backup bucket."""
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        created = create_table_like(SURVEYS, SURVEYS.name)
        for start in range(0, 140, 25):
            created.write_batch([every_type_item(n) for n in range(start, min(start + 25, 140))])
        yield created


def all_items(name: str) -> list[dict[str, Any]]:
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=name)
    items = [item for page in pages for item in page["Items"]]
    return sorted(items, key=lambda i: (i["surveyId"]["S"], i["responseId"]["S"]))


class AnswerAsAws:
    """Answers chosen calls of a client the way AWS would, before moto sees them."""

    def __init__(self, client: Any, operation: str, answers: list[tuple[int, Any]]):
        self.answers = answers
        self.requests: list[dict[str, Any]] = []
        client.meta.events.register(f"before-parameter-build.*.{operation}", self.record)
        client.meta.events.register(f"before-call.*.{operation}", self)

    def record(self, params: dict[str, Any], **_: Any) -> None:
        self.requests.append(dict(params))

    def __call__(self, **_: Any) -> Any:
        if not self.answers:
            return None  # let moto answer
        status, body = self.answers.pop(0)
        return (_Http(status), body(self.requests[-1]) if callable(body) else body)


class _Http:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict[str, str] = {}


def test_export_verify_restore_round_trip_is_exact(table: DynamoDBTable) -> None:
    """Every attribute type, 38-digit numbers included, comes back item for item."""
    store = S3ObjectStore(BUCKET)
    result = export_table(table, store, ExportOptions(prefix="p", workers=2, segments=3))
    assert verify_export(store, result.folder).ok
    assert result.summary is not None
    assert result.summary.table is not None
    restored = create_table_like(result.summary.table, "survey-responses-restored")
    restore_export(store, result.folder, restored)
    assert all_items(SURVEYS.name) == all_items("survey-responses-restored")
    restored_numbers = {i["big"]["N"] for i in all_items("survey-responses-restored")}
    assert {str(10**37 + n) for n in range(140)} == restored_numbers


def test_no_batch_write_call_carries_more_than_25_items(table: DynamoDBTable) -> None:
    """Every BatchWriteItem request holds at most 25 puts (AWS's limit; moto takes more)."""
    store = S3ObjectStore(BUCKET)
    result = export_table(table, store, ExportOptions(segments=1))
    target = create_table_like(SURVEYS, "survey-responses-batches")
    counter = AnswerAsAws(target.client, "BatchWriteItem", [])
    restore_export(store, result.folder, target)
    sizes = [len(r["RequestItems"]["survey-responses-batches"]) for r in counter.requests]
    assert 140 == sum(sizes)
    assert 25 == max(sizes)


def test_unprocessed_items_in_aws_shape_are_sent_again(table: DynamoDBTable) -> None:
    """A BatchWriteItem answered with UnprocessedItems (as AWS throttles) is retried."""
    store = S3ObjectStore(BUCKET)
    result = export_table(table, store, ExportOptions(segments=1))
    target = create_table_like(SURVEYS, "survey-responses-throttled")

    # AWS throttling a whole call: every put comes back in UnprocessedItems.
    def unprocessed(request: dict[str, Any]) -> dict[str, Any]:
        return {"UnprocessedItems": request["RequestItems"]}

    calls = AnswerAsAws(target.client, "BatchWriteItem", [(200, unprocessed)] * 2)
    outcome = restore_export(
        store, result.folder, target, workers=1, backoff=Backoff(attempts=5, sleep=lambda _: None)
    )
    assert 50 == outcome.retried_items
    assert len(calls.requests) == outcome.write_calls
    assert all_items(SURVEYS.name) == all_items("survey-responses-throttled")


def test_a_throttled_scan_is_retried(table: DynamoDBTable) -> None:
    """ProvisionedThroughputExceededException on a Scan is retried with backoff."""
    waits: list[float] = []
    throttled = DynamoDBTable(
        SURVEYS.name, client=table.client, backoff=Backoff(attempts=4, sleep=waits.append)
    )
    error = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}
    AnswerAsAws(table.client, "Scan", [(400, error), (400, error)])
    result = export_table(throttled, S3ObjectStore(BUCKET), ExportOptions(segments=1))
    assert (140, 2) == (result.item_count, len(waits))


def test_import_table_loads_an_export_into_a_new_table(table: DynamoDBTable) -> None:
    """ImportTable reads the export's data/ folder (gzip DynamoDB JSON) into a new table.

    Moto's ImportTable parser drops lines holding an escaped quote, ``true`` or an empty map
    (AWS reads them), so this table holds strings, numbers, binaries and sets only.
    """
    simple = create_table_like(SURVEYS, "survey-simple")
    keep = ("surveyId", "responseId", "big", "tiny", "blob", "numbers", "words")
    simple.write_batch([{k: every_type_item(n)[k] for k in keep} for n in range(20)])
    store = S3ObjectStore(BUCKET)
    result = export_table(simple, store, ExportOptions(segments=2))
    assert result.summary is not None
    assert result.summary.table is not None
    # moto runs the import on a background thread, as AWS runs it asynchronously: wait between
    # polls (a short real sleep) rather than spinning through every attempt while it works.
    count = import_table(
        BUCKET,
        result.folder,
        result.summary.table,
        "survey-imported",
        poll=lambda _: time.sleep(0.05),
        attempts=1200,
    )
    assert 20 == count
    assert all_items("survey-simple") == all_items("survey-imported")


def test_a_large_part_goes_up_in_multipart_parts(table: DynamoDBTable) -> None:
    """A part bigger than one upload part is sent with a multipart upload."""
    store = S3ObjectStore(BUCKET, part_bytes=5 * 2**20)
    calls = AnswerAsAws(store.client, "UploadPart", [])
    writer = store.open("big.gz")
    writer.write(bytes(6 * 2**20))
    writer.write(b"tail")
    writer.commit()
    assert 2 == len(calls.requests)
    assert 6 * 2**20 + 4 == store.info("big.gz").size  # type: ignore[union-attr]


def test_a_failed_multipart_upload_is_aborted(table: DynamoDBTable) -> None:
    """If completing fails, the upload is aborted: no object, no upload left behind."""
    store = S3ObjectStore(BUCKET, part_bytes=5 * 2**20, backoff=Backoff(attempts=1))
    error = {"Error": {"Code": "InternalError", "Message": "boom"}}
    AnswerAsAws(store.client, "CompleteMultipartUpload", [(500, error)])
    writer = store.open("broken.gz")
    writer.write(bytes(5 * 2**20 + 1))
    with pytest.raises(Exception, match="CompleteMultipartUpload"):
        writer.commit()
    assert store.info("broken.gz") is None
    assert [] == store.client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])


def test_native_export_starts_and_completes_on_moto(table: DynamoDBTable) -> None:
    """ExportTableToPointInTime runs; moto writes no manifest, so verify says so (AWS does)."""
    client = table.client
    client.update_continuous_backups(
        TableName=SURVEYS.name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    arn = table.describe().arn
    started = start_native_export(arn, BUCKET, "native", client=client)
    # Moto runs the export on a background thread: wait between polls (a short real sleep), as
    # a caller waits for AWS, rather than spinning through every attempt while it works.
    finished = wait_for_native_export(
        started.arn, client=client, poll=lambda _: time.sleep(0.05), attempts=1200
    )
    assert ("COMPLETED", 140) == (finished.status, finished.item_count)
    # Moto gives no ExportManifest; AWS names the manifest-summary.json verify reads.
    assert "" == finished.folder
