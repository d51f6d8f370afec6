"""An in-memory lake bucket with the S3 adapter's semantics, for tests and demos without AWS.

Writes go through :class:`~feedback_core.bundle.InMemoryBundleSink` (an object is visible only
once complete; a put replaces the object at its key), so the fault hooks that tests use on the
bundle sink work here too. Public API, checked by the contract suite with the S3 adapter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core.bundle.memory import MIN_PART_SIZE, CallHooks, InMemoryBundleSink
from feedback_core.datalake.ports import SinkBacked
from feedback_core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterator


__all__ = ["InMemoryLakeStore"]


class _Counted:
    """Counts the object writes that reach the bucket, around the caller's own hooks."""

    def __init__(self, store: InMemoryLakeStore, hooks: CallHooks | None) -> None:
        self.store = store
        self.hooks = hooks

    def before(self, step: str) -> None:
        if self.hooks:
            self.hooks.before(step)
        self.store.puts += step == "complete"

    def after(self, step: str) -> None:
        if self.hooks:
            self.hooks.after(step)


class InMemoryLakeStore(SinkBacked):
    """A lake bucket in memory (a :class:`~feedback_core.datalake.ports.LakeStore`).

    Args:
        part_size: Objects above this go up in parts (as on S3).
        hooks: Called around each part and each completion; fault-injecting tests raise there.
    """

    sink: InMemoryBundleSink

    def __init__(self, *, part_size: int = MIN_PART_SIZE, hooks: CallHooks | None = None) -> None:
        """Start empty."""
        self.sink = InMemoryBundleSink(part_size=part_size, hooks=_Counted(self, hooks))
        self.puts = 0  # requests that reached the bucket: one per object, put or multipart

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
