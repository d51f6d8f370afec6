"""Health checks: cheap probes of each dependency, none of them a scan.

- :class:`Probe` (the port) and :class:`ProbeResult`.
- :class:`DynamoDBTableProbe`: one ``DescribeTable`` with a short timeout.
- :class:`StaticProbe`: a probe a test sets.

:class:`feedback_core.usecases.HealthService` runs them for ``GET /health``. Importing this
package does not import boto3.
"""

from feedback_core.health.dynamodb import DynamoDBTableProbe
from feedback_core.health.memory import StaticProbe
from feedback_core.health.ports import Probe, ProbeResult

__all__ = ["DynamoDBTableProbe", "Probe", "ProbeResult", "StaticProbe"]
