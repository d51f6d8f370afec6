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

from feedback_core.aggregate.projections import (
    Contribution,
    CounterKey,
    FunctionProjection,
    combine,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from feedback_core.aggregate.ports import Projection
    from feedback_core.attributes import Value

__all__ = [
    "POLL_PREFIX",
    "SURVEY_PREFIX",
    "poll_activity",
    "polls_group",
    "survey_activity",
    "surveys_group",
    "with_activity",
]

SURVEY_PREFIX: Final = "survey:"
POLL_PREFIX: Final = "poll:"


def surveys_group(day: str) -> str:
    """Return the counter group listing the surveys answered on ``day`` (``YYYY-MM-DD``, UTC)."""
    return f"activity#surveys#{day}"


def polls_group(day: str) -> str:
    """Return the counter group listing the polls voted in on ``day`` (``YYYY-MM-DD``, UTC)."""
    return f"activity#polls#{day}"


def _activity(
    name: str, *, id_attribute: str, time_attribute: str, group: Callable[[str], str], prefix: str,
    field: str,
) -> FunctionProjection:  # fmt: skip
    """Count ``+1`` on ``<prefix><id>`` of ``group(<UTC day of time_attribute>)``."""

    def contribute(image: Mapping[str, Value]) -> Iterator[Contribution]:
        owner, stamp = image.get(id_attribute), image.get(time_attribute)
        if isinstance(owner, str) and isinstance(stamp, str) and len(stamp) >= 10:
            key = CounterKey(group=group(stamp[:10]), name=f"{prefix}{owner}")
            yield Contribution(counter=key, field=field)

    return FunctionProjection(name, contribute)


def survey_activity() -> FunctionProjection:
    """Count responses per UTC day and survey: ``survey:<id>`` ``responses`` +1 on the day's group.

    Returns:
        The ``survey-activity`` projection.
    """
    return _activity(
        "survey-activity", id_attribute="surveyId", time_attribute="submittedAt",
        group=surveys_group, prefix=SURVEY_PREFIX, field="responses",
    )  # fmt: skip


def poll_activity() -> FunctionProjection:
    """Count votes per UTC day and poll: ``poll:<id>`` ``votes`` +1 on the day's group.

    Returns:
        The ``poll-activity`` projection.
    """
    return _activity(
        "poll-activity", id_attribute="pollId", time_attribute="votedAt",
        group=polls_group, prefix=POLL_PREFIX, field="votes",
    )  # fmt: skip


def with_activity(projection: Projection) -> FunctionProjection:
    """Return ``projection`` plus both activity projections, under ``projection``'s own name.

    An item contributes to the survey activity only with ``surveyId`` and ``submittedAt``, to
    the poll activity only with ``pollId`` and ``votedAt``, so one wrapper serves every table
    (feedback adds nothing). Keeping the name keeps the aggregator's progress markers: a
    running stream's redelivered batch is still recognised after the upgrade.

    Examples:
        >>> from feedback_core.aggregate import vote_tally
        >>> with_activity(vote_tally()).name
        'vote-tally'
    """
    return combine(projection, survey_activity(), poll_activity(), name=projection.name)
