"""The S3 bundle sink on moto: encryption, checksums, retries, and aborts on every failure."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from feedback_core.aws import Backoff
from feedback_core.bundle import S3BundleSink
from feedback_core.bundle.memory import MAX_PARTS, MIN_PART_SIZE, part_size_for
from feedback_core.errors import ServiceError

PART = 256
BODY = bytes(range(256)) * 3  # three parts of 256 bytes


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # S3 refuses parts under 5 MiB; small parts keep these tests small, so moto's floor is lowered.
    monkeypatch.setattr("moto.s3.models.S3_UPLOAD_PART_MIN_SIZE", PART)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="bundles")
        yield client


def no_sleep() -> Backoff:
    return Backoff(attempts=3, sleep=lambda _: None)


def fail_once(client: Any, operation: str, code: str) -> list[str]:
    """Make the next ``operation`` call answer ``code``; return the calls seen."""
    seen: list[str] = []

    def hook(**_: object) -> None:
        seen.append(operation)
        if len(seen) == 1:
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, operation)

    client.meta.events.register(f"before-call.s3.{operation}", hook)
    return seen


@pytest.mark.parametrize("body", [b"small", BODY], ids=["put", "multipart"])
def test_bundles_are_encrypted_with_sse_s3_by_default(s3: Any, body: bytes) -> None:
    """Single puts and multipart uploads both ask for AES256 server-side encryption."""
    sink = S3BundleSink(bucket="bundles", client=s3, part_size=PART)
    sink.write("k", [body], size_hint=len(body), content_type="application/gzip", metadata={})
    assert "AES256" == s3.head_object(Bucket="bundles", Key="k")["ServerSideEncryption"]


def test_kms_encryption_uses_the_configured_key(s3: Any) -> None:
    """encryption=aws:kms with a key id writes SSE-KMS under that key."""
    key_id = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["KeyId"]
    sink = S3BundleSink(
        bucket="bundles", client=s3, part_size=PART, encryption="aws:kms", kms_key_id=key_id
    )
    sink.write("k", [BODY], size_hint=len(BODY), content_type="application/gzip", metadata={})
    head = s3.head_object(Bucket="bundles", Key="k")
    assert ("aws:kms", key_id) == (head["ServerSideEncryption"], head["SSEKMSKeyId"].split("/")[-1])


def sent(client: Any, operation: str) -> list[dict[str, Any]]:
    """Record the parameters of every ``operation`` request the client sends."""
    calls: list[dict[str, Any]] = []

    def hook(params: dict[str, Any], **_: object) -> None:
        calls.append(dict(params))

    client.meta.events.register(f"before-parameter-build.s3.{operation}", hook)
    return calls


def sha256(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


# Moto neither keeps nor returns these checksums; S3 checks each on receipt (a mismatch is a
# BadDigest error) and keeps them with the object. So the requests are checked here.


def test_a_single_put_carries_the_sha256_of_its_body(s3: Any) -> None:
    """PutObject sends ChecksumSHA256 of exactly the bytes it sends, and the metadata."""
    puts = sent(s3, "PutObject")
    sink = S3BundleSink(bucket="bundles", client=s3, part_size=PART)
    sink.write("k", [b"small"], size_hint=5, content_type="application/gzip", metadata={"a": "1"})
    (put,) = puts
    assert (sha256(b"small"), {"a": "1"}) == (put["ChecksumSHA256"], put["Metadata"])


def test_every_part_carries_the_sha256_of_its_bytes(s3: Any) -> None:
    """Each UploadPart sends its part's SHA-256; the upload is created for SHA-256."""
    creates, parts = sent(s3, "CreateMultipartUpload"), sent(s3, "UploadPart")
    sink = S3BundleSink(bucket="bundles", client=s3, part_size=PART)
    stored = sink.write("k", [BODY], size_hint=len(BODY), content_type="x", metadata={})
    assert "SHA256" == creates[0]["ChecksumAlgorithm"]
    assert [sha256(BODY[i : i + PART]) for i in range(0, len(BODY), PART)] == [
        p["ChecksumSHA256"] for p in parts
    ]
    assert (3, BODY) == (stored.parts, s3.get_object(Bucket="bundles", Key="k")["Body"].read())


def test_a_throttled_part_is_retried(s3: Any) -> None:
    """SlowDown on a part is retried with backoff; the bundle completes."""
    seen = fail_once(s3, "UploadPart", "SlowDown")
    sink = S3BundleSink(bucket="bundles", client=s3, part_size=PART, backoff=no_sleep())
    sink.write("k", [BODY], size_hint=len(BODY), content_type="x", metadata={})
    assert 4 == len(seen)  # three parts, one of them twice
    assert BODY == s3.get_object(Bucket="bundles", Key="k")["Body"].read()


@pytest.mark.parametrize("operation", ["UploadPart", "CompleteMultipartUpload"])
def test_a_failed_part_or_completion_aborts_the_upload(s3: Any, operation: str) -> None:
    """A non-retryable error becomes ServiceError; no object and no open upload remain."""
    fail_once(s3, operation, "AccessDenied")
    sink = S3BundleSink(bucket="bundles", client=s3, part_size=PART, backoff=no_sleep())
    with pytest.raises(ServiceError) as raised:
        sink.write("k", [BODY], size_hint=len(BODY), content_type="x", metadata={})
    assert "AccessDenied" == raised.value.code
    assert isinstance(raised.value.__cause__, ClientError)
    assert "Contents" not in s3.list_objects_v2(Bucket="bundles")
    assert "Uploads" not in s3.list_multipart_uploads(Bucket="bundles")


@pytest.mark.parametrize("size", [1, 80 * 1024**3, 5 * 1024**4])
def test_part_size_keeps_any_bundle_within_10000_parts(size: int) -> None:
    """At least 8 MiB, whole MiB, and never more than S3's 10,000 parts, up to 5 TiB."""
    part = part_size_for(size, MIN_PART_SIZE)
    assert part >= MIN_PART_SIZE
    assert 0 == part % (1 << 20)
    assert -(-size // part) <= MAX_PARTS
