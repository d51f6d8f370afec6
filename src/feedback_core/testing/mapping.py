"""Lambda's event-source-mapping rules for stream batches, in one place.

:class:`EventSourceMappingDriver` decides what Lambda does after one invocation of a stream
function: move the shard's checkpoint past the batch, move it to the lowest record the function
reported in ``batchItemFailures``, fail the whole batch (an exception, a timeout, a report
naming a record that is not in the batch), and give a batch up after
``MaximumRetryAttempts`` failed attempts. The stream-delivery simulator
(:class:`~feedback_core.testing.stream.StreamSimulator`) and the local platform
(:meth:`feedback_core.cli.local.LocalPlatform.deliver_streams`) both drive handlers through it.

Examples:
    >>> driver = EventSourceMappingDriver(maximum_retry_attempts=1)
    >>> cursor = ShardCursor()
    >>> def handler(event):
    ...     return {"batchItemFailures": [{"itemIdentifier": "12"}]}
    >>> verdict = driver.invoke(handler, {"Records": []}, ["11", "12", "13"], cursor)
    >>> (verdict.advance, verdict.partial, cursor.attempts)
    (1, True, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import cast

import attrs

__all__ = ["EventSourceMappingDriver", "ShardCursor", "StreamHandler", "Verdict", "failure_index"]

StreamHandler = Callable[[dict[str, object]], "Mapping[str, object] | None"]
"""What a mapping invokes: the Lambda event in, the handler's response out."""


@attrs.define
class ShardCursor:
    """Lambda's per-shard bookkeeping between invocations.

    Attributes:
        attempts: Failed attempts at the current checkpoint (reset when it moves).
    """

    attempts: int = 0


@attrs.frozen(kw_only=True)
class Verdict:
    """What Lambda does after one invocation.

    Attributes:
        advance: How many of the batch's records the checkpoint moves past (0: deliver again
            from the same record).
        failed: Whether the invocation counts as failed (an exception, a timeout, an invalid
            failure report, or a report naming the batch's first record).
        partial: Whether the function reported ``batchItemFailures``.
        discarded: Sequence numbers given up after ``MaximumRetryAttempts`` (what the
            on-failure destination would receive); the checkpoint moves past them.
        response: The handler's response; ``None`` when it raised or timed out.
        error: The exception the handler raised, if any.
    """

    advance: int
    failed: bool
    partial: bool = False
    discarded: tuple[str, ...] = ()
    response: Mapping[str, object] | None = None
    error: BaseException | None = None


def failure_index(
    sequence_numbers: Sequence[str], response: Mapping[str, object] | None
) -> int | None:
    """Return the index of the lowest reported failure, -1 for an invalid report, or ``None``.

    Lambda fails the whole batch when a reported identifier is missing, empty or not in it.
    """
    if response is None:
        return None
    failures = response.get("batchItemFailures")
    if not failures:
        return None
    indexes = []
    for failure in cast("list[object]", failures):
        identifier = failure.get("itemIdentifier") if isinstance(failure, Mapping) else None
        if identifier not in sequence_numbers:
            return -1
        indexes.append(sequence_numbers.index(cast("str", identifier)))
    return min(indexes)


class EventSourceMappingDriver:
    """Invokes a stream handler and applies Lambda's rules to the outcome.

    Args:
        maximum_retry_attempts: ``MaximumRetryAttempts``; ``None`` (Lambda's -1) retries
            until the record expires.
        failures: The exceptions that fail an invocation (Lambda: any). Others propagate to
            the caller, e.g. so that a test sees an unexpected error at once.
    """

    def __init__(
        self,
        *,
        maximum_retry_attempts: int | None = None,
        failures: tuple[type[BaseException], ...] = (Exception,),
    ) -> None:
        """Store the mapping's settings."""
        self.maximum_retry_attempts = maximum_retry_attempts
        self.failures = failures

    def invoke(
        self,
        handler: StreamHandler,
        event: dict[str, object],
        sequence_numbers: Sequence[str],
        cursor: ShardCursor,
        *,
        lost_response: Callable[[], bool] = lambda: False,
        validate: Callable[[Mapping[str, object] | None], bool] = lambda _: True,
    ) -> Verdict:
        """Invoke ``handler`` with ``event`` (whose records have ``sequence_numbers``).

        Args:
            handler: The function.
            event: The event Lambda passes.
            sequence_numbers: The batch's records' sequence numbers, in order.
            cursor: The shard's bookkeeping; updated.
            lost_response: Asked after the handler returned: whether Lambda saw a timeout.
            validate: Whether a response is acceptable beyond its failure report (window
                mode requires a state); an unacceptable one fails the invocation.
        """
        try:
            response = handler(event)
        except self.failures as exc:
            return self._fail(sequence_numbers, cursor, error=exc)
        if lost_response() or not validate(response):
            return self._fail(sequence_numbers, cursor, response=response)
        failed_at = failure_index(sequence_numbers, response)
        if failed_at is None:
            cursor.attempts = 0
            return Verdict(advance=len(sequence_numbers), failed=False, response=response)
        if failed_at > 0:
            cursor.attempts = 0
            return Verdict(advance=failed_at, failed=False, partial=True, response=response)
        return attrs.evolve(self._fail(sequence_numbers, cursor, response=response), partial=True)

    def _fail(
        self,
        sequence_numbers: Sequence[str],
        cursor: ShardCursor,
        *,
        response: Mapping[str, object] | None = None,
        error: BaseException | None = None,
    ) -> Verdict:
        cursor.attempts += 1
        limit = self.maximum_retry_attempts
        if limit is not None and cursor.attempts > limit:
            # Lambda gives up on the batch and sends its metadata to the on-failure destination.
            cursor.attempts = 0
            return Verdict(
                advance=len(sequence_numbers),
                failed=True,
                discarded=tuple(sequence_numbers),
                response=response,
                error=error,
            )
        return Verdict(advance=0, failed=True, response=response, error=error)
