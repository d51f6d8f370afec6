"""The stream-delivery simulator follows Lambda's event source mapping rules."""

from __future__ import annotations

import random
from typing import Any

import pytest

from feedback_core.errors import ServiceError
from feedback_core.testing import (
    FaultInjector,
    FaultRates,
    SimulatedCrash,
    SimulationError,
    StreamSimulator,
)

KEY = ("pollId", "userId")


class Recorder:
    """A handler that records each event and answers from a script of responses."""

    def __init__(self, *responses: Any, default: Any = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.responses = list(responses)
        self.default = {"batchItemFailures": []} if default is None else default

    def __call__(self, event: dict[str, object]) -> Any:
        self.events.append(event)
        response = self.responses.pop(0) if self.responses else self.default
        if isinstance(response, BaseException):
            raise response
        return response

    def batches(self) -> list[list[str]]:
        return [[r["dynamodb"]["SequenceNumber"] for r in e["Records"]] for e in self.events]

    def names(self) -> list[list[str]]:
        return [[r["eventName"] for r in e["Records"]] for e in self.events]


def vote(user: int, choice: str = "a") -> dict[str, Any]:
    return {"pollId": "p", "userId": f"u{user}", "choice": choice}


def test_table_changes_become_insert_modify_and_remove_records() -> None:
    """Put, change, re-put unchanged, and delete produce INSERT, MODIFY, nothing, REMOVE."""
    sim = StreamSimulator(key=KEY)
    sim.put(vote(1))
    sim.update({"pollId": "p", "userId": "u1"}, {"choice": "b"})
    sim.put(vote(1, "b"))  # identical: DynamoDB writes no stream record
    sim.delete({"pollId": "p", "userId": "u1"})
    handler = Recorder()
    sim.drain(handler)
    assert [["INSERT", "MODIFY", "REMOVE"]] == handler.names()


def test_images_follow_the_stream_view_type() -> None:
    """A KEYS_ONLY stream carries keys and no images."""
    sim = StreamSimulator(key=KEY, stream_view_type="KEYS_ONLY")
    sim.put(vote(1))
    handler = Recorder()
    sim.drain(handler)
    data = handler.events[0]["Records"][0]["dynamodb"]
    assert (True, False, False) == ("Keys" in data, "NewImage" in data, "OldImage" in data)


def test_an_expiry_carries_the_ttl_principal() -> None:
    """expire() deletes like Time to Live: a REMOVE by dynamodb.amazonaws.com."""
    sim = StreamSimulator(key=KEY)
    sim.put(vote(1))
    sim.expire({"pollId": "p", "userId": "u1"})
    handler = Recorder()
    sim.drain(handler)
    assert ("dynamodb.amazonaws.com", [vote(1)]) == (
        handler.events[0]["Records"][1]["userIdentity"]["principalId"],
        sim.expired,
    )


def test_batches_hold_at_most_batch_size_records_in_order() -> None:
    """Five records with BatchSize 2 arrive as 2 + 2 + 1, in order."""
    sim = StreamSimulator(key=KEY, batch_size=2)
    for user in range(5):
        sim.put(vote(user))
    handler = Recorder()
    sim.drain(handler)
    flat = [s for batch in handler.batches() for s in batch]
    assert ([2, 2, 1], sorted(flat, key=int)) == ([len(b) for b in handler.batches()], flat)


def test_a_partial_failure_resumes_from_the_reported_record() -> None:
    """Reporting the second record moves the checkpoint to just before it."""
    sim = StreamSimulator(key=KEY, batch_size=3)
    for user in range(3):
        sim.put(vote(user))
    batches: list[list[str]] = []

    def handler(event: dict[str, Any]) -> dict[str, object]:
        batches.append([r["dynamodb"]["SequenceNumber"] for r in event["Records"]])
        if len(batches) == 1:
            return {"batchItemFailures": [{"itemIdentifier": batches[0][1]}]}
        return {"batchItemFailures": []}

    report = sim.drain(handler)
    assert (batches[0][1:], 1) == (batches[1], report.partial_failures)


def test_an_invalid_failure_identifier_fails_the_whole_batch() -> None:
    """An itemIdentifier that is not in the batch makes Lambda retry the whole batch."""
    sim = StreamSimulator(key=KEY)
    sim.put(vote(1))
    handler = Recorder({"batchItemFailures": [{"itemIdentifier": "nope"}]})
    report = sim.drain(handler)
    assert (2, 1) == (len(handler.events), report.failed_invocations)


def test_a_crash_retries_the_batch_with_records_that_arrived_since() -> None:
    """A failed batch is retried from its checkpoint, picking up newer records."""
    sim = StreamSimulator(key=KEY)
    sim.put(vote(1))
    handler = Recorder(SimulatedCrash())
    sim.deliver(handler)
    sim.put(vote(2))
    sim.drain(handler)
    assert [1, 2] == [len(b) for b in handler.batches()]


def test_a_service_error_escaping_the_handler_is_a_failed_invocation() -> None:
    """Lambda retries an invocation that raised."""
    sim = StreamSimulator(key=KEY)
    sim.put(vote(1))
    handler = Recorder(ServiceError("TransactWriteItems", "Boom"))
    assert 1 == sim.drain(handler).failed_invocations


def test_an_unexpected_error_reaches_the_test() -> None:
    """A bug in the handler is raised to the test instead of being retried forever."""
    sim = StreamSimulator(key=KEY)
    sim.put(vote(1))
    with pytest.raises(KeyError):
        sim.drain(Recorder(KeyError("bug")))


def test_maximum_retry_attempts_discard_the_batch() -> None:
    """After the retry limit, the batch goes to the on-failure destination and is skipped."""
    sim = StreamSimulator(key=KEY, maximum_retry_attempts=2)
    sim.put(vote(1))
    handler = Recorder(SimulatedCrash(), SimulatedCrash(), SimulatedCrash())
    report = sim.drain(handler)
    assert (3, 1) == (len(handler.events), len(report.discarded))


def test_a_lost_response_retries_the_batch() -> None:
    """A timeout after the handler returned makes Lambda deliver the batch again."""
    sim = StreamSimulator(key=KEY, faults=FaultRates(lost_response=0.9), seed=4)
    sim.put(vote(1))
    handler = Recorder()
    report = sim.drain(handler)
    assert report.faults.get("lost_response", 0) == len(handler.events) - 1 > 0


def test_windows_carry_state_and_flag_the_final_invocation() -> None:
    """Each invocation gets the previous state; the one after the window closes is final."""
    sim = StreamSimulator(key=KEY, batch_size=1, window_seconds=60)
    sim.put(vote(1))
    sim.put(vote(2))
    handler = Recorder({"state": {"n": 1}}, {"state": {"n": 2}}, default={"state": {}})
    sim.drain(handler)
    assert ([{}, {"n": 1}, {"n": 2}], [False, False, True], [1, 1, 0]) == (
        [e["state"] for e in handler.events],
        [e["isFinalInvokeForWindow"] for e in handler.events],
        [len(e["Records"]) for e in handler.events],
    )


def test_a_window_response_without_state_is_a_failure() -> None:
    """Lambda treats a window response lacking "state" as a failed invocation."""
    sim = StreamSimulator(key=KEY, window_seconds=60)
    sim.put(vote(1))
    handler = Recorder({"batchItemFailures": []}, default={"state": {}})
    assert (1, 3) == (sim.drain(handler).failed_invocations, len(handler.events))


def test_an_oversized_window_state_is_reported() -> None:
    """A state over Lambda's 1 MB limit is a bug in the handler: the simulator says so."""
    sim = StreamSimulator(key=KEY, window_seconds=60)
    sim.put(vote(1))
    with pytest.raises(SimulationError, match="1 MB"):
        sim.drain(Recorder({"state": {"x": "y" * 1_100_000}}))


def test_a_handler_that_never_succeeds_does_not_hang() -> None:
    """drain() gives up after max_invocations with a clear error."""
    sim = StreamSimulator(key=KEY)
    sim.put(vote(1))
    with pytest.raises(SimulationError, match="did not drain"):
        sim.drain(Recorder(*[SimulatedCrash()] * 20), max_invocations=10)


def test_the_same_seed_gives_the_same_run() -> None:
    """Faults, batch sizes and scheduling are reproducible from the seed."""

    def run() -> tuple[Any, list[list[str]]]:
        sim = StreamSimulator(
            key=KEY,
            seed=9,
            shards=3,
            batch_size=4,
            faults=FaultRates(short_batch=0.5, lost_response=0.3),
        )
        for user in range(30):
            sim.put(vote(user))
        handler = Recorder()
        return sim.drain(handler), handler.batches()

    assert run() == run()


def test_records_of_one_key_stay_on_one_shard_in_order() -> None:
    """With several shards, every change of one item arrives in order in one batch stream."""
    sim = StreamSimulator(key=KEY, shards=4, batch_size=1)
    for choice in "abcde":
        sim.put(vote(1, choice))
    handler = Recorder()
    sim.drain(handler)
    assert ["INSERT", "MODIFY", "MODIFY", "MODIFY", "MODIFY"] == [n[0] for n in handler.names()]


def test_injected_faults_follow_their_rates() -> None:
    """A rate of 1 always strikes and 0 never does; strikes are counted."""
    injector = FaultInjector(FaultRates(crash_after_commit=1.0), random.Random(1))
    injector.before_write("TransactWriteItems")  # no fault configured before the write
    with pytest.raises(SimulatedCrash):
        injector.after_write("TransactWriteItems")
    assert {"crash_after_commit": 1} == injector.counts
