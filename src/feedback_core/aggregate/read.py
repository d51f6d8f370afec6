"""The read model: poll results, feedback analytics and survey summaries from the counters.

Each read function takes a :class:`~feedback_core.aggregate.ports.CounterStore`, reads one
counter group (one query) and returns a frozen value whose ``to_json()`` is the response body.

Definitions (1-5 and 0-10 scales):

* **Percentages** are shares of the relevant total, rounded half-up to two decimals, so they
  may not add up to exactly 100. A multiple-choice survey answer's shares are of the
  respondents who answered the question, and may add up to more than 100.
* **Average rating** is the rating sum over the number of rated items, two decimals.
* **CSAT** (customer satisfaction) on a 1-5 scale is the percentage of ratings that are 4 or
  5, among ratings 1-5. Feedback always has it (its rating is 1-5); a survey question has it
  when the caller names it in ``csat_questions``.
* **NPS** (Net Promoter Score) needs the 0-10 "how likely are you to recommend" scale:
  promoters answer 9-10, passives 7-8, detractors 0-6, and NPS = % promoters - % detractors,
  from -100 to 100. It is computed only for survey questions the caller names in
  ``nps_questions``, never for a 1-5 rating: mapping 1-5 onto NPS has no accepted definition.
  Answers outside 0-10 (or not whole numbers) are left out of a question's NPS.
* **Sentiment distribution** shares are of the feedback that has a sentiment label;
  ``unanalyzed`` counts feedback whose label has not landed yet.

One module past 500 lines on purpose: the three read models share the percentage, average,
CSAT and NPS arithmetic defined above, and reading them together keeps the definitions one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, TypeAlias

import attrs

from feedback_core.aggregate.projections import (
    FEEDBACK_GROUP,
    Amount,
    poll_group,
    survey_group,
)
from feedback_core.aggregate.stream import parse_number

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from feedback_core.aggregate.ports import CounterGroup, CounterItem, CounterStore

__all__ = [
    "SENTIMENT_LABELS",
    "AnswerCount",
    "ChoiceTally",
    "DailyCount",
    "FeedbackAnalytics",
    "Json",
    "NetPromoterScore",
    "PollResults",
    "QuestionSummary",
    "RatingCount",
    "SentimentCount",
    "SurveySummary",
    "feedback_analytics",
    "poll_results",
    "survey_summary",
]

Json: TypeAlias = "str | int | float | bool | list[Json] | dict[str, Json] | None"
"""A JSON value as ``orjson.dumps`` takes it."""

SENTIMENT_LABELS = ("positive", "neutral", "negative", "mixed")
"""The sentiment labels always listed, even at zero."""

RATING_SCALE = range(1, 6)
_CENT = Decimal("0.01")


def _percent(part: Amount, whole: Amount) -> Decimal:
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _ratio(total: Amount, count: Amount) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _int(amount: Amount) -> int:
    return int(amount)


def _number_json(value: Decimal | None) -> float | None:
    # JSON has one number type; two-decimal values survive the trip through a float.
    return None if value is None else float(value)


@attrs.frozen(kw_only=True)
class ChoiceTally:
    """One choice's votes.

    Attributes:
        choice: The choice.
        votes: Its votes.
        percentage: Its share of all votes in the poll.
    """

    choice: str
    votes: int
    percentage: Decimal

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape."""
        return {"choice": self.choice, "votes": self.votes, "percentage": float(self.percentage)}


