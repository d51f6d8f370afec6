"""What a handler does when a key is already held: reject, replay or replace.

Each policy wraps a :class:`~feedback_core.dedup.ports.DedupStore` and turns one submission
into a :class:`Submission` (or a :class:`~feedback_core.errors.DedupError`):

- :class:`Reject`: a second item under the key is an error carrying the holder
  (``DuplicateError``: 409 with the existing vote).
- :class:`Replay`: the same idempotency key with the same payload returns the original result;
  a different payload is ``IdempotencyConflictError`` (422).
- :class:`Replace`: the held item's field changes (a vote may change) by a conditional update
  that records ``previousChoice``, ``changedAt`` and ``revision``; the same choice again is a
  no-op that writes nothing.

**Replays compose with every policy.** An item may carry a fingerprint of the request that
made it (``payloadHash``: :func:`~feedback_core.dedup.keys.fingerprint` of the payload and, where
there is one, the ``Idempotency-Key``). When the held item carries the submitted fingerprint, the
submission is a retry of the request that wrote it: every policy answers it as a replay
(``replayed=True``, with the status the first request got), whatever the time between them.
Each submission also stamps a random ``writeId`` on its item, so a claim that finds *its own*
item (botocore resent a request whose response was lost) is told apart from a client's retry.

Pure logic: no AWS library is imported here.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

import attrs

from feedback_core.dedup._rules import next_revision
from feedback_core.dedup.ports import (
    Accepted,
    ClaimOutcome,
    DedupStore,
    Item,
    Revised,
    Status,
    Submission,
    SubmissionPolicy,
)
from feedback_core.errors import (
    ConfigurationError,
    DedupError,
    DuplicateError,
    IdempotencyConflictError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.dedup.keys import Key

__all__ = [
    "POLICY_NAMES",
    "Reject",
    "Replace",
    "Replay",
    "Status",
    "Submission",
    "SubmissionPolicy",
    "policy_named",
    "utc_timestamp",
]


def utc_timestamp() -> str:
    """Return now as the items' timestamp format: ISO-8601 UTC, seconds, trailing ``Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


FINGERPRINT_ATTRIBUTE = "payloadHash"
"""Where items carry the fingerprint of the request that wrote them."""

WRITE_ID_ATTRIBUTE = "writeId"
"""Where each submission stamps its own random id (see the module docstring)."""


def _stamped(item: Item) -> Item:
    # 64 random bits: a collision between two requests for the same key is not a concern.
    return item.evolve({WRITE_ID_ATTRIBUTE: os.urandom(8).hex()})


def _settle(outcome: ClaimOutcome, key: Key, item: Item, *, first: Status) -> Submission | Item:
    """Resolve a claim the same way in every policy; return the held item if it is a conflict.

    Accepted, or the held item is this very write (a lost response resent): ``first``.
    The held item carries the submitted fingerprint: a replay of the request that wrote it.
    """
    if isinstance(outcome, Accepted):
        return Submission(status=first, key=key, item=outcome.item)
    held = outcome.existing
    if outcome.identical:
        return Submission(status=first, key=key, item=held)
    wanted = item.get(FINGERPRINT_ATTRIBUTE)
    if isinstance(wanted, str) and wanted and held.get(FINGERPRINT_ATTRIBUTE) == wanted:
        revision = held.get("revision")
        status = Status.CHANGED if isinstance(revision, int) and revision > 1 else Status.CREATED
        return Submission(status=status, key=key, item=held, replayed=True)
    return held


@attrs.frozen(kw_only=True)
class Reject:
    """One item per key; a second one is an error that carries the first.

    A held item with the submitted fingerprint is a retry of the request that wrote it, and is
    answered as a replay (see the module docstring); anything else under the key is a duplicate.

    Args:
        store: Where items are claimed.

    Examples:
        >>> from feedback_core.dedup import InMemoryDedupStore, Key, Item
        >>> votes = Reject(store=InMemoryDedupStore())
        >>> key = Key.of(pollId="p1", userId="u1")
        >>> votes.submit(key, Item.of(choice="yes")).status
        <Status.CREATED: 'created'>
        >>> try:
        ...     votes.submit(key, Item.of(choice="no"))
        ... except DuplicateError as err:
        ...     err.existing["choice"]
        'yes'
    """

    store: DedupStore

    def submit(self, key: Key, item: Item) -> Submission:
        """Claim ``key`` with ``item``.

        Returns:
            A :attr:`Status.CREATED` submission, or the replay of one.

        Raises:
            DuplicateError: another item holds the key; ``existing`` is that item.
            ServiceError: the store failed.
        """
        item = _stamped(item)
        settled = _settle(self.store.claim(key, item), key, item, first=Status.CREATED)
        if isinstance(settled, Submission):
            return settled
        raise DuplicateError(key, settled)


