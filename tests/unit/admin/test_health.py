"""HealthService: every dependency asked once; all answer is a report, any silent is a 503."""

from __future__ import annotations

import pytest

from feedback_core.config import ConfigurationError
from feedback_core.health import StaticProbe
from feedback_core.ingest.problems import problem_status
from feedback_core.usecases import HealthConfig, HealthService, UnhealthyError


def test_all_dependencies_answering_is_ok() -> None:
    """Both probes answer: status ok, each named."""
    report = HealthService(probes=(StaticProbe(name="a"), StaticProbe(name="b"))).check()
    assert {"status": "ok", "checks": {"a": "ok", "b": "ok"}} == report.to_json()


def test_one_silent_dependency_is_a_503_naming_it() -> None:
    """A failed probe raises UnhealthyError (503) whose report says which failed."""
    probes = (StaticProbe(name="a"), StaticProbe(name="b", ok=False))
    with pytest.raises(UnhealthyError) as raised:
        HealthService(probes=probes).check()
    assert (503, {"a": "ok", "b": "unavailable"}) == (
        problem_status(raised.value)[0],
        raised.value.report.check_states(),
    )


def test_each_probe_is_asked_once_per_check() -> None:
    """One question per dependency per check: cheap enough for a canary."""
    probes = (StaticProbe(name="a"), StaticProbe(name="b"))
    HealthService(probes=probes).check()
    assert [1, 1] == [p.calls for p in probes]


def test_config_reads_label_table_pairs() -> None:
    """HEALTH_TABLES pairs labels (shown) with tables (kept private)."""
    config = HealthConfig.from_env({"HEALTH_TABLES": "votes=v-dev, feedback=f-dev"})
    assert ({"feedback": "f-dev", "votes": "v-dev"}, 2) == (
        dict(config.tables),
        config.timeout_seconds,
    )


@pytest.mark.parametrize("value", ["", "feedback", "=f-dev", "feedback="])
def test_config_refuses_tables_without_labels(value: str) -> None:
    """Each entry must be label=table, and one at least."""
    with pytest.raises(ConfigurationError, match="HEALTH_TABLES"):
        HealthConfig.from_env({"HEALTH_TABLES": value})


def test_config_bounds_the_timeout() -> None:
    """A probe timeout over 10 s would not suit a canary."""
    with pytest.raises(ConfigurationError, match="HEALTH_TIMEOUT_SECONDS"):
        HealthConfig.from_env({"HEALTH_TABLES": "a=b", "HEALTH_TIMEOUT_SECONDS": "30"})
