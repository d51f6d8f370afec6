"""EventBridge schedule -> yesterday's survey report in S3, announced on SNS (or its failure).

Settings: :class:`feedback_core.usecases.reports.DailyReportConfig` (SURVEY_RESPONSES_TABLE,
COUNTERS_TABLE, REPORTS_BUCKET, REPORTS_TOPIC_ARN, REPORT_TIME_ZONE, ...). The day is the one
before the scheduled event's ``time`` in the report's time zone; an event with ``"day":
"YYYY-MM-DD"`` (a manual invocation) reports that day instead. A failure is notified and raised.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.usecases.reports import (
    BuildDailyReport,
    DailyReportConfig,
    DailyReportService,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-reports")
reports = DailyReportService.from_config(DailyReportConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    """Build, store and announce one day's report."""
    if "day" in event:
        day = date.fromisoformat(str(event["day"]))
    else:
        day = reports.yesterday(datetime.fromisoformat(event["time"]) if "time" in event else None)
    written = reports.run(BuildDailyReport(day=day))
    outcome = {
        "day": day.isoformat(),
        "surveys": len(written.report.surveys),
        "responses": written.report.responses,
        "itemsRead": written.report.items_read,
        "key": written.json_key,
    }
    logger.info("daily report written", extra=outcome)
    return outcome
