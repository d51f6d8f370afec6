"""Plan commits: group per-record deltas into transaction-sized chunks at record boundaries.

One transaction holds at most 100 actions, one of which moves the progress marker, so a chunk
touches at most 99 counter items. Consecutive records are merged into one chunk (coalescing
their deltas, so a hot counter item is written once per chunk) until the next record would
break a limit; the chunk then ends *at a record boundary*, and the marker's position after it
says exactly which records it holds. A single record too large for one transaction (a survey
response with more than 99 questions) is split deterministically into parts, and the marker
records the last applied part, so a retry resumes after it. Pure: no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from feedback_core.aggregate.fold import MutableDeltas, add_into, prune
from feedback_core.aggregate.ports import MAX_TRANSACTION_ACTIONS, Position

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from feedback_core.aggregate.projections import CounterKey

__all__ = ["Chunk", "CommitLimits", "Step", "fits_one_commit", "plan"]

_FIELD_OVERHEAD = 48  # placeholder names, number text and JSON framing per field (generous)
_ITEM_OVERHEAD = 256  # table name, key and the SET clause per counter item


@attrs.frozen(kw_only=True)
class CommitLimits:
    """How much one commit may hold.

    Attributes:
        max_items: Counter items per transaction: 100 actions less the marker's.
        max_fields_per_item: Fields added to one item in one update; keeps the update
            expression well inside DynamoDB's 4 KB expression limit.
        max_request_bytes: An estimate cap on the request size (DynamoDB allows 4 MB).
    """

    max_items: int = MAX_TRANSACTION_ACTIONS - 1
    max_fields_per_item: int = 100
    max_request_bytes: int = 3_000_000

    def __attrs_post_init__(self) -> None:
        """Refuse limits that could never hold a field."""
        if not 1 <= self.max_items <= MAX_TRANSACTION_ACTIONS - 1:
            raise ValueError(f"max_items must be within 1..{MAX_TRANSACTION_ACTIONS - 1}")
        if self.max_fields_per_item < 1 or self.max_request_bytes < 1024:
            raise ValueError("max_fields_per_item must be >= 1 and max_request_bytes >= 1024")


@attrs.define(kw_only=True)
class Step:
    """What one position contributes: a record's deltas, or a window's folded state.

    Attributes:
        sequence: The position's sequence number (a record's, or a window state's last).
        sequence_number: The record's sequence number text, reported back to Lambda in a
            partial failure; ``None`` for a window state.
        deltas: The pruned deltas.
        time: The newest source change in epoch seconds, if known.
    """

    sequence: int
    sequence_number: str | None
    deltas: MutableDeltas
    time: int | None = None


@attrs.define(kw_only=True)
class Chunk:
    """One planned transaction.

    Attributes:
        start: The sequence number text of the chunk's first record if the chunk begins at a
            record boundary (a safe point for a partial failure report), else ``None``.
        end: The marker's position once the chunk is applied.
        deltas: The coalesced, pruned deltas (may be empty: then nothing needs writing).
        times: Per counter item, the newest source change folded in (epoch seconds).
    """

    start: str | None
    end: Position
    deltas: MutableDeltas
    times: dict[CounterKey, int] = attrs.Factory(dict)


def _size(deltas: MutableDeltas) -> int:
    return sum(
        _ITEM_OVERHEAD
        + len(key.group)
        + len(key.name)
        + sum(_FIELD_OVERHEAD + len(f) for f in fields)
        for key, fields in deltas.items()
    )


def _fits_alone(step: Step, limits: CommitLimits) -> bool:
    return (
        len(step.deltas) <= limits.max_items
        and all(len(fields) <= limits.max_fields_per_item for fields in step.deltas.values())
        and _size(step.deltas) <= limits.max_request_bytes
    )


class _Builder:
    """Accumulates steps into one chunk while the limits allow."""

    def __init__(self, start: str | None, limits: CommitLimits) -> None:
        self.start = start
        self.limits = limits
        self.deltas: MutableDeltas = {}
        self.times: dict[CounterKey, int] = {}
        self.size = 0
        self.end: Position | None = None

    def fits(self, step: Step) -> bool:
        new_keys = sum(1 for key in step.deltas if key not in self.deltas)
        if len(self.deltas) + new_keys > self.limits.max_items:
            return False
        for key, fields in step.deltas.items():
            existing = self.deltas.get(key)
            if existing is not None and (
                len(existing) + sum(1 for f in fields if f not in existing)
                > self.limits.max_fields_per_item
            ):
                return False
        return self.size + _size(step.deltas) <= self.limits.max_request_bytes

    def add(self, step: Step, end: Position) -> None:
        add_into(self.deltas, step.deltas)
        self.size += _size(step.deltas)
        if step.time is not None:
            for key in step.deltas:
                if step.time > self.times.get(key, -1):
                    self.times[key] = step.time
        self.end = end

    def chunk(self) -> Chunk:
        assert self.end is not None
        deltas = prune(self.deltas)
        return Chunk(
            start=self.start,
            end=self.end,
            deltas=deltas,
            times={k: t for k, t in self.times.items() if k in deltas},
        )


def fits_one_commit(steps: Iterable[Step], limits: CommitLimits) -> bool:
    """Return whether ``steps`` coalesce into one transaction (no split, no second chunk).

    Tumbling-window mode keeps its state within this bound, so a window's state is always
    written by one atomic commit, whatever records a redelivery recomputes it from.
    """
    builder = _Builder(None, limits)
    for step in steps:
        if not _fits_alone(step, limits) or not builder.fits(step):
            return False
        builder.add(step, Position(sequence=step.sequence))
    return True


def _parts(step: Step, limits: CommitLimits) -> list[MutableDeltas]:
    """Split one oversized step deterministically (sorted keys and fields) into parts."""
    parts: list[MutableDeltas] = []
    current: MutableDeltas = {}
    size = 0
    for key in sorted(step.deltas):
        for field, amount in sorted(step.deltas[key].items()):
            fields = current.get(key)
            cost = _FIELD_OVERHEAD + len(field) + (0 if fields else _ITEM_OVERHEAD + len(key.group))
            too_many_items = fields is None and len(current) >= limits.max_items
            too_many_fields = fields is not None and len(fields) >= limits.max_fields_per_item
            if current and (
                too_many_items or too_many_fields or size + cost > limits.max_request_bytes
            ):
                parts.append(current)
                current, size, fields = {}, 0, None
                cost = _FIELD_OVERHEAD + len(field) + _ITEM_OVERHEAD + len(key.group)
            if fields is None:
                fields = current[key] = {}
            fields[field] = amount
            size += cost
    if current:
        parts.append(current)
    return parts


def _part_chunks(step: Step, limits: CommitLimits, after_part: int | None) -> Iterable[Chunk]:
    parts = _parts(step, limits)
    for index, deltas in enumerate(parts):
        if after_part is not None and index <= after_part:
            continue
        last = index == len(parts) - 1
        yield Chunk(
            start=step.sequence_number if index == 0 else None,
            end=Position(sequence=step.sequence, part=None if last else index),
            deltas=deltas,
            times=dict.fromkeys(deltas, step.time) if step.time is not None else {},
        )


def plan(steps: Sequence[Step], after: Position | None, limits: CommitLimits) -> list[Chunk]:
    """Plan the chunks that apply ``steps`` beyond position ``after``.

    Args:
        steps: Per-position deltas in strictly increasing sequence order.
        after: The marker's position: steps (and parts) at or before it are skipped.
        limits: What one transaction may hold.

    Returns:
        The chunks in order. Each ends at a record boundary, except the parts of one
        oversized record. Chunks whose deltas cancel out are kept (with empty deltas) so the
        caller sees every boundary; it need not write them.
    """
    chunks: list[Chunk] = []
    builder: _Builder | None = None
    for step in steps:
        resume_part: int | None = None
        if after is not None:
            if after.covers(step.sequence):
                continue
            if after.sequence == step.sequence:
                resume_part = after.part  # a partly applied oversized record
        if resume_part is None and _fits_alone(step, limits):
            if builder is not None and not builder.fits(step):
                chunks.append(builder.chunk())
                builder = None
            if builder is None:
                builder = _Builder(step.sequence_number, limits)
            builder.add(step, Position(sequence=step.sequence))
            continue
        if builder is not None:
            chunks.append(builder.chunk())
            builder = None
        chunks.extend(_part_chunks(step, limits, resume_part))
    if builder is not None:
        chunks.append(builder.chunk())
    return chunks
