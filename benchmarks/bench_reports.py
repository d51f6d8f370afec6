"""Items read for one daily survey report: ours (index queries) against the usual full scan.

Peer: the usual daily job, a ``Scan`` of the whole responses table with a ``FilterExpression``
on the day, followed to the last page (DynamoDB charges for every item scanned, filtered out or
not). Ours: ``DailyReportService.build``, which reads the day's activity counters (one Query)
and then the day's responses of each active survey through the ``bySurveyDay`` index (one
paginated Query per survey). Both run against moto in the same process on the same table: 30
days of responses to 5 surveys, a report for one day. Items are counted from the responses
(``ScannedCount`` for the scan; every item a Query returned for ours, counter items included);
requests with botocore's ``before-send`` event. The ratio of items read is what transfers to
AWS: read capacity grows with it, and the scan's grows with the table's age.

Run: python benchmarks/bench_reports.py [--days N] [--per-day N]
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

DAY = date(2026, 11, 15)
SURVEYS = ("nps", "csat", "onboarding", "exit", "pulse")


class RequestCounter:
    """Counts HTTP requests a client sends (botocore ``before-send``, retries included)."""

    def __init__(self, client: object) -> None:
        self.count = 0
        client.meta.events.register("before-send.dynamodb", self._count)  # type: ignore[attr-defined]  # a boto3 client

    def _count(self, **_: object) -> None:
        self.count += 1


def load_activity(client: DynamoDBClient, items: list[dict[str, object]]) -> None:
    """The activity counters, as the survey-responses stream aggregator keeps them."""
    from feedback_core.aggregate import (
        Commit,
        CounterUpdate,
        DynamoDBCounterStore,
        MarkerKey,
        Position,
        recount,
    )
    from feedback_core.reports import survey_activity

    deltas = recount(items, survey_activity())  # type: ignore[arg-type]  # plain values
    store = DynamoDBCounterStore(table_name="counters", client=client)
    updates = tuple(CounterUpdate(key=k, deltas=f) for k, f in deltas.counters.items())
    for start in range(0, len(updates), 90):
        store.commit(
            Commit(
                marker=MarkerKey(consumer="bench", stream="s", origin=f"batch:{start}"),
                expected=None,
                position=Position(sequence=1),
                updates=updates[start : start + 90],
                expires_at=0,
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=100, help="responses per day, all surveys")
    args = parser.parse_args()
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

    import boto3
    from moto import mock_aws

    from feedback_core.aggregate import DynamoDBCounterStore, create_counters_table
    from feedback_core.attributes import to_item
    from feedback_core.reports.dynamodb import DynamoDBResponseSource, create_responses_table
    from feedback_core.reports.memory import InMemoryObjectStore
    from feedback_core.usecases.reports import BuildDailyReport, DailyReportService

    with mock_aws():
        client = boto3.client("dynamodb")
        create_responses_table("responses", client=client)
        create_counters_table("counters", client=client)
        rng = random.Random(1)
        items = []
        first = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC) - timedelta(days=args.days // 2)
        for day in range(args.days):
            for n in range(args.per_day):
                at = first + timedelta(days=day, seconds=rng.randrange(86400))
                items.append(
                    {
                        "surveyId": rng.choice(SURVEYS),
                        "responseId": f"{day}-{n}",
                        "submittedAt": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "submittedDay": at.strftime("%Y-%m-%d"),
                        "answers": {"score": rng.randrange(11), "ok": rng.random() < 0.5},
                    }
                )
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": to_item(i)}} for i in items[start : start + 25]]
            client.batch_write_item(RequestItems={"responses": batch})  # type: ignore[dict-item]  # our AttributeMap is the stubs' shape
        load_activity(client, items)

        # Ours.
        ours_client = boto3.client("dynamodb")
        ours_requests = RequestCounter(ours_client)
        source = DynamoDBResponseSource(table_name="responses", client=ours_client)
        counters = DynamoDBCounterStore(table_name="counters", client=ours_client)
        activity_items = len(counters.read_group(f"activity#surveys#{DAY.isoformat()}").items)
        ours_requests.count = 0
        report = DailyReportService(
            source=source, counters=counters, objects=InMemoryObjectStore()
        ).build(BuildDailyReport(day=DAY))
        ours_items = report.items_read + activity_items

        # The usual: scan everything, filter on the day.
        peer_client = boto3.client("dynamodb")
        peer_requests = RequestCounter(peer_client)
        scanned = matched = 0
        pages = peer_client.get_paginator("scan").paginate(
            TableName="responses",
            FilterExpression="submittedDay = :d",
            ExpressionAttributeValues={":d": {"S": DAY.isoformat()}},
        )
        for page in pages:
            scanned += page["ScannedCount"]
            matched += page["Count"]

    assert matched == report.responses, (matched, report.responses)
    print(f"table: {len(items)} responses over {args.days} days, {len(SURVEYS)} surveys")
    print(f"report for {DAY}: {report.responses} responses in {len(report.surveys)} surveys")
    print("| | items read | requests |")
    print("| --- | ---: | ---: |")
    print(f"| full-table Scan + filter (peer) | {scanned:,} | {peer_requests.count} |")
    print(f"| bySurveyDay queries + activity counters | {ours_items:,} | {ours_requests.count} |")
    print(f"| **ratio peer/ours** | **{scanned / ours_items:.1f}x** | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
