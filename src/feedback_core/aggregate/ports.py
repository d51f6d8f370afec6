"""The counter store port: what the aggregator needs from storage, and the values that cross it.

A store keeps counter items (flat numeric fields, merged over write shards on read) and
progress markers. :meth:`CounterStore.commit` is the heart of exactly-once application: it
applies a set of counter updates *and* moves one marker from the position the caller expects to
a new one, atomically, or does nothing at all. Adapters: ``DynamoDBCounterStore``
(:mod:`feedback_core.aggregate.dynamodb`) and ``InMemoryCounterStore``
(:mod:`feedback_core.aggregate.memory`), checked by one contract suite.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, TypeAlias

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from feedback_core.attributes import Value

__all__ = [
    "MARK_PREFIX",
    "MAX_TRANSACTION_ACTIONS",
    "RESERVED_PREFIX",
    "Amount",
    "Commit",
    "CommitOutcome",
    "Contribution",
    "CounterGroup",
    "CounterItem",
    "CounterKey",
    "CounterStore",
    "CounterUpdate",
    "ItemMark",
    "MarkedOutcome",
    "MarkedWrite",
    "MarkerKey",
    "Position",
    "Projection",
]

MAX_TRANSACTION_ACTIONS = 100
"""DynamoDB's limit on actions in one TransactWriteItems call (counter updates + the marker)."""

_COMPLETE = 1 << 62  # sorts after every part number

Amount: TypeAlias = int | Decimal
"""A counter amount: exact, never a float."""

RESERVED_PREFIX = "~"
"""Groups must not start with this: the counter stores keep their progress markers there."""

MARK_PREFIX = "~m"
"""Item marks are counter item attributes named ``~m<lane>``; fields may not start with ``~``."""

SEQUENCE_DIGITS = 40
"""DynamoDB stream sequence numbers have 21 to 40 digits; marks store them zero-padded to 40, so
that DynamoDB's string comparison orders them as numbers."""


@attrs.frozen(kw_only=True, order=True)
class CounterKey:
    """Names one counter item.

    Attributes:
        group: What a read fetches at once, e.g. ``poll#p1``. Not empty, no leading ``~``.
        name: The item inside the group, e.g. ``tally`` or ``day:2026-11-22``. Not empty, no
            leading ``~``.
    """

    group: str = attrs.field()
    name: str = attrs.field()

    @group.validator
    @name.validator
    def _check(self, attribute: attrs.Attribute[str], value: str) -> None:
        # Stores keep markers and write shards under names starting with "~".
        if not value or value.startswith(RESERVED_PREFIX):
            raise ValueError(
                f"a counter {attribute.name} must be non-empty and not start with '~': {value!r}"
            )


@attrs.frozen(kw_only=True)
class Contribution:
    """What one item adds to one field of one counter item.

    Attributes:
        counter: The counter item.
        field: The flat attribute name on that item, e.g. ``choice:yes``.
        amount: How much the item adds; ``int`` or ``Decimal``.
    """

    counter: CounterKey
    field: str
    amount: Amount = 1


@attrs.frozen(kw_only=True, order=False)
class Position:
    """How far a marker has applied a shard's records.

    Attributes:
        sequence: The sequence number of the last record (wholly or partly) applied.
        part: ``None`` when that record is wholly applied; otherwise the index of the last
            applied part of a record too large for one transaction.
        epoch: Bumped by each redelivery that finds the marker, so that a request from an
            earlier delivery, still in flight, fails its condition when it lands. Equality
            includes it; order and :meth:`covers` do not.

    Examples:
        >>> Position(sequence=7, part=0) < Position(sequence=7) < Position(sequence=8, part=0)
        True
        >>> Position.from_text(Position(sequence=7, part=2, epoch=1).to_text())
        Position(sequence=7, part=2, epoch=1)
    """

    sequence: int
    part: int | None = None
    epoch: int = 0

    def _key(self) -> tuple[int, int]:
        return (self.sequence, _COMPLETE if self.part is None else self.part)

    def __lt__(self, other: Position) -> bool:
        """Order by sequence number, then part; a whole record sorts after its parts."""
        return self._key() < other._key()

    def __le__(self, other: Position) -> bool:
        """See :meth:`__lt__`."""
        return self._key() <= other._key()

    def __gt__(self, other: Position) -> bool:
        """See :meth:`__lt__`."""
        return self._key() > other._key()

    def __ge__(self, other: Position) -> bool:
        """See :meth:`__lt__`."""
        return self._key() >= other._key()

    def covers(self, sequence: int) -> bool:
        """Return whether the record with ``sequence`` is wholly applied at this position."""
        return sequence < self.sequence or (sequence == self.sequence and self.part is None)

    def to_text(self) -> str:
        """Return the marker's stored form: ``<sequence>[:<part>][@<epoch>]``."""
        text = str(self.sequence) if self.part is None else f"{self.sequence}:{self.part}"
        return text if not self.epoch else f"{text}@{self.epoch}"

    @classmethod
    def from_text(cls, text: str) -> Position:
        """Parse the stored form written by :meth:`to_text`."""
        text, _, epoch = text.partition("@")
        sequence, _, part = text.partition(":")
        return cls(sequence=int(sequence), part=int(part) if part else None, epoch=int(epoch or 0))


