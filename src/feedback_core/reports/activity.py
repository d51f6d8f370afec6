"""Activity counters: which surveys and polls were active on a day, kept by the stream aggregators.

A daily report must find the surveys answered on a day without scanning the responses table, and
the snapshot job the polls voted in without scanning the counters table. Both answers are
counters like any other, folded exactly once by :class:`~feedback_core.aggregate.StreamAggregator`
from the same streams: combine these projections with the table's own (the reference
``stream_aggregator`` handler does) and one ``read_group`` of ``activity#surveys#<day>`` lists
the day's surveys with their response counts.

=====================================  ====================  ===========
group                                  item name             field
=====================================  ====================  ===========
``activity#surveys#<YYYY-MM-DD>``      ``survey:<surveyId>``  ``responses``
``activity#polls#<YYYY-MM-DD>``        ``poll:<pollId>``      ``votes``
=====================================  ====================  ===========

The day is the UTC day of ``submittedAt`` (responses) or ``votedAt`` (votes). A deleted item
subtracts its contribution, so a day whose responses were all erased lists its survey at zero.

Examples:
    >>> [(c.counter.group, c.counter.name) for c in survey_activity()(
    ...     {"surveyId": "nps", "answers": {}, "submittedAt": "2026-11-22T10:00:00Z"})]
    [('activity#surveys#2026-11-22', 'survey:nps')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from feedback_core.aggregate.projections import Contribution, CounterKey, FunctionProjection

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from feedback_core.attributes import Value

__all__ = [
    "POLL_PREFIX",
    "SURVEY_PREFIX",
    "poll_activity",
    "polls_group",
    "survey_activity",
    "surveys_group",
]

SURVEY_PREFIX: Final = "survey:"
POLL_PREFIX: Final = "poll:"


def surveys_group(day: str) -> str:
    """Return the counter group listing the surveys answered on ``day`` (``YYYY-MM-DD``, UTC)."""
    return f"activity#surveys#{day}"


def polls_group(day: str) -> str:
    """Return the counter group listing the polls voted in on ``day`` (``YYYY-MM-DD``, UTC)."""
    return f"activity#polls#{day}"


def _day(image: Mapping[str, Value], attribute: str) -> str | None:
    stamp = image.get(attribute)
    return stamp[:10] if isinstance(stamp, str) and len(stamp) >= 10 else None


def survey_activity() -> FunctionProjection:
    """Count responses per UTC day and survey: ``survey:<id>`` ``responses`` +1 on the day's group.

    Returns:
        The ``survey-activity`` projection.
    """

    def contribute(image: Mapping[str, Value]) -> Iterator[Contribution]:
        survey_id, day = image.get("surveyId"), _day(image, "submittedAt")
        if isinstance(survey_id, str) and day is not None:
            key = CounterKey(group=surveys_group(day), name=f"{SURVEY_PREFIX}{survey_id}")
            yield Contribution(counter=key, field="responses")

    return FunctionProjection("survey-activity", contribute)


def poll_activity() -> FunctionProjection:
    """Count votes per UTC day and poll: ``poll:<id>`` ``votes`` +1 on the day's group.

    Returns:
        The ``poll-activity`` projection.
    """

    def contribute(image: Mapping[str, Value]) -> Iterator[Contribution]:
        poll_id, day = image.get("pollId"), _day(image, "votedAt")
        if isinstance(poll_id, str) and day is not None:
            key = CounterKey(group=polls_group(day), name=f"{POLL_PREFIX}{poll_id}")
            yield Contribution(counter=key, field="votes")

    return FunctionProjection("poll-activity", contribute)
