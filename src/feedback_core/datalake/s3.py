"""The S3 lake adapter: partition objects written through the bundle's S3 sink, listed and read.

Writes reuse :class:`~feedback_core.bundle.S3BundleSink` (one ``PutObject`` with a SHA-256
checksum and server-side encryption; multipart, aborted on failure, above the part size), so a
lake object is never visible half written. boto3 is imported lazily, on first use.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal

from feedback_core import aws
from feedback_core.bundle.memory import MIN_PART_SIZE
from feedback_core.bundle.s3 import S3BundleSink
from feedback_core.datalake.ports import SinkBacked

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_s3.type_defs import ListObjectsV2OutputTypeDef

__all__ = ["S3LakeStore"]


class S3LakeStore(SinkBacked):
    """A lake bucket on S3 (a :class:`~feedback_core.datalake.ports.LakeStore`).

    Args:
        bucket: The lake bucket.
        client: A low-level S3 client; one is created on first use otherwise.
        encryption: ``AES256`` (SSE-S3, the default) or ``aws:kms``.
        kms_key_id: The KMS key for ``aws:kms`` (the bucket's default key when ``None``).
        part_size: Objects above this go up in parts.
        backoff: Retries for each request.
    """

    sink: S3BundleSink

    def __init__(
        self,
        *,
        bucket: str,
        client: S3Client | None = None,
        encryption: Literal["AES256", "aws:kms"] = "AES256",
        kms_key_id: str | None = None,
        part_size: int = MIN_PART_SIZE,
        backoff: aws.Backoff | None = None,
    ) -> None:
        """Configure the store; no AWS call is made here."""
        self.bucket = bucket
        self._backoff = backoff or aws.Backoff()
        self.sink = S3BundleSink(
            bucket=bucket,
            client=client,
            part_size=part_size,
            encryption=encryption,
            kms_key_id=kms_key_id,
            backoff=self._backoff,
        )

    def object_keys(self, prefix: str = "") -> Iterator[str]:
        """Yield the keys under ``prefix`` (``ListObjectsV2``, page by page), in key order."""
        token: str | None = None
        while True:
            page = aws.with_retries(
                functools.partial(self._page, prefix, token),
                operation="ListObjectsV2",
                backoff=self._backoff,
            )
            for entry in page.get("Contents", []):
                if "Key" in entry:
                    yield entry["Key"]
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return

    def _page(self, prefix: str, token: str | None) -> ListObjectsV2OutputTypeDef:
        if token is None:
            return self.sink.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return self.sink.client.list_objects_v2(
            Bucket=self.bucket, Prefix=prefix, ContinuationToken=token
        )

    def read(self, key: str) -> Iterator[bytes]:
        """Yield the object's bytes in 1 MiB chunks (never the whole object at once)."""
        response = aws.with_retries(
            lambda: self.sink.client.get_object(Bucket=self.bucket, Key=key),
            operation="GetObject",
            backoff=self._backoff,
        )
        yield from response["Body"].iter_chunks(1 << 20)
