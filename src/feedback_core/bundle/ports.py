"""The bundle ports: a source of object versions, a sink for bundles, and the values they pass.

:class:`ObjectSource` reads one announced object version as a stream of chunks;
:class:`BundleSink` writes a stream of compressed chunks as one object, all or nothing.
Adapters: :mod:`feedback_core.bundle.s3` (S3) and :mod:`feedback_core.bundle.memory` (in memory,
same semantics). The claim store is the dedup port, :class:`feedback_core.dedup.DedupStore`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

import attrs

from feedback_core.errors import BundleError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from datetime import datetime

__all__ = [
    "BundleSink",
    "ObjectSource",
    "SourceRef",
    "SourceUnavailableError",
    "StoredObject",
    "Unavailability",
]

Unavailability: TypeAlias = Literal["deleted", "replaced"]
"""Why an announced version cannot be read: it is gone, or the key now holds other content."""


@attrs.frozen(kw_only=True)
class SourceRef:
    """One object version, as a notification announced it.

    Attributes:
        bucket: The source bucket.
        key: The object key, URL-decoded.
        version_id: The version id (versioned buckets), else ``None``.
        etag: The ETag without quotes; reads of unversioned buckets send it as ``If-Match``.
        size: The object's size in bytes.
        event_time: When S3 created the object (timezone-aware UTC); it picks the partition.
    """

    bucket: str
    key: str
    version_id: str | None = None
    etag: str = ""
    size: int = 0
    event_time: datetime

    @property
    def identity(self) -> str:
        """``bucket/key`` at this version: the version id, else the ETag. Claims are made on it."""
        return f"{self.bucket}/{self.key}?{self.version_id or 'etag=' + self.etag}"


class SourceUnavailableError(BundleError):
    """An announced version can no longer be read: deleted, or replaced (an unversioned key).

    It is a reported outcome, not a retryable failure: the bundle leaves the source out and its
    manifest lists it under ``unavailable``; a replacement has a notification of its own.
    """

    def __init__(self, ref: SourceRef, reason: Unavailability) -> None:
        """Record the source and why it cannot be read."""
        self.ref = ref
        self.reason = reason
        super().__init__(f"{ref.identity} was {reason} before it could be bundled")


@attrs.frozen(kw_only=True)
class StoredObject:
    """An object a sink completed.

    Attributes:
        key: Its key.
        size: Its size in bytes.
        parts: 0 for a single ``PutObject``, else the multipart upload's part count.
    """

    key: str
    size: int
    parts: int = 0


class ObjectSource(Protocol):
    """Reads announced object versions in chunks; never a whole object at once."""

    def read(self, ref: SourceRef) -> Iterator[bytes]:
        """Yield the content of exactly the version ``ref`` names, in chunks.

        Raises:
            SourceUnavailableError: the version is deleted, or the key's ETag no longer
                matches (an unversioned bucket whose key was overwritten).
            ServiceError: the read failed after retries.
        """
        ...


class BundleSink(Protocol):
    """Writes bundles: all or nothing, so no partial object is ever visible."""

    def write(
        self,
        key: str,
        chunks: Iterable[bytes],
        *,
        size_hint: int,
        content_type: str,
        metadata: Mapping[str, str],
    ) -> StoredObject:
        """Write the chunks as the object ``key``, streaming; replace any object there.

        Small objects go up in one request, large ones in parts. If anything fails (the
        chunks' own iterator included), the upload is aborted and the error propagates.

        Args:
            key: The object key.
            chunks: The content; consumed once.
            size_hint: An upper bound of the content's size, to choose the part size.
            content_type: The object's ``Content-Type``.
            metadata: User metadata stored with the object.

        Raises:
            ServiceError: the store failed after retries (nothing was left behind).
        """
        ...

    def abort_incomplete(self, key: str) -> int:
        """Abort every unfinished upload of ``key`` (left by a crashed writer); return how many."""
        ...