@attrs.frozen(kw_only=True)
class PollResults:
    """A poll's live tally (``GET /polls/{pollId}/results``).

    Attributes:
        poll_id: The poll.
        total_votes: All votes counted.
        choices: Per choice, most votes first (or in the order asked for).
        updated_at: When the newest counted change happened (ISO-8601), if any.
    """

    poll_id: str
    total_votes: int
    choices: tuple[ChoiceTally, ...]
    updated_at: str | None

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape (camelCase keys)."""
        return {
            "pollId": self.poll_id,
            "totalVotes": self.total_votes,
            "choices": [c.to_json() for c in self.choices],
            "updatedAt": self.updated_at,
        }


def poll_results(
    store: CounterStore, poll_id: str, *, choices: Sequence[str] | None = None
) -> PollResults:
    """Read a poll's tally with percentages.

    Args:
        store: The counter store the vote-tally aggregator writes.
        poll_id: The poll.
        choices: The poll's choices in display order: listed even at zero votes, and in this
            order. Without it, choices with votes are listed, most votes first.

    Returns:
        The results.

    Raises:
        ServiceError: the store failed.
    """
    group = store.read_group(poll_group(poll_id))
    counts: dict[str, int] = {}
    tally = group.items.get("tally")
    if tally is not None:
        for field, amount in tally.fields.items():
            if field.startswith("choice:") and amount:
                counts[field.removeprefix("choice:")] = _int(amount)
    total = sum(counts.values())
    if choices is None:
        order = sorted(counts, key=lambda c: (-counts[c], c))
    else:
        order = list(dict.fromkeys([*choices, *sorted(counts, key=lambda c: (-counts[c], c))]))
    return PollResults(
        poll_id=poll_id,
        total_votes=total,
        choices=tuple(
            ChoiceTally(
                choice=c, votes=counts.get(c, 0), percentage=_percent(counts.get(c, 0), total)
            )
            for c in order
        ),
        updated_at=group.updated_at,
    )


@attrs.frozen(kw_only=True)
class RatingCount:
    """How many feedback items gave one rating.

    Attributes:
        rating: The rating.
        count: How many gave it.
        percentage: Its share of all rated feedback.
    """

    rating: int
    count: int
    percentage: Decimal

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape."""
        return {"rating": self.rating, "count": self.count, "percentage": float(self.percentage)}


@attrs.frozen(kw_only=True)
class SentimentCount:
    """How many feedback items carry one sentiment label.

    Attributes:
        label: ``positive``, ``neutral``, ``negative``, ``mixed`` (or another label seen).
        count: How many carry it.
        percentage: Its share of the labelled feedback.
    """

    label: str
    count: int
    percentage: Decimal

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape."""
        return {"label": self.label, "count": self.count, "percentage": float(self.percentage)}


@attrs.frozen(kw_only=True)
class DailyCount:
    """One day of feedback.

    Attributes:
        day: ``YYYY-MM-DD`` (UTC, from ``createdAt``).
        count: Feedback items created that day.
        average_rating: Their average rating, if any was rated.
    """

    day: str
    count: int
    average_rating: Decimal | None

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape."""
        return {
            "day": self.day,
            "count": self.count,
            "averageRating": _number_json(self.average_rating),
        }


