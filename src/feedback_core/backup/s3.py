"""The S3 object store: parts uploaded by multipart upload, read back as a stream.

A writer buffers at most one upload part (8 MiB by default; S3's minimum is 5 MiB, except the
last part) and sends it as soon as it is full, so a part of any size costs that much memory. An
object only becomes visible on ``CompleteMultipartUpload``; a failed or abandoned writer aborts
its upload, so no half-written part can ever be read as a whole one. An object smaller than one
upload part is sent with a single ``PutObject`` instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from feedback_core import aws
from feedback_core.backup.model import ObjectInfo

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from mypy_boto3_s3.client import S3Client

__all__ = ["S3ObjectStore"]

T = TypeVar("T")

MIN_PART_BYTES = 5 * 1024 * 1024
"""S3's smallest upload part (all but the last)."""


class _MultipartWriter:
    def __init__(self, store: S3ObjectStore, key: str, part_bytes: int) -> None:
        self._store = store
        self._key = key
        self._part_bytes = part_bytes
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= self._part_bytes:
            self._send(bytes(self._buffer[: self._part_bytes]))
            del self._buffer[: self._part_bytes]

    def _send(self, chunk: bytes) -> None:
        client = self._store.client
        bucket = self._store.bucket
        if self._upload_id is None:
            self._upload_id = self._store.call(
                "CreateMultipartUpload",
                lambda: client.create_multipart_upload(Bucket=bucket, Key=self._key),
            )["UploadId"]
        number = len(self._parts) + 1
        upload_id = self._upload_id
        response = self._store.call(
            "UploadPart",
            lambda: client.upload_part(
                Bucket=bucket, Key=self._key, UploadId=upload_id, PartNumber=number, Body=chunk
            ),
        )
        self._parts.append({"ETag": response["ETag"], "PartNumber": number})

    def commit(self) -> str:
        try:
            if self._upload_id is None:
                return self._store.put(self._key, bytes(self._buffer))
            if self._buffer:
                self._send(bytes(self._buffer))
                self._buffer.clear()
            client = self._store.client
            upload_id = self._upload_id
            response = self._store.call(
                "CompleteMultipartUpload",
                lambda: client.complete_multipart_upload(
                    Bucket=self._store.bucket,
                    Key=self._key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": self._parts},  # type: ignore[typeddict-item]  # built from UploadPart's answers
                ),
            )
            return str(response["ETag"]).strip('"')
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        self._buffer.clear()
        if self._upload_id is None:
            return
        upload_id, self._upload_id = self._upload_id, None
        client = self._store.client
        self._store.call(
            "AbortMultipartUpload",
            lambda: client.abort_multipart_upload(
                Bucket=self._store.bucket, Key=self._key, UploadId=upload_id
            ),
        )


class S3ObjectStore:
    """One S3 bucket as an :class:`~.ports.ObjectStore`.

    Args:
        bucket: The bucket's name.
        client: A low-level S3 client; one is created on first use otherwise.
        part_bytes: Multipart upload part size (at least 5 MiB).
        read_bytes: Chunk size when streaming an object back.
        backoff: Retry policy for throttled (``SlowDown``) and transient errors.
    """

    def __init__(
        self,
        bucket: str,
        *,
        client: S3Client | None = None,
        part_bytes: int = 8 * 1024 * 1024,
        read_bytes: int = 1024 * 1024,
        backoff: aws.Backoff | None = None,
    ) -> None:
        """Remember the bucket; no AWS call is made yet."""
        if part_bytes < MIN_PART_BYTES:
            raise ValueError(f"part_bytes must be at least {MIN_PART_BYTES} (S3's minimum)")
        self._bucket = bucket
        self._client = client
        self._part_bytes = part_bytes
        self._read_bytes = read_bytes
        self._backoff = backoff or aws.Backoff(attempts=6, cap=5.0)

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self._bucket

    @property
    def client(self) -> S3Client:
        """The low-level client (created on first use)."""
        if self._client is None:
            self._client = cast("S3Client", aws.client("s3"))
        return self._client

    def call(self, operation: str, call: Callable[[], T]) -> T:
        """Run one S3 call with retries; errors become ServiceError."""
        return aws.with_retries(call, operation=operation, backoff=self._backoff)

    def open(self, key: str) -> _MultipartWriter:
        """Start a multipart upload of ``key`` (created on the first full part)."""
        return _MultipartWriter(self, key, self._part_bytes)

    def put(self, key: str, data: bytes) -> str:
        """Write a small object with one ``PutObject``; return its ETag."""
        response = self.call(
            "PutObject", lambda: self.client.put_object(Bucket=self._bucket, Key=key, Body=data)
        )
        return str(response["ETag"]).strip('"')

    def read(self, key: str) -> Iterator[bytes]:
        """Stream the object in chunks; ``KeyError`` if it does not exist."""
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self._bucket, Key=key)["Body"]
        except ClientError as exc:
            if aws.error_code(exc) in ("NoSuchKey", "404"):
                raise KeyError(key) from exc
            raise aws.translate(exc, "GetObject") from exc
        try:
            yield from body.iter_chunks(self._read_bytes)
        finally:
            body.close()

    def info(self, key: str) -> ObjectInfo | None:
        """Return the object's size and ETag (``HeadObject``), or ``None``."""
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if aws.error_code(exc) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise aws.translate(exc, "HeadObject") from exc
        return ObjectInfo(
            key=key,
            size=int(head["ContentLength"]),
            etag=str(head["ETag"]).strip('"'),
            modified=head["LastModified"].timestamp(),
        )

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """List the objects under ``prefix`` (``ListObjectsV2``, every page)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=prefix
        )
        for page in pages:
            for found in page.get("Contents", []):
                yield ObjectInfo(
                    key=found["Key"],
                    size=int(found["Size"]),
                    etag=str(found.get("ETag", "")).strip('"'),
                    modified=found["LastModified"].timestamp(),
                )

    def folders(self, prefix: str) -> list[str]:
        """Return the sub-folders directly under ``prefix`` (``Delimiter="/"``)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=prefix, Delimiter="/"
        )
        return sorted(p["Prefix"] for page in pages for p in page.get("CommonPrefixes", []))

    def delete(self, keys: Sequence[str]) -> None:
        """Delete objects, 1,000 per ``DeleteObjects`` call."""
        keys = list(keys)
        for start in range(0, len(keys), 1000):
            chunk = [{"Key": k} for k in keys[start : start + 1000]]
            response = self.call(
                "DeleteObjects",
                lambda chunk=chunk: self.client.delete_objects(  # type: ignore[misc]  # bound per chunk
                    Bucket=self._bucket, Delete={"Objects": chunk, "Quiet": True}
                ),
            )
            if response.get("Errors"):
                from feedback_core.errors import BackupError

                first = response["Errors"][0]
                raise BackupError(f"could not delete {first.get('Key')}: {first.get('Code')}")
