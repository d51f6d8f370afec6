"""GET /health: 200 when every dependency answers, 503 naming those that do not; for a canary.

Settings: :class:`feedback_core.usecases.HealthConfig` (HEALTH_TABLES: label=table pairs, each
probed with one DescribeTable, never a scan; HEALTH_TIMEOUT_SECONDS).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from feedback_core.http import AccessConfig, ApiCall, NoParameters, api_handler
from feedback_core.http.admin_routes import HEALTH, health_problem
from feedback_core.usecases import HealthConfig, HealthReport, HealthService

logger = Logger(service="feedback-api")
access = AccessConfig.from_env()
health = HealthService.from_config(HealthConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
@api_handler(
    HEALTH,
    logger=logger,
    cors_origins=access.cors_allowed_origins,
    problem_extensions=health_problem,
)
def handler(call: ApiCall[NoParameters, NoParameters]) -> HealthReport:
    """Probe every dependency once."""
    del call  # nothing in the request changes the answer
    return health.check()
