"""A DynamoDB-stream-to-Lambda delivery simulator with seeded fault injection.

:class:`StreamSimulator` plays both sides of a stream-triggered Lambda function:

* a **source table** with a stream: :meth:`~StreamSimulator.put`, :meth:`~StreamSimulator.update`,
  :meth:`~StreamSimulator.delete` and :meth:`~StreamSimulator.expire` (a Time to Live delete)
  change items and append INSERT / MODIFY / REMOVE records, with images as the configured
  ``StreamViewType`` carries them, to one of the stream's shards;
* the **event source mapping**: :meth:`~StreamSimulator.deliver` and
  :meth:`~StreamSimulator.drain` invoke your handler with Lambda-shaped events and follow
  Lambda's rules: batches start at the shard's checkpoint; a failed invocation is retried from
  the same checkpoint (with whatever records have arrived since); a partial failure report
  moves the checkpoint to the lowest failed sequence number; an invalid report fails the whole
  batch; ``MaximumRetryAttempts`` discards a batch; tumbling windows carry ``state`` between
  invocations and flag the final one.

Faults come from a seeded :class:`FaultInjector`: wrap your counter store with
:meth:`~StreamSimulator.wrap` to crash before or after a commit, throttle, lose a commit's
response after it was applied, hold a commit up in flight and let it land later, or replay an
old commit late; the simulator itself loses
invocation responses (a timeout after the handler finished) and shortens batches (as
``GetRecords`` may). The same seed gives the same run.

One module past 500 lines on purpose: the source table, its shards and the fault injector
share the simulated clock and sequence numbers, and a fault schedule is only reproducible when
they live together.

Examples:
    >>> from feedback_core.aggregate import InMemoryCounterStore, StreamAggregator, vote_tally
    >>> sim = StreamSimulator(key=("pollId", "userId"), seed=1, batch_size=3,
    ...                       faults=FaultRates(crash_after_commit=0.3, lost_response=0.2))
    >>> store = InMemoryCounterStore()
    >>> aggregator = StreamAggregator(projection=vote_tally(), store=sim.wrap(store))
    >>> for user in range(10):
    ...     sim.put({"pollId": "p", "userId": f"u{user}", "choice": "ab"[user % 2]})
    >>> report = sim.drain(aggregator.handle)
    >>> store.read_group("poll#p").items["tally"].fields
    {'choice:a': 5, 'choice:b': 5}
"""

from __future__ import annotations

import random
import zlib
from base64 import b64encode
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import attrs
import orjson

from feedback_core.aggregate.ports import CommitOutcome
from feedback_core.aggregate.stream import TTL_PRINCIPAL, iso_seconds
from feedback_core.attributes import to_item
from feedback_core.errors import FeedbackCoreError, ServiceError, ThrottledError
from feedback_core.testing.mapping import (
    EventSourceMappingDriver,
    ShardCursor,
    StreamHandler,
    failure_index,
)

if TYPE_CHECKING:
    from feedback_core.aggregate.ports import (
        Commit,
        CounterGroup,
        CounterKey,
        CounterStore,
        ItemMark,
        MarkedOutcome,
        MarkedWrite,
        MarkerKey,
        Position,
    )
    from feedback_core.attributes import Value

__all__ = [
    "DEFAULT_STREAM_ARN",
    "DeliveryReport",
    "FaultInjector",
    "FaultRates",
    "FaultyCounterStore",
    "SimulatedCrash",
    "SimulationError",
    "StreamHandler",
    "StreamSimulator",
]

DEFAULT_STREAM_ARN = (
    "arn:aws:dynamodb:us-east-1:123456789012:table/source/stream/2026-01-01T00:00:00.000"
)
LAMBDA_STATE_LIMIT = 1024 * 1024
"""Lambda keeps at most 1 MB of tumbling-window state per shard."""

T = TypeVar("T")


class SimulatedCrash(BaseException):  # a crash, not an error a handler may catch
    """The function's process died (crash, timeout, out of memory) at an injected point.

    It derives from ``BaseException`` so that no ``except Exception`` in handler code can
    swallow it, as no code can catch a killed process.
    """