@attrs.frozen(kw_only=True)
class FeedbackAnalytics:
    """Feedback analytics (``GET /analytics``).

    Attributes:
        count: All feedback items.
        rated: Those with a rating.
        average_rating: The average rating (two decimals), if any.
        rating_histogram: Ratings 1-5 (always listed) and any other rating seen.
        csat: Percentage of 1-5 ratings that are 4 or 5, if any.
        sentiment: The four labels (always listed) and any other label seen.
        unanalyzed: Feedback without a sentiment label yet.
        daily: Per day, oldest first (within ``since``/``until`` if given).
        updated_at: When the newest counted change happened, if any.
    """

    count: int
    rated: int
    average_rating: Decimal | None
    rating_histogram: tuple[RatingCount, ...]
    csat: Decimal | None
    sentiment: tuple[SentimentCount, ...]
    unanalyzed: int
    daily: tuple[DailyCount, ...]
    updated_at: str | None

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape (camelCase keys)."""
        return {
            "count": self.count,
            "rated": self.rated,
            "averageRating": _number_json(self.average_rating),
            "ratingHistogram": [r.to_json() for r in self.rating_histogram],
            "csat": _number_json(self.csat),
            "sentiment": [s.to_json() for s in self.sentiment],
            "unanalyzed": self.unanalyzed,
            "daily": [d.to_json() for d in self.daily],
            "updatedAt": self.updated_at,
        }


def _prefixed(item: CounterItem | None, prefix: str) -> dict[str, int]:
    if item is None:
        return {}
    return {
        field.removeprefix(prefix): _int(amount)
        for field, amount in item.fields.items()
        if field.startswith(prefix) and amount
    }


def _rating_histogram(ratings: dict[str, int], rated: int) -> tuple[RatingCount, ...]:
    by_rating = {int(r): n for r, n in ratings.items() if r.lstrip("-").isdigit()}
    for rating in RATING_SCALE:
        by_rating.setdefault(rating, 0)
    return tuple(
        RatingCount(rating=r, count=n, percentage=_percent(n, rated))
        for r, n in sorted(by_rating.items())
    )


def _csat(counts: dict[int, int]) -> Decimal | None:
    on_scale = sum(n for value, n in counts.items() if value in RATING_SCALE)
    if not on_scale:
        return None
    return _percent(sum(n for value, n in counts.items() if value in (4, 5)), on_scale)


def feedback_analytics(
    store: CounterStore,
    *,
    group: str = FEEDBACK_GROUP,
    since: str | None = None,
    until: str | None = None,
) -> FeedbackAnalytics:
    """Read feedback analytics: count, average, histogram, CSAT, sentiment, per-day series.

    Args:
        store: The counter store the feedback-stats aggregator writes.
        group: The counter group (as given to ``feedback_stats``).
        since: First day (``YYYY-MM-DD``) of the daily series, inclusive.
        until: Last day of the daily series, inclusive.

    Returns:
        The analytics.

    Raises:
        ServiceError: the store failed.
    """
    counters: CounterGroup = store.read_group(group)
    total = counters.items.get("total")
    count = _int(counters.get("total", "count"))
    rated = _int(counters.get("total", "rated"))
    ratings = _prefixed(total, "rating:")
    histogram = _rating_histogram(ratings, rated)
    labels = _prefixed(total, "sentiment:")
    for label in SENTIMENT_LABELS:
        labels.setdefault(label, 0)
    labelled = sum(labels.values())
    order = [*SENTIMENT_LABELS, *sorted(set(labels) - set(SENTIMENT_LABELS))]
    daily = []
    for name in sorted(n for n in counters.items if n.startswith("day:")):
        day = name.removeprefix("day:")
        if (since is not None and day < since) or (until is not None and day > until):
            continue
        daily.append(
            DailyCount(
                day=day,
                count=_int(counters.get(name, "count")),
                average_rating=_ratio(counters.get(name, "ratingSum"), counters.get(name, "rated")),
            )
        )
    return FeedbackAnalytics(
        count=count,
        rated=rated,
        average_rating=_ratio(counters.get("total", "ratingSum"), rated),
        rating_histogram=histogram,
        csat=_csat({r.rating: r.count for r in histogram}),
        sentiment=tuple(
            SentimentCount(
                label=label, count=labels[label], percentage=_percent(labels[label], labelled)
            )
            for label in order
        ),
        unanalyzed=max(count - labelled, 0),
        daily=tuple(daily),
        updated_at=counters.updated_at,
    )


@attrs.frozen(kw_only=True)
class AnswerCount:
    """How many respondents gave one answer.

    Attributes:
        answer: The answer: text, number or boolean.
        count: How many gave it.
        percentage: Its share of the respondents who answered the question.
    """

    answer: str | int | Decimal | bool
    count: int
    percentage: Decimal

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape."""
        answer: Json = float(self.answer) if isinstance(self.answer, Decimal) else self.answer
        return {"answer": answer, "count": self.count, "percentage": float(self.percentage)}


@attrs.frozen(kw_only=True)
class NetPromoterScore:
    """NPS of one 0-10 question.

    Attributes:
        score: % promoters (9-10) - % detractors (0-6), from -100 to 100, two decimals.
        promoters: Answers 9-10.
        passives: Answers 7-8.
        detractors: Answers 0-6.
        responses: Answers on the 0-10 scale.
    """

    score: Decimal
    promoters: int
    passives: int
    detractors: int
    responses: int

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape."""
        return {
            "score": float(self.score),
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "responses": self.responses,
        }


@attrs.frozen(kw_only=True)
class QuestionSummary:
    """One survey question's answer distribution.

    Attributes:
        question_id: The question.
        answered: Respondents who answered it.
        answers: The distribution: numbers ascending, then booleans, then texts by count.
        other: Answers not tallied by value (long free text, other shapes).
        mean: The mean of the numeric answers, if any.
        nps: The NPS, for questions named in ``nps_questions``.
        csat: Percentage of 4-5 among 1-5 answers, for questions named in ``csat_questions``.
    """

    question_id: str
    answered: int
    answers: tuple[AnswerCount, ...]
    other: int
    mean: Decimal | None
    nps: NetPromoterScore | None = None
    csat: Decimal | None = None

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape (camelCase keys)."""
        return {
            "questionId": self.question_id,
            "answered": self.answered,
            "answers": [a.to_json() for a in self.answers],
            "other": self.other,
            "mean": _number_json(self.mean),
            "nps": None if self.nps is None else self.nps.to_json(),
            "csat": _number_json(self.csat),
        }


