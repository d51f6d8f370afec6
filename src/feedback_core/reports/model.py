"""The daily survey report as values, built from one day's responses without any AWS import.

A survey's day is counted with the aggregate package's own projection and read model: the
day's responses are recounted with :func:`~feedback_core.aggregate.survey_distribution` into an
in-memory counter store and read back with :func:`~feedback_core.aggregate.survey_summary`, so
distributions, means, NPS and CSAT are defined once, for the live summary and the report alike.
Free-text questions are counted, never reproduced: their answers are dropped before counting.

Examples:
    >>> window = DayWindow(day=date(2026, 11, 22))
    >>> responses = [Response(survey_id="nps", response_id=str(i), respondent_id=None,
    ...                       submitted_at=f"2026-11-22T0{i}:00:00Z", answers={"q": i + 8})
    ...              for i in range(3)]
    >>> report = build_survey_report("nps", responses, nps_questions={"q"})
    >>> report.responses, report.first_response, report.questions[0].summary.nps.score
    (3, '2026-11-22T00:00:00Z', Decimal('66.67'))
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from feedback_core.aggregate.fold import recount
from feedback_core.aggregate.memory import InMemoryCounterStore
from feedback_core.aggregate.ports import (
    MAX_TRANSACTION_ACTIONS,
    Commit,
    CounterUpdate,
    MarkerKey,
    Position,
)
from feedback_core.aggregate.projections import survey_distribution
from feedback_core.aggregate.read import QuestionSummary, survey_summary
from feedback_core.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Mapping

    from feedback_core.aggregate.fold import Deltas
    from feedback_core.aggregate.read import Json
    from feedback_core.attributes import Value

__all__ = [
    "SCHEMA_VERSION",
    "DailyReport",
    "DayWindow",
    "QuestionReport",
    "Response",
    "SurveyDayReport",
    "build_survey_report",
    "parse_time_zone",
]

SCHEMA_VERSION: Final = "feedback-core.daily-report/1"
"""The ``schema`` of the report JSON; a change that breaks readers gets a new number."""


@attrs.frozen(kw_only=True)
class Response:
    """One stored survey response, as the report reads it.

    Attributes:
        survey_id: The survey.
        response_id: The response.
        respondent_id: Who answered, when the response says so.
        submitted_at: When it was stored (ISO-8601 UTC, ``Z``).
        answers: Question id to answer.
    """

    survey_id: str
    response_id: str
    respondent_id: str | None
    submitted_at: str
    answers: Mapping[str, Value]

    @classmethod
    def from_item(cls, item: Mapping[str, Value]) -> Response | None:
        """Read a responses-table item (Python values); ``None`` for an item of another shape."""
        survey_id, response_id = item.get("surveyId"), item.get("responseId")
        submitted_at, answers = item.get("submittedAt"), item.get("answers")
        respondent = item.get("respondentId")
        if not (
            isinstance(survey_id, str)
            and isinstance(response_id, str)
            and isinstance(submitted_at, str)
            and isinstance(answers, dict)
        ):
            return None
        return cls(
            survey_id=survey_id,
            response_id=response_id,
            respondent_id=respondent if isinstance(respondent, str) else None,
            submitted_at=submitted_at,
            answers=answers,
        )


def _stamp(moment: datetime) -> str:
    # No zone suffix: as a sort-key bound, "…T05:00:00" sorts before "…T05:00:00Z" and after
    # "…T04:59:59Z", so BETWEEN start AND end selects exactly [start, end).
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@attrs.frozen(kw_only=True)
class DayWindow:
    """One report day: local midnight to local midnight in ``time_zone``, as UTC bounds.

    Attributes:
        day: The day reported.
        time_zone: An IANA zone name (``UTC`` by default) whose midnight starts the day.

    Examples:
        >>> w = DayWindow(day=date(2026, 11, 22), time_zone="America/New_York")
        >>> w.start, w.end, w.utc_days()
        ('2026-11-22T05:00:00', '2026-11-23T05:00:00', ('2026-11-22', '2026-11-23'))
    """

    day: date
    time_zone: str = "UTC"

    def __attrs_post_init__(self) -> None:
        """Refuse an unknown zone at once."""
        parse_time_zone(self.time_zone)

    def _bounds(self) -> tuple[datetime, datetime]:
        zone = parse_time_zone(self.time_zone)
        start = datetime(self.day.year, self.day.month, self.day.day, tzinfo=zone)
        following = self.day + timedelta(days=1)
        end = datetime(following.year, following.month, following.day, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def start(self) -> str:
        """The first instant of the day, UTC, as a ``submittedAt`` bound (inclusive)."""
        return _stamp(self._bounds()[0])

    @property
    def end(self) -> str:
        """The first instant of the next day, UTC (exclusive)."""
        return _stamp(self._bounds()[1])

    def utc_days(self) -> tuple[str, ...]:
        """The UTC days (``YYYY-MM-DD``) the window overlaps: one, or two with a zone."""
        start, end = self._bounds()
        last = (end - timedelta(seconds=1)).date()
        days, current = [], start.date()
        while current <= last:
            days.append(current.isoformat())
            current += timedelta(days=1)
        return tuple(days)

    def key_prefix(self, prefix: str = "reports/daily/") -> str:
        """The report's folder: ``reports/daily/YYYY/MM/DD/`` (the local day)."""
        return f"{prefix}{self.day:%Y/%m/%d}/"


def parse_time_zone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name``.

    Raises:
        ConfigurationError: no such zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"{name!r} is not a time zone (IANA name, e.g. Europe/Paris)"
        ) from None


