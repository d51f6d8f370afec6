"""The read model: poll results, feedback analytics and survey summaries, and their JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson

from feedback_core.aggregate import (
    Commit,
    CounterUpdate,
    InMemoryCounterStore,
    MarkerKey,
    Position,
    feedback_analytics,
    feedback_stats,
    poll_results,
    recount,
    survey_distribution,
    survey_summary,
    vote_tally,
)
from feedback_core.aggregate.ports import Projection


def store_with(
    items: list[dict[str, Any]], projection: Projection, *, at: str = "2026-11-22T23:20:32Z"
) -> InMemoryCounterStore:
    """A store holding the recount of ``items``, as the aggregator would leave it."""
    store = InMemoryCounterStore()
    updates = tuple(
        CounterUpdate(key=key, deltas=fields, updated_at=at)
        for key, fields in recount(items, projection).counters.items()
    )
    marker = MarkerKey(consumer="test", stream="s", origin="batch:1")
    store.commit(
        Commit(
            marker=marker,
            expected=None,
            position=Position(sequence=1),
            updates=updates,
            expires_at=0,
        )
    )
    return store


def votes(**counts: int) -> list[dict[str, Any]]:
    return [
        {"pollId": "p1", "userId": f"{choice}{n}", "choice": choice}
        for choice, count in counts.items()
        for n in range(count)
    ]


def test_poll_results_give_votes_and_percentages_most_first() -> None:
    """Two-decimal percentages of the total, most votes first."""
    results = poll_results(store_with(votes(red=1, blue=2), vote_tally()), "p1")
    assert (3, [("blue", 2, Decimal("66.67")), ("red", 1, Decimal("33.33"))]) == (
        results.total_votes,
        [(c.choice, c.votes, c.percentage) for c in results.choices],
    )


def test_poll_results_list_known_choices_in_order_even_at_zero() -> None:
    """Given the poll's choices, results list each of them in that order."""
    results = poll_results(store_with(votes(blue=1), vote_tally()), "p1", choices=["red", "blue"])
    assert [("red", 0), ("blue", 1)] == [(c.choice, c.votes) for c in results.choices]


def test_an_unknown_poll_has_no_votes() -> None:
    """Reading a poll nobody voted in gives zeros, not an error."""
    results = poll_results(InMemoryCounterStore(), "nobody")
    assert (0, (), None) == (results.total_votes, results.choices, results.updated_at)


def test_poll_results_json_shape() -> None:
    """to_json() is the response body of GET /polls/{pollId}/results."""
    body = poll_results(store_with(votes(red=1, blue=3), vote_tally()), "p1").to_json()
    assert {
        "pollId": "p1",
        "totalVotes": 4,
        "choices": [
            {"choice": "blue", "votes": 3, "percentage": 75.0},
            {"choice": "red", "votes": 1, "percentage": 25.0},
        ],
        "updatedAt": "2026-11-22T23:20:32Z",
    } == orjson.loads(orjson.dumps(body))


FEEDBACK = [
    {"feedbackId": "f1", "rating": 5, "sentiment": "positive", "createdAt": "2026-11-21T10:00:00Z"},
    {"feedbackId": "f2", "rating": 4, "sentiment": "positive", "createdAt": "2026-11-22T10:00:00Z"},
    {"feedbackId": "f3", "rating": 1, "sentiment": "negative", "createdAt": "2026-11-22T11:00:00Z"},
    {"feedbackId": "f4", "rating": 3, "createdAt": "2026-11-22T12:00:00Z"},
]


def test_feedback_analytics_summarise_ratings() -> None:
    """Count, average rating, histogram over 1-5 and CSAT (share of 4-5)."""
    analytics = feedback_analytics(store_with(FEEDBACK, feedback_stats()))
    assert (4, Decimal("3.25"), [1, 0, 1, 1, 1], Decimal("50.00")) == (
        analytics.count,
        analytics.average_rating,
        [r.count for r in analytics.rating_histogram],
        analytics.csat,
    )


def test_feedback_sentiment_shares_are_of_labelled_feedback() -> None:
    """Shares are of feedback that has a label; the rest is counted as unanalyzed."""
    analytics = feedback_analytics(store_with(FEEDBACK, feedback_stats()))
    assert (
        [
            ("positive", 2, Decimal("66.67")),
            ("neutral", 0, Decimal("0.00")),
            ("negative", 1, Decimal("33.33")),
            ("mixed", 0, Decimal("0.00")),
        ],
        1,
    ) == ([(s.label, s.count, s.percentage) for s in analytics.sentiment], analytics.unanalyzed)


