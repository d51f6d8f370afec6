"""In-memory adapters with the AWS adapters' semantics: a table, a bucket, a topic.

:class:`InMemoryTable` is both a :class:`~.ports.TableSource` (its scan is split into segments
by a hash of the key, like DynamoDB's, and paged) and a :class:`~.ports.TableSink` (at most 25
items per batch; it can be told to leave some unprocessed, as a throttled DynamoDB does).
:class:`InMemoryObjectStore` shows an object only once it is committed, like a multipart
upload. The contract suites in ``tests/contract/`` run on these and on moto alike.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zlib
from typing import TYPE_CHECKING

import attrs
import orjson

from feedback_core.backup.model import ObjectInfo, ScanPage
from feedback_core.backup.ports import MAX_BATCH_WRITE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from feedback_core.backup.model import Item, TableDescription

__all__ = ["InMemoryContinuation", "InMemoryNotifier", "InMemoryObjectStore", "InMemoryTable"]


def _key_bytes(item: Item, names: Sequence[str]) -> bytes:
    return orjson.dumps([item[name] for name in names], default=bytes.hex)


class InMemoryTable:
    """A table held in a dict, keyed by its primary key.

    Args:
        description: The table's shape (its key schema decides what an item's key is).
        page_size: Items per scan page (DynamoDB pages by 1 MB; a small size tests paging).
        unprocessed: Called with each batch; returns how many of its items to leave
            unprocessed this time (tests use it to act out throttling). Default: none.
    """

    def __init__(
        self,
        description: TableDescription,
        *,
        page_size: int = 100,
        unprocessed: Callable[[Sequence[Item]], int] | None = None,
    ) -> None:
        """Create an empty table."""
        self.description = description
        self.page_size = page_size
        self._unprocessed = unprocessed
        self._items: dict[bytes, Item] = {}
        self._lock = threading.Lock()
        self.batch_sizes: list[int] = []

    @property
    def name(self) -> str:
        """The table's name."""
        return self.description.name

    def key_of(self, item: Item) -> Item:
        """Return the item's primary key attributes."""
        return {name: item[name] for name in self.description.key_names}

    def put(self, item: Item) -> None:
        """Store one item (replacing the one with its key)."""
        with self._lock:
            self._items[_key_bytes(item, self.description.key_names)] = item

    def items(self) -> list[Item]:
        """Every item, in key order."""
        with self._lock:
            return [self._items[k] for k in sorted(self._items)]

    def describe(self) -> TableDescription:
        """Return the description with the current item count and an estimated size."""
        with self._lock:
            count = len(self._items)
            size = sum(len(orjson.dumps(i, default=bytes.hex)) for i in self._items.values())
        return attrs.evolve(self.description, item_count=count, size_bytes=size)

    def scan_page(self, *, segment: int, total_segments: int, start_key: Item | None) -> ScanPage:
        """Return the next page of one segment: keys hashed into segments, in key order."""
        if not 0 <= segment < total_segments:
            raise ValueError(f"segment {segment} is not in 0..{total_segments - 1}")
        names = self.description.key_names
        after = None if start_key is None else _key_bytes(start_key, names)
        with self._lock:
            keys = sorted(k for k in self._items if zlib.crc32(k) % total_segments == segment)
            if after is not None:
                keys = [k for k in keys if k > after]
            page = [self._items[k] for k in keys[: self.page_size]]
        more = len(keys) > self.page_size
        return ScanPage(items=page, last_key=self.key_of(page[-1]) if more else None)

    def write_batch(self, items: Sequence[Item]) -> list[Item]:
        """Put up to 25 items; leave as many unprocessed as the ``unprocessed`` hook says."""
        if len(items) > MAX_BATCH_WRITE:
            raise ValueError(f"at most {MAX_BATCH_WRITE} items per batch, not {len(items)}")
        self.batch_sizes.append(len(items))
        left = self._unprocessed(items) if self._unprocessed is not None else 0
        done, rest = items[: len(items) - left], list(items[len(items) - left :])
        for item in done:
            self.put(item)
        return rest

    def read_batch(self, keys: Sequence[Item]) -> list[Item]:
        """Return the stored items among ``keys`` (missing keys are left out)."""
        names = self.description.key_names
        with self._lock:
            found = (self._items.get(_key_bytes(key, names)) for key in keys)
            return [item for item in found if item is not None]


