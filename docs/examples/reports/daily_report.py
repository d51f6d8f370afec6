"""A daily report and a poll snapshot on the in-memory adapters: the use cases the jobs run."""

from __future__ import annotations

from datetime import UTC, date, datetime

from feedback_core.aggregate import (
    InMemoryCounterStore,
    StreamAggregator,
    combine,
    survey_distribution,
    vote_tally,
)
from feedback_core.reports import (
    InMemoryNotifier,
    InMemoryObjectStore,
    InMemoryResponseSource,
    Response,
    poll_activity,
    survey_activity,
)
from feedback_core.usecases.reports import BuildDailyReport, DailyReportService, SnapshotService

ARN = "arn:aws:dynamodb:us-east-1:1:table/t/stream/s"


def insert(sequence: int, image: dict[str, object]) -> dict[str, object]:
    """One stream record, as Lambda delivers it (INSERT, new image)."""
    change = {"SequenceNumber": str(sequence), "NewImage": image}
    return {"eventName": "INSERT", "eventSourceARN": ARN, "dynamodb": change}


def main() -> tuple[int, str, int]:
    """Count two responses and a vote, report 2026-11-22, snapshot the poll.

    Returns ``(2, 'reports/daily/2026/11/22/report.json', 1)``.
    """
    counters = InMemoryCounterStore()
    # The stream aggregators keep the activity counters beside the usual ones.
    surveys = StreamAggregator(
        projection=combine(survey_distribution(), survey_activity()), store=counters
    )
    polls = StreamAggregator(projection=combine(vote_tally(), poll_activity()), store=counters)
    source = InMemoryResponseSource()
    for n, score in enumerate([9, 6]):
        response = Response(
            survey_id="nps",
            response_id=f"r{n}",
            respondent_id=f"u{n}",
            submitted_at=f"2026-11-22T1{n}:00:00Z",
            answers={"recommend": score},
        )
        source.add(response)  # the responses table, read through bySurveyDay
        image: dict[str, object] = {
            "surveyId": {"S": "nps"},
            "submittedAt": {"S": response.submitted_at},
            "answers": {"M": {"recommend": {"N": str(score)}}},
        }
        surveys.handle({"Records": [insert(n + 1, image)]})
    vote: dict[str, object] = {
        "pollId": {"S": "p1"},
        "choice": {"S": "tabs"},
        "votedAt": {"S": "2026-11-22T09:00Z"},
    }
    polls.handle({"Records": [insert(1, vote)]})

    objects, notifier = InMemoryObjectStore(), InMemoryNotifier()
    reports = DailyReportService(
        source=source,
        counters=counters,
        objects=objects,
        notifier=notifier,
        nps_questions=frozenset({"recommend"}),
    )
    written = reports.run(BuildDailyReport(day=date(2026, 11, 22)))
    snapshots = SnapshotService(
        counters=counters, objects=objects, clock=lambda: datetime(2026, 11, 22, 12, tzinfo=UTC)
    )
    taken = snapshots.take()
    return written.report.responses, written.json_key, len(taken.keys)