def test_feedback_daily_series_with_average_per_day() -> None:
    """Per day: count and average rating, oldest first, within the requested range."""
    store = store_with(FEEDBACK, feedback_stats())
    everything = feedback_analytics(store)
    recent = feedback_analytics(store, since="2026-11-22")
    assert (
        [("2026-11-21", 1, Decimal("5.00")), ("2026-11-22", 3, Decimal("2.67"))],
        ["2026-11-22"],
    ) == (
        [(d.day, d.count, d.average_rating) for d in everything.daily],
        [d.day for d in recent.daily],
    )


def test_no_feedback_has_no_average_and_no_csat() -> None:
    """Without ratings, average and CSAT are null rather than zero."""
    analytics = feedback_analytics(InMemoryCounterStore())
    assert (0, None, None) == (analytics.count, analytics.average_rating, analytics.csat)


def test_feedback_analytics_json_shape() -> None:
    """to_json() is the response body of GET /analytics."""
    body = orjson.loads(
        orjson.dumps(feedback_analytics(store_with(FEEDBACK[:1], feedback_stats())).to_json())
    )
    assert (
        [
            "count",
            "rated",
            "averageRating",
            "ratingHistogram",
            "csat",
            "sentiment",
            "unanalyzed",
            "daily",
            "updatedAt",
        ],
        5.0,
        {"day": "2026-11-21", "count": 1, "averageRating": 5.0},
    ) == (list(body), body["averageRating"], body["daily"][0])


def responses(*answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"surveyId": "s1", "responseId": f"r{n}", "answers": a} for n, a in enumerate(answers)]


def test_nps_counts_promoters_passives_and_detractors() -> None:
    """NPS on a 0-10 question: % of 9-10 minus % of 0-6."""
    store = store_with(
        responses({"nps": 10}, {"nps": 9}, {"nps": 8}, {"nps": 3}), survey_distribution()
    )
    (question,) = survey_summary(store, "s1", nps_questions={"nps"}).questions
    assert question.nps is not None
    assert (Decimal("25.00"), 2, 1, 1, 4) == (
        question.nps.score,
        question.nps.promoters,
        question.nps.passives,
        question.nps.detractors,
        question.nps.responses,
    )


def test_nps_is_only_computed_for_named_questions() -> None:
    """A numeric question is not assumed to be on the NPS scale."""
    store = store_with(responses({"rating": 5}), survey_distribution())
    (question,) = survey_summary(store, "s1").questions
    assert (None, Decimal("5.00")) == (question.nps, question.mean)


def test_nps_leaves_out_answers_off_the_scale() -> None:
    """Answers outside 0-10 do not count toward NPS."""
    store = store_with(responses({"nps": 10}, {"nps": 11}, {"nps": 0}), survey_distribution())
    (question,) = survey_summary(store, "s1", nps_questions=["nps"]).questions
    assert question.nps is not None
    assert (Decimal("0.00"), 2) == (question.nps.score, question.nps.responses)


def test_csat_on_a_survey_question_is_the_share_of_4_and_5() -> None:
    """CSAT for a named 1-5 question."""
    store = store_with(
        responses({"sat": 5}, {"sat": 4}, {"sat": 2}, {"sat": 1}), survey_distribution()
    )
    (question,) = survey_summary(store, "s1", csat_questions=["sat"]).questions
    assert Decimal("50.00") == question.csat


def test_multiple_choice_shares_are_of_respondents() -> None:
    """A list answer counts each choice once; shares are of those who answered."""
    store = store_with(responses({"f": ["api", "sso"]}, {"f": ["api"]}), survey_distribution())
    (question,) = survey_summary(store, "s1").questions
    assert [("api", 2, Decimal("100.00")), ("sso", 1, Decimal("50.00"))] == [
        (a.answer, a.count, a.percentage) for a in question.answers
    ]


def test_survey_summary_json_shape() -> None:
    """to_json() is the response body of GET /surveys/{surveyId}/summary."""
    store = store_with(responses({"nps": 9, "ok": True}), survey_distribution())
    body = orjson.loads(orjson.dumps(survey_summary(store, "s1", nps_questions=["nps"]).to_json()))
    assert (
        1,
        ["nps", "ok"],
        {"score": 100.0, "promoters": 1, "passives": 0, "detractors": 0, "responses": 1},
        [{"answer": True, "count": 1, "percentage": 100.0}],
    ) == (
        body["responses"],
        [q["questionId"] for q in body["questions"]],
        body["questions"][0]["nps"],
        body["questions"][1]["answers"],
    )
