"""The right to erasure: delete every feedback a customer gave (by customer id).

Deleting is all this does; what follows from it follows through the table's stream: each
deletion is a ``REMOVE`` record, and the feedback aggregator subtracts the record's counts
from the live analytics (:mod:`feedback_core.aggregate`). Backups and the data lake are
covered in docs/erasure.md. Configure it with :meth:`ErasureConfig.from_env`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

import attrs

from feedback_core import config as env

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.feedback.ports import FeedbackLog

__all__ = ["EraseCustomer", "Erasure", "ErasureConfig", "ErasureService"]


@attrs.frozen(kw_only=True)
class ErasureConfig:
    """The erasure's settings.

    ======================  ===================================================================
    Variable                Meaning
    ======================  ===================================================================
    ``FEEDBACK_TABLE``      The feedback table (with the ``byCustomer`` index). Required.
    ======================  ===================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("FEEDBACK_TABLE",)
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ()

    table: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing table.
        """
        return cls(table=env.required(environ, "FEEDBACK_TABLE"))


@attrs.frozen(kw_only=True)
class EraseCustomer:
    """A command: delete the feedback of ``customer_id``."""

    customer_id: str


@attrs.frozen(kw_only=True)
class Erasure:
    """What an erasure did: how many records it deleted now (0 when repeated)."""

    customer_id: str
    erased: int

    def to_json(self) -> dict[str, object]:
        """Return the response body."""
        return {"customerId": self.customer_id, "erased": self.erased}


@attrs.frozen(kw_only=True)
class ErasureService:
    """Delete a customer's feedback; safe to repeat.

    The customer index is eventually consistent: a record written a moment before the erasure
    may not be found yet. Repeating the erasure finds it (and erases nothing twice).

    Examples:
        >>> from feedback_core.feedback import InMemoryFeedbackLog
        >>> log = InMemoryFeedbackLog()
        >>> log.add({"feedbackId": "f1", "createdAt": "2026-11-22T10:00:00Z", "customerId": "c1"})
        >>> service = ErasureService(log=log)
        >>> service.erase(EraseCustomer(customer_id="c1")).erased
        1
        >>> service.erase(EraseCustomer(customer_id="c1")).erased
        0
    """

    log: FeedbackLog

    @classmethod
    def from_config(cls, config: ErasureConfig, *, log: FeedbackLog | None = None) -> Self:
        """Build the service a handler or the command uses (DynamoDB unless a log is given)."""
        if log is None:
            from feedback_core.feedback.dynamodb import DynamoDBFeedbackLog

            log = DynamoDBFeedbackLog(table_name=config.table)
        return cls(log=log)

    def erase(self, command: EraseCustomer) -> Erasure:
        """Delete each record the customer index names; count those that were there.

        Raises:
            ServiceError: the store failed; what was deleted stays deleted, so repeat it.
        """
        erased = sum(self.log.delete(feedback_id) for feedback_id in self._ids(command))
        return Erasure(customer_id=command.customer_id, erased=erased)

    def _ids(self, command: EraseCustomer) -> list[str]:
        # Read the ids first: deleting while paging an index would move the pages under us.
        return list(self.log.customer_feedback(command.customer_id))
