"""A DynamoDB table probe: one ``DescribeTable`` with a short timeout, no read capacity used.

``DescribeTable`` reads the table's metadata, not its items: it costs no read capacity, cannot
turn into a scan, and says whether the table exists and is ``ACTIVE`` (or ``UPDATING``, which
still serves reads and writes). The probe's client has its own short timeouts and no retries,
so a dependency that hangs makes the check fail fast instead of holding the canary.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from feedback_core.health.ports import ProbeResult

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

__all__ = ["DynamoDBTableProbe"]

_SERVING = frozenset({"ACTIVE", "UPDATING"})


def _fast_client(timeout: float) -> DynamoDBClient:
    import boto3  # deferred: importing the library must not import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"mode": "standard", "total_max_attempts": 1},
    )
    client: DynamoDBClient = boto3.client("dynamodb", config=config)
    return client


class DynamoDBTableProbe:
    """A :class:`~feedback_core.health.ports.Probe` of one DynamoDB table.

    Args:
        name: The label in the report (e.g. ``feedback``); the table's name stays private.
        table_name: The table to describe.
        client: A DynamoDB client; by default one with ``timeout`` and no retries.
        timeout: Connect and read timeout of the default client, in seconds.

    Examples:
        >>> DynamoDBTableProbe(name="feedback", table_name="feedback-dev").probe()  # doctest: +SKIP
        ProbeResult(name='feedback', ok=True, reason='')
    """

    def __init__(
        self,
        *,
        name: str,
        table_name: str,
        client: DynamoDBClient | None = None,
        timeout: float = 2.0,
    ) -> None:
        """Configure the probe; no AWS call is made here."""
        self._name = name
        self.table_name = table_name
        self.timeout = timeout
        self._client = client
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The dependency's label."""
        return self._name

    @property
    def client(self) -> DynamoDBClient:
        """The client, created on first use."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = _fast_client(self.timeout)
        return self._client

    def probe(self) -> ProbeResult:
        """Describe the table; any failure (an error, a timeout) is a failed probe."""
        from botocore.exceptions import BotoCoreError, ClientError

        from feedback_core.aws import error_code

        try:
            table = self.client.describe_table(TableName=self.table_name)["Table"]
        except ClientError as exc:
            return ProbeResult(name=self._name, ok=False, reason=error_code(exc))
        except BotoCoreError as exc:  # timeouts, connection errors
            return ProbeResult(name=self._name, ok=False, reason=type(exc).__name__)
        status = table.get("TableStatus", "UNKNOWN")
        return ProbeResult(name=self._name, ok=status in _SERVING, reason=status)
