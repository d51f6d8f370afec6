"""The scheduled backup: export a table to S3, verify, prune, tell SNS; carry on when cut short.

Environment: BACKUP_TABLE and BACKUP_BUCKET (required) and the options of
feedback_core.backup.config.BackupConfig (topic, mode, workers, retention, ...). EventBridge
invokes it on a schedule; when an export outlives one invocation, the function invokes itself
with ``{"continue": <exportId>}`` and the export resumes from its progress records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from feedback_core.backup.config import BackupConfig
from feedback_core.backup.job import BackupJob

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-backup")
metrics = Metrics(namespace="feedback-core", service="feedback-backup")
config = BackupConfig.from_env()
job = BackupJob.from_config(config)


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    """Run (or continue) one backup; a failure is published to SNS and raised."""
    report = job.run(event, remaining_ms=context.get_remaining_time_in_millis)
    logger.info("backup run", extra={"report": report})
    # The "missing backup" alarm watches this metric: 1 per completed backup.
    completed = 1 if report["status"] == "complete" else 0
    metrics.add_metric(name="BackupsCompleted", unit=MetricUnit.Count, value=completed)
    return report