@attrs.frozen(kw_only=True)
class MarkerKey:
    """Names one progress marker.

    Attributes:
        consumer: Who applies the records (by default the projection's name), so two
            aggregators on one stream keep separate progress.
        stream: The stream's ARN.
        origin: ``batch:<first sequence number>`` for a batch's marker, ``shard:<shardId>`` for
            a shard's marker (tumbling-window mode).
    """

    consumer: str
    stream: str
    origin: str

    @property
    def id(self) -> str:
        """A single string identifying the marker (what stores key it by)."""
        return f"{self.consumer}#{self.stream}#{self.origin}"


@attrs.frozen(kw_only=True)
class CounterUpdate:
    """Deltas to add to one counter item (one of its write shards).

    Attributes:
        key: The counter item.
        shard: Which write shard of the item receives the deltas (0 when not sharded).
        deltas: Field to non-zero amount to add.
        updated_at: The newest source change folded in (ISO-8601 UTC), if known.
    """

    key: CounterKey
    shard: int = 0
    deltas: Mapping[str, Amount]
    updated_at: str | None = None


@attrs.frozen(kw_only=True)
class Commit:
    """One atomic step: apply ``updates`` and move ``marker`` from ``expected`` to ``position``.

    Attributes:
        marker: The progress marker to move.
        expected: The marker's position as the caller last saw it; ``None`` if absent. The
            commit happens only if the marker is still there, so a duplicated or delayed commit
            fails instead of applying twice.
        position: The marker's new position.
        updates: At most one update per counter item shard.
        expires_at: Epoch seconds after which the marker may be deleted (Time to Live).
    """

    marker: MarkerKey
    expected: Position | None
    position: Position
    updates: tuple[CounterUpdate, ...]
    expires_at: int


@attrs.frozen(kw_only=True)
class ItemMark:
    """How far one stream shard (a *lane*) has applied its records to one counter item.

    Attributes:
        sequence: The sequence number of the lane's last record applied to the item; every
            earlier record of the lane that touches the item is applied too.
        at: The newest source change applied, epoch seconds: once it is older than a stream
            keeps records (24 hours), no record the mark covers can come back, and the mark
            may be removed.

    Examples:
        >>> ItemMark.from_text(ItemMark(sequence=42, at=1_800_000_000).to_text())
        ItemMark(sequence=42, at=1800000000)
        >>> ItemMark(sequence=42, at=0).to_text() < ItemMark.bound(43)
        True
    """

    sequence: int
    at: int

    def to_text(self) -> str:
        """Return the stored form: the sequence number zero-padded to 40 digits, ``@``, ``at``.

        A mark's text compares below :meth:`bound` of ``n`` exactly when its sequence number
        is below ``n``, which is what a write's condition relies on.
        """
        return f"{self.sequence:0{SEQUENCE_DIGITS}d}@{self.at}"

    @staticmethod
    def bound(sequence: int) -> str:
        """Return the text a mark must compare below for ``sequence`` to be unapplied."""
        return f"{sequence:0{SEQUENCE_DIGITS}d}"

    @classmethod
    def from_text(cls, text: str) -> ItemMark:
        """Parse the stored form written by :meth:`to_text`."""
        sequence, _, at = text.partition("@")
        return cls(sequence=int(sequence), at=int(at or 0))


@attrs.frozen(kw_only=True)
class MarkedWrite:
    """One conditional update of one counter item, guarded by its lane's mark on that item.

    Attributes:
        update: The item (write shard included) and the deltas to add; the deltas may be
            empty (records that cancel out still move the mark).
        lane: The lane's identifier (see :func:`~feedback_core.aggregate.marks.lane_id`).
        first: The sequence number of the first record this write applies.
        mark: The lane's mark once the write is applied.
        exact: ``False``: apply only if the lane has no mark on the item or its mark is below
            ``first`` (the common case, no read needed). ``True``: apply only if the mark is
            exactly ``expected`` (``None``: absent), as read after a refused write.
        expected: The mark the caller found, when ``exact``.
    """

    update: CounterUpdate
    lane: str
    first: int
    mark: ItemMark
    exact: bool = False
    expected: ItemMark | None = None


