"""The event-source-mapping driver: Lambda's rules after one invocation of a stream function."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from feedback_core.testing.mapping import EventSourceMappingDriver, ShardCursor, Verdict

if TYPE_CHECKING:
    from collections.abc import Mapping

NUMBERS = ["11", "12", "13"]


def reporting(*identifiers: object) -> object:
    def handler(event: dict[str, object]) -> Mapping[str, object]:
        return {"batchItemFailures": [{"itemIdentifier": i} for i in identifiers]}

    return handler


def run(handler: object, cursor: ShardCursor | None = None, limit: int | None = None) -> Verdict:
    driver = EventSourceMappingDriver(maximum_retry_attempts=limit)
    return driver.invoke(handler, {"Records": []}, NUMBERS, cursor or ShardCursor())  # type: ignore[arg-type]  # test handlers


def test_success_moves_the_checkpoint_past_the_batch() -> None:
    """No failures reported: every record is done."""
    assert (3, False) == (run(reporting()).advance, run(reporting()).failed)


def test_a_report_moves_the_checkpoint_to_the_lowest_reported_record() -> None:
    """Lambda resumes from the lowest sequence number reported."""
    verdict = run(reporting("13", "12"))
    assert (1, False, True) == (verdict.advance, verdict.failed, verdict.partial)


@pytest.mark.parametrize("identifier", ["99", "", None, 12])
def test_an_invalid_report_fails_the_whole_batch(identifier: object) -> None:
    """An identifier that is not one of the batch's sequence numbers fails the batch."""
    verdict = run(reporting(identifier))
    assert (0, True) == (verdict.advance, verdict.failed)


def test_a_handler_exception_fails_the_invocation() -> None:
    """The batch is delivered again from the same record, and the error is kept."""

    def handler(event: dict[str, object]) -> Mapping[str, object]:
        raise RuntimeError("boom")

    verdict = run(handler)
    assert (0, True, "boom") == (verdict.advance, verdict.failed, str(verdict.error))


def test_the_retry_limit_discards_the_batch() -> None:
    """After MaximumRetryAttempts failed retries Lambda gives the batch up and moves on."""
    cursor = ShardCursor()
    verdicts = [run(reporting("11"), cursor, limit=2) for _ in range(3)]
    assert [(), (), tuple(NUMBERS)] == [v.discarded for v in verdicts]
    assert (3, 0) == (verdicts[-1].advance, cursor.attempts)
