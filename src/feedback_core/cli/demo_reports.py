"""The demo's reports step: the daily survey report and a poll snapshot, checked against tables.

On a :class:`~feedback_core.cli.local.LocalPlatform` with the feedback API deployed, its survey
responses and votes stored and the streams delivered (so the activity counters are kept),
:func:`run_reports_demo`:

1. deploys ``templates/reports.yaml`` on the feedback stack's tables;
2. runs the deployed ``daily-report`` function for the day the responses were stored, and
   checks the stored JSON against a recount of that day from the responses table;
3. runs the deployed ``results-snapshot`` function and checks each poll's snapshot against
   the votes in the votes table.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from feedback_core.cli.demo_summary import Check

if TYPE_CHECKING:
    from feedback_core.cli.local import LocalPlatform

__all__ = ["ReportsDemoSummary", "run_reports_demo"]


@attrs.frozen(kw_only=True)
class ReportsDemoSummary:
    """What the reports step found.

    Attributes:
        checks: The report and the snapshots against the tables.
        notes: What was done, as printable lines.
    """

    checks: tuple[Check, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Every check holds."""
        return all(check.holds for check in self.checks)

    def lines(self) -> list[str]:
        """The step's part of the summary."""
        out = ["", "REPORTS: the daily survey report and poll snapshots (templates/reports.yaml)"]
        return out + list(self.notes) + [check.line() for check in self.checks]


def _scan(client: Any, table: str) -> list[dict[str, Any]]:
    from feedback_core.attributes import from_item

    pages = client.get_paginator("scan").paginate(TableName=table)
    return [from_item(item) for page in pages for item in page["Items"]]


def _answers(value: object) -> list[object]:
    return list(dict.fromkeys(value)) if isinstance(value, list) else [value]


def _json_answer(value: object) -> object:
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def _report_mismatches(report: dict[str, Any], responses: list[dict[str, Any]]) -> int:
    """Answers whose count in the report differs from a recount of the table's responses."""
    expected: dict[tuple[str, str], Counter[object]] = {}
    for item in responses:
        for question, answer in item["answers"].items():
            tally = expected.setdefault((item["surveyId"], question), Counter())
            tally.update(_json_answer(a) for a in _answers(answer))
    found: dict[tuple[str, str], Counter[object]] = {}
    for survey in report["surveys"]:
        for question in survey["questions"]:
            tally = found.setdefault((survey["surveyId"], question["questionId"]), Counter())
            for answer in question["answers"]:
                tally[answer["answer"]] += answer["count"]
    keys = set(expected) | set(found)
    return sum(expected.get(k, Counter()) != found.get(k, Counter()) for k in keys)


def run_reports_demo(platform: LocalPlatform, *, seed: int) -> ReportsDemoSummary:
    """Run the reports step (see the module docstring) and check both outputs.

    Args:
        platform: An entered platform with the feedback API stack deployed, its responses and
            votes stored and the streams delivered.
        seed: Unused by the checks; names the stack, so two runs can share a platform.
    """
    import boto3  # from the [local] extra, inside the emulator

    suffix = f"rep{seed % 10000}"
    outputs = platform.deploy(
        "reports.yaml",
        suffix=suffix,
        parameters={
            "SurveyResponsesTableName": platform.outputs["SurveyResponsesTableName"],
            "CountersTableName": platform.outputs["CountersTableName"],
            "NpsQuestions": "recommend",
            "CsatQuestions": "satisfaction",
        },
    )
    dynamodb, s3 = boto3.client("dynamodb"), boto3.client("s3")
    bucket = outputs["ReportsBucketName"]
    responses = _scan(dynamodb, platform.outputs["SurveyResponsesTableName"])
    day = max((str(r["submittedAt"])[:10] for r in responses), default="2026-01-01")
    of_day = [r for r in responses if str(r["submittedAt"]).startswith(day)]

    outcome = platform.handler(f"daily-report-{suffix}")({"day": day})
    stored = s3.list_objects_v2(Bucket=bucket, Prefix=f"reports/daily/{day.replace('-', '/')}/")
    report = orjson.loads(s3.get_object(Bucket=bucket, Key=outcome["key"])["Body"].read())

    taken = platform.handler(f"results-snapshot-{suffix}")({})
    votes = Counter(v["pollId"] for v in _scan(dynamodb, platform.outputs["VotesTableName"]))
    snapshots = {}
    for entry in s3.list_objects_v2(Bucket=bucket, Prefix="snapshots/polls/").get("Contents", []):
        body = orjson.loads(s3.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read())
        snapshots[body["results"]["pollId"]] = body["results"]["totalVotes"]

    checks = (
        Check(
            what="surveys reported",
            found=len(report["surveys"]),
            expected=len({r["surveyId"] for r in of_day}),
            because="surveys answered that day",
        ),
        Check(
            what="responses reported",
            found=report["responses"],
            expected=len(of_day),
            because="responses that day",
        ),
        Check(
            what="answer counts differing",
            found=_report_mismatches(report, of_day),
            expected=0,
            because="recount of the day",
        ),
        Check(what="report files", found=stored.get("KeyCount", 0), expected=3, because="3"),
        Check(
            what="items read by the report",
            found=outcome["itemsRead"],
            expected=len(of_day),
            because="the day's responses only",
        ),
        Check(
            what="polls snapshotted",
            found=taken["snapshots"],
            expected=len(votes),
            because="polls voted in",
        ),
        Check(
            what="snapshots differing",
            found=sum(snapshots.get(poll) != n for poll, n in votes.items()),
            expected=0,
            because="votes in the table",
        ),
    )
    notes = (
        f"  {'report day':<30} {day}",
        f"  {'report':<30} s3://{bucket}/{outcome['key']}",
        f"  {'responses in the table':<30} {len(responses):6d}",
    )
    return ReportsDemoSummary(checks=checks, notes=notes)
