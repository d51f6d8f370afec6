"""An in-memory counter store with the DynamoDB adapter's semantics, for tests and local runs.

Like the DynamoDB adapter, a commit applies all its counter updates and moves its marker
atomically, or (when the marker is not where the caller expects it) does nothing; and it
refuses what a DynamoDB transaction refuses: more than 100 actions, or two actions on one item.
Thread-safe.

Examples:
    >>> from feedback_core.aggregate.ports import Commit, CounterUpdate, MarkerKey, Position
    >>> from feedback_core.aggregate.projections import CounterKey
    >>> store = InMemoryCounterStore()
    >>> marker = MarkerKey(consumer="c", stream="s", origin="batch:1")
    >>> update = CounterUpdate(key=CounterKey(group="poll#p", name="tally"), deltas={"choice:a": 2})
    >>> commit = Commit(marker=marker, expected=None, position=Position(sequence=3),
    ...                 updates=(update,), expires_at=0)
    >>> store.commit(commit), store.commit(commit)
    (<CommitOutcome.COMMITTED: 'committed'>, <CommitOutcome.CONFLICT: 'conflict'>)
    >>> store.read_group("poll#p").get("tally", "choice:a")
    2
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from feedback_core.aggregate.ports import (
    MARK_PREFIX,
    MAX_TRANSACTION_ACTIONS,
    Commit,
    CommitOutcome,
    CounterGroup,
    CounterItem,
    CounterUpdate,
    ItemMark,
    MarkedOutcome,
    MarkedWrite,
    MarkerKey,
    Position,
)
from feedback_core.aggregate.projections import Amount, CounterKey
from feedback_core.attributes import item_size, to_item
from feedback_core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.aggregate.fold import MutableDeltas

_Slot = tuple[str, str, int]

__all__ = ["InMemoryCounterStore"]


class InMemoryCounterStore:
    """Counters and progress markers in a dict, committed atomically under a lock.

    Attributes:
        commits: How many commits were applied (a stand-in for write requests in tests).
    """

    def __init__(self) -> None:
        """Start empty."""
        self._lock = threading.Lock()
        # (group, name, shard) -> (fields, updated_at)
        self._items: dict[tuple[str, str, int], tuple[dict[str, Amount], str | None]] = {}
        self._markers: dict[str, tuple[Position, int]] = {}
        # (group, name, shard) -> lane -> the lane's mark on that item
        self._marks: dict[_Slot, dict[str, ItemMark]] = {}
        self.commits = 0
        self.marked_writes = 0

    def load_marker(self, marker: MarkerKey) -> Position | None:
        """Return the marker's position, or ``None`` if absent."""
        with self._lock:
            found = self._markers.get(marker.id)
        return None if found is None else found[0]

    def commit(self, commit: Commit) -> CommitOutcome:
        """Apply the updates and move the marker atomically if it is at ``commit.expected``.

        Raises:
            ServiceError: ``ValidationException``, as DynamoDB would, for more than 100
                actions, two updates of one item, or an update without deltas.
        """
        self._validate(commit)
        with self._lock:
            found = self._markers.get(commit.marker.id)
            if (None if found is None else found[0]) != commit.expected:
                return CommitOutcome.CONFLICT
            for update in commit.updates:
                self._add(update)
            self._markers[commit.marker.id] = (commit.position, commit.expires_at)
            self.commits += 1
        return CommitOutcome.COMMITTED

    @staticmethod
    def _validate(commit: Commit) -> None:
        if len(commit.updates) + 1 > MAX_TRANSACTION_ACTIONS:
            raise ServiceError(
                "TransactWriteItems",
                "ValidationException",
                f"{len(commit.updates) + 1} actions; a transaction holds at most "
                f"{MAX_TRANSACTION_ACTIONS}",
            )
        slots = {(u.key, u.shard) for u in commit.updates}
        if len(slots) != len(commit.updates):
            raise ServiceError(
                "TransactWriteItems",
                "ValidationException",
                "Transaction request cannot include multiple operations on one item",
            )
        if any(not u.deltas for u in commit.updates):
            raise ServiceError(
                "TransactWriteItems", "ValidationException", "an update adds nothing"
            )

    def write_marked(self, write: MarkedWrite) -> MarkedOutcome:
        """Add the deltas and move the lane's mark if the mark allows, as one UpdateItem would.

        Raises:
            ValueError: for a field the DynamoDB store reserves (starting with ``~``).
        """
        update = write.update
        if any(field.startswith("~") for field in update.deltas):
            raise ValueError("counter fields starting with '~' are reserved by the counter store")
        slot = (update.key.group, update.key.name, update.shard)
        with self._lock:
            marks = self._marks.setdefault(slot, {})
            found = marks.get(write.lane)
            if write.exact:
                allowed = found == write.expected
            else:
                allowed = found is None or found.sequence < write.first
            if allowed:
                self._add(update)
                marks[write.lane] = write.mark
                self.marked_writes += 1
            return MarkedOutcome(applied=allowed, marks=dict(marks), size=self._size(slot))

    def _add(self, update: CounterUpdate) -> None:
        """Add one update's deltas to its item (the caller holds the lock)."""
        slot = (update.key.group, update.key.name, update.shard)
        fields, stamp = self._items.get(slot, ({}, None))
        for field, amount in update.deltas.items():
            fields[field] = fields.get(field, 0) + amount
        if update.updated_at is not None:
            stamp = update.updated_at
        self._items[slot] = (fields, stamp)

    def remove_marks(self, key: CounterKey, shard: int, marks: Mapping[str, ItemMark]) -> bool:
        """Remove the given marks if each is still as given (all or none)."""
        slot = (key.group, key.name, shard)
        with self._lock:
            held = self._marks.get(slot, {})
            if any(held.get(lane) != mark for lane, mark in marks.items()):
                return False
            for lane in marks:
                del held[lane]
            return True

    def _size(self, slot: _Slot) -> int:
        """The item's size as DynamoDB would count it (same key layout as the DynamoDB store)."""
        group, name, shard = slot
        fields, stamp = self._items.get(slot, ({}, None))
        item: dict[str, object] = {"pk": group, "sk": name if shard == 0 else f"~{shard}~{name}"}
        item.update(fields)
        if stamp is not None:
            item["updatedAt"] = stamp
        for lane, mark in self._marks.get(slot, {}).items():
            item[MARK_PREFIX + lane] = mark.to_text()
        return item_size(to_item(item))

    def read_group(self, group: str) -> CounterGroup:
        """Return every counter item of ``group``, write shards merged."""
        merged: dict[str, tuple[dict[str, Amount], str | None]] = {}
        with self._lock:
            for (item_group, name, _), (fields, stamp) in self._items.items():
                if item_group != group:
                    continue
                totals, newest = merged.get(name, ({}, None))
                for field, amount in fields.items():
                    totals[field] = totals.get(field, 0) + amount
                if stamp is not None and (newest is None or stamp > newest):
                    newest = stamp
                merged[name] = (totals, newest)
        return CounterGroup(
            group=group,
            items={
                name: CounterItem(key=CounterKey(group=group, name=name), fields=f, updated_at=s)
                for name, (f, s) in merged.items()
            },
        )

    def totals(self) -> MutableDeltas:
        """Return every counter, write shards merged, without zero fields (for checks)."""
        merged: MutableDeltas = {}
        with self._lock:
            for (group, name, _), (fields, _stamp) in self._items.items():
                totals = merged.setdefault(CounterKey(group=group, name=name), {})
                for field, amount in fields.items():
                    totals[field] = totals.get(field, 0) + amount
        for key in list(merged):
            merged[key] = {f: a for f, a in merged[key].items() if a}
            if not merged[key]:
                del merged[key]
        return merged

    def expire_markers(self, now: int) -> int:
        """Delete markers whose ``expires_at`` is before ``now``, as Time to Live would.

        Returns:
            How many markers were deleted.
        """
        with self._lock:
            expired = [k for k, (_, expires_at) in self._markers.items() if expires_at < now]
            for key in expired:
                del self._markers[key]
        return len(expired)
