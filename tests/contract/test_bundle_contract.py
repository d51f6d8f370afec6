"""One contract for the bundle ports: the in-memory adapters and the S3 adapters (on moto) agree.

S3 refuses parts under 5 MiB; these tests write parts of 256 bytes so that small bundles go
multipart, and lower moto's minimum accordingly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

import boto3
import pytest
from moto import mock_aws

from feedback_core.bundle import (
    BundleSink,
    InMemoryBundleSink,
    InMemoryObjectSource,
    ObjectSource,
    S3BundleSink,
    S3ObjectSource,
    SourceRef,
    SourceUnavailableError,
)
from feedback_core.bundle.simulation import Crash

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_s3.client import S3Client

AT = datetime(2026, 5, 4, 3, tzinfo=UTC)
PART = 256
CHUNK = 100


class Bucket(Protocol):
    """One adapter pair with the test-side operations the ports do not have."""

    source: ObjectSource
    sink: BundleSink

    def put(self, key: str, body: bytes) -> SourceRef: ...
    def delete(self, ref: SourceRef) -> None: ...
    def stored(self) -> dict[str, bytes]: ...
    def open_uploads(self) -> int: ...


class MemoryBucket:
    def __init__(self, versioned: bool) -> None:
        self.objects = InMemoryObjectSource(versioned=versioned, chunk_size=CHUNK)
        self.source = self.objects
        self.bundles = InMemoryBundleSink(part_size=PART)
        self.sink = self.bundles

    def put(self, key: str, body: bytes) -> SourceRef:
        return self.objects.put("sources", key, body, at=AT)

    def delete(self, ref: SourceRef) -> None:
        self.objects.delete("sources", ref.key, ref.version_id)

    def stored(self) -> dict[str, bytes]:
        return {k: v.body for k, v in self.bundles.objects.items()}

    def open_uploads(self) -> int:
        return len(self.bundles.open_uploads)


class S3Bucket:
    def __init__(self, versioned: bool) -> None:
        self.s3: S3Client = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="sources")
        self.s3.create_bucket(Bucket="bundles")
        if versioned:
            self.s3.put_bucket_versioning(
                Bucket="sources", VersioningConfiguration={"Status": "Enabled"}
            )
        self.source = S3ObjectSource(client=self.s3, chunk_size=CHUNK)
        self.sink = S3BundleSink(bucket="bundles", client=self.s3, part_size=PART)

    def put(self, key: str, body: bytes) -> SourceRef:
        response = self.s3.put_object(Bucket="sources", Key=key, Body=body)
        return SourceRef(
            bucket="sources",
            key=key,
            version_id=response.get("VersionId"),
            etag=response["ETag"].strip('"'),
            size=len(body),
            event_time=AT,
        )

    def delete(self, ref: SourceRef) -> None:
        if ref.version_id:
            self.s3.delete_object(Bucket="sources", Key=ref.key, VersionId=ref.version_id)
        else:
            self.s3.delete_object(Bucket="sources", Key=ref.key)

    def stored(self) -> dict[str, bytes]:
        listed = self.s3.list_objects_v2(Bucket="bundles").get("Contents", [])
        return {
            o["Key"]: self.s3.get_object(Bucket="bundles", Key=o["Key"])["Body"].read()
            for o in listed
        }

    def open_uploads(self) -> int:
        return len(self.s3.list_multipart_uploads(Bucket="bundles").get("Uploads", []))


@pytest.fixture(params=["memory", "s3"])
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr("moto.s3.models.S3_UPLOAD_PART_MIN_SIZE", PART)
    with mock_aws():
        yield str(request.param)


def bucket(kind: str, *, versioned: bool = True) -> Bucket:
    return MemoryBucket(versioned) if kind == "memory" else S3Bucket(versioned)


BODY = bytes(range(256)) * 3


def test_read_yields_the_version_in_chunks(kind: str) -> None:
    """The content comes back whole, in chunks no larger than the chunk size."""
    b = bucket(kind)
    chunks = list(b.source.read(b.put("a", BODY)))
    assert BODY == b"".join(chunks)
    assert max(len(c) for c in chunks) <= CHUNK


def test_read_of_a_versioned_source_gets_the_announced_version(kind: str) -> None:
    """An overwrite later does not change what the earlier notification's version reads."""
    b = bucket(kind)
    first = b.put("a", b"first")
    b.put("a", b"second")
    assert b"first" == b"".join(b.source.read(first))


def test_a_deleted_version_is_unavailable(kind: str) -> None:
    """Reading a version deleted since its notification raises SourceUnavailableError."""
    b = bucket(kind)
    ref = b.put("a", b"x")
    b.delete(ref)
    with pytest.raises(SourceUnavailableError) as raised:
        b"".join(b.source.read(ref))
    assert "deleted" == raised.value.reason


def test_an_unversioned_key_overwritten_is_replaced(kind: str) -> None:
    """Without versions, an ETag that no longer matches means the key holds other content."""
    b = bucket(kind, versioned=False)
    ref = b.put("a", b"first")
    b.put("a", b"second")
    with pytest.raises(SourceUnavailableError) as raised:
        b"".join(b.source.read(ref))
    assert "replaced" == raised.value.reason


def write(b: Bucket, key: str, body: bytes) -> int:
    chunks = [body[i : i + 50] for i in range(0, len(body), 50)]
    stored = b.sink.write(
        key, chunks, size_hint=len(body), content_type="application/gzip", metadata={"n": "1"}
    )
    return stored.parts


def test_a_small_bundle_is_one_put(kind: str) -> None:
    """Below one part, the bundle is written whole in one request (no parts)."""
    b = bucket(kind)
    assert 0 == write(b, "k", b"small")
    assert {"k": b"small"} == b.stored()


def test_a_large_bundle_goes_up_in_parts(kind: str) -> None:
    """Above one part, a multipart upload of full parts (the last may be short)."""
    b = bucket(kind)
    assert 3 == write(b, "k", BODY)
    assert {"k": BODY} == b.stored()
    assert 0 == b.open_uploads()


def test_a_write_replaces_the_object(kind: str) -> None:
    """Writing a key again overwrites it (a rerun of the same bundle)."""
    b = bucket(kind)
    write(b, "k", b"one")
    write(b, "k", BODY)
    assert {"k": BODY} == b.stored()


def test_an_error_in_the_stream_aborts_the_upload(kind: str) -> None:
    """A failing chunk iterator leaves no object and no open upload behind."""
    b = bucket(kind)

    def chunks() -> Iterator[bytes]:
        yield BODY
        raise OSError("source connection reset")

    with pytest.raises(OSError, match="reset"):
        b.sink.write("k", chunks(), size_hint=10_000, content_type="x", metadata={})
    assert ({}, 0) == (b.stored(), b.open_uploads())


def test_abort_incomplete_clears_a_crashed_writers_upload(kind: str) -> None:
    """A crash (no cleanup runs) leaves an upload; abort_incomplete finds and aborts it."""
    b = bucket(kind)

    def chunks() -> Iterator[bytes]:
        yield BODY
        raise Crash("killed")

    with pytest.raises(Crash):
        b.sink.write("k", chunks(), size_hint=10_000, content_type="x", metadata={})
    assert 1 == b.open_uploads()
    assert (1, 0) == (b.sink.abort_incomplete("k"), b.sink.abort_incomplete("k"))
    assert ({}, 0) == (b.stored(), b.open_uploads())