class _Writer:
    def __init__(self, store: InMemoryObjectStore, key: str) -> None:
        self._store = store
        self._key = key
        self._chunks: list[bytes] = []
        self._closed = False

    def write(self, data: bytes) -> None:
        if self._closed:
            raise ValueError("the writer is closed")
        self._chunks.append(bytes(data))

    def commit(self) -> str:
        self._closed = True
        return self._store.put(self._key, b"".join(self._chunks))

    def abort(self) -> None:
        self._closed = True
        self._chunks.clear()


class InMemoryObjectStore:
    """A bucket in a dict; an object appears whole on commit, never half written.

    Args:
        bucket: The name it reports.
        clock: Seconds since the epoch (tests move time forward for retention).
    """

    def __init__(self, bucket: str = "backups", *, clock: Callable[[], float] = time.time) -> None:
        """Create an empty bucket."""
        self._bucket = bucket
        self._clock = clock
        self.objects: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self._bucket

    def open(self, key: str) -> _Writer:
        """Start writing ``key``."""
        return _Writer(self, key)

    def put(self, key: str, data: bytes) -> str:
        """Store ``data`` at ``key``; return its MD5 hex, as S3's ETag for a single PUT."""
        with self._lock:
            self.objects[key] = (bytes(data), self._clock())
        return hashlib.md5(data).hexdigest()  # noqa: S324  # S3's ETag format, not security

    def read(self, key: str) -> Iterator[bytes]:
        """Yield the object's bytes in 1 MiB chunks."""
        with self._lock:
            data = self.objects[key][0]
        for start in range(0, len(data), 1 << 20):
            yield data[start : start + (1 << 20)]

    def info(self, key: str) -> ObjectInfo | None:
        """Return the object's size and MD5 tag, or ``None``."""
        with self._lock:
            found = self.objects.get(key)
        if found is None:
            return None
        etag = hashlib.md5(found[0]).hexdigest()  # noqa: S324  # S3's ETag format
        return ObjectInfo(key=key, size=len(found[0]), etag=etag, modified=found[1])

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """List objects under ``prefix`` in key order."""
        with self._lock:
            keys = sorted(k for k in self.objects if k.startswith(prefix))
        for key in keys:
            info = self.info(key)
            if info is not None:
                yield info

    def folders(self, prefix: str) -> list[str]:
        """Return the sub-folders directly under ``prefix``."""
        with self._lock:
            rests = [k[len(prefix) :] for k in self.objects if k.startswith(prefix)]
        return sorted({prefix + r.split("/", 1)[0] + "/" for r in rests if "/" in r})

    def delete(self, keys: Iterable[str]) -> None:
        """Delete objects; missing ones are ignored."""
        with self._lock:
            for key in keys:
                self.objects.pop(key, None)


class InMemoryNotifier:
    """A topic that keeps what was published: ``(subject, message)`` pairs."""

    def __init__(self) -> None:
        """Start with nothing published."""
        self.messages: list[tuple[str, str]] = []

    def publish(self, subject: str, message: str) -> None:
        """Record one message."""
        self.messages.append((subject, message))


class InMemoryContinuation:
    """Keeps the payloads a job asked to continue with, instead of invoking anything."""

    def __init__(self) -> None:
        """Start with nothing scheduled."""
        self.payloads: list[dict[str, str]] = []

    def schedule(self, payload: dict[str, str]) -> None:
        """Record one continuation."""
        self.payloads.append(dict(payload))
