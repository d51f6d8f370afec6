"""The read side: live poll results, feedback analytics and survey summaries, as read models.

The counters are written by the stream aggregators (:mod:`feedback_core.aggregate`); this reads
them with the read model (:func:`~feedback_core.aggregate.poll_results`,
:func:`~feedback_core.aggregate.feedback_analytics`,
:func:`~feedback_core.aggregate.survey_summary`). Every read is one paginated query of one
counter group. Parameters arrive validated (the HTTP layer declares them); this adds only the
rules that span parameters. ``feedback_core.aggregate`` is imported inside the methods: loading
it would cost the POST handlers' cold starts tens of milliseconds for nothing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, Self

import attrs

from feedback_core import config as env
from feedback_core.errors import FieldError, NotFoundError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from feedback_core.aggregate.ports import CounterStore
    from feedback_core.aggregate.read import FeedbackAnalytics, PollResults, SurveySummary

__all__ = ["ResultsConfig", "ResultsService"]


@attrs.frozen(kw_only=True)
class ResultsConfig:
    """The read side's settings.

    ======================  ===================================================================
    Variable                Meaning
    ======================  ===================================================================
    ``COUNTERS_TABLE``      The counters the stream aggregators keep. Required.
    ``NPS_QUESTIONS``       Question ids on the 0-10 recommend scale, in any survey.
    ``CSAT_QUESTIONS``      Question ids on a 1-5 satisfaction scale, in any survey.
    ======================  ===================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("COUNTERS_TABLE",)
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ("NPS_QUESTIONS", "CSAT_QUESTIONS")

    table: str
    nps_questions: frozenset[str] = frozenset()
    csat_questions: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing table.
        """
        return cls(
            table=env.required(environ, "COUNTERS_TABLE"),
            nps_questions=env.names(environ, "NPS_QUESTIONS"),
            csat_questions=env.names(environ, "CSAT_QUESTIONS"),
        )


def _day(value: str | None, name: str, errors: list[FieldError]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # the pattern held, the calendar did not: 2026-02-30
        errors.append(FieldError(pointer=f"/{name}", code="pattern", message="Must be a real day."))
        return None


@attrs.frozen(kw_only=True)
class ResultsService:
    """Live results from the counters.

    There is no poll or survey registry: a poll nobody has voted in and a mistyped poll id look
    the same, and both are a ``NotFoundError``, as is a survey without responses. Feedback
    analytics always exist (all zero at first).

    Args:
        store: The counter store the aggregators write.
        nps_questions: Question ids on the 0-10 recommend scale, in any survey.
        csat_questions: Question ids on a 1-5 satisfaction scale.

    Examples:
        >>> from feedback_core.aggregate import StreamAggregator, vote_tally
        >>> from feedback_core.testing import InMemoryCounterStore
        >>> store = InMemoryCounterStore()
        >>> _ = StreamAggregator(projection=vote_tally(), store=store).handle({"Records": [{
        ...     "eventName": "INSERT", "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:stream/s",
        ...     "dynamodb": {"SequenceNumber": "1", "ApproximateCreationDateTime": 1795000000,
        ...                  "NewImage": {"pollId": {"S": "p1"}, "choice": {"S": "tabs"}}}}]})
        >>> results = ResultsService(store=store).poll("p1", choices=("tabs", "spaces"))
        >>> [(c.choice, c.votes) for c in results.choices]
        [('tabs', 1), ('spaces', 0)]
    """

    store: CounterStore
    nps_questions: frozenset[str] = frozenset()
    csat_questions: frozenset[str] = frozenset()

    @classmethod
    def from_config(
        cls, config: ResultsConfig, *, store: CounterStore | None = None
    ) -> ResultsService:
        """Build the service a handler uses (the DynamoDB counter store unless one is given)."""
        if store is None:
            from feedback_core.aggregate.dynamodb import DynamoDBCounterStore

            store = DynamoDBCounterStore(table_name=config.table)
        return cls(
            store=store, nps_questions=config.nps_questions, csat_questions=config.csat_questions
        )

    def poll(self, poll_id: str, *, choices: Iterable[str] | None = None) -> PollResults:
        """The poll's tally with percentages; ``choices`` are listed first, even at zero.

        Raises:
            NotFoundError: no vote has been counted in the poll.
            ServiceError: the store failed.
        """
        from feedback_core.aggregate.read import poll_results

        listed = list(dict.fromkeys(choices)) if choices else None
        results = poll_results(self.store, poll_id, choices=listed)
        if results.total_votes == 0 and results.updated_at is None:
            raise NotFoundError("No votes have been counted in this poll.")
        return results

    def analytics(self, *, since: str | None = None, until: str | None = None) -> FeedbackAnalytics:
        """Feedback count, average rating, histogram, CSAT, sentiment, and the daily series.

        Args:
            since: The first day of the daily series (``YYYY-MM-DD``), inclusive.
            until: The last day, inclusive.

        Raises:
            ValidationError: a day that does not exist, or ``until`` before ``since``.
            ServiceError: the store failed.
        """
        from feedback_core.aggregate.read import feedback_analytics

        errors: list[FieldError] = []
        first, last = _day(since, "since", errors), _day(until, "until", errors)
        if first is not None and last is not None and last < first:
            errors.append(
                FieldError(pointer="/until", code="minimum", message="Must not be before since.")
            )
        if errors:
            raise ValidationError(tuple(errors))
        return feedback_analytics(self.store, since=since, until=until)

    def survey(
        self, survey_id: str, *, nps: Iterable[str] = (), csat: Iterable[str] = ()
    ) -> SurveySummary:
        """Each question's answer distribution, with NPS and CSAT where the questions say so.

        Raises:
            NotFoundError: no response to the survey has been counted.
            ServiceError: the store failed.
        """
        from feedback_core.aggregate.read import survey_summary

        summary = survey_summary(
            self.store,
            survey_id,
            nps_questions=self.nps_questions | set(nps),
            csat_questions=self.csat_questions | set(csat),
        )
        if summary.responses == 0 and not summary.questions and summary.updated_at is None:
            raise NotFoundError("No responses to this survey have been counted.")
        return summary