@attrs.frozen(kw_only=True)
class Replay:
    """Idempotent submissions: the same key and payload return the original result.

    The item must carry a fingerprint of the request payload (see
    :func:`~feedback_core.dedup.keys.fingerprint`) in ``payloadHash``; a held item with the
    same fingerprint is the original result, and one with another fingerprint means the key was
    reused for a different request.

    Args:
        store: Where items are claimed.

    Examples:
        >>> from feedback_core.dedup import InMemoryDedupStore, Key, Item, fingerprint
        >>> feedback = Replay(store=InMemoryDedupStore())
        >>> payload = {"rating": 5, "message": "Great"}
        >>> hashed = Item.of(payload, payloadHash=fingerprint(payload))
        >>> first = hashed.evolve(createdAt="2026-11-22T23:20:32Z")
        >>> feedback.submit(Key.of(feedbackId="f-1"), first).replayed
        False
        >>> retry = first.evolve(createdAt="2026-11-22T23:20:35Z")  # a new request
        >>> replayed = feedback.submit(Key.of(feedbackId="f-1"), retry)
        >>> replayed.replayed, replayed.item["createdAt"]
        (True, '2026-11-22T23:20:32Z')
    """

    store: DedupStore

    def submit(self, key: Key, item: Item) -> Submission:
        """Claim ``key`` with ``item``, or replay the item an identical request stored.

        Returns:
            A :attr:`Status.CREATED` submission; a replay's ``item`` is the stored one (same id,
            same timestamps), so the response is the same.

        Raises:
            ValueError: if ``item`` carries no string fingerprint (a programming error).
            IdempotencyConflictError: the key holds an item made from a different payload.
            ServiceError: the store failed.
        """
        wanted = item.get(FINGERPRINT_ATTRIBUTE)
        if not isinstance(wanted, str) or not wanted:
            raise ValueError(
                f"a Replay item needs the payload fingerprint in {FINGERPRINT_ATTRIBUTE!r}; "
                "add fingerprint(payload) to it"
            )
        item = _stamped(item)
        settled = _settle(self.store.claim(key, item), key, item, first=Status.CREATED)
        if isinstance(settled, Submission):
            return settled
        raise IdempotencyConflictError(key)


