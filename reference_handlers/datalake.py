"""DynamoDB stream -> the data lake: one gzip JSON-lines object per batch and partition.

Wired by templates/datalake.yaml on a table's stream (ReportBatchItemFailures,
ParallelizationFactor 1, no bisecting; docs/datalake.md says why). Settings: DataLakeConfig
(LAKE_BUCKET, LAKE_TABLE: feedback, votes or survey_responses). On any failure the batch's
first record is reported, so the retry starts there and overwrites the same objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from feedback_core.aggregate import decode_event
from feedback_core.datalake import DataLakeConfig

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="datalake")
metrics = Metrics(namespace="FeedbackCore", service="datalake")
config = DataLakeConfig.from_env()
writer = config.writer()  # built once per process, reused by warm invocations


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    """Write the batch; report its first record when any object could not be written."""
    written = writer.write(decode_event(event))
    metrics.add_metric(name="LakeRecords", unit=MetricUnit.Count, value=written.records)
    metrics.add_metric(name="LakeObjects", unit=MetricUnit.Count, value=written.objects)
    metrics.add_metric(name="LakeBytes", unit=MetricUnit.Bytes, value=written.bytes)
    if written.failed_at is not None:
        logger.warning(
            "batch not written; retried from its first record",
            extra={"table": config.table, "resumeAt": written.failed_at},
        )
    return written.response()
