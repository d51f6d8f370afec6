"""The reports' ports: where a day's responses come from, where files go, who is told.

Adapters: :mod:`~feedback_core.reports.dynamodb` (the ``bySurveyDay`` index),
:mod:`~feedback_core.reports.s3`, :mod:`~feedback_core.reports.sns`, and the in-memory ones in
:mod:`~feedback_core.reports.memory` with the same semantics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator

    from feedback_core.reports.model import Response

__all__ = ["Notifier", "ObjectStore", "ResponseSource"]


class ResponseSource(Protocol):
    """Reads one survey's responses stored in a time range."""

    @property
    def items_read(self) -> int:
        """Items read so far (what a report costs)."""
        ...

    def responses(self, survey_id: str, *, start: str, end: str) -> Iterator[Response]:
        """Yield the survey's responses with ``start <= submittedAt < end``, streamed.

        ``start`` and ``end`` are UTC ``YYYY-MM-DDTHH:MM:SS`` (no zone suffix).

        Raises:
            ServiceError: the store failed after retries.
        """
        ...


class ObjectStore(Protocol):
    """Stores report files and snapshots by key (a rerun replaces its own keys)."""

    def put(self, key: str, body: bytes, *, content_type: str) -> None:
        """Store ``body`` at ``key``, replacing what was there.

        Raises:
            ServiceError: the store failed.
        """
        ...

    def get(self, key: str) -> bytes | None:
        """Return the object at ``key``, or ``None`` if there is none.

        Raises:
            ServiceError: the store failed.
        """
        ...

    def keys(self, prefix: str) -> Iterator[str]:
        """Yield every key under ``prefix`` in key order (paginated).

        Raises:
            ServiceError: the store failed.
        """
        ...

    def link(self, key: str, *, expires_in: int) -> str:
        """Return a URL that reads ``key`` for ``expires_in`` seconds."""
        ...


class Notifier(Protocol):
    """Tells people a report is ready, or that it failed."""

    def publish(self, *, subject: str, message: str) -> None:
        """Send one notification (``subject`` at most 100 characters).

        Raises:
            ServiceError: the notification could not be sent.
        """
        ...
