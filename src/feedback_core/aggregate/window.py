"""Tumbling-window state: the deltas folded so far in a window, carried by Lambda between calls.

With a tumbling window configured on the event source mapping, Lambda passes each invocation
the ``state`` the previous one returned, and flags the window's last invocation. The aggregator
folds batches into this state without writing anything, and writes once when the window closes
(see :class:`~feedback_core.aggregate.service.StreamAggregator`). The state is plain JSON:
amounts are JSON integers, or strings for Decimals so that nothing passes through a float.

Examples:
    >>> from feedback_core.aggregate.projections import CounterKey
    >>> state = WindowState(first=5, last=9, time=None,
    ...                     deltas={CounterKey(group="poll#p", name="tally"): {"choice:a": 2}})
    >>> WindowState.from_json(state.to_json()) == state
    True
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, cast

import attrs
import orjson

from feedback_core.aggregate.fold import MutableDeltas, add_into, prune
from feedback_core.aggregate.planning import Step
from feedback_core.aggregate.projections import CounterKey
from feedback_core.errors import StreamConfigurationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from feedback_core.aggregate.projections import Amount

__all__ = ["STATE_VERSION", "WindowState"]

STATE_VERSION = 1
"""The version tag written into every state, so a future layout can read old states."""


def _encode_amount(amount: Amount) -> int | str:
    return amount if isinstance(amount, int) else str(amount)


def _decode_amount(raw: object) -> Amount:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        return Decimal(raw)
    raise TypeError(f"not an amount: {raw!r}")


@attrs.frozen(kw_only=True)
class WindowState:
    """What a window has folded so far and not yet written.

    Attributes:
        first: The sequence number of the first record folded into ``deltas``; ``None`` when
            ``deltas`` is empty.
        last: The sequence number of the last record seen in this window (folded or already
            written); records at or below it are duplicates.
        time: The newest source change folded in (epoch seconds), if known.
        deltas: The folded, pruned deltas.
        epoch: The shard marker's epoch when the state was last folded. A marker fenced
            since (a higher epoch) means an earlier attempt of this invocation may have
            started a write: the retry then writes instead of folding.
    """

    first: int | None = None
    last: int | None = None
    time: int | None = None
    deltas: Mapping[CounterKey, Mapping[str, Amount]] = attrs.field(factory=dict)
    epoch: int | None = None

    def with_steps(self, steps: Iterable[Step]) -> WindowState:
        """Return the state with ``steps`` folded in."""
        deltas: MutableDeltas = {}
        add_into(deltas, self.deltas)
        first, last, time = self.first, self.last, self.time
        for step in steps:
            add_into(deltas, step.deltas)
            if first is None:
                first = step.sequence
            last = step.sequence
            if step.time is not None and (time is None or step.time > time):
                time = step.time
        prune(deltas)
        return WindowState(
            first=first if deltas else None, last=last, time=time, deltas=deltas, epoch=self.epoch
        )

    def step(self) -> Step | None:
        """Return the state as one step positioned at ``last``, or ``None`` if it holds nothing."""
        if not self.deltas or self.last is None:
            return None
        deltas: MutableDeltas = {key: dict(fields) for key, fields in self.deltas.items()}
        return Step(sequence=self.last, sequence_number=None, deltas=deltas, time=self.time)

    def to_json(self) -> dict[str, object]:
        """Return the state as the JSON object Lambda carries to the next invocation."""
        state: dict[str, object] = {"v": STATE_VERSION}
        if self.first is not None:
            state["first"] = str(self.first)
        if self.last is not None:
            state["last"] = str(self.last)
        if self.time is not None:
            state["time"] = self.time
        if self.epoch is not None:
            state["epoch"] = self.epoch
        if self.deltas:
            state["counters"] = [
                [key.group, key.name, {f: _encode_amount(a) for f, a in sorted(fields.items())}]
                for key, fields in sorted(self.deltas.items())
            ]
        return state

    def encoded_size(self) -> int:
        """Return the size in bytes of the state as JSON (Lambda allows 1 MB per shard)."""
        return len(orjson.dumps(self.to_json()))

    @classmethod
    def from_json(cls, state: Mapping[str, object]) -> WindowState:
        """Read a state written by :meth:`to_json` (``{}`` is the empty state).

        Raises:
            StreamConfigurationError: if the state is not one this library wrote.
        """
        if not state:
            return cls()
        try:
            if state.get("v") != STATE_VERSION:
                raise ValueError(f"unknown state version {state.get('v')!r}")
            deltas: MutableDeltas = {}
            for group, name, fields in cast("list[list[object]]", state.get("counters", [])):
                key = CounterKey(group=cast("str", group), name=cast("str", name))
                deltas[key] = {
                    f: _decode_amount(a) for f, a in cast("Mapping[str, object]", fields).items()
                }
            first, last, time = state.get("first"), state.get("last"), state.get("time")
            epoch = state.get("epoch")
            return cls(
                first=None if first is None else int(cast("str", first)),
                last=None if last is None else int(cast("str", last)),
                time=None if time is None else int(cast("int", time)),
                deltas=deltas,
                epoch=None if epoch is None else int(cast("int", epoch)),
            )
        except (TypeError, ValueError, AttributeError, InvalidOperation) as exc:
            raise StreamConfigurationError(
                f"the tumbling-window state was not written by this aggregator: {exc}"
            ) from exc
