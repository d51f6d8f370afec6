"""Item marks: exactly-once counters with one conditional write per counter item, no transaction.

The transactional scheme (:mod:`feedback_core.aggregate.service`) commits a batch's counter
updates together with a progress marker; DynamoDB bills a transaction two write units per item,
so a batch whose records touch many different counter items costs twice what the naive
one-``ADD``-per-record handler costs. Here each counter item carries its own proof of what it
holds instead: a *mark* per stream shard (a *lane*), the sequence number of the shard's last
record applied to that item. A batch becomes one ``UpdateItem`` per counter item it touches
that adds the deltas and moves the lane's mark, on the condition that the mark is absent or
below the first record the write applies. One write unit per item (while the item stays under
1 KB), never more writes than records, and no read on the common path.

Why it counts each record once (the full argument is in ``docs/aggregate.md``):

* One shard's records arrive in order (``ParallelizationFactor`` 1), and every write moves the
  lane's mark to the last record it applies, so on each item the lane's applied records are
  exactly those up to its mark.
* A retried, resent or delayed write finds a mark at or past its own first record (its own,
  or a later write's) and is refused; the refusal returns the item as it is
  (``ALL_OLD``), and the aggregator writes only the records after the mark, conditioned on
  the mark being exactly what it read.
* A redelivery, with more or fewer records, bisected or resumed from a reported record, is
  settled item by item the same way: nothing depends on how Lambda groups records.

Marks need the shard id, which Lambda puts in an event only when the event source mapping has
a tumbling window (``TumblingWindowInSeconds``): this scheme uses the window for that alone,
keeps no state, and writes at every invocation.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import time
import zlib
from collections import OrderedDict
from typing import TYPE_CHECKING

import attrs

from feedback_core.aggregate.ports import CounterUpdate, ItemMark, MarkedWrite
from feedback_core.aggregate.stream import iso_seconds
from feedback_core.errors import ServiceError, StreamConfigurationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from feedback_core.aggregate.planning import Step
    from feedback_core.aggregate.ports import Amount, CounterKey, CounterStore, MarkedOutcome

__all__ = [
    "DEFAULT_MARK_HORIZON_SECONDS",
    "DEFAULT_MAX_FIELDS_PER_WRITE",
    "MarkWriter",
    "MarkedBatch",
    "lane_id",
]

DEFAULT_MARK_HORIZON_SECONDS = 25 * 3600
"""A mark whose newest record is older than this may go: a stream keeps records 24 hours, so
none it covers can be delivered again (an hour of margin)."""

DEFAULT_MAX_FIELDS_PER_WRITE = 100
"""Fields added by one UpdateItem; keeps the expression well inside DynamoDB's 4 KB limit."""

KNOWN_MARKS = 10_000
"""Marks a writer remembers (least recently used first out), so a retry in the same process
skips what it saw land without spending a write on it."""

CLEANUP_BYTES = 1024 - 128
"""Remove expired marks from an item once it is this large: its next write would soon cost
two write units (DynamoDB bills a write by the started kilobyte of the larger item image)."""


