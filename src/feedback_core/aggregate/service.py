"""The stream aggregator: apply each stream record's counter contribution exactly once.

Lambda delivers DynamoDB stream records at least once: a batch is retried after a crash or a
timeout (possibly with more records appended), resumed from the first failed record after a
partial failure report, and so on. :class:`StreamAggregator` turns that into exactly-once
counters. Each batch (or transaction-sized chunk of it) is committed with one atomic
:meth:`~feedback_core.aggregate.ports.CounterStore.commit` that also moves a progress marker
keyed by the batch's first record; the marker's condition makes a duplicated commit fail
instead of applying twice, a redelivered batch skips the records the marker covers, and a
redelivery first *fences* the marker (bumps its epoch) so that no request of an earlier
delivery still in flight can land afterwards. The argument, and the event source mapping
settings it needs, are in ``docs/aggregate.md``. With ``counter_writes="item-marks"`` the
aggregator hands each batch to :class:`~feedback_core.aggregate.marks.MarkWriter` instead: one
conditional write per counter item, guarded by the shard's mark on it. (One module on purpose,
past 500 lines: the plain and the window paths share the commit, fence and conflict handling
whose argument is only checkable when read in one place.)

Examples:
    >>> from feedback_core.aggregate import InMemoryCounterStore, vote_tally
    >>> store = InMemoryCounterStore()
    >>> aggregator = StreamAggregator(projection=vote_tally(), store=store)
    >>> event = {"Records": [{
    ...     "eventName": "INSERT", "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:stream/s",
    ...     "dynamodb": {"SequenceNumber": "100", "Keys": {"pollId": {"S": "p1"}},
    ...                  "NewImage": {"pollId": {"S": "p1"}, "choice": {"S": "yes"}}}}]}
    >>> aggregator.handle(event)
    {'batchItemFailures': []}
    >>> aggregator.handle(event)  # a redelivery changes nothing
    {'batchItemFailures': []}
    >>> store.read_group("poll#p1").get("tally", "choice:yes")
    1
"""

from __future__ import annotations

import time
import zlib
from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs
import orjson

from feedback_core.aggregate.fold import ExpiryPolicy, record_deltas
from feedback_core.aggregate.marks import MarkWriter, lane_id
from feedback_core.aggregate.planning import Chunk, CommitLimits, Step, fits_one_commit, plan
from feedback_core.aggregate.ports import (
    Commit,
    CommitOutcome,
    CounterUpdate,
    MarkerKey,
    Position,
)
from feedback_core.aggregate.stream import (
    StreamBatch,
    StreamRecord,
    WindowInfo,
    decode_event,
    iso_seconds,
)
from feedback_core.aggregate.window import WindowState
from feedback_core.errors import ServiceError, StreamConfigurationError, ThrottledError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from feedback_core.aggregate.ports import CounterStore, Projection
    from feedback_core.aggregate.projections import CounterKey

__all__ = ["DEFAULT_MARKER_TTL_SECONDS", "BatchResult", "CounterWrites", "StreamAggregator"]

CounterWrites: TypeAlias = Literal["transactions", "item-marks"]
"""How counters are written: ``transactions`` (a batch's items and its progress marker in one
``TransactWriteItems``; any event source mapping; two write units per item) or ``item-marks``
(one conditional ``UpdateItem`` per counter item, guarded by a per-shard mark on the item; one
write unit per item; needs ``TumblingWindowInSeconds`` on the mapping for the shard id)."""

DEFAULT_MARKER_TTL_SECONDS = 48 * 3600
"""Markers live two days: longer than the 24 hours a DynamoDB stream keeps a record, so a
marker outlives every redelivery of the records it covers."""

DEFAULT_WINDOW_STATE_LIMIT = 256 * 1024
"""Write a window early at the invocation whose incoming state passes this many bytes."""

WINDOW_STATE_CEILING = 900 * 1024
"""Also write early if folding this batch would take the state past this (Lambda allows 1 MB)."""


