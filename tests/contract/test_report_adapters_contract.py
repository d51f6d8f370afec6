"""One contract for the reports adapters: in memory and on moto (DynamoDB index, S3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
import pytest

from feedback_core.reports import InMemoryObjectStore, InMemoryResponseSource, Response
from feedback_core.reports.dynamodb import DynamoDBResponseSource, create_responses_table
from feedback_core.reports.s3 import S3ObjectStore
from tests.report_data import put_items

if TYPE_CHECKING:
    from collections.abc import Iterator

    from feedback_core.attributes import Value
    from feedback_core.reports import ObjectStore, ResponseSource

STAMPS = [
    "2026-11-21T23:59:59Z",
    "2026-11-22T00:00:00Z",
    "2026-11-22T12:00:00Z",
    "2026-11-22T23:59:59Z",
    "2026-11-23T00:00:00Z",
]


def _items() -> list[dict[str, Value]]:
    return [
        {"surveyId": survey, "responseId": f"r{n}", "submittedAt": stamp, "answers": {}}
        for n, stamp in enumerate(STAMPS)
        for survey in ("s1", "s2")
    ]


@pytest.fixture(params=["memory", "dynamodb"])
def source(request: pytest.FixtureRequest) -> Iterator[ResponseSource]:
    """The responses above, in memory or in a moto table read with one-item pages."""
    if request.param == "memory":
        yield InMemoryResponseSource(r for r in map(Response.from_item, _items()) if r)
        return
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb")
        create_responses_table("responses", client=client)
        put_items(client, "responses", _items())
        yield DynamoDBResponseSource(table_name="responses", page_size=1, client=client)


@pytest.fixture(params=["memory", "s3"])
def objects(request: pytest.FixtureRequest) -> Iterator[ObjectStore]:
    """An empty store, in memory or a moto bucket."""
    if request.param == "memory":
        yield InMemoryObjectStore()
        return
    from moto import mock_aws

    with mock_aws():
        boto3.client("s3").create_bucket(Bucket="reports")
        yield S3ObjectStore(bucket="reports")


def test_a_day_is_midnight_inclusive_to_midnight_exclusive(source: ResponseSource) -> None:
    """Of one survey, the responses at 00:00:00, 12:00 and 23:59:59 are the day's, no other."""
    found = [
        r.submitted_at
        for r in source.responses("s1", start="2026-11-22T00:00:00", end="2026-11-23T00:00:00")
    ]
    assert STAMPS[1:4] == sorted(found)


def test_items_read_counts_the_returned_responses(source: ResponseSource) -> None:
    """Reading one survey's day counts its three responses and nothing of the other survey."""
    list(source.responses("s2", start="2026-11-22T00:00:00", end="2026-11-23T00:00:00"))
    assert 3 == source.items_read


def test_put_replaces_and_get_reads_back(objects: ObjectStore) -> None:
    """A second put of a key replaces the first; a missing key is None."""
    objects.put("reports/daily/a.json", b"1", content_type="application/json")
    objects.put("reports/daily/a.json", b"2", content_type="application/json")
    assert (b"2", None) == (objects.get("reports/daily/a.json"), objects.get("nothing"))


def test_keys_lists_a_prefix_in_order(objects: ObjectStore) -> None:
    """Only the keys under the prefix, in key order."""
    for key in ("snapshots/polls/p/2", "snapshots/polls/p/1", "snapshots/polls/q/1"):
        objects.put(key, b"{}", content_type="application/json")
    assert ["snapshots/polls/p/1", "snapshots/polls/p/2"] == list(
        objects.keys("snapshots/polls/p/")
    )


def test_link_names_the_key_and_its_life(objects: ObjectStore) -> None:
    """The link carries the key and how long it lasts."""
    link = objects.link("reports/daily/index.html", expires_in=900)
    assert "reports/daily/index.html" in link
    assert "900" in link