class SimulationError(FeedbackCoreError, AssertionError):
    """The handler broke a rule Lambda enforces (e.g. window state over 1 MB), or never drains.

    A :class:`~feedback_core.errors.FeedbackCoreError` like every error the library raises,
    and an ``AssertionError`` so that test runners report it as a failed check.
    """


@attrs.frozen(kw_only=True)
class FaultRates:
    """How often each fault strikes (probabilities per opportunity, 0 to 1).

    Attributes:
        crash_before_commit: The process dies just before a store write.
        crash_after_commit: The process dies just after a store write was applied.
        throttle: A store call is refused with ThrottledError (nothing applied).
        ambiguous: A store write is applied but its response is lost (ServiceError).
        replay: An earlier store write arrives again, late (a delayed duplicate request).
        delay: A store write is held up in flight: the caller sees a timeout, and the write
            lands later, after other calls (perhaps after a retry has moved on).
        lost_response: The handler returned, but Lambda saw a timeout: the batch is retried.
        short_batch: A batch holds fewer records than are available (as GetRecords may).
        terminate_window_early: A window's invocation is flagged final and terminated early.
        restart_window: After a failed window invocation, Lambda delivers the window again
            from its checkpoint with a fresh (empty) state, instead of retrying the failed
            invocation with its state.
    """

    crash_before_commit: float = 0.0
    crash_after_commit: float = 0.0
    throttle: float = 0.0
    ambiguous: float = 0.0
    replay: float = 0.0
    delay: float = 0.0
    lost_response: float = 0.0
    short_batch: float = 0.0
    terminate_window_early: float = 0.0
    restart_window: float = 0.0

    @classmethod
    def sample(cls, rng: random.Random, *, ceiling: float = 0.25) -> FaultRates:
        """Draw a random fault mix: each rate uniform in ``[0, ceiling]``, some switched off."""
        rates = {
            field.name: (rng.uniform(0, ceiling) if rng.random() < 0.7 else 0.0)
            for field in attrs.fields(cls)
        }
        return cls(**rates)


class FaultInjector:
    """Decides, from a seeded generator, where faults strike; counts what it injected.

    Handlers under test call :meth:`before_write` and :meth:`after_write` around each store
    write (:class:`FaultyCounterStore` does this for a counter store).

    Args:
        rates: How often each fault strikes.
        rng: The seeded generator.
    """

    def __init__(self, rates: FaultRates, rng: random.Random) -> None:
        """Start with no faults injected."""
        self.rates = rates
        self._rng = rng
        self.counts: dict[str, int] = {}

    def strikes(self, fault: str) -> bool:
        """Return (and count) whether ``fault`` strikes at this opportunity."""
        rate = cast("float", getattr(self.rates, fault))
        if rate > 0 and self._rng.random() < rate:
            self.counts[fault] = self.counts.get(fault, 0) + 1
            return True
        return False

    def before_read(self, operation: str) -> None:
        """Maybe throttle a read (at half the write throttle rate).

        Raises:
            ThrottledError: the read is throttled.
        """
        if self.rates.throttle and self._rng.random() < self.rates.throttle / 2:
            self.counts["throttle"] = self.counts.get("throttle", 0) + 1
            raise ThrottledError(operation, "ProvisionedThroughputExceededException", "injected")

    def before_write(self, operation: str) -> None:
        """Maybe crash or throttle before a write is applied.

        Raises:
            SimulatedCrash: the process dies; nothing is written.
            ThrottledError: the write is refused; nothing is written.
        """
        if self.strikes("crash_before_commit"):
            raise SimulatedCrash(f"crash before {operation}")
        if self.strikes("throttle"):
            raise ThrottledError(operation, "ProvisionedThroughputExceededException", "injected")

    def after_write(self, operation: str) -> None:
        """Maybe crash or lose the response after a write was applied.

        Raises:
            SimulatedCrash: the process dies after the write landed.
            ServiceError: the response was lost (``RequestTimeout``); the write landed.
        """
        if self.strikes("crash_after_commit"):
            raise SimulatedCrash(f"crash after {operation}")
        if self.strikes("ambiguous"):
            raise ServiceError(operation, "RequestTimeout", "injected: applied, response lost")

    def pick(self, choices: Sequence[T]) -> T | None:
        """Return an earlier write (one of ``choices``) to replay late, if replay strikes."""
        if choices and self.strikes("replay"):
            return choices[self._rng.randrange(len(choices))]
        return None


