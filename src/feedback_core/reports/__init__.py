"""Scheduled reports: the daily survey report and poll result snapshots, without a table scan.

- :func:`build_survey_report` counts one survey's day (pure); :class:`DailyReport` is the
  report, rendered by :func:`report_json`, :func:`report_csv` and :func:`report_html`.
- :func:`survey_activity` and :func:`poll_activity` are projections the stream aggregators add,
  so the surveys answered and the polls voted in on a day are one counter-group read away;
  :func:`with_activity` adds both to a table's projection.
- Ports (:mod:`~feedback_core.reports.ports`): :class:`ResponseSource` (``bySurveyDay``
  index), :class:`ObjectStore` (S3), :class:`Notifier` (SNS); in-memory adapters in
  :mod:`~feedback_core.reports.memory`.

The use cases are :class:`feedback_core.usecases.reports.DailyReportService` and
:class:`~feedback_core.usecases.reports.SnapshotService`. Importing this package does not
import boto3.
"""

from feedback_core.reports.activity import (
    poll_activity,
    polls_group,
    survey_activity,
    surveys_group,
    with_activity,
)
from feedback_core.reports.memory import (
    InMemoryNotifier,
    InMemoryObjectStore,
    InMemoryResponseSource,
)
from feedback_core.reports.model import (
    SCHEMA_VERSION,
    DailyReport,
    DayWindow,
    QuestionReport,
    Response,
    SurveyDayReport,
    build_survey_report,
)
from feedback_core.reports.ports import Notifier, ObjectStore, ResponseSource
from feedback_core.reports.render import report_csv, report_html, report_json
from feedback_core.reports.snapshots import nearest, snapshot_key

__all__ = [
    "SCHEMA_VERSION",
    "DailyReport",
    "DayWindow",
    "InMemoryNotifier",
    "InMemoryObjectStore",
    "InMemoryResponseSource",
    "Notifier",
    "ObjectStore",
    "QuestionReport",
    "Response",
    "ResponseSource",
    "SurveyDayReport",
    "build_survey_report",
    "nearest",
    "poll_activity",
    "polls_group",
    "report_csv",
    "report_html",
    "report_json",
    "snapshot_key",
    "survey_activity",
    "surveys_group",
    "with_activity",
]
