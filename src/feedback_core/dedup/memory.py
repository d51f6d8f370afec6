"""An in-memory dedup store with the DynamoDB adapter's semantics, for tests without AWS.

It is public API: integrators use it to test their own handlers. The same contract suite runs
on it and on :class:`~feedback_core.dedup.dynamodb.DynamoDBDedupStore` (against moto), so the
two cannot drift apart silently.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Literal

import attrs

from feedback_core.dedup._rules import check_changes, claimed_item, next_revision
from feedback_core.dedup.ports import (
    Accepted,
    ClaimOutcome,
    Duplicate,
    Expiry,
    Item,
    Revised,
    ReviseOutcome,
    Stale,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.dedup.keys import Key

__all__ = ["InMemoryDedupStore", "StoreChange"]


@attrs.frozen(kw_only=True)
class StoreChange:
    """One write the store made, shaped like a DynamoDB stream record with both images.

    Attributes:
        event_name: ``INSERT`` for a new item, ``MODIFY`` for a changed one.
        key: The item's key.
        old_image: The item before the write (``None`` for an insert).
        new_image: The item after the write.
    """

    event_name: Literal["INSERT", "MODIFY"]
    key: Key
    old_image: Item | None
    new_image: Item


def _at_revision(item: Item, attribute: str, expected: int | None) -> bool:
    # Mirrors the DynamoDB condition: attribute_not_exists(#rev) for None, #rev = :rev else.
    if expected is None:
        return attribute not in item
    value = item.get(attribute)
    return not isinstance(value, bool) and value == expected


class InMemoryDedupStore:
    """A thread-safe, in-process :class:`~feedback_core.dedup.ports.DedupStore`.

    Args:
        expiry: Stamp claimed items with an expiry time and treat expired ones as absent,
            exactly as the DynamoDB adapter does.
        clock: Epoch seconds now; tests pass a fake to move time.

    Examples:
        >>> from feedback_core.dedup import Key, Item
        >>> store = InMemoryDedupStore()
        >>> key = Key.of(pollId="p1", userId="u1")
        >>> type(store.claim(key, Item.of(choice="yes"))).__name__
        'Accepted'
        >>> store.claim(key, Item.of(choice="no")).existing["choice"]
        'yes'
    """

    def __init__(
        self,
        *,
        expiry: Expiry | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Start empty."""
        self._expiry = expiry
        self._clock = clock
        self._lock = threading.Lock()
        self._items: dict[Key, Item] = {}
        self._changes: list[StoreChange] = []

    def _now(self) -> int:
        return int(self._clock())

    @staticmethod
    def _copy(item: Item) -> Item:
        # Records are read-only at the top, but nested lists and maps are plain Python values;
        # handing out fresh copies keeps a caller's mutation from reaching the stored item.
        return Item(attributes=item.attributes)

    def _live(self, key: Key, now: int) -> Item | None:
        current = self._items.get(key)
        if current is not None and self._expiry is not None and self._expiry.expired(current, now):
            return None
        return current

    def claim(self, key: Key, item: Item) -> ClaimOutcome:
        """Store ``item`` under ``key`` unless a live item already holds it.

        See :meth:`feedback_core.dedup.ports.DedupStore.claim`.
        """
        now = self._now()
        stored = claimed_item(key, item, self._expiry, now)
        with self._lock:
            current = self._live(key, now)
            if current is not None:
                return Duplicate(key=key, existing=self._copy(current), identical=current == stored)
            previous = self._items.get(key)  # an expired item that DynamoDB's TTL has not swept
            self._items[key] = stored
            self._changes.append(
                StoreChange(
                    event_name="INSERT" if previous is None else "MODIFY",
                    key=key,
                    old_image=previous,
                    new_image=stored,
                )
            )
        return Accepted(key=key, item=self._copy(stored))

    def get(self, key: Key) -> Item | None:
        """Return the live item at ``key``, or ``None``.

        See :meth:`feedback_core.dedup.ports.DedupStore.get`.
        """
        with self._lock:
            current = self._live(key, self._now())
        return None if current is None else self._copy(current)

    def revise(
        self,
        key: Key,
        changes: Item,
        *,
        revision_attribute: str,
        expected_revision: int | None,
    ) -> ReviseOutcome:
        """Apply ``changes`` if the item is at ``expected_revision``.

        See :meth:`feedback_core.dedup.ports.DedupStore.revise`.
        """
        check_changes(key, changes, revision_attribute)
        with self._lock:
            # Like DynamoDB's condition, this looks at the stored item whether expired or not.
            current = self._items.get(key)
            if current is None or not _at_revision(current, revision_attribute, expected_revision):
                return Stale(key=key, current=None if current is None else self._copy(current))
            revised = current.evolve(
                changes, **{revision_attribute: next_revision(expected_revision)}
            )
            self._items[key] = revised
            self._changes.append(
                StoreChange(event_name="MODIFY", key=key, old_image=current, new_image=revised)
            )
        return Revised(key=key, item=self._copy(revised))

    def changes(self) -> tuple[StoreChange, ...]:
        """Return every write so far, oldest first, like a stream with NEW_AND_OLD_IMAGES.

        A claim that found a duplicate, and a stale revision, wrote nothing and appear nowhere.
        """
        with self._lock:
            changes = tuple(self._changes)
        return tuple(
            attrs.evolve(
                change,
                old_image=None if change.old_image is None else self._copy(change.old_image),
                new_image=self._copy(change.new_image),
            )
            for change in changes
        )

    def __len__(self) -> int:
        """Return how many items the store holds (expired ones included)."""
        with self._lock:
            return len(self._items)
