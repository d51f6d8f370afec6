"""How long personal data is kept: the ``expiresAt`` attribute DynamoDB's TTL deletes items by.

Submissions (feedback, votes, survey responses) carry ``expiresAt`` (epoch seconds) when their
service is configured with ``RETENTION_DAYS`` > 0; a table whose TTL is on that attribute
deletes the item within a few days after that time. The counters keep their counts: a TTL
expiry is not a retraction (see the aggregate guide).

Examples:
    >>> expiry("2026-11-22T10:00:00Z", 30)
    {'expiresAt': 1797933600}
    >>> expiry("2026-11-22T10:00:00Z", 0)
    {}
"""

from __future__ import annotations

import calendar
import time
from typing import TYPE_CHECKING, Final

from feedback_core import config as env

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["EXPIRES_AT", "RETENTION_ENV", "expiry", "retention_days"]

EXPIRES_AT: Final = "expiresAt"
"""The attribute a table's ``TimeToLiveSpecification`` names."""

RETENTION_ENV: Final = "RETENTION_DAYS"
"""Days a submission is kept; 0 (the default) keeps it until it is erased."""

_DAY: Final = 86_400


def retention_days(environ: Mapping[str, str] | None) -> int:
    """Read ``RETENTION_DAYS`` (0..36500; 0 keeps items).

    Raises:
        ConfigurationError: not a whole number in range.
    """
    return env.integer(environ, RETENTION_ENV, default=0, minimum=0, maximum=36_500)


def expiry(timestamp: str, days: int) -> dict[str, int]:
    """Return the ``expiresAt`` attribute for an item written at ``timestamp``, or nothing.

    Args:
        timestamp: The item's own time (``2026-11-22T10:00:00Z``, as the services stamp it).
        days: The retention; 0 keeps the item (no attribute).
    """
    if days <= 0:
        return {}
    written = calendar.timegm(time.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ"))
    return {EXPIRES_AT: written + days * _DAY}