@attrs.frozen(kw_only=True)
class SurveySummary:
    """A survey's summary (``GET /surveys/{surveyId}/summary``).

    Attributes:
        survey_id: The survey.
        responses: Responses counted.
        questions: One summary per question seen, by question id.
        updated_at: When the newest counted change happened, if any.
    """

    survey_id: str
    responses: int
    questions: tuple[QuestionSummary, ...]
    updated_at: str | None

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape (camelCase keys)."""
        return {
            "surveyId": self.survey_id,
            "responses": self.responses,
            "questions": [q.to_json() for q in self.questions],
            "updatedAt": self.updated_at,
        }


def _nps(numbers: dict[Amount, int]) -> NetPromoterScore | None:
    on_scale = {
        int(value): n for value, n in numbers.items() if value == int(value) and 0 <= value <= 10
    }
    responses = sum(on_scale.values())
    if not responses:
        return None
    promoters = sum(n for v, n in on_scale.items() if v >= 9)
    detractors = sum(n for v, n in on_scale.items() if v <= 6)
    return NetPromoterScore(
        score=_percent(promoters - detractors, responses),
        promoters=promoters,
        passives=responses - promoters - detractors,
        detractors=detractors,
        responses=responses,
    )


def _question(question_id: str, item: CounterItem, *, nps: bool, csat: bool) -> QuestionSummary:
    answered = _int(item.get("answered"))
    numbers: dict[Amount, int] = {}
    booleans: dict[bool, int] = {}
    texts: dict[str, int] = {}
    for field, amount in item.fields.items():
        if not amount:
            continue
        if field.startswith("n:"):
            numbers[parse_number(field[2:])] = _int(amount)
        elif field.startswith("b:"):
            booleans[field == "b:true"] = _int(amount)
        elif field.startswith("s:"):
            texts[field[2:]] = _int(amount)
    answers: list[AnswerCount] = [
        AnswerCount(answer=v, count=n, percentage=_percent(n, answered))
        for v, n in sorted(numbers.items())
    ]
    answers += [
        AnswerCount(answer=v, count=n, percentage=_percent(n, answered))
        for v, n in sorted(booleans.items())
    ]
    answers += [
        AnswerCount(answer=v, count=n, percentage=_percent(n, answered))
        for v, n in sorted(texts.items(), key=lambda t: (-t[1], t[0]))
    ]
    numeric = sum(numbers.values())
    return QuestionSummary(
        question_id=question_id,
        answered=answered,
        answers=tuple(answers),
        other=_int(item.get("other")),
        mean=_ratio(item.get("sum"), numeric),
        nps=_nps(numbers) if nps else None,
        csat=_csat({int(v): n for v, n in numbers.items() if v == int(v)}) if csat else None,
    )


def survey_summary(
    store: CounterStore,
    survey_id: str,
    *,
    nps_questions: Collection[str] = (),
    csat_questions: Collection[str] = (),
) -> SurveySummary:
    """Read a survey's answer distribution per question, with NPS and CSAT where asked.

    Args:
        store: The counter store the survey-distribution aggregator writes.
        survey_id: The survey.
        nps_questions: Questions on the 0-10 recommend scale: their NPS is computed.
        csat_questions: Questions on a 1-5 satisfaction scale: their CSAT is computed.

    Returns:
        The summary.

    Raises:
        ServiceError: the store failed.
    """
    counters = store.read_group(survey_group(survey_id))
    questions = tuple(
        _question(
            name.removeprefix("question:"),
            item,
            nps=name.removeprefix("question:") in nps_questions,
            csat=name.removeprefix("question:") in csat_questions,
        )
        for name, item in sorted(counters.items.items())
        if name.startswith("question:") and item.get("answered")
    )
    return SurveySummary(
        survey_id=survey_id,
        responses=_int(counters.get("total", "responses")),
        questions=questions,
        updated_at=counters.updated_at,
    )
