"""``feedback-core demo``: the platform on an embedded AWS, driven by generated traffic.

It deploys the sample template into moto, sends generated API Gateway requests (valid, invalid,
duplicated and retried) through the reference handlers, and prints what happened on each route:
accepted, replayed, rejected by reason, and what the tables hold, checked against the answers.
Votes go to two copies of the stack, one per ``VotePolicy`` (reject and replace), so the same
traffic shows both. Then it plays the tables' streams into the stream aggregators, as Lambda's
event source mappings would, reads the live results through the GET routes and checks them
against the library's own recount of the tables; and delivers every stream a second time, to
show that a redelivery changes nothing. Then the daily survey report and a poll snapshot, the
administrators' routes (listing, health,
erasure), a backup of every table with a corrupted part caught and a restore checked item for
item, and S3 objects bundled through SQS under injected faults. No AWS account, no network.

The traffic is generated in :mod:`feedback_core.cli.demo_traffic`, the summary's shape is in
:mod:`feedback_core.cli.demo_summary`, and each further step has its own module.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from feedback_core.aggregate.projections import feedback_stats, survey_distribution, vote_tally
from feedback_core.cli.demo_summary import (
    Check,
    DemoStep,
    DemoSummary,
    ResultsSummary,
    RouteSummary,
    as_read,
    recounted,
    timeless,
)
from feedback_core.cli.demo_traffic import (
    ONE_EACH_SURVEY,
    POLLS,
    VOTE_RESOURCE,
    Request,
    feedback_requests,
    rest_event,
    survey_requests,
    vote_requests,
)
from feedback_core.cli.local import LocalPlatform, StreamDelivery

if TYPE_CHECKING:
    from collections.abc import Iterator

    from feedback_core.cli.local import Handler

__all__ = ["Check", "DemoSummary", "ResultsSummary", "RouteSummary", "run_demo"]


def _reason(status: int, body: dict[str, Any]) -> str:
    if status == 400 and body.get("errors"):
        codes = sorted({str(e["code"]) for e in body["errors"]})
        return f"{status} {'+'.join(codes)}"
    return f"{status} {str(body.get('type', '')).rsplit(':', 1)[-1]}"


@attrs.define
class _Tally:
    """Answers as a client sees them, by outcome."""

    labels: dict[int, str]  # status -> row label, for statuses that get a row of their own
    counts: Counter[str] = attrs.field(factory=Counter)
    rejected: Counter[str] = attrs.field(factory=Counter)
    server_errors: int = 0

    def add(self, status: int, body: dict[str, Any], outcome: str | None = None) -> None:
        if outcome is not None:
            self.counts[outcome] += 1
        elif status in self.labels:
            self.counts[self.labels[status]] += 1
        elif status >= 500:
            self.server_errors += 1
        else:
            self.rejected[_reason(status, body)] += 1


def _send(handler: Handler, requests: list[Request]) -> Iterator[tuple[int, dict[str, Any]]]:
    for _, event in requests:
        response = handler(event)
        yield int(response["statusCode"]), orjson.loads(response["body"])


def _scan(client: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table):
        items += page["Items"]
    return items


def _feedback(platform: LocalPlatform, requests: list[Request], client: Any) -> RouteSummary:
    tally = _Tally({})
    seen_ids: set[str] = set()
    for status, body in _send(platform.handler(f"feedback-submit-{platform.suffix}"), requests):
        if status == 201:
            # A retry answered with an id already seen is a replay, as the client sees it.
            replayed = body["feedbackId"] in seen_ids
            seen_ids.add(body["feedbackId"])
            tally.add(status, body, "replayed retries (201)" if replayed else "accepted (201)")
        else:
            tally.add(status, body)
    items = _scan(client, platform.outputs["FeedbackTableName"])
    labels = Counter(item["sentiment"]["S"] for item in items if "sentiment" in item)
    total = sum(labels.values()) or 1
    notes = ["  sentiment of stored feedback (offline analyzer)"] + [
        f"    {label:<28} {n:6d}  {100 * n / total:5.1f} %"
        for label, n in sorted(labels.items(), key=lambda kv: -kv[1])
    ]
    accepted = tally.counts["accepted (201)"]
    return RouteSummary(
        title="POST /feedback",
        sent=len(requests),
        counts={k: tally.counts[k] for k in ("accepted (201)", "replayed retries (201)")},
        rejected=dict(tally.rejected),
        server_errors=tally.server_errors,
        checks=(
            Check(
                what="items in the feedback table",
                found=len(items),
                expected=accepted,
                because="accepted",
            ),
        ),
        notes=tuple(notes),
    )


def _read_back(get: Handler, items: list[dict[str, Any]]) -> int:
    """How many stored votes GET answers with 200 and the stored choice."""
    found = 0
    for item in items:
        vote = {"pollId": item["pollId"]["S"], "userId": item["userId"]["S"]}
        for status, body in _send(get, [("read", rest_event("GET", VOTE_RESOURCE, vote))]):
            found += status == 200 and body["choice"] == item["choice"]["S"]
    return found


def _votes(
    post: Handler, get: Handler, requests: list[Request], *, table: str, policy: str, client: Any
) -> RouteSummary:
    tally = _Tally({409: "rejected as duplicates (409)"})
    revisions: dict[tuple[str, str], int] = {}  # the last revision each vote was seen at
    for status, body in _send(post, requests):
        if status in (200, 201):
            vote = (body["pollId"], body["userId"])
            revision = int(body.get("revision", 1))
            if status == 201:
                # A 201 for a vote already seen answers a retry: the client sees a replay.
                outcome = "replayed retries (201)" if vote in revisions else "accepted (201)"
            else:
                changed = revision > revisions.get(vote, revision)
                outcome = "changed (200)" if changed else "unchanged (200)"
            revisions[vote] = revision
            tally.add(status, body, outcome)
        else:
            tally.add(status, body)
    items = _scan(client, table)
    tallies: dict[str, Counter[str]] = {poll: Counter() for poll in POLLS}
    for item in items:
        tallies[item["pollId"]["S"]][item["choice"]["S"]] += 1
    notes = ["  tally (from the table)"] + [
        f"    {poll:<16} " + ", ".join(f"{c} {n}" for c, n in counts.most_common())
        for poll, counts in tallies.items()
    ]
    counts = {
        label: tally.counts[label]
        for label in (
            "accepted (201)",
            "replayed retries (201)",
            "rejected as duplicates (409)",
            "changed (200)",
            "unchanged (200)",
        )
    }
    checks = [
        Check(
            what="items in the table",
            found=len(items),
            expected=counts["accepted (201)"],
            because="accepted",
        ),
        Check(
            what="read back by GET",
            found=_read_back(get, items),
            expected=len(items),
            because="items",
        ),
    ]
    if policy == "replace":
        changes = sum(int(item.get("revision", {"N": "1"})["N"]) - 1 for item in items)
        checks.append(
            Check(
                what="changes (revision - 1)",
                found=changes,
                expected=counts["changed (200)"],
                because="changed",
            )
        )
    return RouteSummary(
        title=f"POST /polls/{{pollId}}/votes, VotePolicy={policy} (table {table})",
        sent=len(requests),
        counts=counts,
        rejected=dict(tally.rejected),
        server_errors=tally.server_errors,
        checks=tuple(checks),
        notes=tuple(notes),
    )


def _surveys(post: Handler, requests: list[Request], table: str, client: Any) -> RouteSummary:
    tally = _Tally({409: "already answered (409)", 422: "key reused, other answers (422)"})
    seen_ids: set[str] = set()
    for status, body in _send(post, requests):
        if status == 201:
            replayed = body["responseId"] in seen_ids
            seen_ids.add(body["responseId"])
            tally.add(status, body, "replayed retries (201)" if replayed else "accepted (201)")
        else:
            tally.add(status, body)
    items = _scan(client, table)
    days = Counter((item["surveyId"]["S"], item["submittedDay"]["S"]) for item in items)
    indexed = 0
    for survey, day in days:
        pages = client.get_paginator("query").paginate(
            TableName=table,
            IndexName="bySurveyDay",
            KeyConditionExpression="#survey = :survey AND begins_with(#at, :day)",
            ExpressionAttributeNames={"#survey": "surveyId", "#at": "submittedAt"},
            ExpressionAttributeValues={":survey": {"S": survey}, ":day": {"S": day}},
            Select="COUNT",
        )
        indexed += sum(page["Count"] for page in pages)
    per_survey = Counter(item["surveyId"]["S"] for item in items)
    notes = ["  responses per survey"] + [
        f"    {survey:<28} {n:6d}" + ("  (one per respondent)" if survey == ONE_EACH_SURVEY else "")
        for survey, n in sorted(per_survey.items())
    ]
    counts = {
        label: tally.counts[label]
        for label in (
            "accepted (201)",
            "replayed retries (201)",
            "already answered (409)",
            "key reused, other answers (422)",
        )
    }
    return RouteSummary(
        title=f"POST /surveys/{{surveyId}}/responses (table {table})",
        sent=len(requests),
        counts=counts,
        rejected=dict(tally.rejected),
        server_errors=tally.server_errors,
        checks=(
            Check(
                what="items in the table",
                found=len(items),
                expected=counts["accepted (201)"],
                because="accepted",
            ),
            Check(
                what="found by index bySurveyDay",
                found=indexed,
                expected=len(items),
                because="items",
            ),
        ),
        notes=tuple(notes),
    )


# -- live results -----------------------------------------------------------------------------

_RESULTS = "/polls/{pollId}/results"
_SUMMARY = "/surveys/{surveyId}/summary"


def _get(handler: Handler, resource: str, parameters: dict[str, str]) -> tuple[int, Any]:
    event = rest_event("GET", resource, parameters)
    event["queryStringParameters"] = None
    response = handler(event)
    return int(response["statusCode"]), orjson.loads(response["body"])


def _matching(live: dict[Any, Any], table: dict[Any, Any], what: str, because: str) -> Check:
    """How many of the counts the table implies the live results give exactly."""
    keys = set(live) | set(table)
    found = sum(live.get(k, 0) == table.get(k, 0) for k in keys)
    return Check(what=what, found=found, expected=len(keys), because=because)


def _share(label: object, count: int, percentage: float, width: int = 20) -> str:
    """A line with a count, its percentage and a bar as long as the percentage."""
    bar = "#" * round(percentage * width / 100)
    return f"    {label!s:<28} {count:6d}  {percentage:6.2f} % {bar}".rstrip()


def _deliveries(title: str, deliveries: list[StreamDelivery]) -> ResultsSummary:
    notes = [
        f"  {d.function_name:<34} {d.records:6d} records, {d.invocations} "
        + ("batch" if d.invocations == 1 else "batches")
        + (f", {d.retries} retried" if d.retries else "")
        for d in deliveries
        if d.records  # the replace stack's feedback and surveys tables get no traffic
    ]
    return ResultsSummary(title=title, notes=tuple(notes), deliveries=tuple(deliveries))


def _poll_results(
    get: Handler, items: list[dict[str, Any]], *, policy: str, body_log: list[Any]
) -> ResultsSummary:
    table: Counter[tuple[str, str]] = Counter(
        (item["pollId"]["S"], item["choice"]["S"]) for item in items
    )
    live: dict[tuple[str, str], int] = {}
    recount = recounted(vote_tally(), items)
    polls = sorted({poll for poll, _ in table})
    notes, errors, total, same = [], 0, 0, 0
    for poll in polls:
        status, body = _get(get, _RESULTS, {"pollId": poll})
        body_log.append(body)
        if status != 200:
            errors += status >= 500
            notes.append(f"    {poll:<16} {status}")
            continue
        total += body["totalVotes"]
        same += timeless(body) == as_read(recount.poll(poll))
        live.update({(poll, c["choice"]): c["votes"] for c in body["choices"]})
        shares = ", ".join(
            f"{c['choice']} {c['votes']} ({c['percentage']:.2f} %)" for c in body["choices"]
        )
        notes.append(f"    {poll:<16} {body['totalVotes']:3d} votes: {shares}")
    return ResultsSummary(
        title=f"GET /polls/{{pollId}}/results, VotePolicy={policy}",
        notes=tuple(notes),
        server_errors=errors,
        checks=(
            Check(what="votes counted live", found=total, expected=len(items), because="items"),
            _matching(live, dict(table), "tallies as in the table", "tallies"),
            Check(what="results as recounted", found=same, expected=len(polls), because="polls"),
        ),
    )


def _analytics(get: Handler, items: list[dict[str, Any]], *, body_log: list[Any]) -> ResultsSummary:
    status, body = _get(get, "/analytics", {})
    body_log.append(body)
    if status != 200:
        return ResultsSummary(title="GET /analytics", server_errors=int(status >= 500))
    ratings = Counter(int(item["rating"]["N"]) for item in items)
    labels = Counter(item["sentiment"]["S"] for item in items if "sentiment" in item)
    live_ratings = {r["rating"]: r["count"] for r in body["ratingHistogram"]}
    live_labels = {s["label"]: s["count"] for s in body["sentiment"]}
    notes = [
        f"  {'feedback':<30} {body['count']:6d}",
        f"  {'average rating':<30} {body['averageRating']:6.2f}",
        f"  {'CSAT (4 or 5 of 5)':<30} {body['csat']:6.2f} %",
        "  ratings",
        *[_share(r["rating"], r["count"], r["percentage"]) for r in body["ratingHistogram"]],
        "  sentiment",
        *[_share(s["label"], s["count"], s["percentage"]) for s in body["sentiment"]],
    ]
    return ResultsSummary(
        title="GET /analytics",
        notes=tuple(notes),
        checks=(
            Check(
                what="feedback counted live",
                found=body["count"],
                expected=len(items),
                because="items",
            ),
            _matching(live_ratings, dict(ratings), "ratings as in the table", "ratings"),
            _matching(live_labels, dict(labels), "sentiment as in the table", "labels"),
            Check(
                what="analytics as recounted",
                found=int(
                    timeless(body) == as_read(recounted(feedback_stats(), items).analytics())
                ),
                expected=1,
                because="the body",
            ),
        ),
    )


def _survey_summaries(
    get: Handler, items: list[dict[str, Any]], *, body_log: list[Any]
) -> ResultsSummary:
    responses = Counter(item["surveyId"]["S"] for item in items)
    recount = recounted(survey_distribution(), items)
    notes, errors, total, same = [], 0, 0, 0
    for survey in sorted(responses):
        status, body = _get(get, _SUMMARY, {"surveyId": survey})
        body_log.append(body)
        if status != 200:
            errors += status >= 500
            continue
        total += body["responses"]
        same += timeless(body) == as_read(recount.survey(survey))
        parts = [f"{body['responses']} responses"]
        for question in body["questions"]:
            if question["nps"] is not None:
                nps = question["nps"]
                parts.append(
                    f"NPS {nps['score']:+.2f} ({nps['promoters']} promoters, "
                    f"{nps['passives']} passives, {nps['detractors']} detractors)"
                )
            if question["csat"] is not None:
                parts.append(f"CSAT {question['csat']:.2f} %")
            if question["answers"] and isinstance(question["answers"][0]["answer"], bool):
                shares = ", ".join(
                    f"{a['answer']} {a['percentage']:.2f} %" for a in question["answers"]
                )
                parts.append(f"{question['questionId']}: {shares}")
            elif question["mean"] is not None and question["nps"] is question["csat"] is None:
                parts.append(f"{question['questionId']}: mean {question['mean']:.2f}")
        notes.append(f"    {survey:<16} " + "; ".join(parts))
    return ResultsSummary(
        title="GET /surveys/{surveyId}/summary",
        notes=tuple(notes),
        server_errors=errors,
        checks=(
            Check(what="responses counted live", found=total, expected=len(items), because="items"),
            Check(
                what="summaries as recounted",
                found=same,
                expected=len(responses),
                because="surveys",
            ),
        ),
    )


def _live_results(
    platform: LocalPlatform, stacks: dict[str, tuple[str, dict[str, str]]], client: Any
) -> tuple[ResultsSummary, ...]:
    """Deliver the streams, read every GET route, redeliver, and read them all again."""
    suffix = platform.suffix
    polls = {
        policy: (
            platform.handler(f"polls-results-{name}"),
            _scan(client, outputs["VotesTableName"]),
        )
        for policy, (name, outputs) in stacks.items()
    }
    analytics = platform.handler(f"feedback-analytics-{suffix}")
    feedback = _scan(client, platform.outputs["FeedbackTableName"])
    summary = platform.handler(f"surveys-summary-{suffix}")
    responses = _scan(client, platform.outputs["SurveyResponsesTableName"])

    def read_all(bodies: list[Any]) -> list[ResultsSummary]:
        sections = [
            _poll_results(get, votes, policy=policy, body_log=bodies)
            for policy, (get, votes) in polls.items()
        ]
        sections.append(_analytics(analytics, feedback, body_log=bodies))
        sections.append(_survey_summaries(summary, responses, body_log=bodies))
        return sections

    delivered = _deliveries(
        "stream delivery: each table's stream into its aggregator, 100 records a batch",
        platform.deliver_streams(),
    )
    first: list[Any] = []
    sections = read_all(first)
    again = platform.deliver_streams(from_start=True)
    second: list[Any] = []
    read_all(second)
    unchanged = sum(a == b for a, b in zip(first, second, strict=True))
    redelivered = attrs.evolve(
        _deliveries(
            "redelivery: every batch of every stream delivered again (as after a crash)", again
        ),
        checks=(
            Check(
                what="GET answers unchanged",
                found=unchanged,
                expected=len(first),
                because="answers",
            ),
        ),
    )
    return (delivered, *sections, redelivered)


def run_demo(*, requests: int = 300, seed: int = 7, log_level: str | None = None) -> DemoSummary:
    """Deploy, drive and summarize; see the module docstring.

    Args:
        requests: Feedback requests to send; votes are half as many, survey responses a third.
        seed: Seed of the generated traffic (each route has its own stream of it).
        log_level: Overrides the functions' log level (``WARNING`` quietens them).
    """

    def streams(route: int) -> random.Random:
        return random.Random(seed * 10 + route)  # noqa: S311  # a seeded workload, not cryptography

    votes = vote_requests(requests // 2, streams(1))
    parameters = {
        "OneResponsePerRespondentSurveys": ONE_EACH_SURVEY,
        "NpsQuestions": "recommend",
        "CsatQuestions": "satisfaction",
    }
    with LocalPlatform(log_level=log_level, parameters=parameters) as platform:
        import boto3  # from the [local] extra, inside the emulator

        client = boto3.client("dynamodb")
        routes = [_feedback(platform, feedback_requests(requests, streams(0)), client)]
        stacks = {
            "reject": (platform.suffix, platform.outputs),
            "replace": (
                f"{platform.suffix}-replace",
                platform.deploy(
                    "feedback-api.yaml",
                    suffix=f"{platform.suffix}-replace",
                    parameters={"VotePolicy": "replace"},
                ),
            ),
        }
        for policy, (suffix, outputs) in stacks.items():
            post = platform.handler(f"votes-submit-{suffix}")
            get = platform.handler(f"votes-read-{suffix}")
            table = outputs["VotesTableName"]
            routes.append(_votes(post, get, votes, table=table, policy=policy, client=client))
        post = platform.handler(f"survey-responses-submit-{platform.suffix}")
        table = platform.outputs["SurveyResponsesTableName"]
        routes.append(_surveys(post, survey_requests(requests // 3, streams(2)), table, client))
        sentiment = Counter(
            item["sentiment"]["S"]
            for item in _scan(client, platform.outputs["FeedbackTableName"])
            if "sentiment" in item
        )
        results = _live_results(platform, stacks, client)
        from feedback_core.cli.demo_admin import run_admin_demo
        from feedback_core.cli.demo_backup import run_backup_demo
        from feedback_core.cli.demo_bundle import run_bundle_demo
        from feedback_core.cli.demo_datalake import run_datalake_demo
        from feedback_core.cli.demo_reports import run_reports_demo

        steps: list[DemoStep] = [
            run_reports_demo(platform, seed=seed),
            run_admin_demo(platform, seed=seed),
            run_backup_demo(platform, seed=seed),
            run_bundle_demo(platform, seed=seed),
            run_datalake_demo(platform, seed=seed),
        ]
    return DemoSummary(
        routes=tuple(routes), sentiment=dict(sentiment), results=results, steps=tuple(steps)
    )
