"""Scheduled reports as use cases: the daily survey report, and poll result snapshots.

:class:`DailyReportService` finds the surveys answered in a day from the activity counters
(:mod:`feedback_core.reports.activity`), reads each one's responses through the ``bySurveyDay``
index, stores JSON, CSV and HTML at ``reports/daily/YYYY/MM/DD/`` and notifies with a summary
and a short-lived link; a failure is notified too, then raised. :class:`SnapshotService` writes
every active poll's results (from the read model) to one object per poll and time, and finds the
snapshot nearest a time. Neither scans a table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Final, Self

import attrs
import orjson

from feedback_core import config as env
from feedback_core.reports.activity import POLL_PREFIX, SURVEY_PREFIX, polls_group, surveys_group
from feedback_core.reports.model import DailyReport, DayWindow, build_survey_report, parse_time_zone
from feedback_core.reports.render import report_csv, report_html, report_json
from feedback_core.reports.snapshots import (
    nearest,
    snapshot_day_prefixes,
    snapshot_key,
    snapshot_time,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from feedback_core.aggregate.ports import CounterStore
    from feedback_core.aggregate.read import PollResults
    from feedback_core.reports.ports import Notifier, ObjectStore, ResponseSource

__all__ = [
    "SNAPSHOT_SCHEMA_VERSION",
    "BuildDailyReport",
    "DailyReportConfig",
    "DailyReportService",
    "PollSnapshot",
    "ReportWritten",
    "SnapshotConfig",
    "SnapshotService",
    "SnapshotsTaken",
]

SNAPSHOT_SCHEMA_VERSION: Final = "feedback-core.poll-snapshot/1"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _active(counters: CounterStore, groups: Iterable[str], prefix: str) -> tuple[str, ...]:
    """Ids listed (with a positive count) in the activity groups, sorted, each once."""
    found: set[str] = set()
    for group in groups:
        for name, item in counters.read_group(group).items.items():
            if name.startswith(prefix) and any(amount > 0 for amount in item.fields.values()):
                found.add(name.removeprefix(prefix))
    return tuple(sorted(found))


@attrs.frozen(kw_only=True)
class DailyReportConfig:
    """The daily report's settings.

    ==========================  ================================================================
    Variable                    Meaning
    ==========================  ================================================================
    ``SURVEY_RESPONSES_TABLE``  The responses table (index ``bySurveyDay``). Required.
    ``COUNTERS_TABLE``          The counters, with the activity counters. Required.
    ``REPORTS_BUCKET``          Where reports go. Required.
    ``REPORTS_TOPIC_ARN``       The SNS topic told of each report and failure. Default none.
    ``REPORT_TIME_ZONE``        IANA zone whose midnight starts a day. Default ``UTC``.
    ``NPS_QUESTIONS``           Question ids on the 0-10 recommend scale.
    ``CSAT_QUESTIONS``          Question ids on a 1-5 satisfaction scale.
    ``FREE_TEXT_QUESTIONS``     Question ids whose answers are free text (counted, not listed).
    ``REPORT_LINK_SECONDS``     Life of the notification's link, 60-43200. Default 3600.
    ``QUERY_PAGE_SIZE``         ``Limit`` of each index Query page. Default none (1 MB pages).
    ==========================  ================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = (
        "SURVEY_RESPONSES_TABLE",
        "COUNTERS_TABLE",
        "REPORTS_BUCKET",
    )
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = (
        "REPORTS_TOPIC_ARN",
        "REPORT_TIME_ZONE",
        "NPS_QUESTIONS",
        "CSAT_QUESTIONS",
        "FREE_TEXT_QUESTIONS",
        "REPORT_LINK_SECONDS",
        "QUERY_PAGE_SIZE",
    )

    responses_table: str
    counters_table: str
    bucket: str
    topic_arn: str | None = None
    time_zone: str = "UTC"
    nps_questions: frozenset[str] = frozenset()
    csat_questions: frozenset[str] = frozenset()
    free_text_questions: frozenset[str] = frozenset()
    link_seconds: int = 3600
    page_size: int | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing name, an unknown time zone, a number out of range.
        """
        zone = env.optional(environ, "REPORT_TIME_ZONE", "UTC") or "UTC"
        try:
            parse_time_zone(zone)
        except env.ConfigurationError as error:
            raise env.ConfigurationError(f"REPORT_TIME_ZONE: {error}") from None
        page_size = env.integer(environ, "QUERY_PAGE_SIZE", default=0, minimum=0)
        return cls(
            responses_table=env.required(environ, "SURVEY_RESPONSES_TABLE"),
            counters_table=env.required(environ, "COUNTERS_TABLE"),
            bucket=env.required(environ, "REPORTS_BUCKET"),
            topic_arn=env.optional(environ, "REPORTS_TOPIC_ARN"),
            time_zone=zone,
            nps_questions=env.names(environ, "NPS_QUESTIONS"),
            csat_questions=env.names(environ, "CSAT_QUESTIONS"),
            free_text_questions=env.names(environ, "FREE_TEXT_QUESTIONS"),
            link_seconds=env.integer(
                environ, "REPORT_LINK_SECONDS", default=3600, minimum=60, maximum=43200
            ),
            page_size=page_size or None,
        )


@attrs.frozen(kw_only=True)
class BuildDailyReport:
    """A command: report ``day`` (in the service's time zone).

    Attributes:
        day: The day.
        surveys: Report these surveys instead of those the activity counters list (for days
            before the activity counters were kept).
        notify: Publish the summary (a backfill usually does not).
    """

    day: date
    surveys: tuple[str, ...] | None = None
    notify: bool = True


@attrs.frozen(kw_only=True)
class ReportWritten:
    """The outcome: the report, where its files are, and the link sent.

    Attributes:
        report: The report.
        json_key: The JSON document's key.
        csv_key: The CSV's key.
        html_key: The HTML summary's key.
        link: The presigned link to the HTML summary.
    """

    report: DailyReport
    json_key: str
    csv_key: str
    html_key: str
    link: str


@attrs.define(kw_only=True)
class DailyReportService:
    """Build, store and announce the daily survey report.

    Args:
        source: The day's responses per survey (the ``bySurveyDay`` index).
        counters: The counters with the activity counters.
        objects: Where the files go.
        notifier: Who is told; ``None`` tells nobody.
        time_zone: The IANA zone whose midnight starts a day.
        nps_questions: Questions on the 0-10 recommend scale.
        csat_questions: Questions on a 1-5 satisfaction scale.
        free_text_questions: Questions answered in free text.
        link_seconds: Life of the notification's link.
        clock: Now (UTC), for ``generatedAt`` and "yesterday".
    """

    source: ResponseSource
    counters: CounterStore
    objects: ObjectStore
    notifier: Notifier | None = None
    time_zone: str = "UTC"
    nps_questions: frozenset[str] = frozenset()
    csat_questions: frozenset[str] = frozenset()
    free_text_questions: frozenset[str] = frozenset()
    link_seconds: int = 3600
    clock: Callable[[], datetime] = _utc_now

    @classmethod
    def from_config(cls, config: DailyReportConfig) -> DailyReportService:
        """Build the service a handler uses, on DynamoDB, S3 and SNS."""
        from feedback_core.aggregate.dynamodb import DynamoDBCounterStore
        from feedback_core.reports.dynamodb import DynamoDBResponseSource
        from feedback_core.reports.s3 import S3ObjectStore
        from feedback_core.reports.sns import SnsNotifier

        return cls(
            source=DynamoDBResponseSource(
                table_name=config.responses_table, page_size=config.page_size
            ),
            counters=DynamoDBCounterStore(table_name=config.counters_table),
            objects=S3ObjectStore(bucket=config.bucket),
            notifier=None if config.topic_arn is None else SnsNotifier(topic_arn=config.topic_arn),
            time_zone=config.time_zone,
            nps_questions=config.nps_questions,
            csat_questions=config.csat_questions,
            free_text_questions=config.free_text_questions,
            link_seconds=config.link_seconds,
        )

    def yesterday(self, now: datetime | None = None) -> date:
        """The day before ``now`` (default: the clock) in the service's time zone."""
        moment = (now or self.clock()).astimezone(parse_time_zone(self.time_zone))
        return moment.date() - timedelta(days=1)

    def active_surveys(self, window: DayWindow) -> tuple[str, ...]:
        """The surveys with responses in the window, from the activity counters (no scan).

        Raises:
            ServiceError: the counters could not be read.
        """
        return _active(
            self.counters, (surveys_group(day) for day in window.utc_days()), SURVEY_PREFIX
        )

    def build(self, command: BuildDailyReport) -> DailyReport:
        """Count the day's responses per survey (one paginated index query per survey).

        Raises:
            ServiceError: a table could not be read.
        """
        window = DayWindow(day=command.day, time_zone=self.time_zone)
        surveys = command.surveys if command.surveys is not None else self.active_surveys(window)
        read_before = self.source.items_read
        reports = [
            build_survey_report(
                survey_id,
                self.source.responses(survey_id, start=window.start, end=window.end),
                nps_questions=self.nps_questions,
                csat_questions=self.csat_questions,
                free_text_questions=self.free_text_questions,
            )
            for survey_id in sorted(set(surveys))
        ]
        return DailyReport(
            window=window,
            generated_at=_stamp(self.clock()),
            surveys=tuple(r for r in reports if r.responses),
            items_read=self.source.items_read - read_before,
        )

    def run(self, command: BuildDailyReport) -> ReportWritten:
        """Build the report, store its three files, and notify (when asked) with a link.

        A failure is notified (when asked) and raised, so the scheduler sees it too.

        Raises:
            FeedbackCoreError: a table, the bucket or the topic failed.
        """
        try:
            written = self._write(self.build(command))
        except Exception as error:
            if command.notify and self.notifier is not None:
                self.notifier.publish(
                    subject=f"FAILED: daily survey report {command.day}",
                    message=f"The daily survey report for {command.day} failed: {error}",
                )
            raise
        if command.notify and self.notifier is not None:
            lines = written.report.summary_lines()
            lines += ["", f"Summary (link valid {self.link_seconds} s): {written.link}"]
            lines += [f"JSON: {written.json_key}", f"CSV: {written.csv_key}"]
            self.notifier.publish(subject=lines[0][:100], message="\n".join(lines))
        return written

    def _write(self, report: DailyReport) -> ReportWritten:
        prefix = report.window.key_prefix()
        files = {
            "report.json": (report_json(report), "application/json"),
            "report.csv": (report_csv(report), "text/csv; charset=utf-8"),
            "index.html": (report_html(report), "text/html; charset=utf-8"),
        }
        for name, (body, content_type) in files.items():
            self.objects.put(prefix + name, body, content_type=content_type)
        html_key = prefix + "index.html"
        return ReportWritten(
            report=report,
            json_key=prefix + "report.json",
            csv_key=prefix + "report.csv",
            html_key=html_key,
            link=self.objects.link(html_key, expires_in=self.link_seconds),
        )


@attrs.frozen(kw_only=True)
class SnapshotConfig:
    """The snapshot job's settings.

    ========================  ==================================================================
    Variable                  Meaning
    ========================  ==================================================================
    ``COUNTERS_TABLE``        The counters, with the activity counters. Required.
    ``REPORTS_BUCKET``        Where snapshots go. Required.
    ``SNAPSHOT_ACTIVE_DAYS``  A poll is active if voted in on one of the last N UTC days
                              (today included), 1-31. Default 2.
    ========================  ==================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("COUNTERS_TABLE", "REPORTS_BUCKET")
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ("SNAPSHOT_ACTIVE_DAYS",)

    counters_table: str
    bucket: str
    active_days: int = 2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing name, a number out of range.
        """
        return cls(
            counters_table=env.required(environ, "COUNTERS_TABLE"),
            bucket=env.required(environ, "REPORTS_BUCKET"),
            active_days=env.integer(
                environ, "SNAPSHOT_ACTIVE_DAYS", default=2, minimum=1, maximum=31
            ),
        )


@attrs.frozen(kw_only=True)
class SnapshotsTaken:
    """The outcome of one snapshot run.

    Attributes:
        taken_at: The time in every key (UTC, ISO-8601).
        keys: One object per active poll.
    """

    taken_at: str
    keys: tuple[str, ...]


@attrs.frozen(kw_only=True)
class PollSnapshot:
    """A stored snapshot of one poll's results.

    Attributes:
        key: Where it is.
        taken_at: When it was taken (UTC, ISO-8601).
        results: The poll's results then.
    """

    key: str
    taken_at: str
    results: PollResults

    def to_json(self) -> dict[str, object]:
        """Return the stored JSON shape."""
        return {
            "schema": SNAPSHOT_SCHEMA_VERSION,
            "takenAt": self.taken_at,
            "results": self.results.to_json(),
        }


def _poll_results(shape: Mapping[str, object]) -> PollResults:
    from feedback_core.aggregate.read import ChoiceTally, PollResults

    choices = shape["choices"]
    assert isinstance(choices, list)
    return PollResults(
        poll_id=str(shape["pollId"]),
        total_votes=int(str(shape["totalVotes"])),
        choices=tuple(
            ChoiceTally(
                choice=str(c["choice"]),
                votes=int(c["votes"]),
                percentage=Decimal(str(c["percentage"])).quantize(Decimal("0.01")),
            )
            for c in choices
        ),
        updated_at=None if shape.get("updatedAt") is None else str(shape["updatedAt"]),
    )


@attrs.define(kw_only=True)
class SnapshotService:
    """Snapshots of every active poll's results, one object per poll and time.

    Args:
        counters: The counters (poll tallies and the activity counters).
        objects: Where snapshots go.
        active_days: A poll is active if voted in on one of the last N UTC days.
        clock: Now (UTC).
    """

    counters: CounterStore
    objects: ObjectStore
    active_days: int = 2
    clock: Callable[[], datetime] = _utc_now

    @classmethod
    def from_config(cls, config: SnapshotConfig) -> SnapshotService:
        """Build the service a handler uses, on DynamoDB and S3."""
        from feedback_core.aggregate.dynamodb import DynamoDBCounterStore
        from feedback_core.reports.s3 import S3ObjectStore

        return cls(
            counters=DynamoDBCounterStore(table_name=config.counters_table),
            objects=S3ObjectStore(bucket=config.bucket),
            active_days=config.active_days,
        )

    def active_polls(self, now: datetime) -> tuple[str, ...]:
        """The polls voted in on the last ``active_days`` UTC days (activity counters, no scan)."""
        today = now.astimezone(UTC).date()
        days = (today - timedelta(days=back) for back in range(self.active_days))
        return _active(self.counters, (polls_group(d.isoformat()) for d in days), POLL_PREFIX)

    def take(self) -> SnapshotsTaken:
        """Write every active poll's results now; a rerun in the same second overwrites.

        Raises:
            ServiceError: the counters or the bucket failed.
        """
        from feedback_core.aggregate.read import poll_results

        now = self.clock().replace(microsecond=0)
        keys = []
        for poll_id in self.active_polls(now):
            snapshot = PollSnapshot(
                key=snapshot_key(poll_id, now),
                taken_at=_stamp(now),
                results=poll_results(self.counters, poll_id),
            )
            self.objects.put(
                snapshot.key, orjson.dumps(snapshot.to_json()), content_type="application/json"
            )
            keys.append(snapshot.key)
        return SnapshotsTaken(taken_at=_stamp(now), keys=tuple(keys))

    def nearest(self, poll_id: str, at: datetime) -> PollSnapshot | None:
        """The snapshot of ``poll_id`` nearest ``at`` (within the day either side), if any.

        Raises:
            ServiceError: the bucket failed.
        """
        keys = (
            k for prefix in snapshot_day_prefixes(poll_id, at) for k in self.objects.keys(prefix)
        )
        key = nearest(keys, at)
        if key is None:
            return None
        body = self.objects.get(key)
        taken = snapshot_time(key)
        if body is None or taken is None:
            return None
        shape = orjson.loads(body)
        return PollSnapshot(
            key=key, taken_at=_stamp(taken), results=_poll_results(shape["results"])
        )
