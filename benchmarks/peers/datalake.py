"""Peer of reference_handlers.datalake: a table stream into the S3 data lake, Powertools style.

``BatchProcessor`` on the stream (partial batch failures reported), and one JSON object per
record under a Hive partition ``table=.../dt=YYYY-MM-DD/``: the "one object per record" way
that ``bench_datalake.py`` compares with.
"""

from __future__ import annotations

import json
import os
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

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="datalake")
metrics = Metrics(namespace="FeedbackCore", service="datalake")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
s3 = boto3.client("s3")
BUCKET, TABLE = os.environ["LAKE_BUCKET"], os.environ["LAKE_TABLE"]


def record_handler(record: DynamoDBRecord) -> None:
    change = record.dynamodb
    if change is None:
        return
    when = datetime.fromtimestamp(int(change.approximate_creation_date_time or 0), UTC)
    row = {
        "event": record.event_name.name if record.event_name else None,
        **(change.new_image or change.old_image or {}),
    }
    key = f"table={TABLE}/dt={when:%Y-%m-%d}/{record.event_id}.json"
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(row, default=str).encode())
    metrics.add_metric(name="LakeObjects", unit=MetricUnit.Count, value=1)


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
