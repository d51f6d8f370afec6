"""The daily report on moto: the bySurveyDay index, small pages, S3 files and an SNS message.

Every report is checked against a recount made by hand from a full scan of the table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import boto3
import orjson
import pytest

from feedback_core.aggregate import DynamoDBCounterStore, create_counters_table
from feedback_core.attributes import from_item
from feedback_core.errors import ServiceError
from feedback_core.reports.dynamodb import DynamoDBResponseSource, create_responses_table
from feedback_core.reports.s3 import S3ObjectStore
from feedback_core.reports.sns import SnsNotifier
from feedback_core.usecases.reports import BuildDailyReport, DailyReportService
from tests.report_data import (
    EMPTY_DAY,
    load_counters,
    put_items,
    recount_day,
    response_items,
)

if TYPE_CHECKING:
    from feedback_core.attributes import Value

pytestmark = pytest.mark.usefixtures("aws")

RESPONSES, COUNTERS, BUCKET = "survey-responses-test", "counters-test", "reports-test"
PAGE = 2  # forces several Query pages per survey and day
DAYS = ("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23")


@pytest.fixture
def items() -> list[dict[str, Value]]:
    """Four days of responses to three surveys in the table, counters loaded, a bucket."""
    client = boto3.client("dynamodb")
    create_responses_table(RESPONSES, client=client)
    create_counters_table(COUNTERS, client=client)
    generated = response_items(seed=3)
    put_items(client, RESPONSES, generated)
    load_counters(DynamoDBCounterStore(table_name=COUNTERS, client=client), generated)
    boto3.client("s3").create_bucket(Bucket=BUCKET)
    # The expected values come from a full scan, not from the generator.
    return [
        from_item(item)  # type: ignore[arg-type]  # the stubs' shape is our AttributeMap
        for page in client.get_paginator("scan").paginate(TableName=RESPONSES)
        for item in page["Items"]
    ]


def service(**settings: object) -> tuple[DailyReportService, DynamoDBResponseSource]:
    """The report service on moto, with small Query pages."""
    source = DynamoDBResponseSource(table_name=RESPONSES, page_size=PAGE)
    built = DailyReportService(
        source=source,
        counters=DynamoDBCounterStore(table_name=COUNTERS),
        objects=S3ObjectStore(bucket=BUCKET),
        nps_questions=frozenset({"recommend"}),
        csat_questions=frozenset({"satisfaction"}),
        free_text_questions=frozenset({"comment"}),
        clock=lambda: datetime(2026, 11, 24, 1, tzinfo=UTC),
        **settings,  # type: ignore[arg-type]  # test settings by name
    )
    return built, source


def _answer(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


@pytest.mark.parametrize("day", DAYS)
def test_report_equals_a_recount_from_the_table(items: list[dict[str, Value]], day: str) -> None:
    """Every survey's count, respondents, first/last and distributions match a hand recount."""
    reports, _ = service()
    report = reports.build(BuildDailyReport(day=date.fromisoformat(day))).to_json()
    expected = recount_day(items, day)
    surveys = report["surveys"]
    assert isinstance(surveys, list)
    assert sorted(expected) == [s["surveyId"] for s in surveys]  # type: ignore[index,call-overload]  # JSON
    for survey in surveys:
        assert isinstance(survey, dict)
        counted = expected[str(survey["surveyId"])]
        assert counted["responses"] == survey["responses"]
        assert len(counted["respondents"]) == survey["uniqueRespondents"]  # type: ignore[arg-type]  # a set
        assert counted["anonymous"] == survey["anonymous"]
        times = counted["times"]
        assert (min(times), max(times)) == (survey["firstResponse"], survey["lastResponse"])  # type: ignore[type-var,call-overload]  # a list of str
        questions = counted["questions"]
        assert isinstance(questions, dict)
        for question in survey["questions"]:  # type: ignore[union-attr]  # a list
            counts = dict(questions[question["questionId"]])  # type: ignore[index,call-overload]  # JSON
            assert counts.pop("__answered__") == question["answered"]  # type: ignore[index,call-overload]  # JSON
            if question["freeText"]:  # type: ignore[index,call-overload]  # JSON
                assert [] == question["answers"]  # type: ignore[index,call-overload]  # JSON
                continue
            found = {a["answer"]: a["count"] for a in question["answers"]}  # type: ignore[index,call-overload,union-attr]  # JSON
            assert {_answer(k): v for k, v in counts.items()} == found


def test_a_day_without_responses_reports_no_survey(items: list[dict[str, Value]]) -> None:
    """The empty day's report lists no survey and reads no response."""
    reports, source = service()
    report = reports.build(BuildDailyReport(day=date.fromisoformat(EMPTY_DAY)))
    assert ((), 0) == (report.surveys, source.items_read)


