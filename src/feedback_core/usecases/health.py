"""The health check (``GET /health``): does each dependency answer? Cheap, no table scan.

Each probe (:mod:`feedback_core.health`) asks one dependency one metadata question with a short
timeout; they run side by side, so the check takes about as long as the slowest probe. All
answer: a :class:`HealthReport`. Any does not: :class:`UnhealthyError` (a 503) carrying the
report. Configure it with :meth:`HealthConfig.from_env`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, ClassVar, Self

import attrs

from feedback_core import config as env
from feedback_core.errors import ConfigurationError, ServiceError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.health.ports import Probe, ProbeResult

__all__ = ["HealthConfig", "HealthReport", "HealthService", "UnhealthyError"]


@attrs.frozen(kw_only=True)
class HealthConfig:
    """The health check's settings.

    ========================  =================================================================
    Variable                  Meaning
    ========================  =================================================================
    ``HEALTH_TABLES``         ``label=table`` pairs, comma-separated: the tables to probe,
                              reported by label (table names stay private). Required.
    ``HEALTH_TIMEOUT_SECONDS`` Each probe's connect and read timeout (1-10, default 2).
    ========================  =================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("HEALTH_TABLES",)
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ("HEALTH_TIMEOUT_SECONDS",)

    tables: Mapping[str, str]
    timeout_seconds: int = 2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: no tables, a pair without ``=``, or a bad timeout.
        """
        pairs = env.names(environ, "HEALTH_TABLES")
        tables = dict(pair.partition("=")[::2] for pair in pairs)
        if not tables or any(not label or not table for label, table in tables.items()):
            raise ConfigurationError("HEALTH_TABLES must be label=table pairs, e.g. feedback=fb")
        timeout = env.integer(environ, "HEALTH_TIMEOUT_SECONDS", default=2, minimum=1, maximum=10)
        return cls(tables=dict(sorted(tables.items())), timeout_seconds=timeout)


@attrs.frozen(kw_only=True)
class HealthReport:
    """Each dependency's answer; ``healthy`` when all answered."""

    checks: tuple[ProbeResult, ...]

    @property
    def healthy(self) -> bool:
        """Whether every dependency answered."""
        return all(check.ok for check in self.checks)

    def to_json(self) -> dict[str, object]:
        """Return the body: ``status`` and each dependency's ``ok`` or ``unavailable``."""
        return {"status": "ok" if self.healthy else "unavailable", "checks": self.check_states()}

    def check_states(self) -> dict[str, str]:
        """Each dependency's label and ``ok`` or ``unavailable`` (reasons stay in logs)."""
        return {check.name: "ok" if check.ok else "unavailable" for check in self.checks}


class UnhealthyError(ServiceError):
    """A dependency did not answer (503); ``report`` says which."""

    def __init__(self, report: HealthReport) -> None:
        """Keep the report; the message names the failed labels and reasons, for logs."""
        failed = ", ".join(f"{c.name} ({c.reason})" for c in report.checks if not c.ok)
        super().__init__("HealthCheck", "Unavailable", failed)
        self.report = report


@attrs.frozen(kw_only=True)
class HealthService:
    """Ask every dependency, side by side.

    Examples:
        >>> from feedback_core.health import StaticProbe
        >>> service = HealthService(probes=(StaticProbe(name="feedback"),))
        >>> service.check().to_json()
        {'status': 'ok', 'checks': {'feedback': 'ok'}}
    """

    probes: tuple[Probe, ...]

    @classmethod
    def from_config(cls, config: HealthConfig) -> Self:
        """One DynamoDB probe per configured table."""
        from feedback_core.health.dynamodb import DynamoDBTableProbe

        probes = tuple(
            DynamoDBTableProbe(name=label, table_name=table, timeout=config.timeout_seconds)
            for label, table in config.tables.items()
        )
        return cls(probes=probes)

    def check(self) -> HealthReport:
        """Probe every dependency once.

        Raises:
            UnhealthyError: any dependency did not answer; the error carries the report.
        """
        with ThreadPoolExecutor(max_workers=max(1, len(self.probes))) as pool:
            report = HealthReport(checks=tuple(pool.map(lambda p: p.probe(), self.probes)))
        if not report.healthy:
            raise UnhealthyError(report)
        return report
