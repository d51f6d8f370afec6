"""Customer feedback: store once with its sentiment (``POST /feedback``).

Knows nothing of HTTP. Configure it with :meth:`FeedbackConfig.from_env`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar, Final, Self

import attrs

from feedback_core import config as env
from feedback_core.dedup.keys import Key, derive_id, fingerprint
from feedback_core.dedup.policies import Replay, utc_timestamp
from feedback_core.dedup.ports import Item
from feedback_core.feedback.ports import LISTED
from feedback_core.usecases.outcomes import FeedbackReceipt, Submitted
from feedback_core.usecases.retention import expiry, retention_days

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from feedback_core.dedup.keys import IdempotencyKey
    from feedback_core.dedup.ports import DedupStore
    from feedback_core.ingest.schemas import Feedback
    from feedback_core.sentiment.ports import SentimentAnalyzer

__all__ = ["FEEDBACK_SCOPE", "FeedbackConfig", "FeedbackService", "SubmitFeedback"]

FEEDBACK_SCOPE: Final = "POST /feedback"
"""The scope of feedback ids derived from an ``Idempotency-Key`` (see the dedup guide)."""


@attrs.frozen(kw_only=True)
class FeedbackConfig:
    """The feedback service's settings (and the sentiment settings it passes on).

    ======================  ===================================================================
    Variable                Meaning
    ======================  ===================================================================
    ``FEEDBACK_TABLE``      The feedback table (key ``feedbackId``). Required.
    ``MAX_BODY_BYTES``      The largest request body, in bytes (default 65536).
    ``RETENTION_DAYS``      Days each feedback is kept (``expiresAt`` for the table's TTL);
                            0, the default, keeps it until erased.
    ``SENTIMENT_*``,        The analyzer, read by
    ``COMPREHEND_*``        :func:`feedback_core.sentiment.analyzer_from_env`.
    ======================  ===================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("FEEDBACK_TABLE",)
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = (
        "MAX_BODY_BYTES",
        "RETENTION_DAYS",
        "SENTIMENT_ANALYZER",
        "COMPREHEND_REGION",
        "COMPREHEND_LANGUAGE",
        "COMPREHEND_MAX_BYTES",
    )

    table: str
    max_body_bytes: int = 65536
    retention_days: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing table or a bad number.
        """
        return cls(
            table=env.required(environ, "FEEDBACK_TABLE"),
            max_body_bytes=env.integer(environ, "MAX_BODY_BYTES", default=65536, minimum=1),
            retention_days=retention_days(environ),
        )


@attrs.frozen(kw_only=True)
class SubmitFeedback:
    """A command: store ``feedback`` (once per ``idempotency_key``, scoped to ``tenant``)."""

    feedback: Feedback
    idempotency_key: IdempotencyKey | None = None
    tenant: str = "public"


@attrs.define(kw_only=True)
class FeedbackService:
    """Store customer feedback once, with its sentiment.

    With an ``Idempotency-Key`` the feedback id derives from the key (scoped to
    :data:`FEEDBACK_SCOPE` and the tenant), so a retried POST finds the record its first attempt
    wrote and is answered as a replay; the same key with another body is an
    ``IdempotencyConflictError`` (422). Without a key every POST is a new record.

    Args:
        store: Where feedback items are claimed (table key: ``feedbackId``).
        analyzer: Labels each message; ``None`` stores no sentiment.
        clock: The ``createdAt`` timestamp; tests pass a fixed one.
        new_id: Ids for submissions without an idempotency key.
        retention_days: Days each feedback is kept (an ``expiresAt`` attribute); 0 keeps it.

    Examples:
        >>> from feedback_core.ingest import Feedback
        >>> from feedback_core.testing import InMemoryDedupStore
        >>> clock = lambda: "2026-11-22T10:00:00Z"
        >>> service = FeedbackService(store=InMemoryDedupStore(), clock=clock)
        >>> record = Feedback(name="Ana", email="ana@example.com", rating=5, message="Lovely")
        >>> outcome = service.submit(SubmitFeedback(feedback=record))
        >>> outcome.status.value, outcome.replayed, outcome.record.created_at
        ('created', False, '2026-11-22T10:00:00Z')
    """

    store: DedupStore
    analyzer: SentimentAnalyzer | None = None
    clock: Callable[[], str] = utc_timestamp
    new_id: Callable[[], str] = attrs.field(default=lambda: str(uuid.uuid4()))
    retention_days: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FeedbackService:
        """Build the service a handler uses: DynamoDB, and the analyzer the environment names.

        Raises:
            ConfigurationError: see :class:`FeedbackConfig` and ``analyzer_from_env``.
        """
        from feedback_core.dedup.dynamodb import DynamoDBDedupStore
        from feedback_core.sentiment.config import analyzer_from_env

        config = FeedbackConfig.from_env(environ)
        return cls(
            store=DynamoDBDedupStore(table_name=config.table),
            analyzer=analyzer_from_env(environ),
            retention_days=config.retention_days,
        )

    def submit(self, command: SubmitFeedback) -> Submitted[FeedbackReceipt]:
        """Store the feedback (once per idempotency key) and say how it ended.

        Raises:
            IdempotencyConflictError: the key was used before for a different body.
            ServiceError: the store failed after retries.
        """
        record = command.feedback
        payload = record.to_json()
        if command.idempotency_key is not None:
            feedback_id = derive_id(FEEDBACK_SCOPE, command.tenant, command.idempotency_key.value)
        else:
            feedback_id = self.new_id()
        created_at = self.clock()
        attributes: dict[str, object] = {
            **payload,
            "feedbackId": feedback_id,
            "createdAt": created_at,
            "payloadHash": fingerprint(payload),
            **LISTED,  # the listing index's key: GET /feedback lists it
            **expiry(created_at, self.retention_days),
        }
        if self.analyzer is not None:
            (result,) = self.analyzer.analyze([record.message])
            attributes.update(result.to_attributes())
        submission = Replay(store=self.store).submit(
            Key.of(feedbackId=feedback_id), Item.of(attributes)
        )
        return Submitted(
            status=submission.status,
            replayed=submission.replayed,
            record=FeedbackReceipt.from_item(submission.item),
        )
