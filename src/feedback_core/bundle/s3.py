"""S3 adapters: read announced object versions in chunks, write bundles all or nothing.

:class:`S3ObjectSource` reads exactly the announced version (``VersionId``, else ``If-Match``
on the ETag) from the ``StreamingBody`` chunk by chunk. :class:`S3BundleSink` writes a bundle
with one ``PutObject`` when it fits in one part, else a multipart upload with a SHA-256 checksum
on every part, server-side encryption, and ``AbortMultipartUpload`` on every failure path.
boto3 is imported lazily, on first use.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from typing import TYPE_CHECKING, Literal, cast

from feedback_core import aws
from feedback_core.bundle.memory import MIN_PART_SIZE, drain, first_parts
from feedback_core.bundle.ports import SourceRef, SourceUnavailableError, StoredObject

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

__all__ = ["S3BundleSink", "S3ObjectSource"]

_GONE = frozenset({"NoSuchKey", "NoSuchVersion", "404", "NotFound"})
_CHANGED = frozenset({"PreconditionFailed", "412"})


class _LazyClient:
    def __init__(self, client: S3Client | None) -> None:
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> S3Client:
        """The low-level S3 client, created on first use."""
        if self._client is None:
            with self._lock:  # creating boto3 clients from several threads at once is unsafe
                if self._client is None:
                    self._client = cast("S3Client", aws.client("s3"))
        return self._client


def _checksum(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


class S3ObjectSource(_LazyClient):
    """Reads announced versions from S3 in chunks (an :class:`~.ports.ObjectSource`).

    Args:
        client: A low-level S3 client; one is created on first use otherwise.
        chunk_size: Bytes per chunk read from the response stream.
        backoff: Retries for the ``GetObject`` request.
    """

    def __init__(
        self,
        *,
        client: S3Client | None = None,
        chunk_size: int = 1 << 20,
        backoff: aws.Backoff | None = None,
    ) -> None:
        """Configure the source; no AWS call is made here."""
        super().__init__(client)
        self.chunk_size = chunk_size
        self._backoff = backoff or aws.Backoff()

    def read(self, ref: SourceRef) -> Iterator[bytes]:
        """Yield the version ``ref`` names, in chunks; never the whole object at once.

        Raises:
            SourceUnavailableError: the version is gone (``NoSuchKey``/``NoSuchVersion``) or
                the key holds other content (``412`` on ``If-Match``).
            ServiceError: any other failure, after retries.
        """
        from botocore.exceptions import ClientError  # boto3 is loaded by the client

        def get() -> Iterator[bytes]:
            if ref.version_id is not None:
                response = self.client.get_object(
                    Bucket=ref.bucket, Key=ref.key, VersionId=ref.version_id
                )
            else:
                response = self.client.get_object(Bucket=ref.bucket, Key=ref.key, IfMatch=ref.etag)
            return response["Body"].iter_chunks(self.chunk_size)

        try:
            chunks = aws.with_retries(get, operation="GetObject", backoff=self._backoff)
        except Exception as exc:
            cause = exc.__cause__
            if isinstance(cause, ClientError):
                code = aws.error_code(cause)
                if code in _GONE:
                    raise SourceUnavailableError(ref, "deleted") from cause
                if code in _CHANGED:
                    raise SourceUnavailableError(ref, "replaced") from cause
            raise
        yield from chunks


class S3BundleSink(_LazyClient):
    """Writes bundles to a bucket (a :class:`~.ports.BundleSink`).

    Args:
        bucket: The distribution bucket.
        client: A low-level S3 client; one is created on first use otherwise.
        part_size: The multipart part size (at least 8 MiB; grown to stay within 10,000 parts).
        encryption: ``AES256`` (SSE-S3, the default) or ``aws:kms`` (SSE-KMS).
        kms_key_id: The KMS key for ``aws:kms`` (the bucket's default key when ``None``).
        backoff: Retries for each request.
    """

    def __init__(
        self,
        *,
        bucket: str,
        client: S3Client | None = None,
        part_size: int = MIN_PART_SIZE,
        encryption: Literal["AES256", "aws:kms"] = "AES256",
        kms_key_id: str | None = None,
        backoff: aws.Backoff | None = None,
    ) -> None:
        """Configure the sink; no AWS call is made here."""
        super().__init__(client)
        self.bucket = bucket
        self.part_size = part_size
        self.encryption = encryption
        self.kms_key_id = kms_key_id
        self._backoff = backoff or aws.Backoff()

    def _sse(self) -> dict[str, str]:
        if self.encryption == "aws:kms" and self.kms_key_id:
            return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.kms_key_id}
        return {"ServerSideEncryption": self.encryption}

    def write(
        self,
        key: str,
        chunks: Iterable[bytes],
        *,
        size_hint: int,
        content_type: str,
        metadata: Mapping[str, str],
    ) -> StoredObject:
        """Write ``key``: one ``PutObject``, or a multipart upload aborted on any failure."""
        head, rest = first_parts(chunks, size_hint=size_hint, part_size=self.part_size)
        if len(head) < 2:
            body = head[0] if head else b""
            aws.with_retries(
                lambda: self.client.put_object(
                    Bucket=self.bucket,
                    Key=key,
                    Body=body,
                    ContentType=content_type,
                    Metadata=dict(metadata),
                    ChecksumSHA256=_checksum(body),
                    **self._sse(),  # type: ignore[arg-type]  # literal SSE names, checked above
                ),
                operation="PutObject",
                backoff=self._backoff,
            )
            return StoredObject(key=key, size=len(body), parts=0)
        upload = aws.with_retries(
            lambda: self.client.create_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                ContentType=content_type,
                Metadata=dict(metadata),
                ChecksumAlgorithm="SHA256",
                **self._sse(),  # type: ignore[arg-type]  # literal SSE names, checked above
            ),
            operation="CreateMultipartUpload",
            backoff=self._backoff,
        )["UploadId"]
        try:
            done: list[CompletedPartTypeDef] = []
            size = 0
            for number, part in enumerate(drain(head, rest), start=1):
                done.append(self._upload_part(key, upload, number, part))
                size += len(part)
            aws.with_retries(
                lambda: self.client.complete_multipart_upload(
                    Bucket=self.bucket,
                    Key=key,
                    UploadId=upload,
                    MultipartUpload={"Parts": done},
                ),
                operation="CompleteMultipartUpload",
                backoff=self._backoff,
            )
        except Exception:
            self._abort(key, upload)
            raise
        return StoredObject(key=key, size=size, parts=len(done))

    def _upload_part(self, key: str, upload: str, number: int, part: bytes) -> CompletedPartTypeDef:
        checksum = _checksum(part)
        response = aws.with_retries(
            lambda: self.client.upload_part(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload,
                PartNumber=number,
                Body=part,
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=checksum,
            ),
            operation="UploadPart",
            backoff=self._backoff,
        )
        return {"ETag": response["ETag"], "PartNumber": number, "ChecksumSHA256": checksum}

    def _abort(self, key: str, upload: str) -> None:
        aws.with_retries(
            lambda: self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload
            ),
            operation="AbortMultipartUpload",
            backoff=self._backoff,
        )

    def abort_incomplete(self, key: str) -> int:
        """Abort every unfinished upload of ``key`` (a crashed writer's); return how many."""
        aborted = 0
        paginator = self.client.get_paginator("list_multipart_uploads")
        pages = aws.with_retries(
            lambda: list(paginator.paginate(Bucket=self.bucket, Prefix=key)),
            operation="ListMultipartUploads",
            backoff=self._backoff,
        )
        for page in pages:
            for upload in page.get("Uploads", []):
                if upload.get("Key") == key and "UploadId" in upload:
                    self._abort(key, upload["UploadId"])
                    aborted += 1
        return aborted
