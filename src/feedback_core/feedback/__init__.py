"""Stored feedback for administrators: a newest-first listing with signed cursors, erasure.

- :class:`FeedbackLog` (the port), :class:`DynamoDBFeedbackLog`, :class:`InMemoryFeedbackLog`.
- :class:`CursorCodec`: opaque, HMAC-signed page cursors (a forged one is a 400).

The use cases (:mod:`feedback_core.usecases.listing`, :mod:`feedback_core.usecases.erasure`)
build on these. Importing this package does not import boto3.
"""

from feedback_core.feedback.cursor import MIN_KEY_BYTES, CursorCodec
from feedback_core.feedback.dynamodb import DynamoDBFeedbackLog
from feedback_core.feedback.memory import InMemoryFeedbackLog
from feedback_core.feedback.ports import (
    BY_CREATED_AT,
    BY_CUSTOMER,
    LISTED,
    FeedbackEntry,
    FeedbackLog,
    FeedbackPage,
    Position,
)

__all__ = [
    "BY_CREATED_AT",
    "BY_CUSTOMER",
    "LISTED",
    "MIN_KEY_BYTES",
    "CursorCodec",
    "DynamoDBFeedbackLog",
    "FeedbackEntry",
    "FeedbackLog",
    "FeedbackPage",
    "InMemoryFeedbackLog",
    "Position",
]