@attrs.frozen(kw_only=True)
class QuestionReport:
    """One question of one survey's day.

    Attributes:
        summary: Its distribution, mean, NPS and CSAT (the read model's own value).
        free_text: A free-text question: its answers are counted, not listed.
    """

    summary: QuestionSummary
    free_text: bool = False

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape: the summary's, with ``freeText``."""
        shape = self.summary.to_json()
        if self.free_text:
            shape.update(answers=[], other=0, mean=None, nps=None, csat=None)
        return {**shape, "freeText": self.free_text}


@attrs.frozen(kw_only=True)
class SurveyDayReport:
    """One survey's day.

    Attributes:
        survey_id: The survey.
        responses: Responses stored in the day.
        unique_respondents: Distinct respondent ids among them.
        anonymous: Responses without a respondent id.
        first_response: The earliest ``submittedAt``, if any.
        last_response: The latest ``submittedAt``, if any.
        questions: Per question, by question id.
    """

    survey_id: str
    responses: int
    unique_respondents: int
    anonymous: int
    first_response: str | None
    last_response: str | None
    questions: tuple[QuestionReport, ...]

    def to_json(self) -> dict[str, Json]:
        """Return the JSON shape (camelCase keys)."""
        return {
            "surveyId": self.survey_id,
            "responses": self.responses,
            "uniqueRespondents": self.unique_respondents,
            "anonymous": self.anonymous,
            "firstResponse": self.first_response,
            "lastResponse": self.last_response,
            "questions": [q.to_json() for q in self.questions],
        }


@attrs.frozen(kw_only=True)
class DailyReport:
    """The daily report: every survey answered in the day.

    Attributes:
        window: The day and its time zone.
        generated_at: When the report was built (ISO-8601 UTC).
        surveys: Per survey, by survey id (surveys without responses in the window left out).
        items_read: Items the report read from the responses table (its cost).
    """

    window: DayWindow
    generated_at: str
    surveys: tuple[SurveyDayReport, ...]
    items_read: int = 0

    @property
    def responses(self) -> int:
        """Responses over all surveys."""
        return sum(s.responses for s in self.surveys)

    def to_json(self) -> dict[str, Json]:
        """Return the JSON document (schema :data:`SCHEMA_VERSION`, see docs/reports.md)."""
        return {
            "schema": SCHEMA_VERSION,
            "day": self.window.day.isoformat(),
            "timeZone": self.window.time_zone,
            "start": f"{self.window.start}Z",
            "end": f"{self.window.end}Z",
            "generatedAt": self.generated_at,
            "responses": self.responses,
            "surveys": [s.to_json() for s in self.surveys],
        }

    def summary_lines(self) -> list[str]:
        """A few lines for a notification: the day, then one line per survey."""
        lines = [
            f"Daily survey report {self.window.day} ({self.window.time_zone}): "
            f"{self.responses} responses in {len(self.surveys)} surveys."
        ]
        lines += [
            f"- {s.survey_id}: {s.responses} responses, {s.unique_respondents} respondents"
            for s in self.surveys
        ]
        return lines


def _counted(deltas: Deltas) -> InMemoryCounterStore:
    """Load recounted deltas into an in-memory counter store, so the read model can read them."""
    store = InMemoryCounterStore()
    updates = [CounterUpdate(key=key, deltas=fields) for key, fields in deltas.counters.items()]
    size = MAX_TRANSACTION_ACTIONS - 1  # one action is the marker's
    for start in range(0, len(updates), size):
        store.commit(
            Commit(
                marker=MarkerKey(consumer="daily-report", stream="day", origin=f"part:{start}"),
                expected=None,
                position=Position(sequence=0),
                updates=tuple(updates[start : start + size]),
                expires_at=0,
            )
        )
    return store


@attrs.define
class _Tally:
    """What the projection does not count: respondents and the day's first and last response."""

    free_text: Collection[str]
    respondents: set[str] = attrs.Factory(set)
    anonymous: int = 0
    first: str | None = None
    last: str | None = None

    def images(self, survey_id: str, responses: Iterable[Response]) -> Iterator[dict[str, Value]]:
        for response in responses:
            if response.respondent_id is None:
                self.anonymous += 1
            else:
                self.respondents.add(response.respondent_id)
            stamp = response.submitted_at
            self.first = stamp if self.first is None else min(self.first, stamp)
            self.last = stamp if self.last is None else max(self.last, stamp)
            # Free text is counted under "other" and never held: its text is dropped here.
            answers = {q: (None if q in self.free_text else a) for q, a in response.answers.items()}
            yield {"surveyId": survey_id, "answers": answers}


def build_survey_report(
    survey_id: str,
    responses: Iterable[Response],
    *,
    nps_questions: Collection[str] = (),
    csat_questions: Collection[str] = (),
    free_text_questions: Collection[str] = (),
) -> SurveyDayReport:
    """Count one survey's responses of a day (streamed: only the counts are held).

    Args:
        survey_id: The survey.
        responses: Its responses in the day, in any order.
        nps_questions: Questions on the 0-10 recommend scale (NPS computed).
        csat_questions: Questions on a 1-5 satisfaction scale (CSAT computed).
        free_text_questions: Questions whose answers are free text: counted, not listed.

    Returns:
        The survey's day.
    """
    tally = _Tally(free_text=frozenset(free_text_questions))
    deltas = recount(tally.images(survey_id, responses), survey_distribution())
    summary = survey_summary(
        _counted(deltas),
        survey_id,
        nps_questions=nps_questions,
        csat_questions=csat_questions,
    )
    return SurveyDayReport(
        survey_id=survey_id,
        responses=summary.responses,
        unique_respondents=len(tally.respondents),
        anonymous=tally.anonymous,
        first_response=tally.first,
        last_response=tally.last,
        questions=tuple(
            QuestionReport(summary=q, free_text=q.question_id in tally.free_text)
            for q in summary.questions
        ),
    )
