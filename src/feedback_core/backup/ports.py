"""The backup ports: where items come from, where they go back to, and where parts are kept.

Three roles, each a :class:`typing.Protocol` that adapters satisfy without inheriting:

- :class:`TableSource` describes a table and serves its scan one page at a time, by segment.
- :class:`TableSink` writes batches of at most 25 items and says which were not processed.
- :class:`ObjectStore` keeps parts and manifests (S3, or a dict in :mod:`.memory`).

The export, verify, restore and prune services (:mod:`.export`, :mod:`.verify`,
:mod:`.restore`, :mod:`.retention`) only speak to these, so they run unchanged on the
in-memory adapters and on AWS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from feedback_core.backup.model import Item, ObjectInfo, ScanPage, TableDescription

__all__ = [
    "MAX_BATCH_WRITE",
    "Continuation",
    "Notifier",
    "ObjectStore",
    "ObjectWriter",
    "TableSink",
    "TableSource",
]

MAX_BATCH_WRITE = 25
"""DynamoDB's ``BatchWriteItem`` limit: 25 put or delete requests per call."""


class TableSource(Protocol):
    """A table to back up."""

    def describe(self) -> TableDescription:
        """Return the table's shape and size estimate."""
        ...

    def scan_page(self, *, segment: int, total_segments: int, start_key: Item | None) -> ScanPage:
        """Return the next page of one segment of a parallel scan.

        Args:
            segment: This worker's segment, ``0 <= segment < total_segments``.
            total_segments: How many segments the scan is split into.
            start_key: ``ExclusiveStartKey``: the previous page's ``last_key``, or ``None``.

        Raises:
            ServiceError: the read failed after retries (throttling included).
        """
        ...


class TableSink(Protocol):
    """A table to restore into."""

    @property
    def name(self) -> str:
        """The table's name."""
        ...

    def write_batch(self, items: Sequence[Item]) -> list[Item]:
        """Put at most :data:`MAX_BATCH_WRITE` items; return those not processed (to retry).

        Raises:
            ValueError: more than 25 items.
            ServiceError: the call failed outright (after retrying throttling).
        """
        ...

    def read_batch(self, keys: Sequence[Item]) -> list[Item]:
        """Return the items stored under ``keys`` (at most 100); missing keys are left out.

        A dry-run restore uses it to say what a restore would add, change or leave alone.
        """
        ...


class ObjectWriter(Protocol):
    """An object being written; it becomes visible only on :meth:`commit`."""

    def write(self, data: bytes) -> None:
        """Append bytes."""
        ...

    def commit(self) -> str:
        """Make the object visible, whole; return its entity tag (unquoted)."""
        ...

    def abort(self) -> None:
        """Drop what was written; nothing becomes visible."""
        ...


class ObjectStore(Protocol):
    """A bucket (or stand-in) holding backups."""

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        ...

    def open(self, key: str) -> ObjectWriter:
        """Start writing ``key``; readers see the old object (or none) until commit."""
        ...

    def put(self, key: str, data: bytes) -> str:
        """Write a small object at once; return its entity tag."""
        ...

    def read(self, key: str) -> Iterator[bytes]:
        """Stream an object's bytes in chunks.

        Raises:
            KeyError: there is no such object.
        """
        ...

    def info(self, key: str) -> ObjectInfo | None:
        """Return an object's size and tag, or ``None`` if it does not exist."""
        ...

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """List every object whose key starts with ``prefix``, in key order."""
        ...

    def folders(self, prefix: str) -> list[str]:
        """Return the ``/``-delimited sub-folders directly under ``prefix`` (with the slash)."""
        ...

    def delete(self, keys: Sequence[str]) -> None:
        """Delete objects (missing ones are ignored)."""
        ...


class Notifier(Protocol):
    """Where the backup job reports success and failure (SNS, or a list in memory)."""

    def publish(self, subject: str, message: str) -> None:
        """Send one message."""
        ...


class Continuation(Protocol):
    """How the backup job carries on when its run is cut short (Lambda: invoke itself)."""

    def schedule(self, payload: dict[str, str]) -> None:
        """Start another run with ``payload`` as its event."""
        ...
