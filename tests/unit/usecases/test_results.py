"""The read side of the GET routes: declared parameters, then ResultsService, in memory."""

from __future__ import annotations

from typing import Any

import pytest

from feedback_core.aggregate import (
    InMemoryCounterStore,
    StreamAggregator,
    feedback_stats,
    survey_distribution,
    vote_tally,
)
from feedback_core.aggregate.ports import Projection
from feedback_core.attributes import to_item
from feedback_core.errors import NotFoundError, ValidationError
from feedback_core.http import ANALYTICS, POLL_RESULTS, SURVEY_SUMMARY
from feedback_core.http.routes import MAX_LISTED
from feedback_core.usecases import ResultsService

class LiveResults:
    """The three GET routes' work, as the handlers do it: parameters by the route, then the use
    case, then the read model's JSON."""

    def __init__(
        self,
        *,
        store: InMemoryCounterStore,
        nps_questions: frozenset[str] | set[str] = frozenset(),
        csat_questions: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.service = ResultsService(
            store=store,
            nps_questions=frozenset(nps_questions),
            csat_questions=frozenset(csat_questions),
        )

    def poll(self, *, poll_id: str, query: dict[str, str]) -> dict[str, Any]:
        path, params = POLL_RESULTS.parameters({"pollId": poll_id}, query)
        return dict(self.service.poll(path.poll_id, choices=params.choices).to_json())

    def analytics(self, *, query: dict[str, str]) -> dict[str, Any]:
        _, params = ANALYTICS.parameters({}, query)
        return dict(self.service.analytics(since=params.since, until=params.until).to_json())

    def survey(self, *, survey_id: str, query: dict[str, str]) -> dict[str, Any]:
        path, params = SURVEY_SUMMARY.parameters({"surveyId": survey_id}, query)
        summary = self.service.survey(path.survey_id, nps=params.nps or (), csat=params.csat or ())
        return dict(summary.to_json())


ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-11-22T00:00:00.000"


def counted(
    projection: Projection, *changes: tuple[str, dict[str, Any] | None, dict[str, Any] | None]
) -> InMemoryCounterStore:
    """A store after an aggregator applied ``changes`` (event name, old item, new item).

    Each change is a batch of its own, so a change and its undoing do not cancel out unwritten.
    """
    store = InMemoryCounterStore()
    aggregator = StreamAggregator(projection=projection, store=store)
    for n, (name, old, new) in enumerate(changes, start=1):
        data: dict[str, Any] = {"SequenceNumber": str(n), "ApproximateCreationDateTime": 1795381200}
        if old is not None:
            data["OldImage"] = to_item(old)
        if new is not None:
            data["NewImage"] = to_item(new)
        aggregator.handle(
            {"Records": [{"eventName": name, "eventSourceARN": ARN, "dynamodb": data}]}
        )
    return store


def vote(user: str, choice: str, poll: str = "p1") -> dict[str, Any]:
    return {"pollId": poll, "userId": user, "choice": choice}


def errors_of(raised: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(e.pointer, e.code) for e in raised.value.errors]


def test_poll_results_list_the_asked_choices_first_even_at_zero() -> None:
    """?choices= fixes the display order; a choice nobody picked shows 0 votes."""
    store = counted(
        vote_tally(), ("INSERT", None, vote("u1", "b")), ("INSERT", None, vote("u2", "a"))
    )
    body: Any = LiveResults(store=store).poll(poll_id="p1", query={"choices": "c, b,,a"})
    assert [("c", 0), ("b", 1), ("a", 1)] == [(c["choice"], c["votes"]) for c in body["choices"]]


def test_a_poll_without_counted_votes_is_not_found() -> None:
    """No registry of polls: nothing counted means 404, with or without ?choices=."""
    results = LiveResults(store=InMemoryCounterStore())
    with pytest.raises(NotFoundError):
        results.poll(poll_id="p9", query={"choices": "a,b"})


def test_a_poll_whose_votes_were_all_withdrawn_is_found_with_zero() -> None:
    """Counters that were written and went back to zero are a known poll with no votes."""
    store = counted(vote_tally(), ("INSERT", None, vote("u1", "a")))
    store_after = counted(
        vote_tally(), ("INSERT", None, vote("u1", "a")), ("REMOVE", vote("u1", "a"), None)
    )
    assert 1 == LiveResults(store=store).poll(poll_id="p1", query={})["totalVotes"]
    body = LiveResults(store=store_after).poll(poll_id="p1", query={})
    assert (0, []) == (body["totalVotes"], body["choices"])


def test_bad_poll_parameters_are_every_error_at_once() -> None:
    """A bad poll id and an over-long choice are one ValidationError with both pointers."""
    with pytest.raises(ValidationError) as raised:
        LiveResults(store=InMemoryCounterStore()).poll(
            poll_id="no spaces", query={"choices": "a," + "x" * 101}
        )
    assert [("/pollId", "pattern"), ("/choices/1", "max_length")] == errors_of(raised)


def test_too_many_choices_are_refused() -> None:
    """At most MAX_LISTED choices: a query cannot make the response arbitrarily long."""
    many = ",".join(f"c{n}" for n in range(MAX_LISTED + 1))
    with pytest.raises(ValidationError) as raised:
        LiveResults(store=InMemoryCounterStore()).poll(poll_id="p1", query={"choices": many})
    assert [("/choices", "max_items")] == errors_of(raised)


def feedback(n: int, rating: int, day: str, sentiment: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "feedbackId": f"f{n}",
        "rating": rating,
        "createdAt": f"{day}T10:00:00Z",
    }
    if sentiment is not None:
        item["sentiment"] = sentiment
    return item


def test_analytics_exist_before_any_feedback() -> None:
    """GET /analytics is never a 404: with nothing counted every figure is zero or null."""
    body = LiveResults(store=InMemoryCounterStore()).analytics(query={})
    assert (0, None, None, []) == (
        body["count"],
        body["averageRating"],
        body["csat"],
        body["daily"],
    )


def test_analytics_bound_the_daily_series_by_since_and_until() -> None:
    """since and until are inclusive days; the totals still cover everything."""
    store = counted(
        feedback_stats(),
        ("INSERT", None, feedback(1, 5, "2026-11-20", "positive")),
        ("INSERT", None, feedback(2, 2, "2026-11-21", "negative")),
        ("INSERT", None, feedback(3, 4, "2026-11-22")),
    )
    body = LiveResults(store=store).analytics(query={"since": "2026-11-21", "until": "2026-11-21"})
    assert (3, 3.67, 66.67, 1) == (
        body["count"],
        body["averageRating"],
        body["csat"],
        body["unanalyzed"],
    )
    assert [{"day": "2026-11-21", "count": 1, "averageRating": 2.0}] == body["daily"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"since": "2026-11-31"}, [("/since", "pattern")]),  # no such day
        ({"since": "20261122"}, [("/since", "pattern")]),  # ISO basic format is not accepted
        ({"since": "2026-11-22", "until": "yesterday"}, [("/until", "pattern")]),
        ({"since": "2026-11-22", "until": "2026-11-21"}, [("/until", "minimum")]),
    ],
)
def test_bad_days_are_400(query: dict[str, str], expected: list[tuple[str, str]]) -> None:
    """Days are YYYY-MM-DD and real; until may not come before since."""
    with pytest.raises(ValidationError) as raised:
        LiveResults(store=InMemoryCounterStore()).analytics(query=query)
    assert expected == errors_of(raised)


