"""The feedback log: stored feedback read newest first, found by customer, and deleted.

The port the listing (``GET /feedback``) and the right to erasure use. Adapters:
:class:`~feedback_core.feedback.dynamodb.DynamoDBFeedbackLog` (two sparse GSIs, never a Scan)
and :class:`~feedback_core.feedback.memory.InMemoryFeedbackLog` (the same semantics, for tests).
Items are what :class:`~feedback_core.usecases.FeedbackService` stores; only items carrying
:data:`LISTED` (every item it writes) are listed, as only they are in the listing index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "BY_CREATED_AT",
    "BY_CUSTOMER",
    "LISTED",
    "FeedbackEntry",
    "FeedbackLog",
    "FeedbackPage",
    "Position",
]

LISTED: Final[Mapping[str, str]] = {"feed": "all"}
"""The attribute that puts a feedback item in the listing index (its partition key)."""

BY_CREATED_AT: Final = "byCreatedAt"
"""The listing index: partition ``feed``, sort ``createdAt`` (the template's name)."""

BY_CUSTOMER: Final = "byCustomer"
"""The erasure index: partition ``customerId``, sort ``createdAt``, keys only (sparse)."""


@attrs.frozen(kw_only=True, order=True)
class Position:
    """Where a page ended: the last entry's time and id (ordered as the listing is, reversed)."""

    created_at: str
    feedback_id: str


@attrs.frozen(kw_only=True)
class FeedbackEntry:
    """One stored feedback, as an administrator reads it.

    Attributes:
        feedback_id: The record's id.
        created_at: When it was stored (ISO-8601 UTC).
        name: Who wrote it.
        email: Their address (personal data: the listing leaves it out unless configured).
        rating: 1-5.
        message: What they wrote.
        customer_id: The customer it belongs to, if the client sent one.
        sentiment: The label stored with it, if any.
    """

    feedback_id: str
    created_at: str
    name: str
    email: str
    rating: int
    message: str
    customer_id: str | None = None
    sentiment: str | None = None

    @property
    def position(self) -> Position:
        """This entry's place in the listing."""
        return Position(created_at=self.created_at, feedback_id=self.feedback_id)

    @classmethod
    def from_attributes(cls, item: Mapping[str, object]) -> FeedbackEntry:
        """Read an entry from a stored item's plain attributes (ratings are whole numbers)."""

        def text(name: str) -> str | None:
            value = item.get(name)
            return value if isinstance(value, str) else None

        rating = item.get("rating")
        return cls(
            feedback_id=str(item["feedbackId"]),
            created_at=str(item["createdAt"]),
            name=text("name") or "",
            email=text("email") or "",
            rating=rating if isinstance(rating, int) and not isinstance(rating, bool) else 0,
            message=text("message") or "",
            customer_id=text("customerId"),
            sentiment=text("sentiment"),
        )


@attrs.frozen(kw_only=True)
class FeedbackPage:
    """One page of the listing, newest first; ``next`` is ``None`` on the last page."""

    entries: tuple[FeedbackEntry, ...]
    next: Position | None


class FeedbackLog(Protocol):
    """Stored feedback: a newest-first listing, a customer's records, deletion."""

    def page(self, *, limit: int, after: Position | None = None) -> FeedbackPage:
        """Return up to ``limit`` entries older than ``after`` (or the newest), newest first.

        ``next`` is set exactly when older entries follow, so the last page says so and no
        empty page follows it. Raises ``ServiceError`` when the store fails.
        """
        ...

    def customer_feedback(self, customer_id: str) -> Iterator[str]:
        """Yield the ids of the customer's feedback (streamed page by page)."""
        ...

    def delete(self, feedback_id: str) -> bool:
        """Delete one feedback; return whether it was there (deleting twice is harmless)."""
        ...
