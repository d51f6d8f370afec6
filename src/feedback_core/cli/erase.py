"""``feedback-core erase``: the right to erasure from a terminal (an administrator's AWS login).

Deletes a customer's feedback from the feedback table with the library's erasure use case, as
``DELETE /customers/{customerId}/feedback`` does, and prints ``{"customerId", "erased"}``.
Running it again is harmless (``erased`` is then 0). Needs boto3 (``feedback-core[aws]``) and
credentials allowed ``dynamodb:Query`` on the ``byCustomer`` index and ``dynamodb:DeleteItem``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

from feedback_core.errors import FeedbackCoreError, ValidationError

if TYPE_CHECKING:
    import argparse

__all__ = ["register", "run"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``erase`` command to the ``feedback-core`` parser."""
    parser = commands.add_parser("erase", help="delete a customer's feedback (right to erasure)")
    parser.add_argument("--customer-id", required=True, help="the customer whose feedback goes")
    parser.add_argument("--table", required=True, help="the feedback table's name")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Erase; print the outcome as JSON. Exit 0, 2 for a bad customer id, 1 if AWS failed."""
    from feedback_core.http.admin_routes import ERASE_CUSTOMER
    from feedback_core.usecases.erasure import EraseCustomer, ErasureConfig, ErasureService

    try:
        # The same id rule as the route's path parameter.
        path, _ = ERASE_CUSTOMER.parameters({"customerId": args.customer_id}, {})
        service = ErasureService.from_config(ErasureConfig(table=args.table))
        erasure = service.erase(EraseCustomer(customer_id=path.customer_id))
    except FeedbackCoreError as error:
        print(f"feedback-core erase: {error}")
        return 2 if isinstance(error, ValidationError) else 1
    print(orjson.dumps(erasure.to_json()).decode())
    return 0
