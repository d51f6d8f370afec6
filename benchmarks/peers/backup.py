"""Peer of reference_handlers.backup: the scheduled table backup, the usual Powertools way.

A paginated ``Scan`` written as gzip JSON lines to S3 with a manifest, the outcome published to
SNS, and a ``BackupsCompleted`` metric for the "missing backup" alarm.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-backup")
metrics = Metrics(namespace="feedback-core", service="feedback-backup")
dynamodb = boto3.client("dynamodb")
s3 = boto3.client("s3")
sns = boto3.client("sns")
TABLE, BUCKET = os.environ["BACKUP_TABLE"], os.environ["BACKUP_BUCKET"]
PREFIX = os.environ.get("BACKUP_PREFIX", f"backups/{TABLE}")


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    export = f"{PREFIX}/{datetime.now(UTC):%Y-%m-%dT%H%M%SZ}"
    buffer, items = io.BytesIO(), 0
    try:
        with gzip.GzipFile(fileobj=buffer, mode="wb") as out:
            for page in dynamodb.get_paginator("scan").paginate(TableName=TABLE):
                for item in page["Items"]:
                    out.write(json.dumps({"Item": item}).encode() + b"\n")
                    items += 1
        data = buffer.getvalue()
        s3.put_object(Bucket=BUCKET, Key=f"{export}/data/part-0.json.gz", Body=data)
        manifest = {"table": TABLE, "items": items, "sha256": hashlib.sha256(data).hexdigest()}
        s3.put_object(Bucket=BUCKET, Key=f"{export}/manifest.json", Body=json.dumps(manifest))
    except Exception:
        sns.publish(TopicArn=os.environ["BACKUP_TOPIC_ARN"], Message=f"backup of {TABLE} failed")
        raise
    report = {"status": "complete", "export": export, "items": items}
    sns.publish(TopicArn=os.environ["BACKUP_TOPIC_ARN"], Message=json.dumps(report))
    metrics.add_metric(name="BackupsCompleted", unit=MetricUnit.Count, value=1)
    return report