class FaultyCounterStore:
    """A counter store wrapper that injects faults around the real store's calls.

    Args:
        inner: The store that really keeps the counters (in memory, or DynamoDB on moto).
        injector: Where faults strike.
    """

    def __init__(self, inner: CounterStore, injector: FaultInjector) -> None:
        """Wrap ``inner``."""
        self.inner = inner
        self._injector = injector
        # Writes that landed (a late duplicate may land again) and writes held up in flight.
        self._sent: list[Callable[[], object]] = []
        self._in_flight: list[Callable[[], object]] = []

    def _land_delayed(self) -> None:
        # A held-up write reaches the store at some later call; nobody sees its outcome.
        if self._in_flight and self._injector.strikes("delay"):
            self._in_flight.pop(0)()
        stale = self._injector.pick(self._sent)
        if stale is not None:
            stale()  # a delayed duplicate of an earlier request lands now, unseen

    def _write(self, operation: str, send: Callable[[], T], landed: Callable[[T], bool]) -> T:
        self._land_delayed()
        self._injector.before_write(operation)
        if self._injector.strikes("delay"):
            self._in_flight.append(send)
            raise ServiceError(operation, "RequestTimeout", "injected: still in flight")
        outcome = send()
        if landed(outcome):
            self._sent.append(send)
        self._injector.after_write(operation)
        return outcome

    def load_marker(self, marker: MarkerKey) -> Position | None:
        """Read through, maybe throttled; a delayed write may land first."""
        if self._in_flight and self._injector.strikes("delay"):
            self._in_flight.pop(0)()
        self._injector.before_read("GetItem")
        return self.inner.load_marker(marker)

    def commit(self, commit: Commit) -> CommitOutcome:
        """Commit through, with crashes, throttling, lost responses, delays and late replays."""
        return self._write(
            "TransactWriteItems",
            lambda: self.inner.commit(commit),
            lambda outcome: outcome is CommitOutcome.COMMITTED,
        )

    def write_marked(self, write: MarkedWrite) -> MarkedOutcome:
        """Write through, with crashes, throttling, lost responses, delays and late replays."""
        return self._write(
            "UpdateItem", lambda: self.inner.write_marked(write), lambda outcome: outcome.applied
        )

    def remove_marks(self, key: CounterKey, shard: int, marks: Mapping[str, ItemMark]) -> bool:
        """Remove through, with the same faults."""
        return self._write(
            "UpdateItem", lambda: self.inner.remove_marks(key, shard, marks), lambda done: done
        )

    def read_group(self, group: str) -> CounterGroup:
        """Read through, without faults."""
        return self.inner.read_group(group)


@attrs.frozen(kw_only=True)
class DeliveryReport:
    """What a delivery run did.

    Attributes:
        invocations: Handler invocations.
        failed_invocations: Invocations Lambda treated as failed (crash, error, timeout).
        partial_failures: Invocations that reported batch item failures.
        discarded: Sequence numbers given up after ``maximum_retry_attempts`` (what an
            on-failure destination would receive).
        faults: Faults injected, by kind.
    """

    invocations: int
    failed_invocations: int
    partial_failures: int
    discarded: tuple[str, ...]
    faults: Mapping[str, int]


@attrs.define
class _Shard:
    shard_id: str
    log: list[tuple[int, dict[str, object]]] = attrs.Factory(list)  # (creation time, record)
    checkpoint: int = 0  # index of the next record to deliver
    cursor: ShardCursor = attrs.Factory(ShardCursor)  # failed attempts at the checkpoint
    window_start: int | None = None
    state: dict[str, object] = attrs.Factory(dict)
    lineage: int = 0  # the checkpoint where the current state began (empty)
    early: dict[int, bool] = attrs.Factory(dict)  # early termination decided per checkpoint


def _json_attribute(value: object) -> object:
    # Lambda's JSON carries binary as base64 text.
    if isinstance(value, bytes):
        return b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: _json_attribute(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_attribute(v) for v in value]
    return value


def _image(item: Mapping[str, Value]) -> dict[str, object]:
    return cast("dict[str, object]", _json_attribute(to_item(item)))


