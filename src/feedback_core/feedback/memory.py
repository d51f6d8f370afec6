"""An in-memory feedback log with the DynamoDB adapter's semantics, for tests without AWS.

Public API: integrators test their own listing and erasure code with it. The contract suite
(tests/contract/test_feedback_log_contract.py) runs on it and on the DynamoDB adapter.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from feedback_core.feedback.ports import LISTED, FeedbackEntry, FeedbackPage, Position

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = ["InMemoryFeedbackLog"]


class InMemoryFeedbackLog:
    """A :class:`~feedback_core.feedback.ports.FeedbackLog` over a dict of items.

    As the listing index is sparse, only items carrying :data:`LISTED` are listed; as the
    customer index is, only items with a ``customerId`` are found by customer.

    Examples:
        >>> log = InMemoryFeedbackLog()
        >>> log.add({"feedbackId": "f1", "createdAt": "2026-11-22T10:00:00Z", "name": "Ana",
        ...          "email": "ana@example.com", "rating": 5, "message": "Lovely",
        ...          "customerId": "c-1", **LISTED})
        >>> [e.feedback_id for e in log.page(limit=10).entries], list(log.customer_feedback("c-1"))
        (['f1'], ['f1'])
    """

    def __init__(self) -> None:
        """Start empty."""
        self._items: dict[str, dict[str, object]] = {}
        self._lock = threading.Lock()

    def add(self, item: Mapping[str, object]) -> None:
        """Store an item as the feedback table holds it (keyed by ``feedbackId``)."""
        with self._lock:
            self._items[str(item["feedbackId"])] = dict(item)

    def page(self, *, limit: int, after: Position | None = None) -> FeedbackPage:
        """See :meth:`~feedback_core.feedback.ports.FeedbackLog.page`."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        with self._lock:
            listed = [
                FeedbackEntry.from_attributes(item)
                for item in self._items.values()
                if all(item.get(name) == value for name, value in LISTED.items())
            ]
        listed.sort(key=lambda entry: entry.position, reverse=True)
        if after is not None:
            listed = [entry for entry in listed if entry.position < after]
        entries = tuple(listed[:limit])
        more = len(listed) > limit
        return FeedbackPage(entries=entries, next=entries[-1].position if more else None)

    def customer_feedback(self, customer_id: str) -> Iterator[str]:
        """See :meth:`~feedback_core.feedback.ports.FeedbackLog.customer_feedback`."""
        with self._lock:
            found = sorted(
                (str(item["createdAt"]), key)
                for key, item in self._items.items()
                if item.get("customerId") == customer_id
            )
        yield from (key for _, key in found)

    def delete(self, feedback_id: str) -> bool:
        """See :meth:`~feedback_core.feedback.ports.FeedbackLog.delete`."""
        with self._lock:
            return self._items.pop(feedback_id, None) is not None
