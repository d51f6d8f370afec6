"""One contract for the lake store: the in-memory store and the S3 store (moto) agree."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

import boto3
import pytest
from moto import mock_aws

from feedback_core.datalake import InMemoryLakeStore, S3LakeStore, write_rows
from feedback_core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from feedback_core.datalake import LakeStore


@pytest.fixture(params=["memory", "s3"])
def store(request: pytest.FixtureRequest) -> Iterator[LakeStore]:
    if request.param == "memory":
        yield InMemoryLakeStore()
        return
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="lake")
        yield S3LakeStore(bucket="lake", client=client)


def put(store: LakeStore, key: str, rows: list[dict[str, object]]) -> None:
    write_rows(store, key, rows, metadata={"rows": str(len(rows))})


def test_a_write_to_the_same_key_replaces_the_object(store: LakeStore) -> None:
    """A retried batch's object overwrites the earlier one: one key, the latest rows."""
    put(store, "table=t/a.jsonl.gz", [{"n": 1}])
    put(store, "table=t/a.jsonl.gz", [{"n": 1}, {"n": 2}])
    assert ["table=t/a.jsonl.gz"] == list(store.object_keys())
    assert b'{"n":1}\n{"n":2}\n' == gzip.decompress(b"".join(store.read("table=t/a.jsonl.gz")))


def test_keys_lists_only_the_prefix_in_key_order(store: LakeStore) -> None:
    """Listing is by prefix and sorted, as ListObjectsV2 returns keys."""
    for key in ("table=v/x", "table=t/b", "table=t/a"):
        put(store, key, [{"k": key}])
    assert ["table=t/a", "table=t/b"] == list(store.object_keys("table=t/"))


def test_reading_a_missing_key_is_a_service_error(store: LakeStore) -> None:
    """No object: a ServiceError naming NoSuchKey, never a botocore error."""
    with pytest.raises(ServiceError) as caught:
        list(store.read("nothing"))
    assert "NoSuchKey" == caught.value.code
