"""An in-memory lake bucket with the S3 adapter's semantics, for tests and demos without AWS.

Writes go through :class:`~feedback_core.bundle.InMemoryBundleSink` (an object is visible only
once complete; a put replaces the object at its key), so the fault hooks that tests use on the
bundle sink work here too. Public API, checked by the contract suite with the S3 adapter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core.bundle.memory import MIN_PART_SIZE, CallHooks, InMemoryBundleSink
from feedback_core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from feedback_core.bundle.ports import StoredObject

__all__ = ["InMemoryLakeStore"]


class InMemoryLakeStore:
    """A lake bucket in memory (a :class:`~feedback_core.datalake.ports.LakeStore`).

    Args:
        part_size: Objects above this go up in parts (as on S3).
        hooks: Called around each part and each completion; fault-injecting tests raise there.
    """

    def __init__(self, *, part_size: int = MIN_PART_SIZE, hooks: CallHooks | None = None) -> None:
        """Start empty."""
        self.sink = InMemoryBundleSink(part_size=part_size, hooks=hooks)
        self.puts = 0

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
        self.puts += 1
        return self.sink.write(
            key, chunks, size_hint=size_hint, content_type=content_type, metadata=metadata
        )

    def abort_incomplete(self, key: str) -> int:
        """Abort open uploads of ``key``; return how many."""
        return self.sink.abort_incomplete(key)

    def object_keys(self, prefix: str = "") -> Iterator[str]:
        """Yield completed keys under ``prefix``, in order."""
        yield from sorted(k for k in list(self.sink.objects) if k.startswith(prefix))

    def read(self, key: str) -> Iterator[bytes]:
        """Yield the object's bytes.

        Raises:
            ServiceError: no such key (``NoSuchKey``, as S3 answers).
        """
        stored = self.sink.objects.get(key)
        if stored is None:
            raise ServiceError("GetObject", "NoSuchKey", f"no object {key}")
        yield stored.body