def response(n: int, recommend: int, satisfied: int, survey: str = "s1") -> dict[str, Any]:
    return {
        "surveyId": survey,
        "responseId": f"r{n}",
        "answers": {"recommend": recommend, "satisfied": satisfied},
    }


SURVEY = (
    ("INSERT", None, response(1, 10, 5)),
    ("INSERT", None, response(2, 9, 4)),
    ("INSERT", None, response(3, 3, 2)),
)


def questions(body: Any) -> dict[str, dict[str, Any]]:
    return {q["questionId"]: q for q in body["questions"]}


def test_nps_and_csat_only_for_the_questions_named() -> None:
    """Configured questions get NPS / CSAT; others, on the same numbers, get neither."""
    store = counted(survey_distribution(), *SURVEY)
    body = LiveResults(store=store, nps_questions={"recommend"}).survey(survey_id="s1", query={})
    found = questions(body)
    assert 33.33 == found["recommend"]["nps"]["score"]  # 2 promoters, 1 detractor, of 3
    assert (None, None) == (found["satisfied"]["nps"], found["satisfied"]["csat"])


def test_the_request_may_name_more_questions() -> None:
    """?nps= and ?csat= add to the configured questions for this request only."""
    store = counted(survey_distribution(), *SURVEY)
    results = LiveResults(store=store, csat_questions={"other"})
    found = questions(
        results.survey(survey_id="s1", query={"csat": "satisfied", "nps": "recommend"})
    )
    assert (66.67, 33.33) == (found["satisfied"]["csat"], found["recommend"]["nps"]["score"])
    assert questions(results.survey(survey_id="s1", query={}))["satisfied"]["csat"] is None


def test_a_survey_without_counted_responses_is_not_found() -> None:
    """Another survey's responses do not make this one known."""
    store = counted(survey_distribution(), *SURVEY)
    with pytest.raises(NotFoundError):
        LiveResults(store=store).survey(survey_id="s2", query={})


def test_bad_survey_parameters_are_every_error_at_once() -> None:
    """A bad survey id and a bad question id are reported together."""
    with pytest.raises(ValidationError) as raised:
        LiveResults(store=InMemoryCounterStore()).survey(
            survey_id="", query={"nps": "recommend,not valid", "csat": "ok"}
        )
    assert [("/surveyId", "empty"), ("/nps/1", "pattern")] == errors_of(raised)
