"""Survey responses over several days and surveys, the responses table, and its counters."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from feedback_core.aggregate import (
    Commit,
    CounterUpdate,
    MarkerKey,
    Position,
    combine,
    recount,
    survey_distribution,
)
from feedback_core.attributes import to_item
from feedback_core.reports import survey_activity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mypy_boto3_dynamodb.client import DynamoDBClient

    from feedback_core.aggregate import CounterStore, Projection
    from feedback_core.attributes import Value

FIRST_DAY = datetime(2026, 11, 20, tzinfo=UTC)
EMPTY_DAY = "2026-11-21"
"""No response is stored on this day."""

COMMENTS = ("Great onboarding, thanks", "Too slow", "Could not find the export button", "ok")


def response_items(seed: int, *, days: int = 4, per_day: int = 12) -> list[dict[str, Value]]:
    """Responses to three surveys over ``days`` days from 2026-11-20, none on EMPTY_DAY."""
    rng = random.Random(seed)  # test data
    items: list[dict[str, Value]] = []
    for day in range(days):
        start = FIRST_DAY + timedelta(days=day)
        if start.date().isoformat() == EMPTY_DAY:
            continue
        for n in range(per_day):
            at = start + timedelta(seconds=rng.randrange(86400))
            survey = ("nps", "csat", "onboarding")[n % 3]
            answers: dict[str, Value] = {}
            if survey == "nps":
                answers = {"recommend": rng.randrange(11), "comment": rng.choice(COMMENTS)}
            elif survey == "csat":
                answers = {
                    "satisfaction": rng.randrange(1, 6),
                    "channels": rng.sample(["email", "chat", "phone"], rng.randrange(1, 3)),
                    "resolved": rng.random() < 0.5,
                    "effort": Decimal(rng.randrange(10, 50)) / 10,
                }
            else:
                answers = {"role": rng.choice(["admin", "editor", "viewer"])}
            item: dict[str, Value] = {
                "surveyId": survey,
                "responseId": f"r{day}-{n}",
                "submittedAt": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "submittedDay": at.strftime("%Y-%m-%d"),
                "answers": answers,
            }
            if rng.random() < 0.7:  # some respondents answer twice, some are anonymous
                item["respondentId"] = f"user-{rng.randrange(per_day)}"
            items.append(item)
    return items


def put_items(client: DynamoDBClient, table: str, items: Iterable[dict[str, Value]]) -> None:
    """Store the items one by one."""
    for item in items:
        client.put_item(TableName=table, Item=to_item(item))  # type: ignore[arg-type]  # our AttributeMap is the stubs' shape


def load_counters(
    store: CounterStore, items: Iterable[dict[str, Value]], projection: Projection | None = None
) -> None:
    """Store what the aggregator would have counted (default: survey responses and activity)."""
    deltas = recount(items, projection or combine(survey_distribution(), survey_activity()))
    updates = [CounterUpdate(key=k, deltas=f) for k, f in deltas.counters.items()]
    for start in range(0, len(updates), 50):
        marker = MarkerKey(consumer="test", stream="s", origin=f"batch:{id(deltas)}:{start}")
        store.commit(
            Commit(
                marker=marker,
                expected=None,
                position=Position(sequence=1),
                updates=tuple(updates[start : start + 50]),
                expires_at=0,
            )
        )


def recount_day(items: Iterable[dict[str, Value]], day: str) -> dict[str, dict[str, object]]:
    """Count one UTC day by hand, independently of the library: per survey and question."""
    surveys: dict[str, dict[str, object]] = {}
    for item in items:
        stamp = str(item["submittedAt"])
        if not stamp.startswith(day):
            continue
        survey = surveys.setdefault(
            str(item["surveyId"]),
            {"responses": 0, "respondents": set(), "anonymous": 0, "times": [], "questions": {}},
        )
        survey["responses"] = int(str(survey["responses"])) + 1
        respondent = item.get("respondentId")
        if respondent is None:
            survey["anonymous"] = int(str(survey["anonymous"])) + 1
        else:
            survey["respondents"].add(respondent)  # type: ignore[attr-defined]  # a set above
        survey["times"].append(stamp)  # type: ignore[attr-defined]  # a list above
        answers = item["answers"]
        assert isinstance(answers, dict)
        questions = survey["questions"]
        assert isinstance(questions, dict)
        for question, answer in answers.items():
            counts = questions.setdefault(question, Counter())
            for value in answer if isinstance(answer, list) else [answer]:
                counts[value] += 1
            counts["__answered__"] += 1
    return surveys
