"""Conditional-write dedup: one vote per user per poll, idempotent submissions.

The pieces, by layer:

- keys (pure): :class:`Key`, :func:`derive_id` (stable ids from idempotency keys),
  :func:`fingerprint` (of a request payload), :func:`idempotency_key_from_headers`.
- port: :class:`DedupStore` claims a key with an :class:`Item` exactly once, answering
  :class:`Accepted` or :class:`Duplicate` (carrying the holder).
- adapters: :class:`DynamoDBDedupStore` (one conditional ``PutItem`` per claim, duplicates
  included) and :class:`InMemoryDedupStore` (same semantics, for tests).
- policies: :class:`Reject`, :class:`Replay`, :class:`Replace` turn a claim into a
  :class:`Submission` or a ``DedupError``.

Importing this package does not import boto3.

Examples:
    >>> from feedback_core.dedup import InMemoryDedupStore, Key, Item, Reject
    >>> votes = Reject(store=InMemoryDedupStore())
    >>> votes.submit(Key.of(pollId="p1", userId="u1"), Item.of(choice="yes")).status.value
    'created'
"""

from feedback_core.dedup.dynamodb import DynamoDBDedupStore
from feedback_core.dedup.keys import (
    IDEMPOTENCY_KEY_HEADER,
    IdempotencyKey,
    Key,
    derive_id,
    fingerprint,
    idempotency_key_from_headers,
)
from feedback_core.dedup.memory import InMemoryDedupStore, StoreChange
from feedback_core.dedup.policies import (
    POLICY_NAMES,
    Reject,
    Replace,
    Replay,
    Status,
    Submission,
    SubmissionPolicy,
    policy_named,
    utc_timestamp,
)
from feedback_core.dedup.ports import (
    Accepted,
    ClaimOutcome,
    DedupStore,
    Duplicate,
    Expiry,
    Item,
    Revised,
    ReviseOutcome,
    Stale,
)
from feedback_core.errors import (
    DedupError,
    DuplicateError,
    IdempotencyConflictError,
    InvalidIdempotencyKeyError,
)

__all__ = [
    "IDEMPOTENCY_KEY_HEADER",
    "POLICY_NAMES",
    "Accepted",
    "ClaimOutcome",
    "DedupError",
    "DedupStore",
    "Duplicate",
    "DuplicateError",
    "DynamoDBDedupStore",
    "Expiry",
    "IdempotencyConflictError",
    "IdempotencyKey",
    "InMemoryDedupStore",
    "InvalidIdempotencyKeyError",
    "Item",
    "Key",
    "Reject",
    "Replace",
    "Replay",
    "ReviseOutcome",
    "Revised",
    "Stale",
    "Status",
    "StoreChange",
    "Submission",
    "SubmissionPolicy",
    "derive_id",
    "fingerprint",
    "idempotency_key_from_headers",
    "policy_named",
    "utc_timestamp",
]