@attrs.frozen(kw_only=True)
class BatchResult:
    """What processing one batch did, and the response Lambda expects.

    Attributes:
        failures: Sequence numbers to report in ``batchItemFailures`` (at most one: Lambda
            resumes from the lowest). Empty when the whole batch is applied.
        applied: Records newly applied (or, in window mode, folded into the state).
        skipped: Records found already applied (a redelivery) and skipped.
        commits: Commits made (with ``item-marks``: item writes made).
        state: The tumbling-window state to return; ``None`` outside window mode.
        cause: Why a failure is reported (a ServiceError), or ``None``; for logging.
    """

    failures: tuple[str, ...] = ()
    applied: int = 0
    skipped: int = 0
    commits: int = 0
    state: Mapping[str, object] | None = None
    cause: Exception | None = None

    def response(self) -> dict[str, object]:
        """Return the handler's response: ``batchItemFailures`` (and ``state`` in window mode).

        Examples:
            >>> BatchResult(failures=("42",)).response()
            {'batchItemFailures': [{'itemIdentifier': '42'}]}
        """
        response: dict[str, object] = {
            "batchItemFailures": [{"itemIdentifier": s} for s in self.failures]
        }
        if self.state is not None:
            response["state"] = dict(self.state)
        return response


@attrs.define
class _Applied:
    """How applying steps under one marker ended (internal)."""

    position: Position | None
    commits: int = 0
    skipped: int = 0
    failed_at: str | None = None
    failed: bool = False
    cause: ServiceError | None = None