def test_report_reads_only_the_days_responses_over_several_pages(
    items: list[dict[str, Value]],
) -> None:
    """The index queries read exactly the day's responses, in more pages than surveys."""
    reports, source = service()
    reports.build(BuildDailyReport(day=date(2026, 11, 22)))
    day = [i for i in items if str(i["submittedAt"]).startswith("2026-11-22")]
    assert len(day) == source.items_read
    assert source.pages_read > 3  # three surveys, each more than one page


def test_nps_and_csat_match_the_definitions(items: list[dict[str, Value]]) -> None:
    """NPS is % 9-10 minus % 0-6, CSAT the % of 4-5, recounted by hand."""
    reports, _ = service()
    report = reports.build(BuildDailyReport(day=date(2026, 11, 20)))
    day = [i for i in items if str(i["submittedAt"]).startswith("2026-11-20")]
    scores = [i["answers"]["recommend"] for i in day if i["surveyId"] == "nps"]  # type: ignore[index,call-overload]  # a map
    ratings = [i["answers"]["satisfaction"] for i in day if i["surveyId"] == "csat"]  # type: ignore[index,call-overload]  # a map
    nps = (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) * 100 / len(scores)  # type: ignore[operator]  # ints
    csat = sum(r >= 4 for r in ratings) * 100 / len(ratings)  # type: ignore[operator]  # ints
    by_id = {
        (s.survey_id, q.summary.question_id): q.summary for s in report.surveys for q in s.questions
    }
    found_nps = by_id["nps", "recommend"].nps
    assert found_nps is not None
    assert (round(nps, 2), round(csat, 2)) == (
        float(found_nps.score),
        float(by_id["csat", "satisfaction"].csat or 0),
    )


def test_a_time_zone_moves_the_day_boundary(items: list[dict[str, Value]]) -> None:
    """With America/New_York, the 22nd runs from 05:00 UTC on the 22nd to 05:00 on the 23rd."""
    reports, _ = service(time_zone="America/New_York")
    report = reports.build(BuildDailyReport(day=date(2026, 11, 22)))
    inside = [
        i for i in items if "2026-11-22T05:00:00" <= str(i["submittedAt"]) < "2026-11-23T05:00:00"
    ]
    assert len(inside) == report.responses


def test_run_writes_three_files_and_publishes_a_link(items: list[dict[str, Value]]) -> None:
    """JSON, CSV and HTML land under reports/daily/2026/11/22/ and SNS gets the summary."""
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name="reports")["TopicArn"]
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])
    reports, _ = service(notifier=SnsNotifier(topic_arn=topic))
    written = reports.run(BuildDailyReport(day=date(2026, 11, 22)))
    listed = boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="reports/daily/")
    assert [
        "reports/daily/2026/11/22/index.html",
        "reports/daily/2026/11/22/report.csv",
        "reports/daily/2026/11/22/report.json",
    ] == [o["Key"] for o in listed["Contents"]]
    stored = boto3.client("s3").get_object(Bucket=BUCKET, Key=written.json_key)["Body"].read()
    assert written.report.to_json() == orjson.loads(stored)
    message = orjson.loads(sqs.receive_message(QueueUrl=queue)["Messages"][0]["Body"])
    assert written.link in message["Message"]
    assert "X-Amz-Expires=3600" in written.link


def test_rerun_replaces_its_own_report(items: list[dict[str, Value]]) -> None:
    """A second run of the same day writes the same keys, not new ones."""
    reports, _ = service()
    reports.run(BuildDailyReport(day=date(2026, 11, 22), notify=False))
    reports.run(BuildDailyReport(day=date(2026, 11, 22), notify=False))
    listed = boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="reports/daily/")
    assert 3 == listed["KeyCount"]


def test_aws_errors_cross_the_ports_as_service_errors() -> None:
    """A missing bucket, topic or table is a ServiceError naming its operation."""
    calls = {
        "PutObject": lambda: S3ObjectStore(bucket="no-such-bucket").put(
            "k", b"", content_type="text/plain"
        ),
        "Publish": lambda: SnsNotifier(
            topic_arn="arn:aws:sns:us-east-1:123456789012:no-such-topic"
        ).publish(subject="s", message="m"),
        "Query": lambda: list(
            DynamoDBResponseSource(table_name="no-such-table").responses(
                "s", start="2026-11-22T00:00:00", end="2026-11-23T00:00:00"
            )
        ),
    }
    failed = []
    for call in calls.values():
        with pytest.raises(ServiceError) as raised:
            call()
        failed.append(raised.value.operation)
    assert list(calls) == failed
