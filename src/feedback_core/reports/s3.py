"""Report files and snapshots in an S3 bucket: Put/GetObject, ListObjectsV2, a presigned GET."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core import aws
from feedback_core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_s3.type_defs import ListObjectsV2RequestTypeDef

__all__ = ["S3ObjectStore"]


class S3ObjectStore:
    """An :class:`~feedback_core.reports.ports.ObjectStore` in one bucket.

    The bucket's default encryption applies (the template sets SSE); a versioned bucket keeps a
    rerun's earlier report as an older version of the same key.

    Args:
        bucket: The bucket.
        client: An S3 client; created lazily otherwise.
        backoff: Retries of throttled calls (``SlowDown``).
    """

    def __init__(
        self, *, bucket: str, client: S3Client | None = None, backoff: aws.Backoff | None = None
    ) -> None:
        """Configure; no AWS call is made here."""
        self.bucket = bucket
        self._client = client
        self._backoff = backoff or aws.Backoff()

    @property
    def client(self) -> S3Client:
        """The client, created on first use."""
        if self._client is None:
            import boto3  # deferred: importing the library must not import boto3
            from botocore.config import Config

            # Signature Version 4: presigned links carry X-Amz-Expires, and SigV2 links are
            # refused in the regions opened since 2014.
            self._client = boto3.client("s3", config=Config(signature_version="s3v4"))
        return self._client

    def put(self, key: str, body: bytes, *, content_type: str) -> None:
        """Store ``body`` at ``key``.

        Raises:
            ServiceError: S3 refused or kept throttling.
        """
        aws.call(
            lambda: self.client.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType=content_type
            ),
            operation="PutObject",
            backoff=self._backoff,
        )

    def get(self, key: str) -> bytes | None:
        """Return the object at ``key``, or ``None`` if there is none.

        Raises:
            ServiceError: any failure but a missing key.
        """
        try:
            return aws.call(
                lambda: self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read(),  # noqa: PLW0108  # the call must run inside the retries
                operation="GetObject",
                backoff=self._backoff,
            )
        except ServiceError as error:
            if error.code in ("NoSuchKey", "404"):
                return None
            raise

    def keys(self, prefix: str) -> Iterator[str]:
        """Yield every key under ``prefix`` in key order, one ListObjectsV2 page at a time.

        Raises:
            ServiceError: S3 refused or kept throttling.
        """
        request: ListObjectsV2RequestTypeDef = {"Bucket": self.bucket, "Prefix": prefix}
        while True:
            page = aws.call(
                lambda: self.client.list_objects_v2(**request),
                operation="ListObjectsV2",
                backoff=self._backoff,
            )
            for entry in page.get("Contents", []):
                yield entry["Key"]
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return
            request["ContinuationToken"] = token

    def link(self, key: str, *, expires_in: int) -> str:
        """Return a presigned GET URL for ``key``, valid for ``expires_in`` seconds.

        A URL signed with a role's temporary credentials stops working when they expire,
        whichever comes first.
        """
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
        )
