"""The lake port: a bucket the writer puts partition objects into and a reader lists and reads.

:class:`LakeStore` extends the bundle sink (:class:`~feedback_core.bundle.BundleSink`: write a
stream of gzip chunks as one object, all or nothing, replacing any object at the key) with the
two reads that checks, the local query command and the demo need. Adapters:
:class:`~feedback_core.datalake.s3.S3LakeStore` and
:class:`~feedback_core.datalake.memory.InMemoryLakeStore`, with the same semantics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from feedback_core.bundle.ports import BundleSink

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from feedback_core.bundle.ports import StoredObject

__all__ = ["LakeStore", "SinkBacked"]


class LakeStore(BundleSink, Protocol):
    """Writes lake objects all or nothing; lists and reads them back."""

    def object_keys(self, prefix: str = "") -> Iterator[str]:
        """Yield the keys of the completed objects under ``prefix``, in key order.

        Raises:
            ServiceError: the listing failed after retries.
        """
        ...

    def read(self, key: str) -> Iterator[bytes]:
        """Yield one object's (compressed) bytes in chunks.

        Raises:
            ServiceError: the read failed after retries (a missing key included).
        """
        ...


class SinkBacked:
    """Writes through a bundle sink (``self.sink``): what both lake adapters share."""

    sink: BundleSink

    def write(
        self,
        key: str,
        chunks: Iterable[bytes],
        *,
        size_hint: int,
        content_type: str,
        metadata: Mapping[str, str],
    ) -> StoredObject:
        """Write ``key`` all or nothing, replacing what is there."""
        return self.sink.write(
            key, chunks, size_hint=size_hint, content_type=content_type, metadata=metadata
        )

    def abort_incomplete(self, key: str) -> int:
        """Abort open uploads of ``key``; return how many."""
        return self.sink.abort_incomplete(key)
