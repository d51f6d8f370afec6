"""``feedback-core report``: rebuild daily reports for past days, and read a poll snapshot.

``feedback-core report daily --from DAY --to DAY`` rebuilds each day's report (the same keys the
scheduled job writes, so a rerun replaces them) and prints one progress line per day; it
notifies nobody unless ``--notify``. Days before the activity counters were kept need
``--survey`` (repeatable) to say which surveys to report.
``feedback-core report snapshot --poll-id P --at TIME`` prints the stored snapshot of the
poll's results nearest TIME. Settings not given as options come from the environment, as the
functions read them (:class:`~feedback_core.usecases.reports.DailyReportConfig`).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import orjson

from feedback_core.errors import FeedbackCoreError

if TYPE_CHECKING:
    import argparse

__all__ = ["register"]

_OPTIONS = {  # option -> the variable it stands for
    "responses_table": "SURVEY_RESPONSES_TABLE",
    "counters_table": "COUNTERS_TABLE",
    "bucket": "REPORTS_BUCKET",
    "topic_arn": "REPORTS_TOPIC_ARN",
    "time_zone": "REPORT_TIME_ZONE",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` command (``daily`` and ``snapshot``) to the ``feedback-core`` parser."""
    parser = commands.add_parser("report", help="rebuild daily reports; read poll snapshots")
    kinds = parser.add_subparsers(dest="report", required=True)
    daily = kinds.add_parser("daily", help="rebuild the daily survey report of each day")
    daily.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
    daily.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
    daily.add_argument("--survey", action="append", help="report this survey (repeatable)")
    daily.add_argument("--notify", action="store_true", help="publish each day's summary")
    daily.add_argument("--page-size", type=int, help="Limit of each index Query page")
    snapshot = kinds.add_parser("snapshot", help="print the poll snapshot nearest a time")
    snapshot.add_argument("--poll-id", required=True)
    snapshot.add_argument("--at", type=datetime.fromisoformat, required=True)
    for each in (daily, snapshot):
        for option, variable in _OPTIONS.items():
            each.add_argument(f"--{option.replace('_', '-')}", help=f"default: ${variable}")
    parser.set_defaults(run=run)


def _environ(args: argparse.Namespace) -> dict[str, str]:
    given = {v: getattr(args, o) for o, v in _OPTIONS.items() if getattr(args, o, None)}
    if getattr(args, "page_size", None):
        given["QUERY_PAGE_SIZE"] = str(args.page_size)
    return {**os.environ, **given}


def run(args: argparse.Namespace) -> int:
    """Run ``report daily`` or ``report snapshot``. Exit 0, 1 if AWS or a setting failed."""
    from feedback_core.usecases.reports import (
        BuildDailyReport,
        DailyReportConfig,
        DailyReportService,
        SnapshotConfig,
        SnapshotService,
    )

    try:
        if args.report == "snapshot":
            at = args.at if args.at.tzinfo else args.at.replace(tzinfo=UTC)
            service = SnapshotService.from_config(SnapshotConfig.from_env(_environ(args)))
            found = service.nearest(args.poll_id, at)
            print(orjson.dumps(None if found is None else found.to_json()).decode())
            return 0 if found is not None else 1
        reports = DailyReportService.from_config(DailyReportConfig.from_env(_environ(args)))
        days = (args.last - args.first).days + 1
        surveys = tuple(args.survey) if args.survey else None
        for index in range(days):
            day = args.first + timedelta(days=index)
            written = reports.run(BuildDailyReport(day=day, surveys=surveys, notify=args.notify))
            report = written.report
            print(
                f"[{index + 1}/{days}] {day}: {len(report.surveys)} surveys, "
                f"{report.responses} responses, {report.items_read} items read -> "
                f"{written.json_key}",
                flush=True,
            )
    except FeedbackCoreError as error:
        print(f"feedback-core report: {error}", file=sys.stderr)
        return 1
    return 0
