"""The stream aggregator handler against moto: counters exactly once, failures reported."""

from __future__ import annotations

import copy
import re
from types import ModuleType
from typing import Any

import boto3
import pytest

from feedback_core.aggregate import DynamoDBCounterStore, create_counters_table
from feedback_core.errors import ConfigurationError, StreamConfigurationError
from feedback_core.testing.lambda_context import FakeLambdaContext
from tests.events import load
from tests.integration.handlers import load_handler

COUNTERS = "counters-test"


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_counters_table(COUNTERS, client=client)
    return client


def stream_handler(monkeypatch: pytest.MonkeyPatch, projection: str) -> ModuleType:
    monkeypatch.setenv("COUNTERS_TABLE", COUNTERS)
    monkeypatch.setenv("PROJECTION", projection)
    return load_handler("stream_aggregator")


@pytest.fixture
def votes(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return stream_handler(monkeypatch, "votes")


def call(module: ModuleType, event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = module.handler(event, FakeLambdaContext(function_name="agg"))
    return response


def tally(poll: str = "lunch-2026") -> dict[str, int]:
    group = DynamoDBCounterStore(table_name=COUNTERS, consistent_reads=True).read_group(
        f"poll#{poll}"
    )
    item = group.items.get("tally")
    return {} if item is None else {k: int(v) for k, v in item.fields.items()}


def test_a_batch_is_folded_into_the_tally(votes: ModuleType) -> None:
    """Two votes, a change and a withdrawal leave one vote, for the new choice."""
    assert {"batchItemFailures": []} == call(votes, load("ddb_stream_votes"))
    assert {"choice:salad": 1} == tally()  # the batch's deltas for pizza and curry cancel out


def test_a_redelivered_batch_changes_nothing(votes: ModuleType) -> None:
    """Lambda delivering the same batch again (after a crash, say) applies nothing twice."""
    call(votes, load("ddb_stream_votes"))
    first = tally()
    assert {"batchItemFailures": []} == call(votes, load("ddb_stream_votes"))
    assert first == tally()


def test_a_longer_redelivery_applies_only_the_new_records(votes: ModuleType) -> None:
    """A retry that starts at the same record with more appended applies just the new ones."""
    event = load("ddb_stream_votes")
    short = copy.deepcopy(event)
    short["Records"] = short["Records"][:2]
    call(votes, short)
    call(votes, event)
    # The first delivery added pizza and curry; the second took them back and added salad.
    assert {"choice:pizza": 0, "choice:curry": 0, "choice:salad": 1} == tally()


def test_a_failed_commit_is_reported_not_raised(
    votes: ModuleType, dynamodb: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """With the counters table gone, the handler answers with the batch's first record.

    The commit's outcome is a ServiceError (ResourceNotFoundException), so the aggregator
    reports the first record: Lambda redelivers the batch, and the marker decides what to skip.
    """
    dynamodb.delete_table(TableName=COUNTERS)
    response = call(votes, load("ddb_stream_votes"))
    assert {"batchItemFailures": [{"itemIdentifier": "4100000000019118000001"}]} == response
    lines = [votes.logger.registered_formatter.format(r) for r in caplog.records]
    assert any("batch not fully applied" in line and "TransactWriteItems" in line for line in lines)


def test_each_batch_logs_what_it_applied(
    votes: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """One structured line per batch: records, applied, skipped, commits; no item content."""
    call(votes, load("ddb_stream_votes"))
    call(votes, load("ddb_stream_votes"))
    lines = [votes.logger.registered_formatter.format(r) for r in caplog.records]
    applied = [line for line in lines if "batch applied" in line]
    counts = [dict(re.findall(r'"(applied|skipped|commits)":(\d+)', line)) for line in applied]
    assert [
        {"applied": "4", "skipped": "0", "commits": "1"},
        {"applied": "0", "skipped": "4", "commits": "0"},
    ] == counts
    assert "u-1042" not in "\n".join(lines)


def test_a_stream_without_old_images_stops_the_shard(votes: ModuleType) -> None:
    """A MODIFY without its old image (a NEW_IMAGE stream) raises: Lambda retries, loudly."""
    event = load("ddb_stream_votes")
    for record in event["Records"]:
        record["dynamodb"].pop("OldImage", None)
        record["dynamodb"]["StreamViewType"] = "NEW_IMAGE"
    with pytest.raises(StreamConfigurationError, match="NEW_AND_OLD_IMAGES"):
        call(votes, event)


def test_an_unknown_projection_stops_the_cold_start(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelt PROJECTION fails at import, naming the choices, rather than counting nothing."""
    with pytest.raises(ConfigurationError, match="survey-responses"):
        stream_handler(monkeypatch, "vote")


def test_the_feedback_projection_keeps_feedback_counters(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PROJECTION=feedback counts feedback items: count, rating and sentiment."""
    module = stream_handler(monkeypatch, "feedback")
    event = load("ddb_stream_votes")
    (record,) = event["Records"][:1]
    record["dynamodb"]["NewImage"] = {
        "feedbackId": {"S": "f-1"},
        "rating": {"N": "4"},
        "sentiment": {"S": "positive"},
        "createdAt": {"S": "2026-11-22T21:00:01Z"},
    }
    event["Records"] = [record]
    call(module, event)
    store = DynamoDBCounterStore(table_name=COUNTERS, consistent_reads=True)
    total = store.read_group("feedback").items["total"].fields
    assert (1, 4, 1) == (total["count"], total["ratingSum"], total["sentiment:positive"])


def window(event: dict[str, Any]) -> dict[str, Any]:
    """The event as Lambda sends it to a mapping with a tumbling window (the template's)."""
    return {
        **event,
        "window": {"start": "2026-11-22T21:00:00Z", "end": "2026-11-22T21:15:00Z"},
        "state": {},
        "shardId": "shardId-00000001795000000000-0a1b2c3d",
        "eventSourceARN": event["Records"][0]["eventSourceARN"],
        "isFinalInvokeForWindow": False,
        "isWindowTerminatedEarly": False,
    }


def test_item_marks_count_a_redelivered_window_batch_once(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """COUNTER_WRITES=item-marks (the template's): an empty state, and no double count."""
    monkeypatch.setenv("COUNTER_WRITES", "item-marks")
    module = stream_handler(monkeypatch, "votes")
    responses = [call(module, window(load("ddb_stream_votes"))) for _ in range(2)]
    assert ([{"batchItemFailures": [], "state": {}}] * 2, {"choice:salad": 1}) == (
        responses,
        {k: v for k, v in tally().items() if v},
    )


def test_item_marks_refuse_a_mapping_without_a_window(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain events carry no shard id: the invocation fails naming the setting to add."""
    monkeypatch.setenv("COUNTER_WRITES", "item-marks")
    module = stream_handler(monkeypatch, "votes")
    with pytest.raises(StreamConfigurationError, match="TumblingWindowInSeconds"):
        call(module, load("ddb_stream_votes"))
