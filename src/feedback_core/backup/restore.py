"""Restore an export into a table: batches of 25, unprocessed items retried, parallel by part.

Each part is streamed line by line into ``BatchWriteItem`` calls of at most 25 puts; the items a
call leaves unprocessed are sent again after a full-jitter backoff. When a part is fully
written, a marker object (``_restores/<table>/<part>.done`` in the export's folder) records it,
so a rerun after a crash skips the finished parts and redoes only the one that was cut short.
Puts replace whole items, so writing an item twice leaves the same table: a restore is
idempotent, and running it twice gives the same result.

A dry run verifies the export first, then reads the target in batches of 100 keys and counts
what a restore would add, change and leave alone, writing nothing.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import attrs

from feedback_core.aws import Backoff
from feedback_core.backup.format import decode_line, gunzip, iter_lines
from feedback_core.backup.ports import MAX_BATCH_WRITE
from feedback_core.backup.verify import VerifyReport, read_manifest, verify_export
from feedback_core.errors import BackupError, VerificationError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from feedback_core.backup.format import PartEntry
    from feedback_core.backup.model import Item
    from feedback_core.backup.ports import ObjectStore, TableSink

__all__ = ["RestoreResult", "restore_export"]

_READ_BATCH = 100


@attrs.frozen(kw_only=True)
class RestoreResult:
    """What a restore did (or, for a dry run, would do).

    Attributes:
        table: The target table.
        dry_run: Whether nothing was written.
        parts: Parts in the export.
        parts_skipped: Parts an earlier run had finished (skipped).
        items_written: Items put (0 in a dry run).
        write_calls: ``BatchWriteItem`` calls made, retries included.
        retried_items: Items sent again because a call left them unprocessed.
        would_add: Dry run: items whose key is not in the table.
        would_change: Dry run: items in the table with other attributes.
        unchanged: Dry run: items already in the table exactly.
        verification: The verification run first, if any.
    """

    table: str
    dry_run: bool
    parts: int
    parts_skipped: int = 0
    items_written: int = 0
    write_calls: int = 0
    retried_items: int = 0
    would_add: int = 0
    would_change: int = 0
    unchanged: int = 0
    verification: VerifyReport | None = None


def _items(store: ObjectStore, entry: PartEntry) -> Iterator[Item]:
    for line in iter_lines(gunzip(store.read(entry.key))):
        yield decode_line(line)


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.written = 0
        self.calls = 0
        self.retried = 0
        self.added = 0
        self.changed = 0
        self.unchanged = 0

    def add(self, **amounts: int) -> None:
        with self.lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)


def _write(sink: TableSink, batch: list[Item], backoff: Backoff, counters: _Counters) -> None:
    pending = batch
    for attempt in range(1, backoff.attempts + 1):
        counters.add(calls=1)
        left = sink.write_batch(pending)
        counters.add(written=len(pending) - len(left))
        if not left:
            return
        counters.add(retried=len(left))
        pending = left
        if attempt < backoff.attempts:
            backoff.sleep(backoff.delay(attempt))
    raise BackupError(
        f"{len(pending)} item(s) still unprocessed by {sink.name} after {backoff.attempts} calls"
    )


def _compare(
    sink: TableSink, batch: Sequence[Item], key_names: Sequence[str], counters: _Counters
) -> None:
    def key(item: Item) -> Item:
        return {name: item[name] for name in key_names}

    found = {repr(sorted(key(i).items())): i for i in sink.read_batch([key(i) for i in batch])}
    for item in batch:
        existing = found.get(repr(sorted(key(item).items())))
        if existing is None:
            counters.add(added=1)
        elif existing == item:
            counters.add(unchanged=1)
        else:
            counters.add(changed=1)


def restore_export(
    store: ObjectStore,
    folder: str,
    sink: TableSink,
    *,
    verify: bool = True,
    dry_run: bool = False,
    workers: int = 4,
    backoff: Backoff | None = None,
    progress: Callable[[int], None] | None = None,
) -> RestoreResult:
    """Restore the export in ``folder`` into ``sink``'s table (which must exist).

    Args:
        store: The bucket.
        folder: The export's folder.
        sink: The target table (see :func:`.dynamodb.create_table_like` for a new one).
        verify: Verify the export first and refuse a damaged one (a dry run always verifies).
        dry_run: Write nothing; count what would be added, changed and left alone.
        workers: Parts restored at once.
        backoff: Retry policy for unprocessed items (default: 8 attempts, full jitter).
        progress: Called with the running count of items written (or compared).

    Raises:
        VerificationError: the export is damaged (the message lists each problem).
        BackupError: items stayed unprocessed past the retry budget; rerun to carry on.
        ServiceError: a call failed outright.
    """
    backoff = backoff or Backoff(attempts=8, base=0.05, cap=5.0)
    manifest = read_manifest(store, folder)
    report = None
    if verify or dry_run:
        report = verify_export(store, manifest.folder, workers=workers)
        if not report.ok:
            raise VerificationError(
                f"{manifest.folder} is damaged: " + "; ".join(str(p) for p in report.problems)
            )
    marker_folder = f"{manifest.folder}_restores/{sink.name}/"
    finished = {info.key for info in store.list_objects(marker_folder)}
    counters = _Counters()
    key_names = manifest.summary.table.key_names if manifest.summary.table is not None else ()

    def restore_part(entry: PartEntry) -> bool:
        marker = marker_folder + entry.key.rsplit("/", 1)[-1] + ".done"
        if marker in finished and not dry_run:
            return True
        size = _READ_BATCH if dry_run else MAX_BATCH_WRITE
        for batch in _batches(_items(store, entry), size):
            if dry_run:
                _compare(sink, batch, key_names or _guess_key(batch), counters)
            else:
                _write(sink, batch, backoff, counters)
            if progress is not None:
                progress(counters.written + counters.added + counters.changed + counters.unchanged)
        if not dry_run:
            store.put(marker, b"")
        return False

    failed = threading.Event()

    def guarded(entry: PartEntry) -> bool:
        if failed.is_set():
            return False  # a part failed: leave the rest to the rerun
        try:
            return restore_part(entry)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        skipped = sum(pool.map(guarded, manifest.parts))
    return RestoreResult(
        table=sink.name,
        dry_run=dry_run,
        parts=len(manifest.parts),
        parts_skipped=0 if dry_run else skipped,
        items_written=counters.written,
        write_calls=counters.calls,
        retried_items=counters.retried,
        would_add=counters.added,
        would_change=counters.changed,
        unchanged=counters.unchanged,
        verification=report,
    )


def _guess_key(batch: Sequence[Item]) -> tuple[str, ...]:
    raise BackupError(
        "a dry run needs the table's key schema, which native exports do not record; "
        f"restore {len(batch)} item(s) without --dry-run, or export with feedback-core"
    )