@attrs.frozen(kw_only=True)
class MarkedOutcome:
    """How a marked write ended when it did not raise.

    Attributes:
        applied: The deltas were added and the mark moved, together.
        marks: Every lane's mark on the item: after the write when applied, as found when not.
        size: The item's size in bytes as DynamoDB counts it, likewise.
    """

    applied: bool
    marks: Mapping[str, ItemMark]
    size: int


class CommitOutcome(enum.Enum):
    """How a commit ended when it did not raise."""

    COMMITTED = "committed"
    """The updates were applied and the marker moved, together."""
    CONFLICT = "conflict"
    """The marker was not at the expected position; nothing was applied."""


@attrs.frozen(kw_only=True)
class CounterItem:
    """One counter item, its write shards merged.

    Attributes:
        key: The counter item.
        fields: Field to total amount (fields that sum to zero are kept).
        updated_at: The newest ``updated_at`` over its shards, if any.
    """

    key: CounterKey
    fields: Mapping[str, Amount]
    updated_at: str | None = None

    def get(self, field: str) -> Amount:
        """Return one field's total (0 when absent)."""
        return self.fields.get(field, 0)


@attrs.frozen(kw_only=True)
class CounterGroup:
    """Every counter item of one group, e.g. one poll.

    Attributes:
        group: The group read.
        items: Item name to the merged counter item.
    """

    group: str
    items: Mapping[str, CounterItem]

    def get(self, name: str, field: str) -> Amount:
        """Return one field of one item (0 when either is absent)."""
        item = self.items.get(name)
        return 0 if item is None else item.get(field)

    @property
    def updated_at(self) -> str | None:
        """The newest ``updated_at`` of any item in the group."""
        stamps = [item.updated_at for item in self.items.values() if item.updated_at]
        return max(stamps) if stamps else None


class CounterStore(Protocol):
    """Stores counters and progress markers; commits both atomically, or writes items by mark."""

    def load_marker(self, marker: MarkerKey) -> Position | None:
        """Return the marker's position (a strongly consistent read), or ``None`` if absent.

        Raises:
            ServiceError: the store failed (ThrottledError when it kept throttling).
        """
        ...

    def commit(self, commit: Commit) -> CommitOutcome:
        """Apply ``commit.updates`` and move the marker, atomically, if it is at ``expected``.

        Returns:
            ``COMMITTED``, or ``CONFLICT`` (nothing applied) when the marker has moved.

        Raises:
            ThrottledError: the store refused every attempt; nothing was applied.
            ServiceError: the outcome is unknown (e.g. a timeout): it may have been applied.
        """
        ...

    def write_marked(self, write: MarkedWrite) -> MarkedOutcome:
        """Add ``write``'s deltas to one counter item and move its lane's mark, if the mark allows.

        One conditional write of one item (one write unit on DynamoDB while the item is under
        1 KB), never a transaction.

        Returns:
            Whether it applied, with the item's marks and size (after, or as found).

        Raises:
            ServiceError: the write failed; it may have been applied (``ThrottledError``: every
                attempt was refused). The lane's mark tells a retry which.
        """
        ...

    def remove_marks(self, key: CounterKey, shard: int, marks: Mapping[str, ItemMark]) -> bool:
        """Remove lanes' marks from one counter item shard, each only if it is still as given.

        Returns:
            ``False`` when a mark had changed (nothing removed).

        Raises:
            ServiceError: the store failed.
        """
        ...

    def read_group(self, group: str) -> CounterGroup:
        """Return every counter item of ``group``, write shards merged.

        Raises:
            ServiceError: the store failed.
        """
        ...


class Projection(Protocol):
    """Maps one item image to its counter contributions; pure and deterministic.

    ``name`` identifies the projection in progress markers: two aggregators on one stream must
    use different names (see ``consumer`` on the aggregator).
    """

    @property
    def name(self) -> str:
        """A stable identifier, e.g. ``vote-tally``."""
        ...

    def __call__(self, image: Mapping[str, Value], /) -> Iterable[Contribution]:
        """Return what ``image`` contributes; nothing for items the projection does not count."""
        ...
