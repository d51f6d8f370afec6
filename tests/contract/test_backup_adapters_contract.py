"""One contract for the backup adapters: the in-memory ones and DynamoDB/S3 (on moto) agree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from feedback_core.backup.dynamodb import DynamoDBTable, create_table_like
from feedback_core.backup.memory import InMemoryObjectStore, InMemoryTable
from feedback_core.backup.ports import ObjectStore
from feedback_core.backup.s3 import S3ObjectStore
from tests.unit.backup.tables import SURVEYS, every_type_item

BUCKET = "backup-contract"


@pytest.fixture(params=["memory", "aws"])
def adapters(request: pytest.FixtureRequest) -> Iterator[tuple[Any, ObjectStore]]:
    """A survey responses table (source and sink) and a bucket, in memory or on moto."""
    if request.param == "memory":
        yield InMemoryTable(SURVEYS, page_size=7), InMemoryObjectStore(BUCKET)
        return
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        create_table_like(SURVEYS, SURVEYS.name)
        yield DynamoDBTable(SURVEYS.name, page_limit=7), S3ObjectStore(BUCKET)


def fill(table: Any, count: int) -> list[dict[str, Any]]:
    items = [every_type_item(n) for n in range(count)]
    for start in range(0, count, 25):
        assert [] == table.write_batch(items[start : start + 25])
    return items


def scan_all(table: Any, total: int) -> list[list[dict[str, Any]]]:
    segments = []
    for segment in range(total):
        found, start = [], None
        while True:
            page = table.scan_page(segment=segment, total_segments=total, start_key=start)
            found += page.items
            start = page.last_key
            if start is None:
                break
        segments.append(found)
    return segments


def key(item: dict[str, Any]) -> tuple[str, str]:
    return (item["surveyId"]["S"], item["responseId"]["S"])


def test_segments_partition_the_table(adapters: tuple[Any, ObjectStore]) -> None:
    """The segments of a parallel scan hold every item exactly once, byte-exact."""
    table, _ = adapters
    items = fill(table, 60)
    segments = scan_all(table, 3)
    assert sorted(items, key=key) == sorted((i for s in segments for i in s), key=key)
    assert 60 == len({key(i) for s in segments for i in s})


def test_a_scan_pages(adapters: tuple[Any, ObjectStore]) -> None:
    """A scan is served in pages with a LastEvaluatedKey between them."""
    table, _ = adapters
    fill(table, 30)
    first = table.scan_page(segment=0, total_segments=1, start_key=None)
    assert 7 == len(first.items)
    assert first.last_key == {k: first.items[-1][k] for k in ("surveyId", "responseId")}


def test_a_batch_of_26_is_refused(adapters: tuple[Any, ObjectStore]) -> None:
    """More than 25 items per batch is refused, as DynamoDB does (moto would accept it)."""
    table, _ = adapters
    with pytest.raises(ValueError, match="25"):
        table.write_batch([every_type_item(n) for n in range(26)])


def test_read_batch_returns_the_stored_items(adapters: tuple[Any, ObjectStore]) -> None:
    """Reading keys returns the items stored under them and skips missing keys."""
    table, _ = adapters
    items = fill(table, 5)
    keys = [{k: i[k] for k in ("surveyId", "responseId")} for i in items[:3]]
    missing = {"surveyId": {"S": "none"}, "responseId": {"S": "none"}}
    assert sorted(items[:3], key=key) == sorted(table.read_batch([*keys, missing]), key=key)


def test_describe_gives_the_key_schema(adapters: tuple[Any, ObjectStore]) -> None:
    """The table's description carries its key schema and attribute definitions."""
    table, _ = adapters
    description = table.describe()
    assert (SURVEYS.key_schema, set(SURVEYS.attribute_definitions)) == (
        description.key_schema,
        set(description.attribute_definitions),
    )


def test_an_object_appears_only_on_commit(adapters: tuple[Any, ObjectStore]) -> None:
    """A written object is invisible until committed, then reads back whole."""
    _, store = adapters
    writer = store.open("a/part.gz")
    writer.write(b"x" * 1000)
    assert store.info("a/part.gz") is None
    writer.write(b"y")
    writer.commit()
    assert b"x" * 1000 + b"y" == b"".join(store.read("a/part.gz"))
    assert 1001 == store.info("a/part.gz").size  # type: ignore[union-attr]


def test_an_aborted_object_never_appears(adapters: tuple[Any, ObjectStore]) -> None:
    """Aborting a writer leaves no object."""
    _, store = adapters
    writer = store.open("a/part.gz")
    writer.write(b"x")
    writer.abort()
    assert store.info("a/part.gz") is None


def test_listing_folders_and_deleting(adapters: tuple[Any, ObjectStore]) -> None:
    """Objects list by prefix in key order, folders by delimiter, and delete by key."""
    _, store = adapters
    for name in ("p/A/1", "p/A/2", "p/B/1", "q/1"):
        store.put(name, name.encode())
    assert ["p/A/1", "p/A/2", "p/B/1"] == [i.key for i in store.list_objects("p/")]
    assert ["p/A/", "p/B/"] == store.folders("p/")
    store.delete(["p/A/1", "p/none"])
    assert ["p/A/2", "p/B/1"] == [i.key for i in store.list_objects("p/")]


def test_reading_a_missing_object_is_a_key_error(adapters: tuple[Any, ObjectStore]) -> None:
    """Reading an object that does not exist raises KeyError."""
    _, store = adapters
    with pytest.raises(KeyError):
        b"".join(store.read("nothing"))