class StreamAggregator:
    """Folds DynamoDB stream batches into counters, applying each record exactly once.

    Build one per process (at cold start) and call :meth:`handle` (or :func:`decode_event`
    then :meth:`process`) from the Lambda handler. The same aggregator serves plain batches
    and tumbling-window batches; the event tells which.

    Args:
        projection: What each item contributes.
        store: Where counters and progress markers live.
        consumer: Names this aggregator's markers; defaults to the projection's name. Two
            aggregators on one stream need different names.
        expiry: What a Time to Live REMOVE means (default: not a retraction).
        write_shards: How many items a counter's writes spread over (an ``int`` for every
            counter, or a function of the counter key); reads merge them. Default 1.
        limits: What one transaction may hold.
        marker_ttl_seconds: How long a marker lives after its last write.
        window_state_limit: Window mode: write early at an invocation whose incoming state is
            larger than this (bytes of JSON).
        max_conflicts: How many times a marker may move under one batch before the aggregator
            decides two processes share it (a configuration error).
        clock: Epoch seconds now (for marker expiry); injectable for tests.
        counter_writes: ``transactions`` (the default; works with any event source mapping)
            or ``item-marks`` (half the write units where records touch different counter
            items; needs a tumbling window on the mapping; see :data:`CounterWrites`).

    Examples:
        See the module docstring, and ``docs/examples/aggregate/stream_handler.py``.
    """

    def __init__(
        self,
        *,
        projection: Projection,
        store: CounterStore,
        consumer: str | None = None,
        expiry: ExpiryPolicy = ExpiryPolicy.IGNORE,
        write_shards: int | Callable[[CounterKey], int] = 1,
        limits: CommitLimits | None = None,
        marker_ttl_seconds: int = DEFAULT_MARKER_TTL_SECONDS,
        window_state_limit: int = DEFAULT_WINDOW_STATE_LIMIT,
        max_conflicts: int = 8,
        clock: Callable[[], float] = time.time,
        counter_writes: CounterWrites = "transactions",
    ) -> None:
        """Store the configuration; nothing is read or written yet."""
        if counter_writes not in ("transactions", "item-marks"):
            raise ValueError(
                f"counter_writes must be 'transactions' or 'item-marks', not {counter_writes!r}"
            )
        self._projection = projection
        self._store = store
        self._consumer = consumer or projection.name
        self._expiry = expiry
        self._write_shards = write_shards
        self._limits = limits or CommitLimits()
        self._marker_ttl = marker_ttl_seconds
        self._window_state_limit = window_state_limit
        self._max_conflicts = max_conflicts
        self._clock = clock
        self._counter_writes = counter_writes
        self._marks = MarkWriter(
            store=store,
            write_shards=write_shards,
            max_fields=self._limits.max_fields_per_item,
            max_conflicts=max_conflicts,
            clock=clock,
        )

    @property
    def consumer(self) -> str:
        """The name that keys this aggregator's progress markers."""
        return self._consumer

    def handle(self, event: Mapping[str, object]) -> dict[str, object]:
        """Decode a Lambda DynamoDB stream event, process it and return Lambda's response.

        Args:
            event: The event as Lambda passes it.

        Returns:
            ``{"batchItemFailures": [...]}``, plus ``"state"`` in tumbling-window mode.

        Raises:
            StreamConfigurationError: the event or stream is not usable (see :meth:`process`).
            ServiceError: window mode only: the window's write failed; Lambda retries the
                invocation with the previous state.
        """
        return self.process(decode_event(event)).response()

    def process(self, batch: StreamBatch) -> BatchResult:
        """Apply one batch's records exactly once.

        Plain mode: the records' deltas are committed in chunks, each atomically with the
        batch's progress marker. If the store fails, the result reports a partial failure:
        from the failed chunk's first record when that chunk was certainly not applied, else
        from the batch's first record (the marker makes re-applying that prefix a no-op).

        Window mode (``batch.window`` set): the records are folded into the window state and
        nothing is written until the window's final invocation (or the state grows large),
        which commits everything under the shard's marker.

        Args:
            batch: The decoded batch.

        Returns:
            What happened, with the response for Lambda.

        Raises:
            StreamConfigurationError: a record lacks the image it needs (the stream is not
                NEW_AND_OLD_IMAGES), or two processes move the same marker.
            ServiceError: window mode only: the write failed (Lambda retries the invocation).
        """
        steps = [self._step(record) for record in batch.records]
        if self._counter_writes == "item-marks":
            return self._process_marked(batch, steps)
        if batch.window is not None:
            return self._process_window(batch, batch.window, steps)
        if not steps:
            return BatchResult()
        return self._process_batch(batch, steps)

    # -- item marks ----------------------------------------------------------------------------

    def _process_marked(self, batch: StreamBatch, steps: list[Step]) -> BatchResult:
        """Write each counter item the batch touches once, guarded by the shard's mark on it."""
        window = batch.window
        if window is None:
            raise StreamConfigurationError(
                "counter_writes='item-marks' needs each event's shard id, which Lambda sends "
                "only with a tumbling window: set TumblingWindowInSeconds on the event source "
                "mapping (any value; no state is kept), or use counter_writes='transactions'"
            )
        flushed = 0
        if window.state:
            # A folding window's state, left by this consumer running "transactions" before
            # the switch: write it as that window's last invocation would (under the shard's
            # marker, raising on failure so Lambda retries with it), then count by marks only
            # the records after it.
            folded = WindowState.from_json(window.state)
            self._process_window(batch, attrs.evolve(window, is_final=True), [])
            flushed = 1
            steps = [s for s in steps if folded.last is None or s.sequence > folded.last]
        if not steps:
            return BatchResult(commits=flushed, state={})  # e.g. a window's final call
        lane = lane_id(self._consumer, batch.event_source_arn, window.shard_id)
        marked = self._marks.apply(lane, steps)
        return BatchResult(
            failures=marked.failures,
            applied=marked.applied,
            skipped=marked.skipped,
            commits=marked.writes + flushed,
            state={},
            cause=marked.cause,
        )

    # -- plain batches -------------------------------------------------------------------------

    def _step(self, record: StreamRecord) -> Step:
        return Step(
            sequence=record.sequence,
            sequence_number=record.sequence_number,
            deltas=record_deltas(record, self._projection, expiry=self._expiry),
            time=record.created_at,
        )

    def _marker(self, batch: StreamBatch, origin: str) -> MarkerKey:
        return MarkerKey(consumer=self._consumer, stream=batch.event_source_arn, origin=origin)

    def _process_batch(self, batch: StreamBatch, steps: list[Step]) -> BatchResult:
        first, last = batch.records[0], batch.records[-1]
        marker = self._marker(batch, f"batch:{first.sequence_number}")
        # A batch's marker is new unless this batch was delivered before, so commit first and
        # read only if the marker turns out to exist: no read on the common path.
        applied = self._apply(marker, steps, None, verified=False, fence=True)
        if applied.failed:
            return BatchResult(
                failures=(applied.failed_at or first.sequence_number,),
                applied=len(steps) - applied.skipped,
                skipped=applied.skipped,
                commits=applied.commits,
                cause=applied.cause,
            )
        if applied.position is not None and applied.position.sequence > last.sequence:
            return self._redelivered_shorter(batch, applied)
        return BatchResult(
            applied=len(steps) - applied.skipped, skipped=applied.skipped, commits=applied.commits
        )

    def _redelivered_shorter(self, batch: StreamBatch, applied: _Applied) -> BatchResult:
        """Handle a redelivery shorter than an earlier, applied delivery of the same batch.

        Every record here is applied, and so are some records after the last one. Returning
        success would let Lambda start the next batch after ``last``, where no marker knows
        about them. Instead, copy the position to a marker keyed by ``last`` and report
        ``last`` as failed: Lambda resumes from it, and that batch's marker skips what is done.
        """
        assert applied.position is not None
        last = batch.records[-1]
        result = BatchResult(
            failures=(last.sequence_number,), skipped=len(batch.records), commits=applied.commits
        )
        carry = self._marker(batch, f"batch:{last.sequence_number}")
        if len(batch.records) == 1:
            return result  # `last` is the batch's first record: its marker already knows
        try:
            for _ in range(self._max_conflicts):
                existing = self._store.load_marker(carry)
                if existing is not None and existing >= applied.position:
                    return result
                # A new epoch also fences requests of earlier deliveries of that batch.
                epoch = 0 if existing is None else existing.epoch + 1
                outcome = self._store.commit(
                    Commit(
                        marker=carry,
                        expected=existing,
                        position=attrs.evolve(applied.position, epoch=epoch),
                        updates=(),
                        expires_at=self._expires_at(),
                    )
                )
                if outcome is CommitOutcome.COMMITTED:
                    return attrs.evolve(result, commits=result.commits + 1)
        except ServiceError as exc:
            # Not carried: resume from the batch's first record, whose marker covers it all.
            return attrs.evolve(result, failures=(batch.records[0].sequence_number,), cause=exc)
        raise self._contention(carry)

    # -- tumbling windows ----------------------------------------------------------------------

    def _process_window(
        self, batch: StreamBatch, window: WindowInfo, steps: list[Step]
    ) -> BatchResult:
        incoming = WindowState.from_json(window.state)
        marker = self._marker(batch, f"shard:{window.shard_id}")
        # Read the shard's marker on every invocation: a retried invocation may bring back
        # records (and a state) that an earlier attempt already wrote before it failed.
        current = self._store.load_marker(marker)
        # Write early when the state coming in is large. The decision depends on the input
        # state only, so a retry of this invocation (same state) decides the same way: a
        # retry that folded instead of writing could meet the earlier attempt's write later.
        large = len(orjson.dumps(window.state)) > self._window_state_limit
        writes = window.is_final or window.terminated_early or large
        if not writes and not window.state:
            # A state starts here: the window's first invocation, or Lambda delivering the
            # window again from its checkpoint with a fresh state after an attempt failed,
            # perhaps leaving a write in flight. Fence that write out before folding records
            # it may hold. This depends on the event alone, never on this function's clock.
            # (Position 0 writes nothing: it only makes the marker exist.)
            current = self._fence(marker, current, Position(sequence=0))
        if current is not None and incoming.epoch is not None and current.epoch > incoming.epoch:
            # Fenced since this state was folded: an earlier attempt of this invocation (with
            # more records) started a write, which may still land. Write, never fold.
            writes = True
        for _ in range(self._max_conflicts):
            epoch = None if current is None else current.epoch
            state, fresh = self._unwritten(marker, incoming, steps, current)
            skipped = len(steps) - len(fresh)
            # A record written only in part must be finished now: folding more into the state
            # would change what the marker's part number refers to.
            partly_written = current is not None and current.part is not None
            if not writes and not partly_written:
                folded = attrs.evolve(state.with_steps(fresh), epoch=epoch)
                # The state must stay one transaction's worth, so that it is always written
                # by one atomic commit (never split into parts that a redelivery, recomputing
                # the same records into other sums, could not tell apart); else write now.
                state_step = folded.step()
                if (
                    state_step is None or fits_one_commit([state_step], self._limits)
                ) and folded.encoded_size() <= WINDOW_STATE_CEILING:
                    return BatchResult(applied=len(fresh), skipped=skipped, state=folded.to_json())
                # Writing because of what this batch holds: a retry with fewer records could
                # decide to fold instead. Fence first, so that such a retry sees the newer
                # epoch (see above) and writes too, which no write in flight can then double.
                found = self._fence(marker, current, Position(sequence=0))
                writes = True
                before = current or Position(sequence=0)
                current = found
                if (found.sequence, found.part) != (before.sequence, before.part):
                    continue  # the marker had moved: decide again
            return self._write_window(marker, state, fresh, current, skipped)
        raise self._contention(marker)

    def _write_window(
        self,
        marker: MarkerKey,
        state: WindowState,
        fresh: list[Step],
        current: Position | None,
        skipped: int,
    ) -> BatchResult:
        """Write the state and the fresh records now, in chunks at record boundaries."""
        state_step = state.step()
        to_write = ([state_step] if state_step is not None else []) + fresh
        last = max((s.sequence for s in to_write), default=state.last)
        epoch = None if current is None else current.epoch
        if not to_write:
            return BatchResult(skipped=skipped, state=WindowState(last=last, epoch=epoch).to_json())
        applied = self._apply(marker, to_write, current, verified=True, floor=state.first)
        if applied.failed:
            assert applied.cause is not None
            # Fail the invocation: Lambda retries it with the previous state, and the shard's
            # marker tells the retry what part of this write did land.
            raise applied.cause
        if applied.position is not None:
            epoch = applied.position.epoch
        return BatchResult(
            applied=len(fresh),
            skipped=skipped + applied.skipped,
            commits=applied.commits,
            state=WindowState(last=last, epoch=epoch).to_json(),
        )

    def _unwritten(
        self,
        marker: MarkerKey,
        state: WindowState,
        steps: list[Step],
        current: Position | None,
    ) -> tuple[WindowState, list[Step]]:
        """Drop from the state and the batch what the shard's marker says is written."""
        if current is not None:
            if state.last is not None and current.covers(state.last):
                state = WindowState(last=state.last)  # the whole state is written already
            elif (
                # A marker inside the state: part of it written without the rest. A state
                # always fits one commit, so it is never written in parts: a part number at
                # its last record belongs to that record written alone, elsewhere.
                state.first is not None
                and state.last is not None
                and state.first <= current.sequence
                and (current.sequence < state.last or current.part is not None)
            ):
                raise self._overlap(marker, state, current)
        fresh = [
            s
            for s in steps
            if (state.last is None or s.sequence > state.last)
            and (current is None or not current.covers(s.sequence))
        ]
        return state, fresh

    @staticmethod
    def _overlap(
        marker: MarkerKey, state: WindowState, current: Position
    ) -> StreamConfigurationError:
        return StreamConfigurationError(
            f"the window state holds records {state.first}..{state.last} but marker {marker.id} "
            f"stands at {current.to_text()}, inside them: records of this shard were applied "
            "outside this window's state (ParallelizationFactor > 1, or a shared consumer name?); "
            "see 'When a shard stalls' in docs/aggregate.md"
        )

    # -- committing ----------------------------------------------------------------------------

    def _expires_at(self) -> int:
        return int(self._clock()) + self._marker_ttl

    def _shard(self, key: CounterKey, marker: MarkerKey, end: Position) -> int:
        shards = self._write_shards(key) if callable(self._write_shards) else self._write_shards
        if shards <= 1:
            return 0
        # Deterministic per chunk, and different for different markers (shards of the
        # stream), so concurrent writers tend to hit different items.
        seed = f"{marker.id}|{end.to_text()}|{key.group}|{key.name}".encode()
        return zlib.crc32(seed) % shards

    def _commit_for(self, marker: MarkerKey, expected: Position | None, chunk: Chunk) -> Commit:
        updates = tuple(
            CounterUpdate(
                key=key,
                shard=self._shard(key, marker, chunk.end),
                deltas=fields,
                updated_at=None if key not in chunk.times else iso_seconds(chunk.times[key]),
            )
            for key, fields in sorted(chunk.deltas.items())
        )
        return Commit(
            marker=marker,
            expected=expected,
            # The marker keeps the epoch this delivery established (see _fence).
            position=attrs.evolve(chunk.end, epoch=expected.epoch if expected else 0),
            updates=updates,
            expires_at=self._expires_at(),
        )

    def _contention(self, marker: MarkerKey) -> StreamConfigurationError:
        return StreamConfigurationError(
            f"progress marker {marker.id} kept moving during one batch: two processes apply the "
            "same records (two aggregators share a consumer name, or ParallelizationFactor > 1)"
        )

    def _apply(
        self,
        marker: MarkerKey,
        steps: Sequence[Step],
        current: Position | None,
        *,
        verified: bool,
        fence: bool = False,
        floor: int | None = None,
    ) -> _Applied:
        """Commit ``steps`` past ``current`` chunk by chunk; re-read the marker when needed.

        ``current`` may be a guess (``verified`` false; ``None`` for a new batch): a wrong
        guess costs a conflict and a read. With ``fence``, a marker found to exist is fenced
        (see :meth:`_fence`) before anything else. ``floor`` is a window state's first record:
        a marker strictly inside the state would mean part of it was written without the rest.
        """
        result = _Applied(position=current)
        conflicts = 0
        while True:
            if (
                current is not None
                and floor is not None
                and floor <= current.sequence < steps[0].sequence
            ):
                raise StreamConfigurationError(
                    f"the window state starts at {floor} but marker {marker.id} stands at "
                    f"{current.to_text()}: records were applied outside this window's state"
                )
            result.position = current
            result.skipped = sum(
                1 for s in steps if current is not None and current.covers(s.sequence)
            )
            if current is not None and current.sequence > steps[-1].sequence:
                return result
            conflicted = self._commit_chunks(marker, steps, current, result, verified=verified)
            if result.failed:
                return result
            if conflicted:
                conflicts += 1
                if conflicts > self._max_conflicts:
                    raise self._contention(marker)
            elif result.commits or verified:
                return result  # our conditional commits prove where the marker stands
            # A conflict, or nothing written on a guessed position (a batch whose records
            # cancel out may be a redelivery of one that went further): read the marker.
            try:
                found = self._store.load_marker(marker)
                if fence:
                    found = self._fence(marker, found, Position(sequence=steps[-1].sequence))
            except ServiceError as exc:
                result.failed, result.cause = True, exc
                return result
            if not conflicted and not fence and found == current:
                return result
            current, verified = found, True
            fence = False  # fenced once: our own later commits keep the new epoch

    def _fence(self, marker: MarkerKey, found: Position | None, claim: Position) -> Position:
        """Make sure no request of an earlier delivery of this batch can still land.

        A redelivery means an earlier invocation failed, perhaps with a commit still in flight
        (a timeout is not a refusal). That commit's condition names the marker's old value
        (or its absence), so: bump the marker's epoch, or, if the marker is absent (this
        batch wrote nothing so far), create it at ``claim``. Either way an old commit can
        only fail from now on. Without this, it could land after this delivery has let
        Lambda move on, and apply its records a second time. One small write, only on
        redeliveries and on batches that write nothing.

        Raises:
            ServiceError: the fence could not be written (the caller reports the batch start).
            StreamConfigurationError: the marker keeps moving (two processes share it).
        """
        for _ in range(self._max_conflicts):
            fenced = claim if found is None else attrs.evolve(found, epoch=found.epoch + 1)
            outcome = self._store.commit(
                Commit(
                    marker=marker,
                    expected=found,
                    position=fenced,
                    updates=(),
                    expires_at=self._expires_at(),
                )
            )
            if outcome is CommitOutcome.COMMITTED:
                return fenced
            found = self._store.load_marker(marker)
        raise self._contention(marker)

    def _commit_chunks(
        self,
        marker: MarkerKey,
        steps: Sequence[Step],
        current: Position | None,
        result: _Applied,
        *,
        verified: bool,
    ) -> bool:
        """Commit the planned chunks in order; return True on a marker conflict."""
        for chunk in plan(steps, current, self._limits):
            if not chunk.deltas:
                continue  # the chunk's records cancel out: nothing to write, nothing to redo
            commit = self._commit_for(marker, current, chunk)
            try:
                outcome = self._store.commit(commit)
            except ThrottledError as exc:
                # Certainly not applied. If the marker's position is known, Lambda may resume
                # from this chunk's first record; else from the batch's first.
                result.failed, result.cause = True, exc
                result.failed_at = chunk.start if verified or result.commits else None
                return False
            except ServiceError as exc:
                # Maybe applied: resume from the batch's first record; the marker decides.
                result.failed, result.cause = True, exc
                return False
            if outcome is CommitOutcome.CONFLICT:
                return True
            current = result.position = commit.position
            result.commits += 1
        return False
