"""The submission use cases that the reference handlers call.

Each takes one validated record in, makes one idempotent write and gives one receipt out. This
is the service layer between ``ingest`` (what a client sent), ``dedup`` (write it once) and
``sentiment`` (label it): a handler parses the request, calls one method here and answers with
the receipt, so it holds no business logic of its own.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import attrs

from feedback_core.dedup.keys import Key, derive_id, fingerprint
from feedback_core.dedup.policies import Replay, Status, Submission, utc_timestamp
from feedback_core.dedup.ports import Item

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.dedup.keys import IdempotencyKey
    from feedback_core.dedup.ports import DedupStore
    from feedback_core.ingest import Feedback
    from feedback_core.sentiment.ports import SentimentAnalyzer

__all__ = ["FEEDBACK_SCOPE", "FeedbackIntake", "Receipt"]

FEEDBACK_SCOPE = "POST /feedback"
"""The scope of feedback ids derived from an ``Idempotency-Key`` (see the dedup guide)."""


@attrs.frozen(kw_only=True)
class Receipt:
    """What a handler answers after a submission.

    Attributes:
        status: The HTTP status (201 for a new record, and for a replay of one).
        body: The JSON response body.
        replayed: Whether this answers a retry of an earlier identical request.
        item: The stored item.
    """

    status: int
    body: dict[str, object]
    replayed: bool
    item: Item

    @property
    def headers(self) -> dict[str, str]:
        """Response headers: ``Idempotent-Replayed: true`` on a replay, as Stripe and others do."""
        return {"Idempotent-Replayed": "true"} if self.replayed else {}


@attrs.define(kw_only=True)
class FeedbackIntake:
    """Store customer feedback once, with its sentiment, answering with its id.

    With an ``Idempotency-Key`` the feedback id derives from the key (scoped to
    :data:`FEEDBACK_SCOPE` and ``tenant``), so a retried POST finds the record its first attempt
    wrote and gets the same answer; the same key with another body is an
    ``IdempotencyConflictError`` (422). Without a key every POST is a new record.

    Args:
        store: Where feedback items are claimed (table key: ``feedbackId``).
        analyzer: Labels each message; ``None`` stores no sentiment.
        clock: The ``createdAt`` timestamp; tests pass a fixed one.
        new_id: Ids for submissions without an idempotency key.

    Examples:
        >>> from feedback_core.dedup import InMemoryDedupStore
        >>> from feedback_core.ingest import Feedback
        >>> clock = lambda: "2026-11-22T10:00:00Z"
        >>> intake = FeedbackIntake(store=InMemoryDedupStore(), clock=clock)
        >>> record = Feedback(name="Ana", email="ana@example.com", rating=5, message="Lovely")
        >>> receipt = intake.submit(record, idempotency_key=None)
        >>> receipt.status, sorted(receipt.body)
        (201, ['createdAt', 'feedbackId'])
    """

    store: DedupStore
    analyzer: SentimentAnalyzer | None = None
    clock: Callable[[], str] = utc_timestamp
    new_id: Callable[[], str] = attrs.field(default=lambda: str(uuid.uuid4()))
    _policy: Replay = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        """Build the replay policy over the store."""
        self._policy = Replay(store=self.store)

    def submit(
        self,
        record: Feedback,
        *,
        idempotency_key: IdempotencyKey | None,
        tenant: str = "public",
    ) -> Receipt:
        """Store ``record`` (once per idempotency key) and return the receipt.

        Args:
            record: The validated feedback.
            idempotency_key: The request's ``Idempotency-Key``, if it sent one.
            tenant: Who the key belongs to (an API key id, say), so two clients that pick the
                same key never share a record.

        Raises:
            IdempotencyConflictError: the key was used before for a different body.
            ServiceError: the store failed after retries.
        """
        payload = record.to_json()
        if idempotency_key is not None:
            feedback_id = derive_id(FEEDBACK_SCOPE, tenant, idempotency_key.value)
        else:
            feedback_id = self.new_id()
        attributes: dict[str, object] = {
            **payload,
            "feedbackId": feedback_id,
            "createdAt": self.clock(),
            "payloadHash": fingerprint(payload),
        }
        if self.analyzer is not None:
            (result,) = self.analyzer.analyze([record.message])
            attributes.update(result.to_attributes())
        submission = self._policy.submit(Key.of(feedbackId=feedback_id), Item.of(attributes))
        return _feedback_receipt(submission)


def _feedback_receipt(submission: Submission) -> Receipt:
    item = submission.item
    body: dict[str, object] = {"feedbackId": item["feedbackId"], "createdAt": item["createdAt"]}
    if "sentiment" in item:
        body["sentiment"] = item["sentiment"]
    return Receipt(
        status=submission.http_status,
        body=body,
        replayed=submission.status is Status.REPLAYED,
        item=item,
    )
