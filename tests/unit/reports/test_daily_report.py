"""The daily report use case and its files, on the in-memory adapters."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import orjson
import pytest

from feedback_core.aggregate import InMemoryCounterStore
from feedback_core.errors import ConfigurationError, ServiceError
from feedback_core.reports import (
    DayWindow,
    InMemoryNotifier,
    InMemoryObjectStore,
    InMemoryResponseSource,
    Response,
)
from feedback_core.usecases.reports import (
    BuildDailyReport,
    DailyReportConfig,
    DailyReportService,
)
from tests.report_data import COMMENTS, load_counters, response_items

DAY = date(2026, 11, 22)


def service(**settings: object) -> DailyReportService:
    """The service over four days of generated responses, in memory."""
    items = response_items(seed=11)
    counters = InMemoryCounterStore()
    load_counters(counters, items)
    responses = [r for r in map(Response.from_item, items) if r is not None]
    defaults: dict[str, object] = {
        "source": InMemoryResponseSource(responses),
        "counters": counters,
        "objects": InMemoryObjectStore(),
        "notifier": InMemoryNotifier(),
        "free_text_questions": frozenset({"comment"}),
        "clock": lambda: datetime(2026, 11, 23, 1, tzinfo=UTC),
    }
    return DailyReportService(**{**defaults, **settings})  # type: ignore[arg-type]  # by name


def test_free_text_is_counted_not_reproduced() -> None:
    """No comment's words appear in the JSON, CSV or HTML; the count of comments does."""
    reports = service()
    written = reports.run(BuildDailyReport(day=DAY))
    objects = reports.objects
    assert isinstance(objects, InMemoryObjectStore)
    bodies = b"".join(body for body, _ in objects.objects.values())
    assert [] == [c for c in COMMENTS if c.encode() in bodies]
    (comment,) = [q for s in written.report.surveys for q in s.questions if q.free_text]
    assert comment.summary.answered > 0


def test_csv_has_a_row_per_answer_and_a_responses_row_per_survey() -> None:
    """The CSV's responses rows add up to the report's responses."""
    reports = service()
    written = reports.run(BuildDailyReport(day=DAY, notify=False))
    body = reports.objects.get(written.csv_key)
    assert body is not None
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    counted = sum(int(r["count"]) for r in rows if r["answer"] == "(responses)")
    assert written.report.responses == counted


def test_html_draws_one_chart_per_listed_question() -> None:
    """Each question with listed answers gets an inline SVG chart; free text gets none."""
    reports = service()
    written = reports.run(BuildDailyReport(day=DAY, notify=False))
    page = reports.objects.get(written.html_key)
    assert page is not None
    listed = sum(1 for s in written.report.surveys for q in s.questions if not q.free_text)
    assert listed == page.count(b"<svg ")


def test_a_rerun_writes_the_same_bytes() -> None:
    """The same day built twice (same clock) gives byte-identical JSON."""
    reports = service()
    first = reports.run(BuildDailyReport(day=DAY, notify=False))
    once = reports.objects.get(first.json_key)
    reports.run(BuildDailyReport(day=DAY, notify=False))
    assert once == reports.objects.get(first.json_key)


def test_the_notification_carries_the_summary_and_the_link() -> None:
    """One message: the day's totals, one line per survey, the HTML link."""
    reports = service()
    written = reports.run(BuildDailyReport(day=DAY))
    notifier = reports.notifier
    assert isinstance(notifier, InMemoryNotifier)
    (sent,) = notifier.sent
    assert written.link in sent.message
    assert f"{written.report.responses} responses" in sent.subject


class _BrokenSource(InMemoryResponseSource):
    def responses(self, survey_id: str, *, start: str, end: str):  # type: ignore[no-untyped-def]  # a failing fake
        raise ServiceError("Query", "InternalServerError", "down")


def test_a_failure_is_notified_and_raised() -> None:
    """A table that fails gives a FAILED notification, and the error still propagates."""
    reports = service(source=_BrokenSource())
    with pytest.raises(ServiceError):
        reports.run(BuildDailyReport(day=DAY))
    notifier = reports.notifier
    assert isinstance(notifier, InMemoryNotifier)
    assert ["FAILED: daily survey report 2026-11-22"] == [n.subject for n in notifier.sent]


def test_the_json_document_names_its_schema_and_window() -> None:
    """The document starts with its schema version, the day and its UTC bounds."""
    written = service().run(BuildDailyReport(day=DAY, notify=False))
    document = orjson.loads(orjson.dumps(written.report.to_json()))
    assert (
        "feedback-core.daily-report/1",
        "2026-11-22",
        "2026-11-22T00:00:00Z",
        "2026-11-23T00:00:00Z",
    ) == (document["schema"], document["day"], document["start"], document["end"])


def test_listed_surveys_replace_the_activity_counters() -> None:
    """A backfill naming its surveys reports those, even with no activity counters kept."""
    reports = service(counters=InMemoryCounterStore())
    report = reports.build(BuildDailyReport(day=DAY, surveys=("nps",)))
    assert ["nps"] == [s.survey_id for s in report.surveys]


def test_a_day_changing_to_winter_time_lasts_25_hours() -> None:
    """In Europe/Paris, 2026-10-25 runs from 22:00 UTC to 23:00 UTC the next day."""
    window = DayWindow(day=date(2026, 10, 25), time_zone="Europe/Paris")
    assert ("2026-10-24T22:00:00", "2026-10-25T23:00:00") == (window.start, window.end)


def test_yesterday_is_in_the_report_time_zone() -> None:
    """At 01:00 UTC on the 23rd it is still the 22nd in New York, so yesterday is the 21st."""
    reports = service(time_zone="America/New_York")
    assert date(2026, 11, 21) == reports.yesterday(datetime(2026, 11, 23, 1, tzinfo=UTC))


def test_an_unknown_time_zone_is_a_configuration_error_naming_the_variable() -> None:
    """REPORT_TIME_ZONE=Mars/Olympus fails at cold start with the variable's name."""
    environ = {
        "SURVEY_RESPONSES_TABLE": "r",
        "COUNTERS_TABLE": "c",
        "REPORTS_BUCKET": "b",
        "REPORT_TIME_ZONE": "Mars/Olympus",
    }
    with pytest.raises(ConfigurationError, match="REPORT_TIME_ZONE"):
        DailyReportConfig.from_env(environ)
