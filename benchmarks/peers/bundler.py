"""Peer of reference_handlers.bundler: S3 notifications via SQS into gzip bundles, Powertools.

``BatchProcessor`` with the parser's S3 notification model in each SQS body, the idempotency
utility on the claims table so each source version is bundled once, and one gzip bundle per
batch under ``YYYY/MM/DD/HH/``.
"""

from __future__ import annotations

import gzip
import io
import os
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.parser.models import S3Model, SqsRecordModel
from pydantic import Json  # noqa: TC002  # pydantic resolves the annotation at run time

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="data-aggregator")
metrics = Metrics(namespace="FeedbackCore", service="data-aggregator")
s3 = boto3.client("s3")
persistence = DynamoDBPersistenceLayer(table_name=os.environ["CLAIMS_TABLE"], key_attr="pk")
idempotency = IdempotencyConfig(event_key_jmespath="[bucket, key, version]")


class S3Notification(SqsRecordModel):
    body: Json[S3Model]  # the parser docs' way to type a JSON body


processor = BatchProcessor(event_type=EventType.SQS, model=S3Notification)
bundle = gzip.GzipFile(fileobj=io.BytesIO(), mode="wb")


@idempotent_function(  # type: ignore[untyped-decorator]  # Powertools leaves it untyped
    data_keyword_argument="source", config=idempotency, persistence_store=persistence
)
def add_source(source: dict[str, str]) -> int:
    body = s3.get_object(Bucket=source["bucket"], Key=source["key"], VersionId=source["version"])
    data = body["Body"].read()
    bundle.write(data if data.endswith(b"\n") else data + b"\n")
    return len(data)


def record_handler(record: S3Notification) -> None:
    for notification in record.body.Records:
        obj = notification.s3.object
        if obj is None:
            continue
        source = {
            "bucket": notification.s3.bucket.name,
            "key": obj.key,
            "version": obj.versionId or "null",
        }
        metrics.add_metric(
            name="BytesBundled", unit=MetricUnit.Bytes, value=add_source(source=source)
        )


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    global bundle  # noqa: PLW0603  # one bundle per batch
    buffer = io.BytesIO()
    bundle = gzip.GzipFile(fileobj=buffer, mode="wb")
    idempotency.register_lambda_context(context)
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    bundle.close()
    prefix = os.environ.get("BUNDLE_PREFIX", "")
    key = f"{prefix}{datetime.now(UTC):%Y/%m/%d/%H}/{uuid.uuid4()}.jsonl.gz"
    s3.put_object(Bucket=os.environ["DISTRIBUTION_BUCKET"], Key=key, Body=buffer.getvalue())
    return response