def lane_id(consumer: str, stream: str, shard_id: str) -> str:
    """Return a short, stable identifier of one consumer reading one shard of one stream.

    Twelve characters of URL-safe base64 (72 bits of SHA-256): two lanes writing one item
    within a day collide with a probability of about 10^-19.

    Examples:
        >>> lane_id("vote-tally", "arn:aws:dynamodb:us-east-1:1:table/v/stream/x", "shardId-1")
        'lR13fuMXbw4y'
    """
    digest = hashlib.sha256(f"{consumer}\n{stream}\n{shard_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


@attrs.frozen(kw_only=True)
class MarkedBatch:
    """What writing one batch by item marks did.

    Attributes:
        failures: The sequence number to report in ``batchItemFailures`` (at most one), or
            empty when every record is applied to every counter item it touches.
        applied: Records with at least one item write newly applied.
        skipped: Item entries found already applied (a retry or redelivery) and skipped.
        writes: Store writes made (marked writes and mark cleanups).
        cause: Why a failure is reported, for logging.
    """

    failures: tuple[str, ...] = ()
    applied: int = 0
    skipped: int = 0
    writes: int = 0
    cause: ServiceError | None = None


@attrs.frozen(kw_only=True)
class _Entry:
    """One record's contribution to one counter item."""

    sequence: int
    sequence_number: str
    deltas: Mapping[str, Amount]
    time: int | None


@attrs.define
class _ItemResult:
    applied: int = 0
    skipped: int = 0
    writes: int = 0
    failed_at: _Entry | None = None
    cause: ServiceError | None = None


def _entries(steps: Sequence[Step]) -> dict[CounterKey, list[_Entry]]:
    """Split the batch's records by counter item, in stream order (items by first record)."""
    items: dict[CounterKey, list[_Entry]] = {}
    for step in steps:
        assert step.sequence_number is not None  # records, not a window state
        for key, fields in step.deltas.items():
            items.setdefault(key, []).append(
                _Entry(
                    sequence=step.sequence,
                    sequence_number=step.sequence_number,
                    deltas=fields,
                    time=step.time,
                )
            )
    return items


def _groups(entries: list[_Entry], max_fields: int) -> list[list[_Entry]]:
    """Cut an item's entries into runs whose fields fit one write (a lone record always fits)."""
    groups: list[list[_Entry]] = []
    fields: set[str] = set()
    for entry in entries:
        if groups and len(fields | entry.deltas.keys()) <= max_fields:
            groups[-1].append(entry)
            fields |= entry.deltas.keys()
        else:
            groups.append([entry])
            fields = set(entry.deltas)
    return groups


class MarkWriter:
    """Writes a batch's counter deltas item by item, each guarded by its lane's mark.

    Args:
        store: Where the counters live.
        write_shards: How many items a counter's writes spread over (or a function of the
            key). A lane always writes a counter to the same one of them (its mark lives
            there), so different shards of the stream spread over them.
        max_fields: Fields one write may add; an item's entries beyond it take more writes.
        max_conflicts: Refused writes of one item in one batch before the aggregator decides
            two processes apply the same lane (a configuration error).
        horizon_seconds: Age after which a mark may be removed.
        clock: Epoch seconds now.
    """

    def __init__(
        self,
        *,
        store: CounterStore,
        write_shards: int | Callable[[CounterKey], int] = 1,
        max_fields: int = DEFAULT_MAX_FIELDS_PER_WRITE,
        max_conflicts: int = 8,
        horizon_seconds: int = DEFAULT_MARK_HORIZON_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Store the configuration."""
        if max_fields < 1:
            raise ValueError("max_fields must be at least 1")
        self._store = store
        self._write_shards = write_shards
        self._max_fields = max_fields
        self._max_conflicts = max_conflicts
        self._horizon = horizon_seconds
        self._clock = clock
        # (lane, group, name, shard) -> a sequence number the lane's mark on it has reached.
        # Marks only grow (a removed one covered only records that can no longer come back),
        # so a remembered value is a safe lower bound of the real one.
        self._known: OrderedDict[tuple[str, str, str, int], int] = OrderedDict()

    def apply(self, lane: str, steps: Sequence[Step]) -> MarkedBatch:
        """Apply every record of ``steps`` (one shard's, in order) to every item it touches.

        Items are written one after another; on a store failure the writing stops and the
        batch reports the lowest record not yet applied everywhere, so Lambda resumes there
        and the marks skip what did land.

        Raises:
            StreamConfigurationError: an item's mark kept moving under this batch.
        """
        items = list(_entries(steps).items())
        applied: set[int] = set()
        skipped = writes = 0
        for index, (key, entries) in enumerate(items):
            for group in _groups(entries, self._max_fields):
                result = self._write_item(lane, key, group)
                writes += result.writes
                skipped += result.skipped
                if result.failed_at is not None:
                    # Every later item is unwritten, and this item from the failed record on.
                    pending = [result.failed_at] + [e[0] for _, e in items[index + 1 :]]
                    first = min(pending, key=lambda e: e.sequence)
                    return MarkedBatch(
                        failures=(first.sequence_number,),
                        applied=len(applied),
                        skipped=skipped,
                        writes=writes,
                        cause=result.cause,
                    )
                applied.update(e.sequence for e in group[len(group) - result.applied :])
        return MarkedBatch(applied=len(applied), skipped=skipped, writes=writes)

    def _shard(self, lane: str, key: CounterKey) -> int:
        shards = self._write_shards(key) if callable(self._write_shards) else self._write_shards
        if shards <= 1:
            return 0
        # Fixed per lane and counter: a retry must find its mark where it left it.
        return zlib.crc32(f"{lane}|{key.group}|{key.name}".encode()) % shards

    def _remember(self, slot: tuple[str, str, str, int], sequence: int) -> None:
        if self._known.get(slot, -1) < sequence:
            self._known[slot] = sequence
        self._known.move_to_end(slot)
        if len(self._known) > KNOWN_MARKS:
            self._known.popitem(last=False)

    def _write_item(self, lane: str, key: CounterKey, group: list[_Entry]) -> _ItemResult:
        result = _ItemResult()
        shard = self._shard(lane, key)
        slot = (lane, key.group, key.name, shard)
        exact, expected = False, None
        # Records at or below the floor are known applied: remembered, or read from a refusal.
        floor = self._known.get(slot, -1)
        for _ in range(self._max_conflicts + 1):
            todo = [e for e in group if e.sequence > floor]
            if not todo:
                result.skipped = len(group)
                return result
            sums: dict[str, Amount] = {}
            for entry in todo:
                for field, amount in entry.deltas.items():
                    sums[field] = sums.get(field, 0) + amount
            fields = {f: a for f, a in sums.items() if a}
            times = [e.time for e in todo if e.time is not None]
            newest = max(times) if times else None
            write = MarkedWrite(
                update=CounterUpdate(
                    key=key,
                    shard=shard,
                    deltas=fields,
                    updated_at=None if newest is None else iso_seconds(newest),
                ),
                lane=lane,
                first=todo[0].sequence,
                mark=ItemMark(
                    sequence=todo[-1].sequence,
                    at=newest if newest is not None else int(self._clock()),
                ),
                exact=exact,
                expected=expected,
            )
            try:
                outcome = self._store.write_marked(write)
            except ServiceError as exc:
                # Maybe applied: the mark tells the retry. Report from the first record sent.
                result.writes += 1
                result.failed_at, result.cause = todo[0], exc
                return result
            result.writes += 1
            if outcome.applied:
                self._remember(slot, write.mark.sequence)
                result.applied, result.skipped = len(todo), len(group) - len(todo)
                result.writes += self._clean(lane, key, shard, outcome)
                return result
            # Refused: the lane's mark is at or past our first record (an earlier delivery,
            # or a resend of this very write, landed). Write only what follows it.
            exact, expected = True, outcome.marks.get(lane)
            if expected is not None:
                floor = max(floor, expected.sequence)
                self._remember(slot, expected.sequence)
        raise StreamConfigurationError(
            f"the mark of lane {lane} on counter {key.group}/{key.name} kept moving during one "
            "batch: two processes apply the same shard (ParallelizationFactor > 1, or two "
            "aggregators sharing a consumer name)"
        )

    def _clean(self, lane: str, key: CounterKey, shard: int, outcome: MarkedOutcome) -> int:
        """Remove expired marks once the item nears 1 KB; return the writes made (0 or 1)."""
        if outcome.size < CLEANUP_BYTES:
            return 0
        cutoff = int(self._clock()) - self._horizon
        expired = {n: m for n, m in outcome.marks.items() if n != lane and m.at < cutoff}
        if not expired:
            return 0
        # A failure only misses a saving: the next write that finds them tries again.
        with contextlib.suppress(ServiceError):
            self._store.remove_marks(key, shard, expired)
        return 1
