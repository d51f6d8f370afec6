"""The stream aggregator's settings, read once from the environment at cold start.

Examples:
    >>> config = AggregatorConfig.from_env({"PROJECTION": "votes", "COUNTERS_TABLE": "counters"})
    >>> (config.projection, config.counters_table, config.build_projection().name)
    ('votes', 'counters', 'vote-tally')
    >>> config.counter_writes
    'transactions'
    >>> AggregatorConfig.from_env(
    ...     {"PROJECTION": "votes", "COUNTERS_TABLE": "c", "COUNTER_WRITES": "item-marks"}
    ... ).counter_writes
    'item-marks'
    >>> AggregatorConfig.from_env({"PROJECTION": "ballots", "COUNTERS_TABLE": "c"})
    Traceback (most recent call last):
    ...
    feedback_core.errors.ConfigurationError: PROJECTION must be one of votes, feedback, \
survey-responses, not 'ballots'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, Self

import attrs

from feedback_core.aggregate.projections import feedback_stats, survey_distribution, vote_tally
from feedback_core.config import choice, required

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.aggregate.ports import Projection
    from feedback_core.aggregate.service import CounterWrites

__all__ = ["COUNTER_WRITES_CHOICES", "PROJECTION_CHOICES", "AggregatorConfig", "ProjectionName"]

ProjectionName = Literal["votes", "feedback", "survey-responses"]
"""The source table a stream aggregator counts: which built-in projection it applies."""

PROJECTION_CHOICES: tuple[ProjectionName, ...] = ("votes", "feedback", "survey-responses")

COUNTER_WRITES_CHOICES: tuple[CounterWrites, ...] = ("transactions", "item-marks")


@attrs.frozen(kw_only=True)
class AggregatorConfig:
    """What the reference stream aggregator needs: its projection and its counters table.

    Attributes:
        projection: ``PROJECTION`` (required): ``votes``, ``feedback`` or ``survey-responses``.
        counters_table: ``COUNTERS_TABLE`` (required): the counters table's name.
        counter_writes: ``COUNTER_WRITES``: ``transactions`` (default; any event source
            mapping) or ``item-marks`` (one write unit per counter item instead of two; the
            mapping needs ``TumblingWindowInSeconds``, which carries the shard id).
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("PROJECTION", "COUNTERS_TABLE")
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ("COUNTER_WRITES",)

    projection: ProjectionName
    counters_table: str
    counter_writes: CounterWrites = "transactions"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings; call it at cold start.

        Raises:
            ConfigurationError: a variable is missing or not one of its choices (named).
        """
        required(environ, "PROJECTION")  # no default: say so when it is missing
        return cls(
            projection=choice(environ, "PROJECTION", PROJECTION_CHOICES, default="votes"),
            counters_table=required(environ, "COUNTERS_TABLE"),
            counter_writes=choice(
                environ, "COUNTER_WRITES", COUNTER_WRITES_CHOICES, default="transactions"
            ),
        )

    def build_projection(self) -> Projection:
        """Return the built-in projection this configuration names."""
        builders = {
            "votes": vote_tally,
            "feedback": feedback_stats,
            "survey-responses": survey_distribution,
        }
        return builders[self.projection]()