@attrs.frozen(kw_only=True)
class Replace:
    """One item per key whose ``field`` may change, leaving an audit trail.

    A new key is claimed with ``revision`` 1. A different value for ``field`` is written with one
    conditional ``UpdateItem`` that sets the new value, ``previous_attribute`` (the value it
    replaced), ``changed_at_attribute``, the request's fingerprint and the next ``revision``;
    DynamoDB Streams then carry a MODIFY with both images. The same value again writes nothing.
    A held item with the submitted fingerprint is a replay of the request that last wrote it.

    Costs: new key, 1 request; same value, 1 request; changed value, 2 requests (the claim,
    whose failed condition returns the held item, then the update). Concurrent changes are
    serialized by the revision check and retried without extra reads.

    Args:
        store: Where items are claimed.
        field: The attribute that may change, e.g. ``choice``.
        previous_attribute: Where the replaced value goes, e.g. ``previousChoice``.
        changed_at_attribute: Where the time of the change goes, e.g. ``changedAt``.
        revision_attribute: The revision counter, e.g. ``revision``.
        clock: Returns the change time as the items' timestamp text.
        max_attempts: How many conflicting concurrent changes to ride out before giving up.

    Examples:
        >>> from feedback_core.dedup import InMemoryDedupStore, Key, Item
        >>> votes = Replace(store=InMemoryDedupStore(), clock=lambda: "2026-11-22T23:20:32Z")
        >>> key = Key.of(pollId="p1", userId="u1")
        >>> votes.submit(key, Item.of(choice="yes")).status
        <Status.CREATED: 'created'>
        >>> changed = votes.submit(key, Item.of(choice="no"))
        >>> changed.status, changed.item["previousChoice"], changed.item["revision"]
        (<Status.CHANGED: 'changed'>, 'yes', 2)
    """

    store: DedupStore
    field: str = "choice"
    previous_attribute: str = "previousChoice"
    changed_at_attribute: str = "changedAt"
    revision_attribute: str = "revision"
    clock: Callable[[], str] = utc_timestamp
    max_attempts: int = 8

    def submit(self, key: Key, item: Item) -> Submission:
        """Claim ``key`` with ``item``, or change the held item's field to ``item``'s.

        Returns:
            :attr:`Status.CREATED`, :attr:`Status.CHANGED` (with ``previous``) or
            :attr:`Status.UNCHANGED` (nothing written); or the replay of a created or changed
            submission.

        Raises:
            ValueError: if ``item`` lacks ``field``.
            DedupError: the item kept changing under concurrent writers for ``max_attempts``.
            ServiceError: the store failed.
        """
        if self.field not in item:
            raise ValueError(f"a Replace item needs the attribute {self.field!r}")
        wanted = item[self.field]
        attempt = _stamped(item.evolve({self.revision_attribute: 1}))
        fingerprint = item.get(FINGERPRINT_ATTRIBUTE)
        current: Item | None = None
        for _ in range(self.max_attempts):
            if current is None:  # first, or the item was deleted under us: claim it afresh
                settled = _settle(
                    self.store.claim(key, attempt), key, attempt, first=Status.CREATED
                )
                if isinstance(settled, Submission):
                    return settled
                current = settled
            if current.get(self.field) == wanted:
                return Submission(status=Status.UNCHANGED, key=key, item=current)
            revision = current.get(self.revision_attribute)
            expected = (
                revision if isinstance(revision, int) and not isinstance(revision, bool) else None
            )
            # A change answers to the request that made it; an unkeyed change clears the mark
            # (null), so a later retry of an earlier request is never taken for a replay.
            stamp: dict[str, object] = {}
            if isinstance(fingerprint, str) or current.get(FINGERPRINT_ATTRIBUTE) is not None:
                stamp[FINGERPRINT_ATTRIBUTE] = fingerprint if isinstance(fingerprint, str) else None
            changes = Item.of(
                {
                    self.field: wanted,
                    self.changed_at_attribute: self.clock(),
                    # The item now answers to this request: its retry is a replay, and a retry
                    # of the request that created it is a change again.
                    **stamp,
                    **(
                        {}
                        if current.get(self.field) is None
                        else {self.previous_attribute: current[self.field]}
                    ),
                }
            )
            revised = self.store.revise(
                key, changes, revision_attribute=self.revision_attribute, expected_revision=expected
            )
            if isinstance(revised, Revised):
                return Submission(
                    status=Status.CHANGED, key=key, item=revised.item, previous=current
                )
            landed = current.evolve({**changes, self.revision_attribute: next_revision(expected)})
            if revised.current == landed:
                # This very update, applied once already: its response was lost and botocore
                # sent it again, and the resend found the revision it had itself moved on.
                return Submission(
                    status=Status.CHANGED, key=key, item=revised.current, previous=current
                )
            # Someone changed (or deleted) the item since we read it; go again from what the
            # failed condition returned, without another read.
            current = revised.current
        raise DedupError(
            f"the item at {key!r} kept changing under concurrent writers; "
            f"gave up after {self.max_attempts} attempts"
        )


POLICY_NAMES = ("reject", "replay", "replace")
"""The names :func:`policy_named` knows."""


def policy_named(name: str, *, store: DedupStore, field: str = "choice") -> SubmissionPolicy:
    """Build a policy from its name, e.g. from a handler's environment variable.

    Args:
        name: ``reject``, ``replay`` or ``replace`` (case-insensitive).
        store: Where items are claimed.
        field: For ``replace``: the attribute that may change.

    Returns:
        The policy.

    Raises:
        ConfigurationError: for an unknown name.

    Examples:
        >>> from feedback_core.dedup import InMemoryDedupStore
        >>> type(policy_named("replace", store=InMemoryDedupStore())).__name__
        'Replace'
    """
    chosen = name.strip().lower()
    if chosen == "reject":
        return Reject(store=store)
    if chosen == "replay":
        return Replay(store=store)
    if chosen == "replace":
        return Replace(store=store, field=field)
    raise ConfigurationError(f"unknown dedup policy {name!r}; choose one of {POLICY_NAMES}")
