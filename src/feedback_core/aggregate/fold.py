"""The pure fold: stream records to coalesced counter deltas.

An INSERT adds P(new), a REMOVE subtracts P(old) and a MODIFY adds P(new) - P(old), where P is
the projection. Deltas for the same counter item and field are summed, and zero deltas vanish,
so a MODIFY that does not change what an item counts (a sentiment label landing on a feedback
item changes only the sentiment fields) writes nothing else. A record that lacks the image it
needs is a configuration error, never a silent miss. A REMOVE made by Time to Live follows an
:class:`ExpiryPolicy`; by default an expiry is not a retraction.

Examples:
    >>> from feedback_core.aggregate.projections import vote_tally
    >>> from feedback_core.aggregate.stream import decode_event
    >>> def record(seq, name, new=None, old=None):
    ...     data = {"SequenceNumber": seq, "Keys": {"pollId": {"S": "p"}, "userId": {"S": "u"}}}
    ...     if new: data["NewImage"] = {"pollId": {"S": "p"}, "choice": {"S": new}}
    ...     if old: data["OldImage"] = {"pollId": {"S": "p"}, "choice": {"S": old}}
    ...     return {"eventName": name, "dynamodb": data}
    >>> batch = decode_event({"Records": [record("1", "INSERT", new="yes"),
    ...                                   record("2", "MODIFY", new="no", old="yes")]})
    >>> fold(batch.records, vote_tally()).as_dict()
    {('poll#p', 'tally'): {'choice:no': 1}}
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import attrs

from feedback_core.aggregate.stream import EventName, StreamRecord
from feedback_core.errors import StreamConfigurationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from feedback_core.aggregate.ports import Projection
    from feedback_core.aggregate.projections import Amount, CounterKey
    from feedback_core.attributes import Value

__all__ = ["Deltas", "ExpiryPolicy", "fold", "record_deltas", "recount"]

MutableDeltas = dict["CounterKey", dict[str, "Amount"]]


class ExpiryPolicy(enum.Enum):
    """What a REMOVE made by DynamoDB Time to Live means to the counters.

    ``IGNORE`` (the default): an expiry is housekeeping, not a retraction; the item still
    counts (a poll's votes do not fall when old vote items expire). ``RETRACT``: an expiry
    subtracts like a user's delete.
    """

    IGNORE = "ignore"
    RETRACT = "retract"


@attrs.frozen
class Deltas:
    """Coalesced counter deltas: counter item to field to a non-zero amount.

    Attributes:
        counters: Counter item key to its non-zero field deltas.
    """

    counters: Mapping[CounterKey, Mapping[str, Amount]]

    def amount(self, key: CounterKey, field: str) -> Amount:
        """Return the delta of one field (0 when absent)."""
        return self.counters.get(key, {}).get(field, 0)

    def as_dict(self) -> dict[tuple[str, str], dict[str, Amount]]:
        """Return a plain, sorted ``{(group, name): {field: amount}}`` copy (for tests, logs)."""
        return {
            (key.group, key.name): dict(sorted(fields.items()))
            for key, fields in sorted(self.counters.items())
        }

    def __add__(self, other: Deltas) -> Deltas:
        """Return the coalesced sum of two deltas."""
        merged: MutableDeltas = {}
        add_into(merged, self.counters)
        add_into(merged, other.counters)
        return Deltas(prune(merged))


def add_into(target: MutableDeltas, deltas: Mapping[CounterKey, Mapping[str, Amount]]) -> None:
    """Add ``deltas`` into ``target`` in place (zeros are kept; call :func:`prune` after)."""
    for key, fields in deltas.items():
        existing = target.get(key)
        if existing is None:
            target[key] = dict(fields)
            continue
        for field, amount in fields.items():
            existing[field] = existing.get(field, 0) + amount


def prune(deltas: MutableDeltas) -> MutableDeltas:
    """Drop zero fields and items left without fields, in place; return ``deltas``."""
    for key in list(deltas):
        fields = deltas[key]
        for field in [f for f, amount in fields.items() if not amount]:
            del fields[field]
        if not fields:
            del deltas[key]
    return deltas


def _project(
    target: MutableDeltas, projection: Projection, image: Mapping[str, Value], sign: int
) -> None:
    for contribution in projection(image):
        fields = target.get(contribution.counter)
        if fields is None:
            fields = target[contribution.counter] = {}
        amount = contribution.amount if sign > 0 else -contribution.amount
        fields[contribution.field] = fields.get(contribution.field, 0) + amount


def _missing(record: StreamRecord, image: str) -> StreamConfigurationError:
    view = record.stream_view_type or "unknown"
    return StreamConfigurationError(
        f"stream record {record.sequence_number} ({record.event_name.value}) has no {image} "
        f"image; the table's stream must use StreamViewType NEW_AND_OLD_IMAGES (it is {view})"
    )


def record_deltas(
    record: StreamRecord, projection: Projection, *, expiry: ExpiryPolicy = ExpiryPolicy.IGNORE
) -> MutableDeltas:
    """Return the pruned deltas of one record (a fresh, mutable dict the caller may keep).

    Args:
        record: The stream record.
        projection: What an item contributes.
        expiry: What a Time to Live REMOVE means.

    Returns:
        Counter item key to its non-zero field deltas.

    Raises:
        StreamConfigurationError: if the record lacks the image its event needs.
    """
    deltas: MutableDeltas = {}
    name = record.event_name
    if name is EventName.INSERT:
        if record.new_image is None:
            raise _missing(record, "new")
        _project(deltas, projection, record.new_image, 1)
        return prune(deltas)
    if name is EventName.REMOVE:
        if record.is_ttl_expiry and expiry is ExpiryPolicy.IGNORE:
            return deltas
        if record.old_image is None:
            raise _missing(record, "old")
        _project(deltas, projection, record.old_image, -1)
        return prune(deltas)
    if record.new_image is None:
        raise _missing(record, "new")
    if record.old_image is None:
        raise _missing(record, "old")
    _project(deltas, projection, record.new_image, 1)
    _project(deltas, projection, record.old_image, -1)
    return prune(deltas)


def fold(
    records: Iterable[StreamRecord],
    projection: Projection,
    *,
    expiry: ExpiryPolicy = ExpiryPolicy.IGNORE,
) -> Deltas:
    """Fold stream records into coalesced deltas.

    Args:
        records: The records, in any order (the sum does not depend on it).
        projection: What an item contributes.
        expiry: What a Time to Live REMOVE means.

    Returns:
        The coalesced, zero-free deltas.

    Raises:
        StreamConfigurationError: if a record lacks the image its event needs.
    """
    total: MutableDeltas = {}
    for record in records:
        add_into(total, record_deltas(record, projection, expiry=expiry))
    return Deltas(prune(total))


def recount(items: Iterable[Mapping[str, Value]], projection: Projection) -> Deltas:
    """Count a table from scratch: the sum of the projection over its items.

    This is what the counters must equal once every stream record has been applied exactly
    once; use it to rebuild counters or to check them.

    Args:
        items: Every item of the source table, as Python values.
        projection: What an item contributes.

    Returns:
        The coalesced, zero-free counts.
    """
    total: MutableDeltas = {}
    for item in items:
        _project(total, projection, item, 1)
    return Deltas(prune(total))