class StreamSimulator:
    """A source table with a stream, and Lambda's event source mapping in front of a handler.

    Args:
        key: The source table's key attribute names, e.g. ``("pollId", "userId")``.
        seed: Seeds every random choice (faults, batch sizes, scheduling).
        batch_size: ``BatchSize`` of the event source mapping (Lambda's default is 100).
        shards: How many stream shards items spread over (by key).
        faults: How often each fault strikes (none by default).
        stream_view_type: ``NEW_AND_OLD_IMAGES`` (needed for counting), ``NEW_IMAGE``,
            ``OLD_IMAGE`` or ``KEYS_ONLY``.
        window_seconds: ``TumblingWindowInSeconds``; ``None`` for plain batches.
        maximum_retry_attempts: ``MaximumRetryAttempts``; ``None`` retries until success
            (Lambda's default, -1, retries until the record expires).
        stream_arn: The stream's ARN in events.
        start_time: The simulated clock's start, epoch seconds.
    """

    def __init__(
        self,
        *,
        key: Sequence[str],
        seed: int = 0,
        batch_size: int = 100,
        shards: int = 1,
        faults: FaultRates | None = None,
        stream_view_type: str = "NEW_AND_OLD_IMAGES",
        window_seconds: int | None = None,
        maximum_retry_attempts: int | None = None,
        stream_arn: str = DEFAULT_STREAM_ARN,
        start_time: int = 1_795_000_000,
    ) -> None:
        """Create an empty table and stream."""
        if batch_size < 1 or shards < 1:
            raise ValueError("batch_size and shards must be at least 1")
        self.key = tuple(key)
        self.batch_size = batch_size
        self.stream_view_type = stream_view_type
        self.window_seconds = window_seconds
        self.maximum_retry_attempts = maximum_retry_attempts
        self.stream_arn = stream_arn
        self.now = start_time
        self._rng = random.Random(seed)  # noqa: S311  # simulation, not cryptography
        self.faults = faults or FaultRates()
        self.injector = FaultInjector(self.faults, random.Random(self._rng.getrandbits(64)))  # noqa: S311
        self._items: dict[tuple[object, ...], dict[str, Value]] = {}
        self.expired: list[dict[str, Value]] = []
        self._shards = [
            _Shard(shard_id=f"shardId-{index:08d}-{seed & 0xFFFF:04x}") for index in range(shards)
        ]
        self._sequence = 10**20 + self._rng.randrange(10**6)
        self._invocations = 0
        self._failed = 0
        self._partial = 0
        self._discarded: list[str] = []
        self._driver = EventSourceMappingDriver(
            maximum_retry_attempts=maximum_retry_attempts,
            # Only these fail an invocation here; anything else reaches the test at once.
            failures=(SimulatedCrash, ServiceError),
        )

    # -- the source table ----------------------------------------------------------------------

    def items(self) -> list[dict[str, Value]]:
        """Return the table's live items (copies)."""
        return [dict(item) for item in self._items.values()]

    def advance(self, seconds: int) -> None:
        """Move the simulated clock forward."""
        self.now += seconds

    def _key_of(self, item: Mapping[str, Value]) -> tuple[object, ...]:
        try:
            return tuple(item[name] for name in self.key)
        except KeyError as exc:
            raise ValueError(f"item lacks key attribute {exc}") from exc

    def _emit(
        self,
        name: str,
        key: tuple[object, ...],
        new: Mapping[str, Value] | None,
        old: Mapping[str, Value] | None,
        *,
        expiry: bool = False,
    ) -> None:
        self._sequence += self._rng.randint(1, 1000)
        view = self.stream_view_type
        data: dict[str, object] = {
            "ApproximateCreationDateTime": self.now,
            "Keys": _image(dict(zip(self.key, cast("tuple[Value, ...]", key), strict=True))),
            "SequenceNumber": str(self._sequence),
            "StreamViewType": view,
        }
        if new is not None and view in ("NEW_AND_OLD_IMAGES", "NEW_IMAGE"):
            data["NewImage"] = _image(new)
        if old is not None and view in ("NEW_AND_OLD_IMAGES", "OLD_IMAGE"):
            data["OldImage"] = _image(old)
        data["SizeBytes"] = len(orjson.dumps(data))
        record: dict[str, object] = {
            "eventID": f"{zlib.crc32(str(self._sequence).encode()):08x}-{self._sequence}",
            "eventName": name,
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": data,
            "eventSourceARN": self.stream_arn,
        }
        if expiry:
            record["userIdentity"] = {"type": "Service", "principalId": TTL_PRINCIPAL}
        shard = self._shards[zlib.crc32(repr(key).encode()) % len(self._shards)]
        shard.log.append((self.now, record))

    def put(self, item: Mapping[str, Value]) -> None:
        """Write a whole item (PutItem): an INSERT, or a MODIFY if it replaces a different one."""
        key = self._key_of(item)
        new = dict(item)
        old = self._items.get(key)
        self._items[key] = new
        if old is None:
            self._emit("INSERT", key, new, None)
        elif old != new:
            self._emit("MODIFY", key, new, old)

    def update(
        self, key: Mapping[str, Value], changes: Mapping[str, Value], *, remove: Iterable[str] = ()
    ) -> None:
        """Change attributes of an item (UpdateItem; creates it if absent, like UpdateItem)."""
        key_tuple = self._key_of(key)
        old = self._items.get(key_tuple)
        new = dict(old) if old is not None else dict(key)
        new.update(changes)
        for name in remove:
            new.pop(name, None)
        self._items[key_tuple] = new
        if old is None:
            self._emit("INSERT", key_tuple, new, None)
        elif old != new:
            self._emit("MODIFY", key_tuple, new, old)

    def delete(self, key: Mapping[str, Value]) -> None:
        """Delete an item (DeleteItem): a REMOVE if it existed."""
        key_tuple = self._key_of(key)
        old = self._items.pop(key_tuple, None)
        if old is not None:
            self._emit("REMOVE", key_tuple, None, old)

    def expire(self, key: Mapping[str, Value]) -> None:
        """Delete an item as Time to Live does: a REMOVE whose principal is DynamoDB."""
        key_tuple = self._key_of(key)
        old = self._items.pop(key_tuple, None)
        if old is not None:
            self.expired.append(old)
            self._emit("REMOVE", key_tuple, None, old, expiry=True)

    # -- delivery ------------------------------------------------------------------------------

    def wrap(self, store: CounterStore) -> FaultyCounterStore:
        """Return ``store`` wrapped with this simulator's fault injector."""
        return FaultyCounterStore(store, self.injector)

    def pending(self) -> int:
        """Return how many records have not been checkpointed yet, over all shards."""
        return sum(len(shard.log) - shard.checkpoint for shard in self._shards)

    def _window_of(self, created: int) -> int:
        assert self.window_seconds is not None
        return created - created % self.window_seconds

    def _has_work(self, shard: _Shard) -> bool:
        if shard.checkpoint < len(shard.log):
            return True
        # A window whose records were all delivered still owes its final invocation.
        return (
            self.window_seconds is not None
            and shard.window_start is not None
            and self.now >= shard.window_start + self.window_seconds
        )

    def _batch(self, shard: _Shard) -> tuple[list[dict[str, object]], bool]:
        """Return the next batch's records and, in window mode, whether it closes the window."""
        available = shard.log[shard.checkpoint : shard.checkpoint + self.batch_size]
        if self.window_seconds is not None:
            if shard.window_start is None:
                shard.window_start = self._window_of(available[0][0])
            start = shard.window_start
            in_window = [r for r in available if self._window_of(r[0]) == start]
            available = in_window
        if len(available) > 1 and self.injector.strikes("short_batch"):
            available = available[: self._rng.randint(1, len(available) - 1)]
        records = [record for _, record in available]
        if self.window_seconds is None:
            return records, False
        assert shard.window_start is not None
        following = shard.log[shard.checkpoint + len(records) :]
        more_in_window = bool(following) and self._window_of(following[0][0]) == shard.window_start
        closed = self.now >= shard.window_start + self.window_seconds or (
            bool(following) and not more_in_window
        )
        return records, closed and not more_in_window

    def _event(
        self, shard: _Shard, records: list[dict[str, object]], *, final: bool, early: bool
    ) -> dict[str, object]:
        event: dict[str, object] = {"Records": records}
        if self.window_seconds is not None:
            assert shard.window_start is not None
            event.update(
                {
                    "window": {
                        "start": iso_seconds(shard.window_start),
                        "end": iso_seconds(shard.window_start + self.window_seconds),
                    },
                    "state": dict(shard.state),
                    "shardId": shard.shard_id,
                    "eventSourceARN": self.stream_arn,
                    "isFinalInvokeForWindow": final,
                    "isWindowTerminatedEarly": early,
                }
            )
        return event

    def _invoke(self, shard: _Shard, handler: StreamHandler) -> None:
        records, final = self._batch(shard)
        window = self.window_seconds is not None
        early = False
        if window and not final:
            # Decided once per checkpoint: a retry of an invocation Lambda ended the window
            # with is again the window's end (a closed window does not reopen).
            if shard.checkpoint not in shard.early:
                shard.early[shard.checkpoint] = self.injector.strikes("terminate_window_early")
            final = early = shard.early[shard.checkpoint]
        if not window and not records:
            return
        self._invocations += 1
        numbers = [
            cast("str", cast("Mapping[str, object]", r["dynamodb"])["SequenceNumber"])
            for r in records
        ]

        def acceptable(response: Mapping[str, object] | None) -> bool:
            # A window response without state counts as a failed invocation; this simulator
            # treats a partial failure report in a window the same way.
            if not window:
                return True
            state = None if response is None else response.get("state")
            return isinstance(state, Mapping) and failure_index(numbers, response) is None

        verdict = self._driver.invoke(
            handler,
            self._event(shard, records, final=final, early=early),
            numbers,
            shard.cursor,
            lost_response=lambda: self.injector.strikes("lost_response"),
            validate=acceptable,
        )
        self._failed += verdict.failed
        self._partial += verdict.partial
        self._discarded.extend(verdict.discarded)
        if verdict.failed and not verdict.discarded:
            if window and self.injector.strikes("restart_window"):
                # Lambda delivers the window again from where its state began, with no state.
                shard.checkpoint, shard.state = shard.lineage, {}
            return
        shard.checkpoint += verdict.advance
        if window and not verdict.failed:
            assert verdict.response is not None
            self._window_done(shard, cast("Mapping[str, object]", verdict.response["state"]))
            if final:
                shard.state = {}
                shard.lineage = shard.checkpoint
                if not early:
                    shard.window_start = None

    def _window_done(self, shard: _Shard, state: Mapping[str, object]) -> None:
        size = len(orjson.dumps(state))
        if size > LAMBDA_STATE_LIMIT:
            raise SimulationError(f"window state of {size} bytes is over Lambda's 1 MB limit")
        shard.state = dict(state)

    def deliver(self, handler: StreamHandler, *, invocations: int = 1) -> None:
        """Run up to ``invocations`` invocations on shards that have work (chosen at random).

        Raises:
            Exception: whatever the handler raises other than ServiceError and
                SimulatedCrash (both fail the invocation, as in Lambda): a test should see it.
        """
        for _ in range(invocations):
            ready = [shard for shard in self._shards if self._has_work(shard)]
            if not ready:
                return
            self._invoke(self._rng.choice(ready), handler)

    def drain(self, handler: StreamHandler, *, max_invocations: int = 100_000) -> DeliveryReport:
        """Deliver until every record is checkpointed and every window closed.

        Raises:
            SimulationError: ``max_invocations`` were not enough (the handler never drains).
        """
        closed = self.window_seconds is None
        for _ in range(max_invocations):
            if not any(self._has_work(shard) for shard in self._shards):
                if closed:
                    return self.report()
                # Deliver what the open windows hold first, then let every window close.
                assert self.window_seconds is not None
                self.advance(self.window_seconds)
                closed = True
                continue
            self.deliver(handler)
        raise SimulationError(f"the stream did not drain in {max_invocations} invocations")

    def report(self) -> DeliveryReport:
        """Return what has happened so far."""
        return DeliveryReport(
            invocations=self._invocations,
            failed_invocations=self._failed,
            partial_failures=self._partial,
            discarded=tuple(self._discarded),
            faults=dict(self.injector.counts),
        )
