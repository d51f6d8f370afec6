"""DELETE /customers/{customerId}/feedback: erase a customer's feedback; 200 with the count.

Administrators only (IAM authorization in the template). Repeating it is harmless (the count
is then 0). Live counters follow through the table's stream; see docs/erasure.md.
Settings: :class:`feedback_core.usecases.ErasureConfig` (FEEDBACK_TABLE).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from feedback_core.http import AccessConfig, ApiCall, NoParameters, api_handler
from feedback_core.http.admin_routes import ERASE_CUSTOMER, CustomerPath
from feedback_core.usecases import EraseCustomer, Erasure, ErasureConfig, ErasureService

logger = Logger(service="feedback-api")
access = AccessConfig.from_env()
erasure = ErasureService.from_config(ErasureConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
@api_handler(ERASE_CUSTOMER, logger=logger, cors_origins=access.cors_allowed_origins)
def handler(call: ApiCall[CustomerPath, NoParameters]) -> Erasure:
    """Delete every feedback of the customer in the path."""
    return erasure.erase(EraseCustomer(customer_id=call.path.customer_id))
