"""AggregatorConfig: the stream aggregator's settings, read once at cold start."""

from __future__ import annotations

import pytest

from feedback_core.aggregate import AggregatorConfig
from feedback_core.errors import ConfigurationError


@pytest.mark.parametrize(
    ("name", "projection"),
    [("votes", "vote-tally"), ("Feedback", "feedback-stats"), ("survey-responses", "survey")],
)
def test_each_projection_choice_builds_its_projection(name: str, projection: str) -> None:
    """Every PROJECTION choice (any case) names one built-in projection."""
    config = AggregatorConfig.from_env({"PROJECTION": name, "COUNTERS_TABLE": "counters"})
    assert projection in config.build_projection().name


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"COUNTERS_TABLE": "counters"}, "PROJECTION"),
        ({"PROJECTION": "ballots", "COUNTERS_TABLE": "counters"}, "PROJECTION"),
        ({"PROJECTION": "votes"}, "COUNTERS_TABLE"),
    ],
)
def test_a_missing_or_unknown_setting_is_an_error_naming_it(
    environ: dict[str, str], named: str
) -> None:
    """Cold start fails with a ConfigurationError that names the variable."""
    with pytest.raises(ConfigurationError, match=named):
        AggregatorConfig.from_env(environ)


def test_the_declared_variables_are_the_ones_read() -> None:
    """REQUIRED_ENV lists exactly what from_env needs."""
    environ = dict.fromkeys(AggregatorConfig.REQUIRED_ENV, "votes")
    assert "votes" == AggregatorConfig.from_env(environ).counters_table
