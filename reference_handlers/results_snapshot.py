"""EventBridge schedule -> a snapshot of every active poll's results in S3 (one object each).

Settings: :class:`feedback_core.usecases.reports.SnapshotConfig` (COUNTERS_TABLE,
REPORTS_BUCKET, SNAPSHOT_ACTIVE_DAYS). Active polls come from the activity counters the votes
stream aggregator keeps, and each poll's results from the read model: no scan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.usecases.reports import SnapshotConfig, SnapshotService

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-reports")
snapshots = SnapshotService.from_config(SnapshotConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    """Snapshot every active poll now."""
    taken = snapshots.take()
    outcome = {"takenAt": taken.taken_at, "snapshots": len(taken.keys)}
    logger.info("poll snapshots written", extra=outcome)
    return outcome
