"""In-memory adapters with the S3 adapters' semantics, for tests and demos without AWS.

:class:`InMemoryObjectSource` is a versioned (or unversioned) bucket set;
:class:`InMemoryBundleSink` stores bundles the way S3 does (one put below the part size,
multipart above, an upload visible only once completed) and keeps unfinished uploads
listable, as S3 does after a crash.
They are public API; the contract suite in tests/contract runs on them and on the S3 adapters.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from typing import TYPE_CHECKING, Protocol

import attrs

from feedback_core.bundle.ports import SourceRef, SourceUnavailableError, StoredObject

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from datetime import datetime

__all__ = ["CallHooks", "InMemoryBundleSink", "InMemoryObjectSource", "StoredBundle"]


class CallHooks(Protocol):
    """Called around each storage call (``part``, ``complete``); fault-injecting tests raise."""

    def before(self, step: str) -> None:
        """Before the call."""
        ...

    def after(self, step: str) -> None:
        """After the call took effect."""
        ...


MIN_PART_SIZE = 8 * 1024 * 1024
MAX_PARTS = 10_000


def part_size_for(size_hint: int, part_size: int) -> int:
    """The part size to use: ``part_size``, grown so ``size_hint`` bytes fit in 10,000 parts.

    Examples:
        >>> part_size_for(100, 8 << 20) == 8 << 20
        True
        >>> part_size_for(200 << 30, 8 << 20) // (1 << 20)
        21
    """
    needed = -(-size_hint // MAX_PARTS)
    if needed <= part_size:
        return part_size
    mib = 1 << 20
    return -(-needed // mib) * mib


def parts_of(
    chunks: Iterable[bytes], part_size: int, *, expected: int | None = None
) -> Iterator[bytes]:
    """Regroup a stream of chunks into parts of ``part_size`` bytes (the last may be smaller).

    The part is filled in place in one buffer allocated once (``expected`` bytes when the
    stream is known to be smaller than a part; grown to a part once if not), so memory is one
    buffer plus the part the consumer still holds: about two parts, however long the stream.

    Examples:
        >>> [len(p) for p in parts_of([b"ab", b"cde", b"f"], 4)]
        [4, 2]
    """
    buffer = bytearray(min(part_size, max(expected or part_size, 1)))
    filled = 0
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            if filled == len(buffer):  # only when ``expected`` was too small: grow once
                grown = bytearray(part_size)
                grown[:filled] = buffer
                buffer = grown
            take = min(len(buffer) - filled, len(view))
            buffer[filled : filled + take] = view[:take]
            filled += take
            view = view[take:]
            if filled == part_size:
                yield bytes(buffer)
                filled = 0
    if filled:
        with memoryview(buffer) as rest:
            yield bytes(rest[:filled])


def first_parts(
    chunks: Iterable[bytes], *, size_hint: int, part_size: int
) -> tuple[list[bytes], Iterator[bytes]]:
    """Cut the stream into parts and read up to two ahead, to choose a put or a multipart upload.

    Fewer than two parts in ``head``: the whole object is ``head[0]`` (or empty), one put.
    Two: a multipart upload of :func:`drain` ``(head, rest)``.
    """
    parts = parts_of(chunks, part_size_for(size_hint, part_size), expected=size_hint)
    return list(itertools.islice(parts, 2)), parts


def drain(head: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    """Yield the parts read ahead, letting go of each, then the rest."""
    while head:
        yield head.pop(0)
    yield from rest


class InMemoryObjectSource:
    """Buckets of objects in memory; a source whose reads honour versions and ETags.

    Args:
        versioned: Keep every version (reads by version id), or only the latest (reads by ETag).
        chunk_size: The size of the chunks :meth:`read` yields.
    """

    def __init__(self, *, versioned: bool = True, chunk_size: int = 1 << 20) -> None:
        """Start with no objects."""
        self.versioned = versioned
        self.chunk_size = chunk_size
        self._versions: dict[tuple[str, str], dict[str, bytes]] = {}
        self._latest: dict[tuple[str, str], str] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def put(self, bucket: str, key: str, body: bytes, *, at: datetime) -> SourceRef:
        """Store an object (a new version) and return the reference its notification carries."""
        etag = hashlib.md5(body, usedforsecurity=False).hexdigest()  # S3's single-part ETag
        with self._lock:
            version = f"v{next(self._counter)}" if self.versioned else None
            versions = self._versions.setdefault((bucket, key), {})
            if not self.versioned:
                versions.clear()
            versions[version or etag] = body
            self._latest[(bucket, key)] = version or etag
        return SourceRef(
            bucket=bucket, key=key, version_id=version, etag=etag, size=len(body), event_time=at
        )

    def delete(self, bucket: str, key: str, version_id: str | None = None) -> None:
        """Delete one version (or, unversioned, the object)."""
        with self._lock:
            versions = self._versions.get((bucket, key), {})
            if version_id is None:
                versions.clear()
            else:
                versions.pop(version_id, None)

    def read(self, ref: SourceRef) -> Iterator[bytes]:
        """Yield the announced version in chunks (see :class:`~.ports.ObjectSource`)."""
        with self._lock:
            versions = self._versions.get((ref.bucket, ref.key), {})
            body = versions.get(ref.version_id or ref.etag)
            if body is None and ref.version_id is None and versions:
                raise SourceUnavailableError(ref, "replaced")
        if body is None:
            raise SourceUnavailableError(ref, "deleted")
        view = memoryview(body)
        for start in range(0, len(body), self.chunk_size):
            yield bytes(view[start : start + self.chunk_size])


@attrs.frozen(kw_only=True)
class StoredBundle:
    """An object the in-memory sink holds: its bytes, metadata and content type."""

    body: bytes
    content_type: str
    metadata: Mapping[str, str]
    parts: int


class InMemoryBundleSink:
    """A bucket of completed objects plus the multipart uploads still open.

    Args:
        part_size: Parts are at least this big (S3: 8 MiB here, 5 MiB is S3's floor).
        hooks: Called around each part upload and each completion (a put included).
    """

    def __init__(self, *, part_size: int = MIN_PART_SIZE, hooks: CallHooks | None = None) -> None:
        """Start empty."""
        self.part_size = part_size
        self.hooks = hooks
        self.objects: dict[str, StoredBundle] = {}
        self.open_uploads: dict[str, str] = {}  # upload id -> key
        self.largest_part = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def write(
        self,
        key: str,
        chunks: Iterable[bytes],
        *,
        size_hint: int,
        content_type: str,
        metadata: Mapping[str, str],
    ) -> StoredObject:
        """Write ``key`` all or nothing (see :class:`~.ports.BundleSink`)."""
        head, rest = first_parts(chunks, size_hint=size_hint, part_size=self.part_size)
        if len(head) < 2:
            return self._put(key, head[0] if head else b"", content_type, metadata, parts=0)
        upload = self._create(key)
        received: list[bytes] = []
        try:
            for part in drain(head, rest):
                self.upload_part(upload, part)
                received.append(part)
            return self.complete(upload, key, received, content_type, metadata)
        except Exception:
            self.abort(upload)
            raise

    # Each step is a method so fault-injecting tests can wrap it, as they do S3's calls.
    def _create(self, key: str) -> str:
        with self._lock:
            upload = f"u{next(self._ids)}"
            self.open_uploads[upload] = key
        return upload

    def upload_part(self, upload: str, part: bytes) -> None:
        """Accept one part of an open upload."""
        if self.hooks:
            self.hooks.before("part")
        with self._lock:
            if upload not in self.open_uploads:
                raise KeyError(f"no such upload {upload}")
            self.largest_part = max(self.largest_part, len(part))
        if self.hooks:
            self.hooks.after("part")

    def complete(
        self,
        upload: str,
        key: str,
        parts: list[bytes],
        content_type: str,
        metadata: Mapping[str, str],
    ) -> StoredObject:
        """Make an upload's object visible."""
        if self.hooks:
            self.hooks.before("complete")
        with self._lock:
            if self.open_uploads.pop(upload, None) is None:
                raise KeyError(f"no such upload {upload}")
        return self._put(key, b"".join(parts), content_type, metadata, parts=len(parts))

    def _visible(self, key: str, stored: StoredBundle) -> None:
        with self._lock:
            self.objects[key] = stored
        if self.hooks:
            self.hooks.after("complete")

    def abort(self, upload: str) -> None:
        """Drop an open upload."""
        with self._lock:
            self.open_uploads.pop(upload, None)

    def _put(
        self, key: str, body: bytes, content_type: str, metadata: Mapping[str, str], *, parts: int
    ) -> StoredObject:
        if self.hooks and parts == 0:
            self.hooks.before("complete")
        with self._lock:
            self.largest_part = max(self.largest_part, len(body) if parts == 0 else 0)
        stored = StoredBundle(
            body=body, content_type=content_type, metadata=dict(metadata), parts=parts
        )
        self._visible(key, stored)
        return StoredObject(key=key, size=len(body), parts=parts)

    def abort_incomplete(self, key: str) -> int:
        """Abort every open upload of ``key``; return how many there were."""
        with self._lock:
            stale = [u for u, k in self.open_uploads.items() if k == key]
            for upload in stale:
                del self.open_uploads[upload]
        return len(stale)
